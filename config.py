"""Settings read from the environment.

`load_settings()` returns the mapping `create_app` uses. Tests pass their own mapping instead.
Production secrets have no default: with ``CAMPAIGN_ENV=production`` a missing ``SECRET_KEY``
stops start-up rather than running with a key somebody could guess.
"""

from __future__ import annotations

import json
import math
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scrapers.urls import HostEntryError, split_host_entry

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
    whole fetch may take, the retries after a failure, how long a claim on a source lasts, the
    seconds between ticks, and the processes that read the fetched pages (0: the fetch threads
    read them)."""
    return {
        "FETCH_WORKERS": _whole("FETCH_WORKERS", 8, minimum=1),
        "FETCH_MIN_DELAY": _number("FETCH_MIN_DELAY", 1.0),
        "FETCH_MAX_PER_HOST": _whole("FETCH_MAX_PER_HOST", 2, minimum=1),
        "FETCH_TIMEOUT": _number("FETCH_TIMEOUT", 30.0, above_minimum=True),
        "FETCH_TOTAL_TIMEOUT": _number("FETCH_TOTAL_TIMEOUT", 120.0, above_minimum=True),
        "FETCH_RETRIES": _whole("FETCH_RETRIES", 2, minimum=0),
        "FETCH_LEASE_SECONDS": _whole("FETCH_LEASE_SECONDS", 1800, minimum=1),
        "SCHEDULER_TICK_SECONDS": _number("SCHEDULER_TICK_SECONDS", 10.0, above_minimum=True),
        "EXTRACT_PROCESSES": _whole("EXTRACT_PROCESSES", os.cpu_count() or 1, minimum=0),
    }


def coverage_settings() -> dict[str, Any]:
    """The matching thresholds, when set: a match whose probability is at least
    COVERAGE_AUTO_ACCEPT is accepted without review, one below COVERAGE_SUGGEST_MIN is not
    kept; 0 <= suggest <= accept <= 1. Unset, the fitted model's own thresholds apply
    (campaign/coverage/model.json, or the model file COVERAGE_MODEL_FILE names: a model fitted
    by `eval/fit.py` on other labelled news), so they are not repeated here."""
    found: dict[str, Any] = {name: _number(name, 0.0, maximum=1.0)
                             for name in ("COVERAGE_AUTO_ACCEPT", "COVERAGE_SUGGEST_MIN")
                             if os.environ.get(name, "").strip()}
    accept = found.get("COVERAGE_AUTO_ACCEPT", 1.0)
    suggest = found.get("COVERAGE_SUGGEST_MIN", 0.0)
    if suggest > accept:
        raise ConfigError(f"COVERAGE_SUGGEST_MIN ({suggest:g}) must not be above "
                          f"COVERAGE_AUTO_ACCEPT ({accept:g})")
    model_file = os.environ.get("COVERAGE_MODEL_FILE", "").strip()
    if model_file:
        found["COVERAGE_MODEL_FILE"] = _model_file(model_file)
    return found


def _model_file(name: str) -> str:
    """A scoring model file: JSON with the weights, bias and thresholds `eval/fit.py` writes."""
    path = Path(name).expanduser().resolve()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        weights, bias = data["weights"], float(data["bias"])
        thresholds = float(data["auto_accept"]), float(data["suggest_min"])
        if not isinstance(weights, dict) or not all(
                isinstance(k, str) and isinstance(v, int | float) and not isinstance(v, bool)
                for k, v in weights.items()):
            raise TypeError("weights must map feature names to numbers")
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ConfigError(f"COVERAGE_MODEL_FILE {name!r} is not a scoring model written by "
                          f"eval/fit.py ({error})") from error
    if not all(math.isfinite(v) for v in (bias, *thresholds, *map(float, weights.values()))) \
            or not 0 <= thresholds[1] <= thresholds[0] <= 1:
        raise ConfigError(f"COVERAGE_MODEL_FILE {name!r}: its numbers must be finite and its "
                          "thresholds lie between 0 and 1, suggest_min not above auto_accept")
    return str(path)  # (its feature names are checked by the app: campaign.create_app)


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
    RATELIMIT_STORAGE_URI (where the failures are counted: `database`, the default, or a
    `limits` store), checked as the throttle reads them."""
    from limits import parse
    from limits.storage import storage_from_string

    limit = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute").strip()
    storage = os.environ.get("RATELIMIT_STORAGE_URI", "").strip() or "database"
    try:
        if limit:
            parse(limit)
    except ValueError as error:
        raise ConfigError(f"LOGIN_RATE_LIMIT must read like '10 per minute', not {limit!r}"
                          ) from error
    try:
        if storage != "database":  # the login audit log: no store of `limits`
            storage_from_string(storage)
    except Exception as error:  # limits raises its own errors for schemes and missing drivers
        raise ConfigError(f"RATELIMIT_STORAGE_URI {storage!r} cannot be used: {error}") from error
    return {"LOGIN_RATE_LIMIT": limit, "RATELIMIT_STORAGE_URI": storage}


def https(env: str) -> bool:
    """HTTPS (on/off): whether the app is served over HTTPS. Production assumes it; an
    intranet install served over plain HTTP sets HTTPS=off explicitly (and is warned)."""
    raw = os.environ.get("HTTPS", "").strip().lower()
    if not raw:
        return env == "production"
    if raw in ("1", "on", "true", "yes"):
        return True
    if raw in ("0", "off", "false", "no"):
        return False
    raise ConfigError(f"HTTPS must be on or off, not {raw!r}")


def cookie_settings(env: str) -> dict[str, Any]:
    """The session and remember cookies: Secure when served over HTTPS (and links made
    https://), HttpOnly and SameSite=Lax always; SESSION_IDLE_HOURS (default 8) ends a login
    without 记住我 after that long without a request; LOGIN_LOG_DAYS (default 90) is how long the
    login audit log and ended logins are kept."""
    secure = https(env)
    return {
        "HTTPS": secure,
        "PREFERRED_URL_SCHEME": "https" if secure else "http",
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_SECURE": secure,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "SESSION_IDLE_HOURS": _number("SESSION_IDLE_HOURS", 8.0, above_minimum=True),
        "LOGIN_LOG_DAYS": _whole("LOGIN_LOG_DAYS", 90, minimum=1),
    }


def _flag(name: str, default: bool) -> bool:
    """A yes/no setting: 1/true/yes/on or 0/false/no/off."""
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def _clock(name: str, default: str) -> str:
    """A time of day as HH:MM (24-hour clock)."""
    raw = os.environ.get(name, "").strip() or default
    parts = raw.split(":")
    if (len(parts) != 2 or not all(p.isdigit() and len(p) == 2 for p in parts)
            or int(parts[0]) > 23 or int(parts[1]) > 59):
        raise ConfigError(f"{name} must be a time such as 08:00, not {raw!r}")
    return raw


def _base_url(name: str, default: str) -> str:
    raw = os.environ.get(name, "").strip() or default
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{name} must be an http(s):// URL such as {default}, not {raw!r}")
    return raw.rstrip("/")


def _ca_file(name: str) -> str:
    raw = os.environ.get(name, "").strip()
    if raw and not Path(raw).is_file():
        raise ConfigError(f"{name} must name a PEM file of CA certificates; {raw!r} is not a file")
    return raw


def mail_settings() -> dict[str, Any]:
    """Digests and alerts: the SMTP server (MAIL_*; no server, no mail), the alert thresholds,
    the time of day digests go out (Beijing time) and the address links in them point to."""
    use_ssl = _flag("MAIL_USE_SSL", False)
    sender = os.environ.get("MAIL_DEFAULT_SENDER", "").strip() or "campaign-tracker@localhost"
    if any(c in sender for c in "\r\n"):
        raise ConfigError("MAIL_DEFAULT_SENDER must be one line")
    return {
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "").strip(),
        "MAIL_PORT": _whole("MAIL_PORT", 465 if use_ssl else 25, minimum=1),
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS", False),
        "MAIL_USE_SSL": use_ssl,
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", "").strip(),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_DEFAULT_SENDER": sender,
        "MAIL_CA_FILE": _ca_file("MAIL_CA_FILE"),
        "ALERT_SILENT_HOURS": _whole("ALERT_SILENT_HOURS", 24, minimum=1),
        "ALERT_QUEUE_MAX": _whole("ALERT_QUEUE_MAX", 50, minimum=1),
        "DIGEST_AT": _clock("DIGEST_AT", "08:00"),
        "APP_BASE_URL": _base_url("APP_BASE_URL", "http://127.0.0.1:5000"),
    }


def media_settings(folder: Path) -> dict[str, Any]:
    """Where page images, clippings, PDFs and archived copies are kept (MEDIA_FOLDER, a folder
    several web machines may share as a mount), the most one file may have
    (MEDIA_MAX_FILE_MB) and the whole folder may hold (MEDIA_MAX_TOTAL_MB), whether page
    PDFs are kept too (MEDIA_KEEP_PDFS), and whether accepted web articles are screenshot
    (MEDIA_SCREENSHOTS) with which browser (MEDIA_BROWSER)."""
    raw = os.environ.get("MEDIA_FOLDER", "").strip()
    flags = {}
    for name in ("MEDIA_KEEP_PDFS", "MEDIA_SCREENSHOTS"):
        value = os.environ.get(name, "").strip().lower() or "false"
        if value not in ("1", "0", "true", "false", "yes", "no"):
            raise ConfigError(f"{name} must be true or false, not {value!r}")
        flags[name] = value in ("1", "true", "yes")
    browser = os.environ.get("MEDIA_BROWSER", "").strip() or "/usr/bin/chromium"
    return {
        "MEDIA_FOLDER": str(Path(raw).resolve() if raw else folder / "media"),
        "MEDIA_MAX_FILE_MB": _number("MEDIA_MAX_FILE_MB", 20.0, above_minimum=True),
        "MEDIA_MAX_TOTAL_MB": _number("MEDIA_MAX_TOTAL_MB", 5000.0, above_minimum=True),
        **flags,
        "MEDIA_BROWSER": browser,
    }


def export_settings(folder: Path) -> dict[str, Any]:
    """Exports written in the background: where their files are kept (`exports/` of the
    instance folder), for how many days a finished file stays downloadable
    (EXPORT_FILES_DAYS), and how many jobs one user may have waiting or running at once
    (EXPORT_JOBS_PER_USER)."""
    return {
        "EXPORT_FOLDER": str(folder / "exports"),
        "EXPORT_FILES_DAYS": _whole("EXPORT_FILES_DAYS", 7, minimum=1),
        "EXPORT_JOBS_PER_USER": _whole("EXPORT_JOBS_PER_USER", 3, minimum=1),
    }


def log_level() -> str:
    """LOG_LEVEL (default INFO): the least severe level every process writes to its log."""
    raw = os.environ.get("LOG_LEVEL", "").strip()
    level = raw.upper() or "INFO"
    if level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {raw!r}")
    return level


def source_allow_hosts() -> list[str]:
    """SOURCE_ALLOW_HOSTS: `host`, `host:port` or `host:*` entries separated by commas."""
    entries = [h.strip() for h in os.environ.get("SOURCE_ALLOW_HOSTS", "").split(",")]
    for entry in filter(None, entries):
        try:
            host, _port = split_host_entry(entry)
        except HostEntryError as error:
            raise ConfigError(f"SOURCE_ALLOW_HOSTS: {error}") from error
        if not host:
            raise ConfigError(f"SOURCE_ALLOW_HOSTS: {entry!r} names no host")
    return [entry for entry in entries if entry]


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
        **export_settings(folder),
        **cookie_settings(env),
        "SOURCE_ALLOW_HOSTS": source_allow_hosts(),
        "INSTANCE_PATH": str(folder),
        # Failed logins allowed per client address and per username (empty: no limit), and
        # where they are counted: the database by default, shared by every web process.
        **login_throttle_settings(),
        # Each scheduler thread keeps a connection while it fetches: the pool must hold them all.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True,
                                      "pool_size": max(5, fetching["FETCH_WORKERS"] + 2)},
        **fetching,
        **coverage_settings(),
        "DEMO_SITE_URL": demo_site_url(),
        "LOG_LEVEL": log_level(),
        **mail_settings(),
    }
