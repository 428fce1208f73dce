"""On SQLite, the commands that read and then write begin their transactions with BEGIN
IMMEDIATE (beside a busy scheduler they wait their turn instead of failing with "database is
locked"); a command that only reads begins deferred and never blocks the scheduler. `match`
and `coverage-cells` read in deferred transactions and write in short immediate ones."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from campaign.extensions import db
from campaign.planning.demo import DEMO_SLUG

WRITES = ("INSERT", "UPDATE", "DELETE")


def begins_of(app: Any, *args: str) -> list[str]:
    """The BEGIN statements the command ran, and after each the writes its transaction
    made (the command runs in one thread: a write belongs to the last BEGIN)."""
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def watch(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        if statement.startswith("BEGIN") or statement.lstrip().upper().startswith(WRITES):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", watch)
    try:
        result = app.test_cli_runner().invoke(args=list(args))
        assert result.exit_code == 0, result.output
    finally:
        event.remove(engine, "before_cursor_execute", watch)
    return seen


def transactions(seen: list[str]) -> list[tuple[str, bool]]:
    """Each transaction's BEGIN and whether it wrote."""
    found: list[tuple[str, bool]] = []
    for statement in seen:
        if statement.startswith("BEGIN"):
            found.append((statement, False))
        else:
            assert found, statement
            found[-1] = (found[-1][0], True)
    return found


def test_writing_commands_begin_immediate(tmp_path, committed_app):
    """`demo` takes SQLite's write lock when it begins; `match` and `coverage-cells` read in
    deferred transactions and take it at the BEGIN of each transaction that writes."""
    with committed_app(tmp_path) as app:
        demo = transactions(begins_of(app, "demo"))
        assert demo and {begin for begin, _wrote in demo} == {"BEGIN IMMEDIATE"}
        for command in (["match"], ["coverage-cells"]):
            made = transactions(begins_of(app, *command))
            assert {begin for begin, wrote in made if wrote} == {"BEGIN IMMEDIATE"}, command
            assert ("BEGIN", False) in made, command


def test_reading_command_begins_deferred(tmp_path, committed_app):
    """`export-campaign` only reads: its transaction begins deferred."""
    with committed_app(tmp_path) as app:
        begins_of(app, "demo")
        made = transactions(begins_of(app, "export-campaign", DEMO_SLUG))
        assert made and set(made) == {("BEGIN", False)}
