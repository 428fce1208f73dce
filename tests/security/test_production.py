"""A production install: `demo` refuses (or, with --force, uses new passwords), and start-up
warns about demo accounts with published passwords and about cookies over plain HTTP."""

from __future__ import annotations

import logging
import re

from sqlalchemy import select

from campaign.auth.models import User
from campaign.commands import demo_command
from campaign.planning.demo import DEMO_USERS, published_demo_logins
from campaign.processes import security_warnings, serve_command


def test_demo_is_refused_in_production(app, db, monkeypatch):
    """Under CAMPAIGN_ENV=production `demo` exits non-zero, says why, and creates no user."""
    monkeypatch.setitem(app.config, "CAMPAIGN_ENV", "production")
    result = app.test_cli_runner().invoke(demo_command)
    assert result.exit_code != 0
    assert "CAMPAIGN_ENV=production" in result.output and "--force" in result.output
    assert db.session.scalars(select(User)).all() == []


def test_demo_with_force_uses_new_passwords(app, db, monkeypatch):
    """With --force the demo users get new passwords (printed once); the published ones do
    not log in."""
    monkeypatch.setitem(app.config, "CAMPAIGN_ENV", "production")
    result = app.test_cli_runner().invoke(demo_command, ["--force"])
    assert result.exit_code == 0, result.output
    for username, published, _role, _name in DEMO_USERS:
        user = db.session.scalar(select(User).where(User.username == username))
        assert not user.check_password(published)
        shown = re.search(rf"{username} / (\S+)", result.output)
        assert shown and user.check_password(shown.group(1))
        assert published not in result.output
    assert published_demo_logins() == []


def test_start_up_warns_about_published_demo_passwords(app, db, monkeypatch):
    """In production, demo accounts that still have the README's passwords are named in a
    start-up warning; none is given once their passwords changed, nor in development."""
    app.test_cli_runner().invoke(demo_command)  # development: the published passwords
    assert security_warnings() == []
    monkeypatch.setitem(app.config, "CAMPAIGN_ENV", "production")
    (warning,) = security_warnings()
    assert "admin, officer, leader" in warning
    for user in db.session.scalars(select(User)):
        user.set_password("a-private-password")
    db.session.commit()
    assert security_warnings() == []


def test_serve_logs_the_warnings(app, db, monkeypatch, caplog):
    """`serve` logs each warning before it starts serving (waitress is not started here)."""
    import waitress

    monkeypatch.setitem(app.config, "CAMPAIGN_ENV", "production")
    monkeypatch.setitem(app.config, "HTTPS", False)
    monkeypatch.setattr(waitress, "serve", lambda *args, **kwargs: None)
    with caplog.at_level(logging.WARNING, logger="campaign.processes"):
        result = app.test_cli_runner().invoke(serve_command)
    assert result.exit_code == 0, result.output
    assert any("HTTPS=off" in r.getMessage() for r in caplog.records)
