"""Settings read from the environment.

`load_settings()` returns the mapping `create_app` uses. Tests pass their own mapping instead.
Production secrets have no default: with ``CAMPAIGN_ENV=production`` a missing ``SECRET_KEY``
stops start-up rather than running with a key somebody could guess.
"""

from __future__ import annotations

import math
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ROOT = Path(__file__).resolve().parent
DEFAULT_INSTANCE = ROOT / "instance"
DEFAULT_DEMO_SITE_URL = "http://127.0.0.1:5050"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


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


def _number(name: str, default: float, *, minimum: float = 0.0, maximum: float | None = None,
            above_minimum: bool = False) -> float:
    """A decimal setting within [minimum, maximum] (above `minimum` when `above_minimum`)."""
    raw = os.environ.get(name, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError as error:
        raise ConfigError(f"{name} must be a number, not {raw!r}") from error
    too_low = value <= minimum if above_minimum else value < minimum
    if too_low or not math.isfinite(value) or (maximum is not None and value > maximum):
        low = f"above {minimum:g}" if above_minimum else f"at least {minimum:g}"
        high = f" and at most {maximum:g}" if maximum is not None else ""
        raise ConfigError(f"{name} must be {low}{high}, not {raw!r}")
    return value


def _whole(name: str, default: int, *, minimum: int) -> int:
    """A whole-number setting of at least `minimum`."""
    raw = os.environ.get(name, "").strip()
    try:
        value = int(raw) if raw else default
    except ValueError as error:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from error
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {raw!r}")
    return value


def fetch_settings() -> dict[str, Any]:
    """The scheduler's and fetcher's settings: threads per scheduler, the per-host politeness
    (minimum gap between requests in seconds, requests in flight), the read timeout, the time a
    whole fetch may take, the retries after a failure, how long a claim on a source lasts, and the
    seconds between ticks."""
    return {
        "FETCH_WORKERS": _whole("FETCH_WORKERS", 8, minimum=1),
        "FETCH_MIN_DELAY": _number("FETCH_MIN_DELAY", 1.0),
        "FETCH_MAX_PER_HOST": _whole("FETCH_MAX_PER_HOST", 2, minimum=1),
        "FETCH_TIMEOUT": _number("FETCH_TIMEOUT", 30.0, above_minimum=True),
        "FETCH_TOTAL_TIMEOUT": _number("FETCH_TOTAL_TIMEOUT", 120.0, above_minimum=True),
        "FETCH_RETRIES": _whole("FETCH_RETRIES", 2, minimum=0),
        "FETCH_LEASE_SECONDS": _whole("FETCH_LEASE_SECONDS", 1800, minimum=1),
        "SCHEDULER_TICK_SECONDS": _number("SCHEDULER_TICK_SECONDS", 10.0, above_minimum=True),
    }


def coverage_settings() -> dict[str, float]:
    """The matching thresholds, when set: a match whose probability is at least
    COVERAGE_AUTO_ACCEPT is accepted without review, one below COVERAGE_SUGGEST_MIN is not
    kept; 0 <= suggest <= accept <= 1. Unset, the fitted model's own thresholds apply
    (campaign/coverage/model.json), so they are not repeated here."""
    found = {name: _number(name, 0.0, maximum=1.0)
             for name in ("COVERAGE_AUTO_ACCEPT", "COVERAGE_SUGGEST_MIN")
             if os.environ.get(name, "").strip()}
    accept = found.get("COVERAGE_AUTO_ACCEPT", 1.0)
    suggest = found.get("COVERAGE_SUGGEST_MIN", 0.0)
    if suggest > accept:
        raise ConfigError(f"COVERAGE_SUGGEST_MIN ({suggest:g}) must not be above "
                          f"COVERAGE_AUTO_ACCEPT ({accept:g})")
    return found


def _timezone() -> str:
    name = os.environ.get("TIMEZONE", "").strip() or "Asia/Shanghai"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ConfigError(f"TIMEZONE must be a time zone such as Asia/Shanghai, not {name!r}"
                          ) from error
    return name


def demo_site_url() -> str:
    """DEMO_SITE_URL: where `demo` points the demo sources and `up` serves the demo site."""
    raw = os.environ.get("DEMO_SITE_URL", "").strip()
    if not raw:
        return DEFAULT_DEMO_SITE_URL
    parts = urlsplit(raw)
    try:
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and (
            parts.port is None or parts.port > 0)
    except ValueError:  # a port that is not a number
        valid = False
    if not valid:
        raise ConfigError(f"DEMO_SITE_URL must be an http:// URL such as "
                          f"{DEFAULT_DEMO_SITE_URL}, not {raw!r}")
    return raw


def login_throttle_settings() -> dict[str, str]:
    """LOGIN_RATE_LIMIT (limits' notation, e.g. "10 per minute"; empty: no throttle) and
    RATELIMIT_STORAGE_URI (where the failures are counted), checked as the throttle reads them."""
    from limits import parse
    from limits.storage import storage_from_string

    limit = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute").strip()
    storage = os.environ.get("RATELIMIT_STORAGE_URI", "").strip() or "memory://"
    try:
        if limit:
            parse(limit)
    except ValueError as error:
        raise ConfigError(f"LOGIN_RATE_LIMIT must read like '10 per minute', not {limit!r}"
                          ) from error
    try:
        storage_from_string(storage)
    except Exception as error:  # limits raises its own errors for schemes and missing drivers
        raise ConfigError(f"RATELIMIT_STORAGE_URI {storage!r} cannot be used: {error}") from error
    return {"LOGIN_RATE_LIMIT": limit, "RATELIMIT_STORAGE_URI": storage}


def media_settings(folder: Path) -> dict[str, Any]:
    """Where page images, clippings, PDFs and archived copies are kept (MEDIA_FOLDER, a folder
    several web machines may share as a mount), the most one file may have
    (MEDIA_MAX_FILE_MB) and the whole folder may hold (MEDIA_MAX_TOTAL_MB), and whether page
    PDFs are kept too (MEDIA_KEEP_PDFS)."""
    raw = os.environ.get("MEDIA_FOLDER", "").strip()
    keep = os.environ.get("MEDIA_KEEP_PDFS", "").strip().lower() or "false"
    if keep not in ("1", "0", "true", "false", "yes", "no"):
        raise ConfigError(f"MEDIA_KEEP_PDFS must be true or false, not {keep!r}")
    return {
        "MEDIA_FOLDER": str(Path(raw).resolve() if raw else folder / "media"),
        "MEDIA_MAX_FILE_MB": _number("MEDIA_MAX_FILE_MB", 20.0, above_minimum=True),
        "MEDIA_MAX_TOTAL_MB": _number("MEDIA_MAX_TOTAL_MB", 5000.0, above_minimum=True),
        "MEDIA_KEEP_PDFS": keep in ("1", "true", "yes"),
    }


def log_level() -> str:
    """LOG_LEVEL (default INFO): the least severe level every process writes to its log."""
    raw = os.environ.get("LOG_LEVEL", "").strip()
    level = raw.upper() or "INFO"
    if level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {raw!r}")
    return level


def load_settings() -> dict[str, Any]:
    """Read every setting from the environment."""
    env = os.environ.get("CAMPAIGN_ENV", "development").strip() or "development"
    folder = instance_path()
    fetching = fetch_settings()
    return {
        "CAMPAIGN_ENV": env,
        "SECRET_KEY": _secret_key(env, folder),
        "SQLALCHEMY_DATABASE_URI": _database_url(folder),
        "TIMEZONE": _timezone(),
        "UPLOAD_FOLDER": str(folder / "uploads"),
        **media_settings(folder),
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
        **login_throttle_settings(),
        # Each scheduler thread keeps a connection while it fetches: the pool must hold them all.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True,
                                      "pool_size": max(5, fetching["FETCH_WORKERS"] + 2)},
        **fetching,
        **coverage_settings(),
        "DEMO_SITE_URL": demo_site_url(),
        "LOG_LEVEL": log_level(),
    }
