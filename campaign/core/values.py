"""Small readers of untrusted values shared by the features: query parameters and parsed files."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask_babel import gettext as _


def int_param(raw: str | None) -> int | None:
    """A query parameter as an integer; None when missing or not a number."""
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


def date_param(raw: str | None) -> date | None:
    """A query parameter as an ISO date; None when missing or not a date."""
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def has_nul(value: Any) -> bool:
    """True when a string anywhere in a parsed JSON or TOML value holds a NUL character
    (PostgreSQL refuses NUL in text, so importers say so up front)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_nul(item) for item in value)
    return False


def text_field(obj: dict[str, Any], key: str, fail: Callable[[str, str], Exception], *,
               required: bool = False) -> str:
    """A text value of a parsed file; `fail(key, message)` builds the importer's own error
    for a missing required value or a value that is not text."""
    value = obj.get(key)
    if value is None or value == "":
        if required:
            raise fail(key, _("缺少必填字段"))
        return ""
    if not isinstance(value, str):
        raise fail(key, _("应为文本"))
    return value
