"""On SQLite, the commands that read and then write begin their transactions with BEGIN
IMMEDIATE (beside a busy scheduler they wait their turn instead of failing with "database is
locked"); a command that only reads begins deferred and never blocks the scheduler."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from campaign.extensions import db
from campaign.planning.demo import DEMO_SLUG


def begins_of(app: Any, *args: str) -> list[str]:
    """The BEGIN statements the command ran."""
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def watch(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        if statement.startswith("BEGIN"):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", watch)
    try:
        result = app.test_cli_runner().invoke(args=list(args))
        assert result.exit_code == 0, result.output
    finally:
        event.remove(engine, "before_cursor_execute", watch)
    return seen


def test_writing_commands_begin_immediate(tmp_path, committed_app):
    """`demo`, `match` and `coverage-cells` take SQLite's write lock when they begin."""
    with committed_app(tmp_path) as app:
        for command in (["demo"], ["match"], ["coverage-cells"]):
            begins = begins_of(app, *command)
            assert begins and set(begins) == {"BEGIN IMMEDIATE"}, (command, begins)


def test_reading_command_begins_deferred(tmp_path, committed_app):
    """`export-campaign` only reads: its transaction begins deferred."""
    with committed_app(tmp_path) as app:
        begins_of(app, "demo")
        begins = begins_of(app, "export-campaign", DEMO_SLUG)
        assert begins and set(begins) == {"BEGIN"}
