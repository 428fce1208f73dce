"""Settings from the environment: secret key, database URL, SQLite pragmas."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from campaign import create_app
from campaign.extensions import db
from config import ConfigError, load_settings
from tests.conftest import base_config


def test_secret_key_generated_once_and_kept(tmp_path, monkeypatch):
    """Without SECRET_KEY a key is generated in the instance folder and reused next time."""
    monkeypatch.setenv("CAMPAIGN_INSTANCE", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("CAMPAIGN_ENV", raising=False)
    first = load_settings()["SECRET_KEY"]
    assert len(first) == 64
    assert load_settings()["SECRET_KEY"] == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_requires_secret_key(tmp_path, monkeypatch):
    """In production a missing SECRET_KEY stops start-up."""
    monkeypatch.setenv("CAMPAIGN_INSTANCE", str(tmp_path))
    monkeypatch.setenv("CAMPAIGN_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_settings()
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    settings = load_settings()
    assert settings["SESSION_COOKIE_SECURE"] is True


def test_database_url_defaults_and_postgres(tmp_path, monkeypatch):
    """The default database is SQLite in the instance folder; postgres:// URLs use psycopg 3."""
    monkeypatch.setenv("CAMPAIGN_INSTANCE", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert load_settings()["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'campaign.db'}"
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@127.0.0.1/x")
    assert load_settings()["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@127.0.0.1/x"


def test_timezone_setting(tmp_path, monkeypatch):
    """TIMEZONE defaults to Asia/Shanghai and can be changed."""
    monkeypatch.setenv("CAMPAIGN_INSTANCE", str(tmp_path))
    monkeypatch.delenv("TIMEZONE", raising=False)
    assert load_settings()["TIMEZONE"] == "Asia/Shanghai"
    monkeypatch.setenv("TIMEZONE", "Asia/Urumqi")
    assert load_settings()["TIMEZONE"] == "Asia/Urumqi"


def test_sqlite_runs_in_wal_mode_with_busy_timeout(tmp_path):
    """Every SQLite connection is in WAL mode with a busy timeout and foreign keys on."""
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'wal.db'}"))
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.engine.dispose()


@pytest.mark.parametrize("value", ["127.0.0.1:http", "127.0.0.1:0", "paper.test:70000", ":5050",
                                   "[::1]x"])
def test_a_malformed_allow_hosts_entry_stops_start_up(tmp_path, monkeypatch, value):
    """SOURCE_ALLOW_HOSTS entries are host, host:port or host:*: another port stops start-up
    with a message naming the variable; well-formed entries are kept as written."""
    monkeypatch.setenv("CAMPAIGN_INSTANCE", str(tmp_path))
    monkeypatch.setenv("SOURCE_ALLOW_HOSTS", value)
    with pytest.raises(ConfigError, match="SOURCE_ALLOW_HOSTS"):
        load_settings()
    monkeypatch.setenv("SOURCE_ALLOW_HOSTS", "127.0.0.1:5050, [fd00::5]:8080,paper.test,x.test:*")
    assert load_settings()["SOURCE_ALLOW_HOSTS"] == [
        "127.0.0.1:5050", "[fd00::5]:8080", "paper.test", "x.test:*"]
