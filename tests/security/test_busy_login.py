"""Logging in beside a busy database (issue 16.4: "logging in does not need the write lock").

The password is checked in a reading transaction; the login's row and its audit line are then
written in a short write of their own. So:

- the credential check runs while another writer holds the lock;
- when the login's own row cannot be written after the app's wait, the answer is 503 with a
  message and Retry-After, never a 500 "database is locked", and nothing is written;
- a refused audit line fails nothing else: the login goes on, a warning says so;
- a failed login whose audit line is refused still counts against the throttle.

On SQLite the other writer is a second connection in `BEGIN IMMEDIATE` and the app's busy
timeout is shortened for the test; on PostgreSQL it holds a table in a mode that blocks inserts
(not reads) and the app's connections get a short `lock_timeout` (lock_not_available). A
refused audit line is a trigger that raises on insert into `login_attempts`, on both.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from campaign.auth.models import LoginAttempt, LoginSession, User
from campaign.auth.operations import create_user
from campaign.core import sqlite as sqlite_setup
from campaign.extensions import db

PASSWORD = "reader-password-1"
HOST = "tracker.test"  # the suite's SERVER_NAME: the test clients' cookies live there
LOGIN = {"username": "reader", "password": PASSWORD}
WRONG = {"username": "reader", "password": "not-the-password"}

SQLITE_REFUSAL = """CREATE TRIGGER refuse_audit BEFORE INSERT ON login_attempts
    BEGIN SELECT RAISE(ABORT, 'audit log refused'); END"""
PG_REFUSAL = ["""CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS
    $$ BEGIN RAISE EXCEPTION 'audit log refused'; END $$""",
              """CREATE TRIGGER refuse_audit BEFORE INSERT ON login_attempts
    FOR EACH ROW EXECUTE FUNCTION refuse_audit()"""]


@contextmanager
def other_writer(app: Flask, table: str = "login_sessions") -> Iterator[None]:
    """Another connection holding, until the block ends, the lock a login's writes need: on
    SQLite the database's write lock, on PostgreSQL `table` locked against inserts."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        holder = sqlite3.connect(str(Path(url.database or "")), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
    else:
        dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        holder = psycopg.connect(dsn)
        holder.execute(f"LOCK TABLE {table} IN SHARE MODE")  # reads pass, inserts wait
    try:
        yield
    finally:
        holder.rollback()
        holder.close()


def _rows(app: Flask) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(LoginAttempt)) or 0,
                db.session.scalar(select(func.count()).select_from(LoginSession)) or 0)


def _reader(app: Flask) -> None:
    with app.app_context():
        create_user(username="reader", password=PASSWORD, role="leader")
        db.session.commit()


def _refuse_audit_lines(app: Flask) -> None:
    with app.app_context():
        statements = PG_REFUSAL if db.engine.dialect.name == "postgresql" else [SQLITE_REFUSAL]
        for statement in statements:
            db.session.execute(text(statement))
        db.session.commit()


@pytest.fixture
def short_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app waits 300 ms for a lock (SQLite's busy timeout, PostgreSQL's lock_timeout)."""
    monkeypatch.setattr(sqlite_setup, "BUSY_TIMEOUT_MS", 300)
    monkeypatch.setenv("PGOPTIONS", "-c lock_timeout=300")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_login_whose_row_cannot_be_written_is_a_clear_503_and_writes_nothing(
        tmp_path, committed_app, short_waits, backend):
    """While another writer holds the lock the login's row needs past the app's wait, POST
    /login answers 503 with Retry-After and the busy message (not a 500), records no attempt and
    starts no login; after the writer ends, the same login redirects home."""
    with committed_app(tmp_path, backend=backend) as app:
        _reader(app)
        client = app.test_client()
        with other_writer(app):
            response = client.post("/login", data=LOGIN)
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "5"
        page = response.get_data(as_text=True)
        assert "系统繁忙" in page and "请等几秒钟后再试一次" in page
        assert "database is locked" not in page
        assert _rows(app) == (0, 0)
        retried = client.post("/login", data=LOGIN)
        assert retried.status_code == 302 and retried.headers["Location"] == "/"
        assert _rows(app) == (1, 1)


def test_the_password_is_checked_without_the_write_lock(tmp_path, committed_app, monkeypatch):
    """SQLite: while the login checks the password, another connection takes the database's
    write lock at once (busy timeout 0): the check holds no lock; the login then succeeds."""
    taken: list[bool] = []
    original = User.check_password

    def check_and_try_the_lock(user: User, password: str) -> bool:
        other = sqlite3.connect(str(tmp_path / "sched.db"), isolation_level=None, timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            taken.append(True)
        except sqlite3.OperationalError:
            taken.append(False)
        finally:
            other.close()
        return original(user, password)

    with committed_app(tmp_path) as app:
        _reader(app)
        monkeypatch.setattr(User, "check_password", check_and_try_the_lock)
        response = app.test_client().post("/login", data=LOGIN)
    assert taken == [True]
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_a_locked_audit_table_does_not_stop_a_login(tmp_path, committed_app, short_waits, caplog):
    """PostgreSQL: with the audit table locked against inserts past the app's wait, the right
    password still logs in (its login row written, the page opens); the audit line is missing
    and a warning says so."""
    with committed_app(tmp_path, backend="postgresql") as app:
        _reader(app)
        client = app.test_client()
        with other_writer(app, table="login_attempts"), caplog.at_level(logging.WARNING):
            response = client.post("/login", data=LOGIN)
        assert response.status_code == 302 and response.headers["Location"] == "/"
        assert _rows(app) == (0, 1)
        assert client.get("/campaigns").status_code == 200
    assert any("audit line not written" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_refused_audit_line_does_not_stop_a_login(tmp_path, committed_app, backend, caplog):
    """When the database refuses the audit line (a trigger raising on insert), the right
    password still logs in and its login row is written; a warning names the login."""
    with committed_app(tmp_path, backend=backend) as app:
        _reader(app)
        _refuse_audit_lines(app)
        client = app.test_client()
        with caplog.at_level(logging.WARNING):
            response = client.post("/login", data=LOGIN)
        assert response.status_code == 302 and response.headers["Location"] == "/"
        assert _rows(app) == (0, 1)
        assert client.get("/campaigns").status_code == 200
    assert any("'reader'" in r.getMessage() and "audit line not written" in r.getMessage()
               for r in caplog.records)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_failures_the_audit_log_refuses_are_still_throttled(tmp_path, committed_app, backend):
    """With the throttle counting from the audit log (the default) and every audit line
    refused, 3 wrong passwords under a limit of 3 per minute answer 401 and the next attempt,
    right password or not, 429: failures that could not be recorded are counted in the
    process."""
    with committed_app(tmp_path, backend=backend, RATELIMIT_ENABLED=True,
                       LOGIN_RATE_LIMIT="3 per minute") as app:
        _reader(app)
        _refuse_audit_lines(app)
        client = app.test_client()
        statuses = [client.post("/login", data=WRONG).status_code for _ in range(3)]
        assert statuses == [401, 401, 401]
        refused = client.post("/login", data=LOGIN)
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) >= 1
        assert _rows(app) == (0, 0)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_failed_login_beside_a_long_writer_still_counts(
        tmp_path, committed_app, short_waits, backend):
    """While another writer holds the lock past the app's wait, wrong passwords still answer
    401 (not 503: the answer is known without writing) and count against the throttle: the
    third one under a limit of 2 per minute is 429, even with the right password."""
    with committed_app(tmp_path, backend=backend, RATELIMIT_ENABLED=True,
                       LOGIN_RATE_LIMIT="2 per minute") as app:
        _reader(app)
        client = app.test_client()
        with other_writer(app, table="login_attempts"):
            statuses = [client.post("/login", data=WRONG).status_code for _ in range(2)]
            refused = client.post("/login", data=LOGIN)
        assert statuses == [401, 401]
        assert refused.status_code == 429
        assert _rows(app) == (0, 0)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_remember_cookie_beside_a_long_writer_opens_the_page_and_rotates_later(
        tmp_path, committed_app, short_waits, backend):
    """A returning browser's remember cookie logs it in while another writer holds the lock
    the rotation needs past the app's wait: the page opens anyway (the old login is live); the
    next request, the lock free, rotates the cookie and the old value is refused from then."""
    with committed_app(tmp_path, backend=backend) as app:
        _reader(app)
        first = app.test_client()
        first.post("/login", data={**LOGIN, "remember": "y"})
        old = first.get_cookie("remember_token", domain=HOST).value
        returning = app.test_client()
        returning.set_cookie("remember_token", old, domain=HOST)
        with other_writer(app):
            assert returning.get("/campaigns").status_code == 200
        assert returning.get("/campaigns").status_code == 200
        assert returning.get_cookie("remember_token", domain=HOST).value != old
        assert returning.get("/campaigns").status_code == 200
        copy = app.test_client()
        copy.set_cookie("remember_token", old, domain=HOST)
        assert copy.get("/campaigns").status_code == 302
