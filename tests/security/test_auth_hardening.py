"""Authentication hardening: the login throttle, one answer (and one hash) for unknown users,
cookie flags, CSRF on every form, API tokens hashed at rest."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from campaign import create_app
from campaign.api.tokens import hash_token
from campaign.auth import operations
from campaign.auth.models import User
from campaign.auth.ratelimit import DatabaseThrottle
from campaign.extensions import db as _db
from tests.conftest import base_config

PASSWORD = "password-123"
TOKEN = re.compile(r"ct_[A-Za-z0-9_-]{32,64}")
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def make_app(tmp_path: Path, **settings) -> Flask:
    """An app of its own on SQLite (its throttle and CSRF settings differ from the suite's)."""
    app = create_app({**base_config(tmp_path, f"sqlite:///{tmp_path / 'auth.db'}"), **settings})
    with app.app_context():
        _db.create_all()
        for name, role in (("alice", "officer"), ("bob", "admin")):
            user = User(username=name, role=role, display_name=name)
            user.set_password(PASSWORD)
            _db.session.add(user)
        _db.session.commit()
    return app


@pytest.fixture
def throttled(tmp_path):
    """An app with the login throttle on at its default (10 failures a minute)."""
    app = make_app(tmp_path, RATELIMIT_ENABLED=True)
    yield app
    with app.app_context():
        _db.engine.dispose()


def attempt(client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post("/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_throttle_is_on_by_default(tmp_path):
    """Without a setting the throttle is on, at 10 failures a minute, counted in the
    database (the login audit log), not in process memory."""
    config = base_config(tmp_path, "sqlite://")
    del config["RATELIMIT_ENABLED"]
    app = create_app(config)
    assert app.extensions["login_throttle"] is not None
    assert app.config["LOGIN_RATE_LIMIT"] == "10 per minute"
    assert app.config["RATELIMIT_STORAGE_URI"] == "database"
    assert isinstance(app.extensions["login_throttle"], DatabaseThrottle)


def test_eleventh_failure_from_one_address_is_refused(throttled):
    """Ten wrong passwords from one address get 401; the next attempt, even with the right
    password, gets 429 with a Chinese message and Retry-After."""
    client = throttled.test_client()
    for n in range(10):
        assert attempt(client, f"nobody{n}", "wrong-password").status_code == 401
    response = attempt(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "登录失败次数过多" in response.get_data(as_text=True)
    assert 1 <= int(response.headers["Retry-After"]) <= 61
    assert attempt(client, "alice", PASSWORD, address="10.0.0.2").status_code == 302


def test_failures_against_one_username_from_many_addresses_are_refused(throttled):
    """Ten wrong passwords for one username, each from another address, lock that username
    (whatever the case), not the others."""
    client = throttled.test_client()
    for n in range(10):
        assert attempt(client, "alice", "wrong-password", f"10.1.0.{n}").status_code == 401
    assert attempt(client, "ALICE", PASSWORD, "10.2.0.1").status_code == 429
    assert attempt(client, "bob", PASSWORD, "10.2.0.1").status_code == 302


def test_successful_logins_do_not_count(throttled):
    """Thirty successful logins from one address (an office behind one NAT) all succeed."""
    for _ in range(30):
        client = throttled.test_client()
        assert attempt(client, "alice", PASSWORD).status_code == 302


def test_throttle_can_be_switched_off(tmp_path):
    """With RATELIMIT_ENABLED=False (the suite's default) failures never lead to 429."""
    app = make_app(tmp_path, RATELIMIT_ENABLED=False)
    client = app.test_client()
    for _ in range(15):
        assert attempt(client, "alice", "wrong-password").status_code == 401
    assert attempt(client, "alice", PASSWORD).status_code == 302
    with app.app_context():
        _db.engine.dispose()


def test_unknown_user_costs_a_password_hash(app, db, make, monkeypatch):
    """An unknown username is checked against a dummy hash, so it takes as long as a wrong
    password; both give None."""
    make.user(username="carol", password=PASSWORD)
    calls: list[str] = []
    real = operations.check_password_hash
    monkeypatch.setattr(operations, "check_password_hash",
                        lambda hashed, password: calls.append(password) or real(hashed, password))
    assert operations.authenticate("no-such-user", "guess") is None
    assert calls == ["guess"]
    assert operations.authenticate("carol", "wrong") is None
    assert operations.authenticate("carol", PASSWORD) is not None


def test_wrong_password_and_unknown_user_read_the_same(client, make):
    """The page is the same (but for the name typed), with the same status, for both failures."""
    make.user(username="dave", password=PASSWORD)
    wrong = client.post("/login", data={"username": "dave", "password": "nope-nope"})
    unknown = client.post("/login", data={"username": "nobody-here", "password": "nope-nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert "用户名或密码不正确" in wrong.get_data(as_text=True)
    assert (wrong.get_data(as_text=True).replace('value="dave"', "")
            == unknown.get_data(as_text=True).replace('value="nobody-here"', ""))


def session_cookies(response) -> dict[str, str]:
    return {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}


def test_session_and_remember_cookies_are_httponly_and_samesite(tmp_path):
    """After login the session and remember-me cookies are HttpOnly and SameSite=Lax
    (the settings `config.load_settings` gives)."""
    from config import load_settings

    settings = load_settings()
    keys = ("SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "REMEMBER_COOKIE_HTTPONLY",
            "REMEMBER_COOKIE_SAMESITE", "SESSION_COOKIE_SECURE")
    app = make_app(tmp_path, **{key: settings[key] for key in keys})
    response = app.test_client().post(
        "/login", data={"username": "alice", "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302
    cookies = session_cookies(response)
    for name in ("session", "remember_token"):
        assert "HttpOnly" in cookies[name]
        assert "SameSite=Lax" in cookies[name]
    with app.app_context():
        _db.engine.dispose()


def test_production_cookies_are_secure(tmp_path, monkeypatch):
    """With CAMPAIGN_ENV=production the settings make the session and remember-me cookies
    Secure."""
    from config import load_settings

    monkeypatch.setenv("CAMPAIGN_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-production-secret")
    monkeypatch.setenv("CAMPAIGN_INSTANCE", str(tmp_path))
    settings = load_settings()
    assert settings["SESSION_COOKIE_SECURE"] is settings["REMEMBER_COOKIE_SECURE"] is True
    keys = ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
            "SESSION_COOKIE_SAMESITE", "REMEMBER_COOKIE_HTTPONLY", "REMEMBER_COOKIE_SAMESITE")
    app = make_app(tmp_path, **{key: settings[key] for key in keys})
    response = app.test_client().post(
        "/login", data={"username": "alice", "password": PASSWORD, "remember": "y"})
    cookies = session_cookies(response)
    assert "Secure" in cookies["session"]
    assert "Secure" in cookies["remember_token"]
    with app.app_context():
        _db.engine.dispose()


def post_routes(app: Flask) -> list[tuple[str, str, str]]:
    """(endpoint, rule, method) of every write route, placeholders filled with 1/x."""
    routes = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"GET", "HEAD", "OPTIONS"}):
            url = re.sub(r"<int:[^>]+>", "1", rule.rule)
            url = re.sub(r"<[^>]+>", "x", url)
            routes.append((rule.endpoint, url, method))
    return routes


def test_every_write_route_needs_a_csrf_token(tmp_path):
    """With CSRF on, each POST/PUT/PATCH/DELETE route of the URL map answers 400 without a token
    (logged in as admin, so the access rule is not what refuses); the API has no write route."""
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = CSRF_FIELD.search(page).group(1)
    response = client.post("/login", data={"username": "bob", "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302
    routes = post_routes(app)
    assert len(routes) > 20
    assert not [r for r in routes if r[0].startswith("api.")], "the API must stay read-only"
    refused = {}
    for endpoint, url, method in routes:
        answer = client.open(url, method=method, data={"name": "x"})
        refused[endpoint] = answer.status_code
    assert {e: s for e, s in refused.items() if s != 400} == {}
    assert "表单已过期" in client.post("/logout").get_data(as_text=True)
    with app.app_context():
        _db.engine.dispose()


def test_api_token_is_stored_only_as_its_hash(client, login, db):
    """A token issued on the admin page works, and neither it nor its secret part appears in
    any column of any table; its SHA-256 does."""
    admin = login("admin")
    page = client.post("/admin/tokens", data={"user_id": admin.id, "name": "报表系统"})
    assert page.status_code == 200
    secret = TOKEN.search(page.get_data(as_text=True)).group(0)
    assert client.get("/api/v1/outlets",
                      headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    dump = []
    for table in _db.metadata.sorted_tables:
        for row in db.session.execute(table.select()):
            dump.append(" ".join(str(value) for value in row))
    everything = "\n".join(dump)
    assert hash_token(secret) in everything
    assert secret not in everything
    assert secret[10:] not in everything


def test_limit_and_storage_come_from_the_environment(tmp_path, monkeypatch):
    """LOGIN_RATE_LIMIT and RATELIMIT_STORAGE_URI are read by `load_settings`; an empty limit
    switches the throttle off."""
    from config import load_settings

    monkeypatch.setenv("CAMPAIGN_INSTANCE", str(tmp_path))
    monkeypatch.setenv("LOGIN_RATE_LIMIT", "3 per minute")
    settings = load_settings()
    assert settings["LOGIN_RATE_LIMIT"] == "3 per minute"
    assert settings["RATELIMIT_STORAGE_URI"] == "database"
    monkeypatch.setenv("LOGIN_RATE_LIMIT", "")
    config = {**base_config(tmp_path, "sqlite://"), "RATELIMIT_ENABLED": True,
              "LOGIN_RATE_LIMIT": load_settings()["LOGIN_RATE_LIMIT"]}
    assert create_app(config).extensions["login_throttle"] is None
