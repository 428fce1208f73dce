"""Parse the dates Chinese news sites print, as aware datetimes.

A time without a zone is local to ``tz`` (Beijing by default), never UTC. Handled forms include
``2006年4月25日 10:05``, ``2006-04-25 10:05``, ``2006/4/25``, ``2006.04.25``, ``04-25 10:05`` and
``4月25日`` (year inferred from ``now``), ISO 8601 with offsets, RFC 822, full-width digits,
``今天 10:05``/``昨天``/``3小时前`` and dates embedded in text such as ``发布时间：2006-04-25``.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

logger = logging.getLogger(__name__)

__all__ = ["DEFAULT_TZ", "find_datetime", "parse_datetime", "to_zone"]

DEFAULT_TZ = "Asia/Shanghai"

_TIME = (
    r"(?:[\sT,，]*(?:(?:星期|周|礼拜)[一二三四五六日天七])?[\s,，]*"
    r"(?P<ampm>上午|下午|晚上|凌晨|中午|早上)?\s*"
    r"(?P<H>\d{1,2})\s*[:时点]\s*(?P<M>\d{1,2})"
    r"(?:\s*[:分]\s*(?P<S>\d{1,2})(?:\.\d+)?)?\s*[分秒]?"
    r"(?:\s?(?P<Z>Z(?![A-Za-z])|(?:UTC|GMT)(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2}))?)?"
)
_FULL_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*"
    r"(?P<d>\d{1,2})(?!\d)\s*日?" + _TIME
)
_SHORT_DATE = re.compile(
    r"(?<![\d\-/.])(?P<m>\d{1,2})(?:-|\s*月\s*)(?P<d>\d{1,2})(?![\d\-/.])(?:\s*日)?" + _TIME
)
_RELATIVE = re.compile(r"(?P<n>\d+)\s*(?P<unit>秒|分钟|小时|天)前")
_DAY_WORD = re.compile(r"(?P<word>今天|昨天|前天)" + _TIME)
_ZONE_OFFSET = re.compile(r"(?P<sign>[+-])(?P<h>\d{1,2}):?(?P<m>\d{2})?$")
_PM_WORDS = frozenset({"下午", "晚上"})
_RELATIVE_UNITS = {"秒": 1, "分钟": 60, "小时": 3600, "天": 86400}
_DAY_OFFSETS = {"今天": 0, "昨天": 1, "前天": 2}
_CHINA = timedelta(hours=8)
# RFC 5322 §3.3: "-0000" is UTC from a sender that does not know its own zone; the email
# module returns such dates naive, which would read them as Beijing time, 8 hours off.
_UNKNOWN_ZONE = re.compile(r"\s-00:?00$")
_MAX_RELATIVE_SECONDS = 3650 * 86400


def to_zone(tz: str | tzinfo) -> tzinfo:
    """Return ``tz`` as a tzinfo object (a name such as ``Asia/Shanghai`` becomes a ZoneInfo)."""
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def _normalize(text: str) -> str:
    """Full-width digits, colons and spaces become ASCII; surrounding space is trimmed."""
    return unicodedata.normalize("NFKC", text).replace("\u3000", " ").strip()


def _now(now: datetime | None, zone: tzinfo) -> datetime:
    if now is None:
        return datetime.now(zone)
    return now.replace(tzinfo=zone) if now.tzinfo is None else now.astimezone(zone)


def _zone_from(label: str | None, default: tzinfo) -> tzinfo:
    if not label:
        return default
    if label in {"Z", "UTC", "GMT"}:
        return UTC
    match = _ZONE_OFFSET.search(label)
    if not match:
        return default
    minutes = int(match["h"]) * 60 + int(match["m"] or 0)
    sign = -1 if match["sign"] == "-" else 1
    return timezone(sign * timedelta(minutes=minutes))


def _clock(match: re.Match[str]) -> time | None:
    """The time of day in ``match`` (midnight when absent), or None when it is impossible."""
    if match["H"] is None:
        return time(0, 0)
    hour, minute, second = int(match["H"]), int(match["M"]), int(match["S"] or 0)
    ampm = match["ampm"]
    if hour < 12 and (ampm in _PM_WORDS or (ampm == "中午" and hour < 11)):
        hour += 12
    if hour == 24 and minute == 0 and second == 0:
        hour = 0  # rare "24:00"; treated as midnight of the same day
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _combine(day: date, match: re.Match[str], zone: tzinfo) -> datetime | None:
    clock = _clock(match)
    if clock is None:
        return None
    return datetime.combine(day, clock, tzinfo=_zone_from(match["Z"], zone))


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _infer_year(month: int, day: int, now: datetime) -> date | None:
    """The most recent month/day not more than a day after ``now``."""
    for year in (now.year + 1, now.year, now.year - 1, now.year - 4):
        candidate = _safe_date(year, month, day)
        if candidate and candidate <= now.date() + timedelta(days=1):
            return candidate
    return None


def _from_full(text: str, zone: tzinfo) -> tuple[int, datetime] | None:
    for match in _FULL_DATE.finditer(text):
        day = _safe_date(int(match["y"]), int(match["m"]), int(match["d"]))
        result = _combine(day, match, zone) if day else None
        if result:
            return match.start(), result
    return None


def _from_short(text: str, zone: tzinfo, now: datetime) -> tuple[int, datetime] | None:
    for match in _SHORT_DATE.finditer(text):
        if "月" not in match.group(0) and match["H"] is None:
            continue  # a bare "04-25" is too ambiguous (scores, ranges) without a time
        day = _infer_year(int(match["m"]), int(match["d"]), now)
        result = _combine(day, match, zone) if day else None
        if result:
            return match.start(), result
    return None


def _from_relative(text: str, zone: tzinfo, now: datetime) -> tuple[int, datetime] | None:
    if "刚刚" in text:
        return text.index("刚刚"), now
    match = _RELATIVE.search(text)
    if match:
        seconds = int(match["n"]) * _RELATIVE_UNITS[match["unit"]]
        if seconds <= _MAX_RELATIVE_SECONDS:
            return match.start(), now - timedelta(seconds=seconds)
    word = _DAY_WORD.search(text)
    if word:
        day = now.date() - timedelta(days=_DAY_OFFSETS[word["word"]])
        result = _combine(day, word, zone)
        if result:
            return word.start(), result
    return None


def find_datetime(
    text: str, *, tz: str | ZoneInfo | tzinfo = DEFAULT_TZ, now: datetime | None = None
) -> datetime | None:
    """Find the first date (with its time, if given) anywhere inside ``text``.

    Returns an aware datetime, or None when ``text`` holds no recognisable date.
    """
    zone = to_zone(tz)
    clean = _normalize(text)
    current = _now(now, zone)
    found = [
        hit
        for hit in (
            _from_full(clean, zone),
            _from_short(clean, zone, current),
            _from_relative(clean, zone, current),
        )
        if hit is not None
    ]
    if not found:
        return None
    return min(found, key=lambda hit: hit[0])[1]


def _from_iso(text: str, zone: tzinfo) -> datetime | None:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value.replace(tzinfo=zone) if value.tzinfo is None else value


def _from_rfc822(text: str, zone: tzinfo) -> datetime | None:
    if not re.search(r"[A-Za-z]{3}", text):
        return None
    if text.upper().endswith(" CST") and datetime(2006, 1, 1, tzinfo=zone).utcoffset() == _CHINA:
        text = text[:-4] + " +0800"  # Chinese servers mean China Standard Time, not US Central
    text = _UNKNOWN_ZONE.sub(" +0000", text)
    try:
        value = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return value.replace(tzinfo=zone) if value.tzinfo is None else value


def parse_datetime(
    text: str, *, tz: str | ZoneInfo | tzinfo = DEFAULT_TZ, now: datetime | None = None
) -> datetime | None:
    """Parse a date or date-time string into an aware datetime, or None.

    Naive values are local to ``tz``; date-only values are midnight there. ``now`` anchors
    year-less dates such as ``4月25日`` and relative ones such as ``3小时前``.
    """
    if not text or not text.strip():
        return None
    zone = to_zone(tz)
    clean = _normalize(text)
    for parser in (_from_iso, _from_rfc822):
        value = parser(clean, zone)
        if value is not None and 1900 <= value.year <= 2100:
            return value
    value = find_datetime(clean, tz=zone, now=now)
    if value is None:
        logger.debug("no date found in %r", text[:80])
    return value
