"""RSS and Atom feeds through ``feedparser``, made safe for Chinese feeds.

Two things feedparser gets wrong for Chinese sites are fixed here:

* charsets: a feed declared ``gb2312`` that contains GB18030-only characters (镕, 𠀀) breaks
  feedparser's own decoding, so the body is decoded with :func:`scrapers.encoding.decode_body`
  and handed over as UTF-8 with the XML declaration and Content-Type rewritten;
* dates: feedparser treats a date without a zone as UTC, while a Chinese feed means Beijing
  time, so raw date strings are re-parsed with :func:`scrapers.dates.parse_datetime`.
"""

from __future__ import annotations

import calendar
import logging
import re
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from typing import Any

import feedparser
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

from scrapers.dates import DEFAULT_TZ, parse_datetime
from scrapers.encoding import decode_reporting, detect_encoding
from scrapers.extract_text import strip_bidi
from scrapers.sniff import is_untrusted_type
from scrapers.urls import resolve_link

logger = logging.getLogger(__name__)

__all__ = ["FeedEntry", "FeedResult", "html_to_text", "parse_feed"]

_XML_DECL_ENCODING = re.compile(r"^(\s*<\?xml[^>]*?encoding\s*=\s*)([\"'])[^\"']*\2", re.I)
_EXPLICIT_ZONE = re.compile(r"(?:Z|[+-]\d{2}:?\d{2}|\b(?:GMT|UTC|UT|[ECMP][SD]T))\s*$", re.I)
_DATE_KEYS = ("published", "updated", "created")
_BLOCK_TAGS = ["p", "br", "div", "li", "tr", "td", "h1", "h2", "h3", "h4", "h5", "h6"]
_FEED_MIME = re.compile(r"^\s*([\w.+-]+/[\w.+-]+)")
_ITEM = re.compile(r"<(item|entry)\b.*?</\1\s*>", re.I | re.S)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed."""

    title: str
    url: str | None
    guid: str | None
    published_at: datetime | None
    author: str | None
    summary: str
    content: str | None
    categories: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FeedResult:
    """A parsed feed; ``warnings`` explains anything malformed, ``encoding`` the source charset."""

    title: str
    link: str | None
    entries: tuple[FeedEntry, ...]
    warnings: tuple[str, ...]
    bozo: bool
    encoding: str
    # How often the feed says it changes, in minutes (RSS <ttl>, or the syndication module's
    # sy:updatePeriod / sy:updateFrequency), or None: a hint for the next fetch.
    ttl_minutes: int | None = None
    # Items that could not be read (e.g. a character reference beyond U+10FFFF) and were left
    # out, the others kept; and a warning code when some bytes did not fit the declared
    # charset (see scrapers.encoding.decode_reporting).
    skipped: int = 0
    charset_warning: str | None = None


_PERIOD_MINUTES = {"hourly": 60, "daily": 1440, "weekly": 10080, "monthly": 43200,
                   "yearly": 525600}


def _ttl_minutes(feed: Mapping[str, Any]) -> int | None:
    """The feed's own update hint in minutes: <ttl>, else sy:updatePeriod / updateFrequency."""
    raw = str(feed.get("ttl") or "").strip()
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    period = _PERIOD_MINUTES.get(str(feed.get("sy_updateperiod") or "").strip().lower())
    if period is None:
        return None
    frequency = str(feed.get("sy_updatefrequency") or "1").strip()
    times = int(frequency) if frequency.isdigit() and int(frequency) > 0 else 1
    return max(1, period // times)


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment, whitespace collapsed; text without tags is kept as is."""
    markup = strip_bidi(markup)
    if "<" not in markup:
        return " ".join(markup.split())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(markup, "lxml")
    for block in soup.find_all(_BLOCK_TAGS):
        block.insert_after(" ")
    return " ".join(soup.get_text("").split())


def _as_utf8(body: bytes, content_type: str | None) -> tuple[bytes, str, str, str | None]:
    """Decode the feed ourselves; return UTF-8 bytes, a matching Content-Type, the charset and
    a warning code when some bytes did not fit it."""
    encoding = detect_encoding(body, content_type=content_type)
    text, warning = decode_reporting(body, content_type=content_type)
    text = _XML_DECL_ENCODING.sub(r"\1\2utf-8\2", text, count=1)
    mime_match = _FEED_MIME.match(content_type or "")
    mime = mime_match.group(1).lower() if mime_match else "application/xml"
    if mime.startswith("text/html") or mime == "text/plain" or is_untrusted_type(mime):
        mime = "application/xml"  # many Chinese CMSs serve feeds as text/html or worse
    return text.encode("utf-8"), f"{mime}; charset=utf-8", encoding, warning


def _entry_date(entry: Mapping[str, Any], zone: str, now: datetime | None) -> datetime | None:
    """Re-parse the raw date strings; trust feedparser's UTC value only for zoned strings."""
    for key in _DATE_KEYS:
        raw = entry.get(key)
        if not isinstance(raw, str) or not raw.strip():
            continue
        value = parse_datetime(raw, tz=zone, now=now)
        if value is not None:
            return value
        parsed = entry.get(f"{key}_parsed")
        if isinstance(parsed, time.struct_time) and _EXPLICIT_ZONE.search(raw.strip()):
            return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    return None


def _content(entry: Mapping[str, Any]) -> str | None:
    for item in entry.get("content") or ():
        value = item.get("value")
        if value:
            return str(value)
    return None


def _entry(entry: Mapping[str, Any], base: str, zone: str, now: datetime | None) -> FeedEntry:
    guid = entry.get("id") or None
    link = resolve_link(entry.get("link"), base) if base else entry.get("link")
    if not link and guid and str(guid).startswith(("http://", "https://")):
        link = str(guid)
    author = entry.get("author") or None
    return FeedEntry(
        title=html_to_text(str(entry.get("title") or "")),
        url=link or None,
        guid=str(guid) if guid else None,
        published_at=_entry_date(entry, zone, now),
        author=strip_bidi(str(author)).strip() if author else None,
        summary=html_to_text(str(entry.get("summary") or "")),
        content=_content(entry),
        categories=tuple(
            str(tag.get("term")) for tag in entry.get("tags") or () if tag.get("term")
        ),
    )


def _warnings(parsed: Any) -> list[str]:
    if not parsed.get("bozo"):
        return []
    problem = parsed.get("bozo_exception")
    line = getattr(problem, "getLineNumber", None)
    where = f" (line {line()})" if callable(line) else ""
    return [f"malformed feed{where}: {problem}"]


def parse_feed(
    body: bytes,
    *,
    headers: Mapping[str, str] | None = None,
    url: str | None = None,
    tz: str = DEFAULT_TZ,
    now: datetime | None = None,
) -> FeedResult:
    """Parse an RSS 0.9x/1.0/2.0 or Atom feed; never raises on malformed input.

    ``headers`` are the HTTP response headers (any case); ``url`` resolves relative links.
    A malformed feed yields every entry that could be read and a message in ``warnings``.
    """
    lower = {key.lower(): value for key, value in (headers or {}).items()}
    data, content_type, encoding, charset_warning = _as_utf8(body, lower.get("content-type"))
    response_headers = {"content-type": content_type}
    if url:
        response_headers["content-location"] = url
    parsed, skipped = _parse_tolerantly(data, response_headers)
    problems = _warnings(parsed)
    base = url or ""
    entries = []
    for raw in parsed.entries:
        try:
            entries.append(_entry(raw, base, tz, now))
        except Exception as exc:  # noqa: BLE001 - one hostile item must not silence the feed
            problems.append(f"skipped an unreadable entry: {exc!r}")
            skipped += 1
    if problems:
        logger.info("feed %s: %s", url or "(bytes)", "; ".join(problems))
    feed = parsed.feed
    return FeedResult(
        title=_safe_text(feed.get("title")),
        link=resolve_link(feed.get("link"), base) if base else _link_or_none(feed.get("link")),
        entries=tuple(entries),
        warnings=tuple(problems),
        bozo=bool(parsed.get("bozo")),
        encoding=encoding,
        ttl_minutes=_ttl_minutes(feed),
        skipped=skipped,
        charset_warning=charset_warning,
    )


def _safe_text(value: object) -> str:
    try:
        return html_to_text(str(value or ""))
    except Exception:  # noqa: BLE001 - a channel title is not worth failing the feed over
        return ""


def _link_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _feedparser(data: bytes, headers: dict[str, str]) -> Any:
    return feedparser.parse(BytesIO(data), response_headers=headers)


def _parse_tolerantly(data: bytes, headers: dict[str, str]) -> tuple[Any, int]:
    """feedparser's result and the number of items left out. feedparser's loose parser can
    raise on one item (``&#x110000;`` in a title: ``chr() arg not in range``); then the feed
    is parsed item by item — channel and one item at a time — and the items that raise are
    left out and counted."""
    try:
        return _feedparser(data, headers), 0
    except Exception as error:  # noqa: BLE001 - see the docstring
        logger.info("feed did not parse whole (%r): parsing item by item", error)
    text = data.decode("utf-8", errors="replace")
    items = list(_ITEM.finditer(text))
    head = text[: items[0].start()] if items else text
    tail = text[items[-1].end():] if items else ""
    try:
        parsed = _feedparser((head + tail).encode("utf-8"), headers)
    except Exception:  # noqa: BLE001 - even the channel is unreadable: an empty feed
        parsed = feedparser.FeedParserDict(entries=[], feed=feedparser.FeedParserDict(),
                                           bozo=True, bozo_exception=ValueError("unreadable"))
    skipped = 0
    for item in items:
        try:
            one = _feedparser((head + item.group(0) + tail).encode("utf-8"), headers)
        except Exception:  # noqa: BLE001 - this item is the hostile one
            skipped += 1
            continue
        parsed.entries.extend(one.entries)
    return parsed, skipped
