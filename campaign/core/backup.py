"""Backups of the database and restoring them: `campaign-tracker backup PATH` / `restore PATH`.

SQLite goes through the online backup API (`sqlite3.Connection.backup`): the copy is one
consistent snapshot even while the scheduler writes (in WAL mode readers do not block the
writer), and restoring copies the backup page by page into the live file under SQLite's own
locks, so no process is left with a half-replaced file. PostgreSQL goes through `pg_dump
--format=custom` and `pg_restore --clean --if-exists` with the configured URL (the password,
if any, travels in PGPASSWORD, not on the command line where `ps` shows it).

The media folder (MEDIA_FOLDER: page images, clippings, PDFs, archived copies) goes beside the
database backup as `PATH.media.tar` (uncompressed: images are compressed already), and a
restore puts it back when it is there (extracting only plain files inside the folder).

A restore refuses a file that is not a database of this app: a SQLite file must hold an
`alembic_version` row naming one of the app's migrations, a PostgreSQL dump must list the
`alembic_version` table.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import subprocess
import tarfile
from contextlib import closing
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import URL, make_url

from campaign.extensions import db

log = logging.getLogger(__name__)
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


class BackupError(RuntimeError):
    """A backup or restore could not be made; the message says why."""


def database_url() -> URL:
    """The configured database URL."""
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def backup_database(target: Path) -> str:
    """Write a backup of the configured database to `target`; return the backend's name."""
    url = database_url()
    if url.get_backend_name() == "sqlite":
        _sqlite_backup(_sqlite_file(url), target)
    elif url.get_backend_name() == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}",
              f"--dbname={_libpq_url(url)}"], url)
    else:
        raise BackupError(f"backups of {url.get_backend_name()} databases are not supported")
    log.info("backed up the %s database to %s", url.get_backend_name(), target)
    return url.get_backend_name()


def restore_database(source: Path) -> str:
    """Replace the configured database's content with the backup in `source`."""
    url = database_url()
    if url.get_backend_name() == "sqlite":
        check_sqlite_backup(source)
        db.session.remove()
        db.engine.dispose()  # no pooled connection keeps reading the old pages
        _sqlite_backup(source, _sqlite_file(url), read_only=True)  # the backup stays as it is
    elif url.get_backend_name() == "postgresql":
        check_pg_backup(source, url)
        db.session.remove()
        db.engine.dispose()
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              f"--dbname={_libpq_url(url)}", str(source)], url)
    else:
        raise BackupError(f"restoring {url.get_backend_name()} databases is not supported")
    log.info("restored the %s database from %s", url.get_backend_name(), source)
    return url.get_backend_name()


def check_backup(source: Path) -> None:
    """Refuse (BackupError) a file that is not a backup of this app for the configured backend."""
    url = database_url()
    if url.get_backend_name() == "postgresql":
        check_pg_backup(source, url)
    else:
        check_sqlite_backup(source)


def check_sqlite_backup(source: Path) -> str:
    """The migration revision of a SQLite backup of this app; BackupError for anything else."""
    if not source.is_file():
        raise BackupError(f"{source} does not exist")
    with source.open("rb") as handle:
        if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise BackupError(f"{source} is not a SQLite database")
    try:
        with closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} is not a database of campaign-tracker ({error})") from error
    if row is None or not _known_revision(row[0]):
        raise BackupError(f"{source} is not a database of campaign-tracker "
                          "(its alembic_version names no migration of this app)")
    return str(row[0])


def check_pg_backup(source: Path, url: URL) -> None:
    """Refuse a file that is not a pg_dump custom archive of this app's tables."""
    if not source.is_file():
        raise BackupError(f"{source} does not exist")
    with source.open("rb") as handle:
        if handle.read(len(PG_DUMP_MAGIC)) != PG_DUMP_MAGIC:
            raise BackupError(f"{source} is not a pg_dump archive (--format=custom)")
    listing = _run(["pg_restore", "--list", str(source)], url)
    if " alembic_version " not in listing:
        raise BackupError(f"{source} is not a database of campaign-tracker "
                          "(it has no alembic_version table)")


def _known_revision(revision: str) -> bool:
    from alembic.script import ScriptDirectory

    try:
        return ScriptDirectory(str(MIGRATIONS)).get_revision(revision) is not None
    except Exception:  # noqa: BLE001 - alembic raises several kinds for an unknown revision
        return False


def _sqlite_file(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(url.database)


def _sqlite_backup(source: Path, target: Path, *, read_only: bool = False) -> None:
    """Copy `source` into `target` through SQLite's backup API (a consistent snapshot)."""
    origin = f"{source.resolve().as_uri()}?mode=ro" if read_only else str(source)
    try:
        with (closing(sqlite3.connect(origin, timeout=30, uri=read_only)) as src,
              closing(sqlite3.connect(target, timeout=30)) as dst):
            src.backup(dst)
    except sqlite3.Error as error:
        raise BackupError(f"copying {source} to {target} failed: {error}") from error


def _libpq_url(url: URL) -> str:
    """The URL as libpq reads it: no SQLAlchemy driver suffix, no password."""
    return url.set(drivername="postgresql", password=None).render_as_string(
        hide_password=False)


def _run(command: list[str], url: URL) -> str:
    """Run a PostgreSQL client program; its standard output, or BackupError."""
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed: install the PostgreSQL client "
                          "programs (Debian: apt-get install postgresql-client) of the "
                          "server's major version")
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    result = subprocess.run(command, capture_output=True, text=True, env=env,  # noqa: S603
                            check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")
    return result.stdout


def media_folder() -> Path:
    """The configured media folder (MEDIA_FOLDER, default `instance/media`)."""
    config = current_app.config
    return Path(config.get("MEDIA_FOLDER") or Path(config["INSTANCE_PATH"]) / "media")


def media_archive(path: Path) -> Path:
    """Where the media of the backup `path` go: `path` with `.media.tar` added."""
    return path.with_name(path.name + ".media.tar")


def backup_media(path: Path) -> int:
    """Archive the media folder beside the backup `path`; returns the files archived (0 and
    no archive when the folder is empty)."""
    folder = media_folder()
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.endswith(".part")
                   ) if folder.is_dir() else []
    if not files:
        return 0
    with tarfile.open(media_archive(path), "x") as archive:
        for file in files:
            archive.add(file, arcname=str(file.relative_to(folder)), recursive=False)
    return len(files)


def restore_media(path: Path) -> int:
    """Put the media archived beside the backup `path` back into the media folder (files of
    the same name are replaced; others are left); returns the files restored."""
    source = media_archive(path)
    if not source.is_file():
        return 0
    folder = media_folder()
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source) as archive:
        members = [m for m in archive.getmembers() if m.isfile()]
        archive.extractall(folder, members=members, filter="data")
    return len(members)


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Back up the database to PATH (SQLite: a database file; PostgreSQL: a pg_dump archive)
    and the media folder to PATH.media.tar."""
    if path.exists() or media_archive(path).exists():
        raise click.ClickException(f"{path} exists; choose a new file name")
    try:
        backend = backup_database(path)
    except BackupError as error:
        path.unlink(missing_ok=True)
        raise click.ClickException(str(error)) from error
    click.echo(f"backed up the {backend} database to {path}")
    files = backup_media(path)
    if files:
        click.echo(f"backed up {files} media files to {media_archive(path)}")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the database without asking.")
@with_appcontext
def restore_command(path: Path, yes: bool) -> None:
    """Replace the whole database with the backup in PATH (asks first unless --yes)."""
    try:
        check_backup(path)
        if not yes:
            click.confirm(f"Replace everything in the database with {path}?", abort=True)
        backend = restore_database(path)
        files = restore_media(path)
    except (BackupError, tarfile.TarError) as error:
        raise click.ClickException(str(error)) from error
    if files:
        click.echo(f"restored {files} media files from {media_archive(path)}")
    click.echo(f"restored the {backend} database from {path}; "
               "run `campaign-tracker db upgrade` if the backup is from an older version")


BACKUP_COMMANDS = [backup_command, restore_command]
