"""Small readers of untrusted values shared by the features: query parameters and parsed files."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter, Map

# The largest id or page number a query may name: the databases' 32-bit integer columns end
# here (PostgreSQL's int4; SQLite refuses anything past 64 bits with an OverflowError).
MAX_INT_PARAM = 2**31 - 1


class DatabaseIntConverter(IntegerConverter):
    """`<int:…>` in a URL: at most the largest id an integer column holds (2**31-1); a longer
    number matches no route (a 404) instead of overflowing the database's integer."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int | None = MAX_INT_PARAM, signed: bool = False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits, min, max, signed)


def int_param(raw: str | None, *, low: int = 1, high: int = MAX_INT_PARAM) -> int | None:
    """A query parameter as an integer (an id or a page number); None when missing, not a
    number, or outside `low`..`high`, so a typed or fuzzed 10**25 reads as absent instead of
    overflowing the database's integer."""
    try:
        value = int(raw) if raw else None
    except ValueError:
        return None
    return value if value is not None and low <= value <= high else None


def date_param(raw: str | None) -> date | None:
    """A query parameter as an ISO date; None when missing or not a date."""
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path on this site; None for anything that could leave it (another
    scheme or host, or a path a browser reads as one: ``//host`` and ``/\\host``)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or \
            target.startswith(("//", "/\\")):
        return None
    return target


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
