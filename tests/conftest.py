"""Fixtures: the app on SQLite (and PostgreSQL when TEST_DATABASE_URL is set), a session rolled
back after each test, a test client, and factories that build domain objects."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import scoped_session, sessionmaker

from campaign import create_app
from campaign.coverage.cells import keep_counted
from campaign.extensions import db as _db
from tests.factories import Factories

# The plugins' asserts are rewritten like the tests' (they are imported here, before pytest
# would register them from `pytest_plugins`).
pytest.register_assert_rewrite("tests.plugins")
from tests.plugins.services import unavailable  # noqa: E402

pytest_plugins = ["tests.plugins.services", "tests.plugins.apps", "tests.plugins.worlds",
                  "tests.plugins.servers"]

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
BACKENDS = ["sqlite", "postgresql"]


def pytest_report_header(config: pytest.Config) -> str:
    if PG_URL:
        return f"PostgreSQL tests: on ({PG_URL})"
    return "PostgreSQL tests: not run (set TEST_DATABASE_URL to run them)"


def base_config(instance: Path, database_url: str) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "TIMEZONE": "Asia/Shanghai",
        "INSTANCE_PATH": str(instance),
        "UPLOAD_FOLDER": str(instance / "uploads"),
        "SERVER_NAME": "tracker.test",
        "SOURCE_ALLOW_HOSTS": ["127.0.0.1:*", "localhost:*"],  # the tests' servers on any port
        # Many tests log in from one address; tests/security/test_auth_hardening.py switches
        # the login throttle on to prove it.
        "RATELIMIT_ENABLED": False,
    }


@contextmanager
def fresh_pg_database() -> Iterator[str]:
    """A new, empty PostgreSQL database (its URL), dropped afterwards."""
    if not PG_URL:
        unavailable("TEST_DATABASE_URL is not set: this PostgreSQL test needs a server")
    name = f"ct_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as error:
        admin.dispose()
        where = sa.engine.make_url(PG_URL).render_as_string(hide_password=True)
        unavailable(f"PostgreSQL at {where} cannot be reached: {str(error).splitlines()[0]}")
    url = sa.engine.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@contextmanager
def app_on_new_database(backend: str, tmp_path: Path, filename: str = "new.db") -> Iterator[Flask]:
    """An app on a new, empty database of `backend`: a SQLite file `filename` in `tmp_path`, or
    a fresh PostgreSQL database dropped afterwards. Its connections are closed at the end."""
    with ExitStack() as stack:
        if backend == "postgresql":
            url = stack.enter_context(fresh_pg_database())
        else:
            url = f"sqlite:///{tmp_path / filename}"
        application = create_app(base_config(tmp_path, url))
        try:
            yield application
        finally:
            with application.app_context():
                _db.session.remove()
                _db.engine.dispose()


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run."""
    with fresh_pg_database() as url:
        yield url


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def app(backend: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
        ) -> Iterator[Flask]:
    """The application with every table created, once per backend."""
    instance = tmp_path_factory.mktemp(f"instance-{backend}")
    if backend == "postgresql":
        url = request.getfixturevalue("pg_database")
    else:
        url = f"sqlite:///{instance / 'test.db'}"
    application = create_app(base_config(instance, url))
    with application.app_context():
        _db.create_all()
    yield application
    with application.app_context():
        _db.engine.dispose()


@pytest.fixture
def db(app: Flask) -> Iterator[Any]:
    """The database session, inside a transaction rolled back after the test."""
    with app.app_context():
        connection = _db.engine.connect()
        outer = connection.begin()
        original = _db.session
        _db.session = scoped_session(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint",
                         expire_on_commit=False)
        )
        keep_counted(_db.session)  # as create_app does for the app's own session
        try:
            yield _db
        finally:
            _db.session.remove()
            _db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app: Flask, db: Any) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make(db: Any) -> Factories:
    """Factories: make.campaign(...), make.event(...), make.outlet(...), make.user(...)."""
    return Factories(db)


@pytest.fixture
def login(client: FlaskClient, make: Factories):  # type: ignore[no-untyped-def]
    """Log the test client in as a new user of `role`; returns the user."""

    def _login(role: str = "officer") -> Any:
        user = make.user(role=role, password="password-123")
        response = client.post("/login", data={"username": user.username,
                                               "password": "password-123"})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return _login
