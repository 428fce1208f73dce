"""A login while another writer holds the database's lock longer than the app waits gets a
clear answer — 503, a message in Chinese, Retry-After — never a 500 "database is locked", and
writes nothing; once the lock is free the same login succeeds.

On SQLite the other writer is a second connection in `BEGIN IMMEDIATE` and the app's busy
timeout is shortened for the test; on PostgreSQL it holds the login audit table locked and the
app's connections get a short `lock_timeout` (PostgreSQL's lock_not_available).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from campaign.auth.models import LoginAttempt, LoginSession
from campaign.auth.operations import create_user
from campaign.core import sqlite as sqlite_setup
from campaign.extensions import db

PASSWORD = "reader-password-1"


@contextmanager
def other_writer(app: Flask) -> Iterator[None]:
    """Another connection holding the lock a login's writes need, until the block ends."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        holder = sqlite3.connect(str(Path(url.database or "")), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
    else:
        dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        holder = psycopg.connect(dsn)
        holder.execute("LOCK TABLE login_attempts IN ACCESS EXCLUSIVE MODE")
    try:
        yield
    finally:
        holder.rollback()
        holder.close()


def _rows(app: Flask) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(LoginAttempt)) or 0,
                db.session.scalar(select(func.count()).select_from(LoginSession)) or 0)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_login_during_a_long_write_is_a_clear_503_and_writes_nothing(
        tmp_path, committed_app, monkeypatch, backend):
    """While another writer holds the lock past the app's wait, POST /login answers 503 with
    Retry-After and the busy message (not a 500), records no attempt and starts no login; after
    the writer ends, the same login redirects home."""
    monkeypatch.setattr(sqlite_setup, "BUSY_TIMEOUT_MS", 300)
    monkeypatch.setenv("PGOPTIONS", "-c lock_timeout=300")
    with committed_app(tmp_path, backend=backend) as app:
        with app.app_context():
            create_user(username="reader", password=PASSWORD, role="leader")
            db.session.commit()
        client = app.test_client()
        with other_writer(app):
            response = client.post("/login", data={"username": "reader", "password": PASSWORD})
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "5"
        page = response.get_data(as_text=True)
        assert "系统繁忙" in page and "请等几秒钟后再试一次" in page
        assert "database is locked" not in page
        assert _rows(app) == (0, 0)
        retried = client.post("/login", data={"username": "reader", "password": PASSWORD})
        assert retried.status_code == 302 and retried.headers["Location"] == "/"
        assert _rows(app) == (1, 1)
