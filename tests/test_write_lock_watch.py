"""SQLite's write lock is watched: each hold, from BEGIN IMMEDIATE to its end, is timed; one
over the target is logged as a warning naming the request, and `longest_write_lock()` gives
benchmarks the longest. The target is lowered to 0 here so that any hold passes it (no test
waits for a clock)."""

from __future__ import annotations

import logging

import pytest

from campaign.auth.operations import create_user
from campaign.core import sqlite as sqlite_setup
from campaign.core.sqlite import longest_write_lock, write_transaction
from campaign.extensions import db
from campaign.planning.models import Outlet

PASSWORD = "reader-password-1"


@pytest.mark.parametrize("password", [PASSWORD, "wrong-password"])
def test_a_hold_over_the_target_is_logged_with_its_request(
        tmp_path, committed_app, monkeypatch, caplog, password):
    """A login's writes take the lock at BEGIN, a successful and a failed one alike; over the
    target, the warning names the request by method and path, and `longest_write_lock` reports
    it (then starts again from zero)."""
    monkeypatch.setattr(sqlite_setup, "LOCK_TARGET_SECONDS", 0.0)
    with committed_app(tmp_path) as app:
        with app.app_context():
            create_user(username="reader", password=PASSWORD, role="leader")
            db.session.commit()
        client = app.test_client()
        longest_write_lock()
        with caplog.at_level(logging.WARNING, logger="campaign.core.sqlite"):
            client.post("/login", data={"username": "reader", "password": password})
        hold = longest_write_lock()
    assert hold.holder == "POST /login" and hold.seconds > 0
    assert any(r.getMessage().startswith("POST /login held the database's write lock")
               for r in caplog.records)
    assert longest_write_lock().seconds == 0


def test_reading_transactions_are_not_holds(tmp_path, committed_app, monkeypatch, caplog):
    """A deferred (reading) transaction never counts, even after a write transaction on the
    same pooled connection; a `write_transaction()` outside a request is named by its
    thread."""
    monkeypatch.setattr(sqlite_setup, "LOCK_TARGET_SECONDS", 0.0)
    with committed_app(tmp_path) as app, app.app_context():
        longest_write_lock()  # (start from zero: an earlier test's thread may have held it)
        with write_transaction():
            db.session.add(Outlet(name="新安晚报"))
            db.session.commit()
        assert longest_write_lock().holder == "thread MainThread"
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="campaign.core.sqlite"):
            assert db.session.query(Outlet).count() == 1
            db.session.commit()
        assert longest_write_lock().seconds == 0
    assert not caplog.records
