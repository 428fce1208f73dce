"""Time zones: everything is stored in UTC and shown in the campaign's zone (Asia/Shanghai)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app, has_app_context

DEFAULT_TZ = "Asia/Shanghai"


def zone(name: str | None = None) -> ZoneInfo:
    """The named zone, or the app's configured zone."""
    if not name:
        name = current_app.config.get("TIMEZONE", DEFAULT_TZ) if has_app_context() else DEFAULT_TZ
    return ZoneInfo(name)


def is_valid_zone(name: str) -> bool:
    """True when `name` is a zone the tz database knows."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def local(value: datetime, tz: str | None = None) -> datetime:
    """`value` in the display zone."""
    return value.astimezone(zone(tz))


def local_midnight(day: date, tz: str | None = None) -> datetime:
    """The first instant of `day` in the zone, aware."""
    return datetime.combine(day, time(0, 0), tzinfo=zone(tz))


def combine(day: date, at: time, tz: str | None = None) -> datetime:
    """`day` at local time `at`, aware."""
    return datetime.combine(day, at, tzinfo=zone(tz))


def local_today(tz: str | None = None) -> date:
    """Today's date in the zone."""
    return utcnow().astimezone(zone(tz)).date()


def daterange(start: date, end: date) -> list[date]:
    """Every day from `start` to `end`, both included."""
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]
