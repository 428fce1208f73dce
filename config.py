"""Settings read from the environment.

`load_settings()` returns the mapping `create_app` uses. Tests pass their own mapping instead.
Production secrets have no default: with ``CAMPAIGN_ENV=production`` a missing ``SECRET_KEY``
stops start-up rather than running with a key somebody could guess.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
DEFAULT_INSTANCE = ROOT / "instance"


class ConfigError(RuntimeError):
    """A setting is missing or invalid."""


def instance_path() -> Path:
    """Where the SQLite database, the local secret key and uploads live."""
    return Path(os.environ.get("CAMPAIGN_INSTANCE", DEFAULT_INSTANCE)).resolve()


def _local_secret_key(folder: Path) -> str:
    """Generate a secret key once and keep it in the instance folder for local use."""
    key_file = folder / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="ascii").strip()
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key, encoding="ascii")
    key_file.chmod(0o600)
    return key


def _secret_key(env: str, folder: Path) -> str:
    key = os.environ.get("SECRET_KEY", "").strip()
    if key:
        return key
    if env == "production":
        raise ConfigError("SECRET_KEY must be set when CAMPAIGN_ENV=production")
    return _local_secret_key(folder)


def _database_url(folder: Path) -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        # Heroku-style URLs name the old driver; the project uses psycopg 3.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgres://")
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return url
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'campaign.db'}"


def _number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        return float(raw) if raw else default
    except ValueError as error:
        raise ConfigError(f"{name} must be a number, not {raw!r}") from error


def fetch_settings() -> dict[str, Any]:
    """The scheduler's and fetcher's settings: threads per scheduler, the per-host politeness
    (minimum gap between requests in seconds, requests in flight), the read timeout, how long a
    claim on a source lasts, and the seconds between ticks."""
    return {
        "FETCH_WORKERS": int(_number("FETCH_WORKERS", 8)),
        "FETCH_MIN_DELAY": _number("FETCH_MIN_DELAY", 1.0),
        "FETCH_MAX_PER_HOST": int(_number("FETCH_MAX_PER_HOST", 2)),
        "FETCH_TIMEOUT": _number("FETCH_TIMEOUT", 30.0),
        "FETCH_LEASE_SECONDS": int(_number("FETCH_LEASE_SECONDS", 1800)),
        "SCHEDULER_TICK_SECONDS": _number("SCHEDULER_TICK_SECONDS", 10.0),
    }


def load_settings() -> dict[str, Any]:
    """Read every setting from the environment."""
    env = os.environ.get("CAMPAIGN_ENV", "development").strip() or "development"
    folder = instance_path()
    fetching = fetch_settings()
    return {
        "CAMPAIGN_ENV": env,
        "SECRET_KEY": _secret_key(env, folder),
        "SQLALCHEMY_DATABASE_URI": _database_url(folder),
        "TIMEZONE": os.environ.get("TIMEZONE", "Asia/Shanghai"),
        "UPLOAD_FOLDER": str(folder / "uploads"),
        "SESSION_COOKIE_SECURE": env == "production",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "SOURCE_ALLOW_HOSTS": [
            h.strip() for h in os.environ.get("SOURCE_ALLOW_HOSTS", "").split(",") if h.strip()
        ],
        "INSTANCE_PATH": str(folder),
        # Failed logins allowed per client address and per username (empty: no limit), and
        # where they are counted: memory:// suits the one web process `serve` runs.
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute").strip(),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://").strip(),
        # Each scheduler thread keeps a connection while it fetches: the pool must hold them all.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True,
                                      "pool_size": max(5, fetching["FETCH_WORKERS"] + 2)},
        **fetching,
    }
