"""Migrations: `db upgrade` builds from empty the same schema the models describe, every step
goes back down cleanly, an install with data in it keeps its data, and no migration depends on
the application's code (a migration is frozen history)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata, produce_migrations, render_python_code
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from campaign.articles.search import TRGM_INDEXES, is_fulltext_object
from campaign.core.dbtypes import render_migration_type
from campaign.coverage.cells import rebuild
from campaign.extensions import db
from tests.conftest import BACKENDS, app_on_new_database

VERSIONS = Path(__file__).parent.parent / "migrations" / "versions"
CELLS_REVISION = "285ac8f32f35"  # counts the coverage recorded before it
STAMP = "2006-04-20 08:00:00"


@pytest.fixture(params=BACKENDS)
def empty_app(request, tmp_path):
    """An app on a new, empty database of each backend."""
    with app_on_new_database(request.param, tmp_path, "migrate.db") as app:
        yield app


@pytest.fixture
def recorded_app(empty_app):
    """An install one revision before the coverage cells, with a campaign's coverage recorded
    (an app context is open)."""
    with empty_app.app_context():
        upgrade(revision=_parent(CELLS_REVISION))
        with db.engine.begin() as conn:
            _record_coverage(conn)
        yield empty_app


def test_upgrade_from_empty_matches_models(empty_app):
    """After `db upgrade` on an empty database, Alembic finds no difference with the models."""
    with empty_app.app_context():
        upgrade()
        assert _differences_with_models() == []
        tables = set(inspect(db.engine).get_table_names())
        assert {"campaigns", "events", "outlets", "users", "editorial_slots"} <= tables


def test_round_trip_matches_models(empty_app):
    """Upgrade to head, downgrade to base and upgrade again gives the models' schema."""
    with empty_app.app_context():
        upgrade()
        downgrade(revision="base")
        upgrade()
        assert _differences_with_models() == []


def test_each_downgrade_undoes_its_upgrade(empty_app):
    """Every revision's downgrade brings back the schema it found, from the first to head."""
    with empty_app.app_context():
        for revision in _revisions_oldest_first():
            before = _schema()
            upgrade(revision=revision)
            downgrade(revision=_parent(revision) or "base")
            assert _schema() == before, revision
            upgrade(revision=revision)


def test_upgrade_twice_changes_nothing(empty_app):
    """A second `db upgrade` on an up-to-date database with data leaves schema and rows as
    they were."""
    with empty_app.app_context():
        upgrade()
        with db.engine.begin() as conn:
            _record_coverage(conn)
        before = _schema(), _contents()
        upgrade()
        assert (_schema(), _contents()) == before


def test_upgrade_keeps_recorded_rows(recorded_app):
    """Upgrading an install with data keeps every row of every table it had (in the columns
    it had: later revisions may add columns with defaults)."""
    before = _contents()
    del before["alembic_version"]
    columns = _columns()
    upgrade()
    after = _contents(list(before), columns)
    # (the bare allow-list entry now says the every port it meant: tested below)
    before["allowed_hosts"] = [row.replace("'127.0.0.1'", "'127.0.0.1:*'")
                               for row in before["allowed_hosts"]]
    assert after == before
    assert sum(len(rows) for rows in before.values()) > 20


def test_upgrade_keeps_what_saved_allow_list_entries_opened(recorded_app):
    """Allow-list entries saved without a port (which then opened every port) become `host:*`
    — names, IPv4 and IPv6 addresses — so the guard still opens any port of them; entries with
    a port stay; a bare entry whose `host:*` exists goes. Downgrade gives the bare hosts back."""
    from campaign.sources.guard import AddressGuard

    with db.engine.begin() as conn:
        _insert(conn, "allowed_hosts", *({"id": i, "host": host, "note": "", "created_at": STAMP}
                                         for i, host in ((2, "paper.intranet.local"),
                                                         (3, "fd00::5"), (4, "10.0.0.7:8080"),
                                                         (5, "10.0.0.9"), (6, "10.0.0.9:*"))))
    upgrade()
    hosts = _hosts()
    assert hosts == ["10.0.0.7:8080", "10.0.0.9:*", "127.0.0.1:*", "[fd00::5]:*",
                     "paper.intranet.local:*"]
    guard = AddressGuard(hosts)
    for host in ("127.0.0.1", "fd00::5", "paper.intranet.local", "10.0.0.9"):
        assert guard.is_allowed(host, 5050), host
    assert guard.is_allowed("10.0.0.7", 8080) and not guard.is_allowed("10.0.0.7", 5050)
    downgrade(revision=_parent("b7e2d4f6a8c1"))
    assert _hosts() == ["10.0.0.7:8080", "10.0.0.9", "127.0.0.1", "fd00::5",
                        "paper.intranet.local"]


def _hosts() -> list[str]:
    with db.engine.connect() as conn:
        return sorted(conn.scalars(sa.text("SELECT host FROM allowed_hosts")))


def test_upgrade_counts_recorded_coverage(recorded_app):
    """The cells migration counts the accepted pieces already recorded: an article accepted for
    two events is one piece of the campaign, suggestions and rejections are not counted."""
    upgrade()
    with db.engine.connect() as conn:
        totals = {outlet: tuple(counts) for outlet, *counts in conn.execute(sa.text(
            "SELECT outlet_id, pieces, page_one, reprints FROM coverage_cells "
            "WHERE campaign_id = 1 AND event_id = 0 AND event_type = '' AND day = -1"))}
        reprints = set(conn.execute(sa.text(
            "SELECT event_id, article_id, group_id, day FROM coverage_reprints")).all())
    assert totals == {1: (1, 1, 0), 2: (2, 1, 0), 3: (1, 0, 1)}
    assert reprints == {(1, 1, 1, 20060428), (2, 1, 1, 20060428), (1, 2, 1, 20060429)}


def test_upgrade_counts_as_the_app_does(recorded_app):
    """Every cell and reprint row the migration writes is what the app's rebuild counts."""
    upgrade()
    migrated = _coverage_rows()
    rebuild(db.session)
    db.session.commit()
    assert _coverage_rows() == migrated
    assert len(migrated["coverage_cells"]) == 27


def test_upgrade_creates_full_text_search(empty_app):
    """The search migration builds the trigram index of its backend (FTS5 table or pg_trgm)."""
    with empty_app.app_context():
        upgrade()
        inspector = inspect(db.engine)
        if db.engine.dialect.name == "sqlite":
            assert "articles_fts" in inspector.get_table_names()
        else:
            indexes = {i["name"] for t in ("articles", "article_bodies")
                       for i in inspector.get_indexes(t)}
            assert set(TRGM_INDEXES) <= indexes


@pytest.mark.parametrize("path", sorted(VERSIONS.glob("*.py")), ids=lambda p: p.name[:12])
def test_migration_imports_no_application_code(path):
    """A migration imports neither `campaign` nor `config`: it must run after the models move on."""
    assert _imported_modules(path) & {"campaign", "config"} == set()


def test_autogenerate_writes_plain_types(empty_app):
    """A new migration gets the app's column types as plain SQLAlchemy, importing nothing."""
    with empty_app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"render_item": render_migration_type})
        script = produce_migrations(context, db.metadata)
        imports: set[str] = set()
        code = render_python_code(script.upgrade_ops, render_item=render_migration_type,
                                  imports=imports)
    assert "sa.DateTime(timezone=True)" in code
    assert "postgresql.JSONB()" in code
    assert "campaign." not in code
    assert not any("campaign" in line for line in imports)


# --- helpers ------------------------------------------------------------------------------------

def _models_only(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    """Leave out the full-text search objects the migration creates with raw SQL."""
    return not (reflected and compare_to is None and is_fulltext_object(name, type_))


def _differences_with_models() -> list[Any]:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "compare_type": True, "include_object": _models_only})
        return compare_metadata(context, db.metadata)


def _scripts() -> ScriptDirectory:
    return ScriptDirectory(current_app.extensions["migrate"].directory)


def _revisions_oldest_first() -> list[str]:
    return [s.revision for s in reversed(list(_scripts().walk_revisions()))]


def _parent(revision: str) -> str | None:
    down = _scripts().get_revision(revision).down_revision
    assert down is None or isinstance(down, str)
    return down


def _imported_modules(path: Path) -> set[str]:
    """The top-level names of the modules a file imports, wherever the import statement is."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def _schema() -> dict[str, Any]:
    """What the database holds besides rows and Alembic's version table: reflected tables, and
    the backend's own list of objects (SQLite's triggers and FTS table; PostgreSQL's index
    definitions)."""
    inspector = inspect(db.engine)
    names = sorted(set(inspector.get_table_names()) - {"alembic_version"})
    # The get_multi_* calls reflect every table at once: one query per kind on PostgreSQL
    # instead of one per table (the same dictionaries get_columns(table) etc. return).
    columns, keys, foreign, indexes, unique = (
        {table: found for (_schema, table), found in kind(filter_names=names).items()}
        for kind in (inspector.get_multi_columns, inspector.get_multi_pk_constraint,
                     inspector.get_multi_foreign_keys, inspector.get_multi_indexes,
                     inspector.get_multi_unique_constraints))
    tables = {}
    for table in names:
        tables[table] = (
            [(c["name"], str(c["type"]), c["nullable"], c.get("default"))
             for c in columns[table]],
            keys[table],
            sorted(map(repr, foreign[table])),
            sorted(map(repr, indexes[table])),
            sorted(map(repr, unique[table])),
        )
    with db.engine.connect() as conn:
        if db.engine.dialect.name == "sqlite":
            # A table's own CREATE text changes with every batch (copy-and-move) alteration
            # while its columns and keys, compared above, stay; the other objects' text counts.
            native = [(kind, name, table, None if kind == "table" else " ".join(
                (sql or "").replace('"', "").split())) for kind, name, table, sql in conn.execute(
                sa.text("SELECT type, name, tbl_name, sql FROM sqlite_master "
                        "WHERE tbl_name != 'alembic_version' ORDER BY type, name"))]
        else:
            native = conn.execute(sa.text(
                "SELECT tablename, indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = 'public' AND tablename != 'alembic_version' "
                "ORDER BY indexname")).all()
    return {"tables": tables, "native": native}


def _columns() -> dict[str, list[str]]:
    """The columns of every table, as the database has them now."""
    inspector = inspect(db.engine)
    return {table: [column["name"] for column in inspector.get_columns(table)]
            for table in inspector.get_table_names()}


def _contents(tables: list[str] | None = None,
              columns: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """Every row of every table (or of `tables`; only `columns` of each when given), in a
    stable order."""
    names = tables or sorted(inspect(db.engine).get_table_names())

    def select_list(name: str) -> str:
        if columns is None or name not in columns:
            return "*"
        return ", ".join(f'"{column}"' for column in columns[name])

    with db.engine.connect() as conn:
        return {name: sorted(repr(tuple(row)) for row in conn.execute(
            sa.text(f'SELECT {select_list(name)} FROM "{name}"'))) for name in names}


def _coverage_rows() -> dict[str, list[str]]:
    return _contents(["coverage_cells", "coverage_reprints"])


def _insert(conn: sa.Connection, table: str, *rows: dict[str, Any]) -> None:
    """Rows written with plain SQL, as the database held them, not through today's models."""
    for row in rows:
        columns = ", ".join(row)
        values = ", ".join(f":{name}" for name in row)
        conn.execute(sa.text(f"INSERT INTO {table} ({columns}) VALUES ({values})"), row)


def _record_coverage(conn: sa.Connection) -> None:
    """A campaign with two events, three outlets, a source that stored five articles (two of
    them one reprint group), accepted, suggested and rejected matches and a manual clipping."""
    made = {"created_at": STAMP}
    _insert(conn, "users", {"id": 1, "username": "officer", "display_name": "宣教干部",
                            "password_hash": "x", "role": "officer", "active": True, **made})
    _insert(conn, "outlets", *({"id": i, "name": name, "aliases": "[]", "tier": tier,
                                "kind": "newspaper", "region": "安徽", **made}
                               for i, name, tier in ((1, "安徽日报", "provincial"),
                                                     (2, "安徽工人日报", "provincial"),
                                                     (3, "合肥日报", "municipal"))))
    _insert(conn, "campaigns", {"id": 1, "name": "工会工作宣传月", "slug": "month",
                                "starts_on": "2006-04-25", "ends_on": "2006-05-25",
                                "timezone": "Asia/Shanghai", "description": "", "goals": "",
                                "updated_at": STAMP, **made})
    _insert(conn, "events", *({"id": i, "campaign_id": 1, "key": key, "title": title,
                               "type": key, "starts_at": f"{day} 01:00:00",
                               "ends_at": f"{day} 03:00:00", "all_day": False, "venue": "合肥",
                               "owner": "宣教部", "status": "held", "description": "",
                               "key_messages": "", "keywords": '["动员大会"]', "sequence": i,
                               "updated_at": STAMP, **made}
                              for i, key, title, day in (
                                  (1, "rally", "庆祝五一动员大会", "2006-04-27"),
                                  (2, "press_briefing", "宣传月新闻通气会", "2006-04-25"))))
    _insert(conn, "editorial_slots", {"id": 1, "event_id": 1, "outlet_id": 1,
                                      "planned_on": "2006-04-30", "genre": "editorial",
                                      "page": "1"})
    _insert(conn, "event_invited_outlets", {"event_id": 1, "outlet_id": 1},
            {"event_id": 1, "outlet_id": 3})
    _insert(conn, "reprint_groups", {"id": 1, "size": 2, **made})
    _insert(conn, "sources", {"id": 1, "outlet_id": 1, "name": "数字报", "type": "epaper",
                              "url": "http://127.0.0.1:5050/paper/", "selectors": "{}",
                              "interval_minutes": 60, "timezone": "Asia/Shanghai",
                              "obey_robots": True, "enabled": True, "max_pages": 5,
                              "consecutive_failures": 0, "items_seen": 5, **made})
    _insert(conn, "fetch_runs", {"id": 1, "source_id": 1, "started_at": STAMP,
                                 "outcome": "ok", "trigger": "scheduled", "new_count": 5,
                                 "updated_count": 0, "duplicate_count": 0})
    _insert(conn, "epaper_days", {"source_id": 1, "day": "2006-04-28", "fetched_at": STAMP,
                                  "articles": 5})
    # (id, outlet, day, page, reprint group, original)
    articles = ((1, 1, 20060428, 1, 1, True), (2, 3, 20060429, 2, 1, False),
                (3, 2, 20060426, 3, None, True), (4, 2, 20060428, 1, None, True),
                (5, 1, 20060428, 4, None, True))
    _insert(conn, "articles", *({"id": i, "url": f"http://127.0.0.1:5050/a/{i}.htm",
                                 "outlet_id": outlet, "source_id": 1, "title": f"职工风采之{i}",
                                 "intro_title": "", "subtitle": "", "published_at": STAMP,
                                 "day": day, "page_number": page, "page_name": "要闻",
                                 "genre": "消息", "author": "", "editor": "",
                                 "source_credit": "", "fingerprint": f"{i:064d}",
                                 "length": 800, "reprint_group_id": group,
                                 "is_original": original, "first_seen_at": STAMP,
                                 "updated_at": STAMP}
                                for i, outlet, day, page, group, original in articles))
    _insert(conn, "article_bodies", *({"article_id": i, "text": f"劳动模范座谈{i}"}
                                      for i in range(1, 6)))
    _insert(conn, "article_urls", {"url": "http://127.0.0.1:5050/m/1.htm", "article_id": 1})
    _insert(conn, "coverage_rules", {"event_id": 1, "query": "动员大会", "use_synonyms": True,
                                     "updated_at": STAMP})
    _insert(conn, "coverage_rule_outlets", {"event_id": 1, "outlet_id": 1})
    # (id, event, article, status): article 1 accepted for both events
    matches = ((1, 1, 1, "accepted"), (2, 2, 1, "accepted"), (3, 1, 2, "accepted"),
               (4, 2, 3, "accepted"), (5, 1, 4, "suggested"), (6, 1, 5, "rejected"))
    day_of = {a[0]: a[2] for a in articles}
    _insert(conn, "matches", *({"id": i, "event_id": event, "article_id": article,
                                "status": status, "score": 0.7, "explanation": "{}",
                                "auto": True, "matched_at": STAMP, "day": day_of[article]}
                               for i, event, article, status in matches))
    _insert(conn, "clippings", {"id": 1, "event_id": 1, "outlet_id": 2,
                                "published_on": "2006-04-27", "page": "一版", "page_number": 1,
                                "genre": "消息", "title": "动员大会召开", "note": "",
                                "created_by_id": 1, **made})
    _insert(conn, "api_tokens", {"id": 1, "user_id": 1, "name": "robot",
                                 "token_hash": "0" * 64, "prefix": "ct_0000", **made})
    _insert(conn, "allowed_hosts", {"id": 1, "host": "127.0.0.1", "note": "demo", **made})
