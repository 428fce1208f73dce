"""The login throttle shared by several web processes: failures are counted in the database
(the login audit log), so two app instances on one database — two gunicorn workers, or two
machines — refuse a client that spread its guesses between them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask

from campaign import create_app
from campaign.auth.models import LoginAttempt, User
from campaign.core.times import utcnow
from campaign.extensions import db as _db
from tests.conftest import base_config, fresh_pg_database
from tests.security.test_auth_hardening import PASSWORD, attempt


@contextmanager
def two_web_processes(backend: str, tmp_path: Path, **settings: object
                      ) -> Iterator[tuple[Flask, Flask]]:
    """Two app instances (as two web processes make) on one new database with user alice."""
    with ExitStack() as stack:
        url = (stack.enter_context(fresh_pg_database()) if backend == "postgresql"
               else f"sqlite:///{tmp_path / 'shared.db'}")
        config = {**base_config(tmp_path, url), "RATELIMIT_ENABLED": True,
                  "LOGIN_RATE_LIMIT": "3 per minute", **settings}
        apps = (create_app(config), create_app(config))
        with apps[0].app_context():
            _db.create_all()
            user = User(username="alice", role="officer", display_name="alice")
            user.set_password(PASSWORD)
            _db.session.add(user)
            _db.session.commit()
        try:
            yield apps
        finally:
            for app in apps:
                with app.app_context():
                    _db.session.remove()
                    _db.engine.dispose()


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_failures_on_two_web_processes_add_up(backend, tmp_path):
    """Two failures on one process and one on the other use up 3 per minute: the next try
    is refused on both, right password or not; another address still logs in."""
    with two_web_processes(backend, tmp_path) as (first, second):
        one, two = first.test_client(), second.test_client()
        assert attempt(one, "nobody1", "wrong-password").status_code == 401
        assert attempt(one, "nobody2", "wrong-password").status_code == 401
        assert attempt(two, "nobody3", "wrong-password").status_code == 401
        refused = attempt(two, "alice", PASSWORD)
        assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 61
        assert attempt(one, "alice", PASSWORD).status_code == 429
        assert attempt(two, "alice", PASSWORD, address="10.0.0.9").status_code == 302


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_a_username_guessed_on_both_processes_is_locked_on_both(backend, tmp_path):
    """Failures for one username from many addresses, spread over both processes, lock that
    username on both."""
    with two_web_processes(backend, tmp_path) as (first, second):
        clients = [first.test_client(), second.test_client()]
        for n in range(3):
            assert attempt(clients[n % 2], "Alice", "wrong", f"10.3.0.{n}").status_code == 401
        assert attempt(clients[1], "alice", PASSWORD, "10.4.0.1").status_code == 429
        assert attempt(clients[0], "alice", PASSWORD, "10.4.0.2").status_code == 429


def test_failures_older_than_the_window_no_longer_count(tmp_path):
    """Failures that left the one-minute window do not count: three of them two minutes ago
    leave the next attempt free."""
    with two_web_processes("sqlite", tmp_path) as (first, _second):
        with first.app_context():
            old = utcnow() - timedelta(minutes=2)
            _db.session.add_all(LoginAttempt(username="nobody", address="10.0.0.1", at=old)
                                for _ in range(3))
            _db.session.commit()
        assert attempt(first.test_client(), "alice", PASSWORD).status_code == 302


def test_memory_store_is_per_process(tmp_path):
    """With RATELIMIT_STORAGE_URI=memory:// each process counts only its own failures (why
    the database is the default): three failures on one leave the other open."""
    with two_web_processes("sqlite", tmp_path,
                           RATELIMIT_STORAGE_URI="memory://") as (first, second):
        one = first.test_client()
        for n in range(3):
            assert attempt(one, f"nobody{n}", "wrong-password").status_code == 401
        assert attempt(one, "alice", PASSWORD).status_code == 429
        assert attempt(second.test_client(), "alice", PASSWORD).status_code == 302
