"""`campaign-tracker backup` and `restore`: a round trip on SQLite and PostgreSQL, a snapshot taken
while another connection writes, and the refusals (a file of another kind, no confirmation,
no pg_dump)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date

import pytest
from flask_migrate import upgrade
from sqlalchemy import make_url

from campaign.core.backup import BackupError, _run
from campaign.extensions import db
from campaign.planning.models import Campaign
from tests.conftest import BACKENDS, app_on_new_database


@pytest.fixture(params=BACKENDS)
def migrated_app(request, tmp_path):
    """An app on a new database of each backend, built by the migrations (as installs are)."""
    with app_on_new_database(request.param, tmp_path, "live.db") as app:
        with app.app_context():
            upgrade()
        yield app


def add_campaign(slug: str, name: str) -> None:
    db.session.add(Campaign(slug=slug, name=name, starts_on=date(2006, 4, 25),
                            ends_on=date(2006, 5, 25), timezone="Asia/Shanghai"))
    db.session.commit()


def campaigns() -> dict[str, str]:
    db.session.remove()
    return {c.slug: c.name for c in db.session.scalars(db.select(Campaign))}


def invoke(app, *args: str, input: str | None = None):  # noqa: A002 - click's own name
    return app.test_cli_runner().invoke(args=list(args), input=input)


def test_round_trip_brings_the_data_back(migrated_app, tmp_path):
    """Back up, change and add rows, restore --yes: the database is as it was at the backup
    (and the backup file is untouched)."""
    path = tmp_path / "backup.bin"
    with migrated_app.app_context():
        add_campaign("pm-2006", "2006年宣传月")
        result = invoke(migrated_app, "backup", str(path))
        assert result.exit_code == 0, result.output
        saved = path.read_bytes()
        assert saved
        db.session.execute(db.update(Campaign).values(name="改掉的名字"))
        db.session.commit()
        add_campaign("pm-2007", "2007年宣传月")
        assert campaigns() == {"pm-2006": "改掉的名字", "pm-2007": "2007年宣传月"}

        result = invoke(migrated_app, "restore", str(path), "--yes")
        assert result.exit_code == 0, result.output
        assert campaigns() == {"pm-2006": "2006年宣传月"}
        assert path.read_bytes() == saved  # restoring leaves the backup as it was
        add_campaign("pm-2008", "2008年宣传月")  # the restored database takes writes again
        assert set(campaigns()) == {"pm-2006", "pm-2008"}


def test_backup_refuses_to_overwrite_a_file(migrated_app, tmp_path):
    """An existing target file is left alone and the command says so."""
    path = tmp_path / "taken.bin"
    path.write_bytes(b"keep me")
    with migrated_app.app_context():
        result = invoke(migrated_app, "backup", str(path))
    assert result.exit_code != 0
    assert "exists" in result.output
    assert path.read_bytes() == b"keep me"


def test_restore_asks_first(migrated_app, tmp_path):
    """Without --yes, restore asks; answering no changes nothing."""
    path = tmp_path / "backup.bin"
    with migrated_app.app_context():
        add_campaign("pm-2006", "2006年宣传月")
        assert invoke(migrated_app, "backup", str(path)).exit_code == 0
        add_campaign("pm-2007", "2007年宣传月")
        result = invoke(migrated_app, "restore", str(path), input="n\n")
        assert result.exit_code != 0
        assert "Replace everything" in result.output
        assert set(campaigns()) == {"pm-2006", "pm-2007"}


@pytest.mark.parametrize("content", [b"", b"not a database at all", b"PGDMP\x00garbage"])
def test_restore_refuses_other_files(migrated_app, tmp_path, content):
    """An empty file, a text file or a broken archive is refused and nothing changes."""
    path = tmp_path / "bogus.bin"
    path.write_bytes(content)
    with migrated_app.app_context():
        add_campaign("pm-2006", "2006年宣传月")
        result = invoke(migrated_app, "restore", str(path), "--yes")
        assert result.exit_code != 0
        assert "Error" in result.output
        assert set(campaigns()) == {"pm-2006"}


def test_restore_refuses_a_sqlite_file_of_another_app(tmp_path):
    """A SQLite database without this app's alembic_version is refused before anything is
    written."""
    other = tmp_path / "other.db"
    with closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32))")
        conn.execute("INSERT INTO alembic_version VALUES ('0123456789ab')")
        conn.commit()
    with app_on_new_database("sqlite", tmp_path, "live.db") as app, app.app_context():
        upgrade()
        add_campaign("pm-2006", "2006年宣传月")
        result = invoke(app, "restore", str(other), "--yes")
        assert result.exit_code != 0
        assert "not a database of campaign-tracker" in result.output
        assert set(campaigns()) == {"pm-2006"}


def test_sqlite_backup_is_a_snapshot_while_another_connection_writes(tmp_path):
    """A backup taken while a writer holds an open transaction (the scheduler mid-write)
    succeeds, passes integrity_check, and holds only committed rows."""
    with app_on_new_database("sqlite", tmp_path, "live.db") as app, app.app_context():
        upgrade()
        add_campaign("pm-2006", "2006年宣传月")
        with closing(sqlite3.connect(tmp_path / "live.db", timeout=5)) as writer:
            writer.execute("BEGIN IMMEDIATE")
            writer.execute("UPDATE campaigns SET name = 'half-written'")
            result = invoke(app, "backup", str(tmp_path / "snap.db"))
            writer.rollback()
        assert result.exit_code == 0, result.output
    with closing(sqlite3.connect(tmp_path / "snap.db")) as snap:
        assert snap.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert snap.execute("SELECT name FROM campaigns").fetchall() == [("2006年宣传月",)]


def test_missing_pg_dump_is_a_clear_error(monkeypatch, tmp_path):
    """Without pg_dump on the PATH the error names the program and the package to install."""
    monkeypatch.setenv("PATH", str(tmp_path))
    url = make_url("postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    with pytest.raises(BackupError, match=r"pg_dump is not installed.*postgresql-client"):
        _run(["pg_dump", "--version"], url)


def test_backup_into_a_missing_folder_is_a_clear_error(tmp_path):
    """A target in a folder that does not exist gives an error message, not a traceback."""
    with app_on_new_database("sqlite", tmp_path, "live.db") as app, app.app_context():
        upgrade()
        result = invoke(app, "backup", str(tmp_path / "no-such-folder" / "b.db"))
    assert result.exit_code == 1
    assert "Error: copying" in result.output


def test_backup_includes_the_media_folder(migrated_app, tmp_path, monkeypatch):
    """`backup PATH` archives the media folder as PATH.media.tar, and `restore` puts its
    files back after they were lost."""
    media = tmp_path / "media"
    monkeypatch.setitem(migrated_app.config, "MEDIA_FOLDER", str(media))
    (media / "clippings" / "ab").mkdir(parents=True)
    clip = media / "clippings" / "ab" / "abcd.png"
    clip.write_bytes(b"\x89PNG clipping bytes")
    path = tmp_path / "backup.bin"
    with migrated_app.app_context():
        result = invoke(migrated_app, "backup", str(path))
        assert result.exit_code == 0, result.output
        assert (tmp_path / "backup.bin.media.tar").is_file()
        clip.unlink()
        result = invoke(migrated_app, "restore", str(path), "--yes")
        assert result.exit_code == 0, result.output
    assert clip.read_bytes() == b"\x89PNG clipping bytes"
