"""Jinja filters and globals: dates in the campaign's zone, labels of codes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask, request
from flask_babel import get_locale
from flask_login import current_user

from campaign.core import choices
from campaign.core.i18n import LANGUAGES
from campaign.core.times import local, local_today

WEEKDAYS_ZH = "一二三四五六日"


def format_dt(value: datetime | None, tz: str | None = None) -> str:
    """`2006-04-25 15:00` in the display zone."""
    if value is None:
        return ""
    return local(value, tz).strftime("%Y-%m-%d %H:%M")


def format_time(value: datetime | None, tz: str | None = None) -> str:
    if value is None:
        return ""
    return local(value, tz).strftime("%H:%M")


def format_date(value: date | datetime | None, tz: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value, tz).date()
    if str(get_locale()).startswith("zh"):
        return f"{value.year}年{value.month}月{value.day}日"
    return value.strftime("%d %b %Y")


def format_short_date(value: date) -> str:
    if str(get_locale()).startswith("zh"):
        return f"{value.month}月{value.day}日"
    return value.strftime("%d %b")


def weekday_name(index: int) -> str:
    if str(get_locale()).startswith("zh"):
        return "周" + WEEKDAYS_ZH[index]
    return ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][index]


def label(vocabulary: str, code: str | None) -> str:
    """The user-facing label of a code in one of the vocabularies of `choices`."""
    table: dict[str, Any] = getattr(choices, vocabulary)
    return str(table.get(code or "", code or ""))


def labels(vocabulary: str) -> dict[str, str]:
    """Every label of a vocabulary, translated once (for long tables)."""
    table: dict[str, Any] = getattr(choices, vocabulary)
    return {code: str(name) for code, name in table.items()}


def init_templating(app: Flask) -> None:
    """Register filters and globals."""
    app.jinja_env.filters.update(
        dt=format_dt, time=format_time, day=format_date, shortday=format_short_date,
    )
    app.jinja_env.globals.update(
        label=label,
        labels=labels,
        choices=choices,
        weekday_name=weekday_name,
        languages=LANGUAGES,
        local_today=local_today,
    )

    @app.context_processor
    def inject_user() -> dict[str, Any]:
        can_edit = bool(current_user.is_authenticated and current_user.can_edit)
        is_admin = bool(current_user.is_authenticated and current_user.has_role("admin"))
        return {
            "can_edit": can_edit,
            "is_admin": is_admin,
            "current_locale": str(get_locale()),
            "current_path": request.full_path.rstrip("?") if request else "/",
        }
