"""Writes to sources. Each function flushes and logs; the caller commits."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import soupsieve
from flask_babel import gettext as _
from sqlalchemy import select

from campaign.core.times import is_valid_zone, utcnow
from campaign.extensions import db
from campaign.planning.models import Outlet
from campaign.planning.rules import PlanningError
from campaign.sources.models import SOURCE_TYPES, Source
from scrapers.epaper import day_url
from scrapers.urls import MAX_SELECTOR_DEPTH, MAX_SELECTOR_LENGTH, selector_nesting

log = logging.getLogger(__name__)

# The keys a source's `selectors` may hold: list-page selectors and article-page selectors.
SELECTOR_KEYS = (
    "link_selector", "title_selector", "date_selector", "next_selector",
    "article_title", "article_body", "article_date", "article_author", "article_source",
)
DATE_PLACEHOLDERS = ("{yyyy}", "{mm}", "{dd}")
INTERVAL_RANGE = (5, 7 * 24 * 60)
MAX_PAGES_RANGE = (1, 50)


class SourceError(PlanningError):
    """A source that cannot be saved; `field` names the form field (or the file's key)."""


@dataclass
class SourceInput:
    """Everything a source is configured with, as typed in a form or read from a file."""

    type: str
    url: str
    name: str = ""
    selectors: dict[str, str] = field(default_factory=dict)
    interval_minutes: int = 60
    timezone: str = "Asia/Shanghai"
    obey_robots: bool = True
    enabled: bool = True
    max_pages: int = 3


def check_url(url: str, *, field_name: str = "url") -> None:
    """Refuse anything but an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as error:
        raise SourceError(field_name, _("网址格式不正确：%(url)s", url=url)) from error
    if parts.scheme.lower() not in ("http", "https"):
        raise SourceError(field_name, _("只接受 http 和 https 网址：%(url)s", url=url))
    if not host:
        raise SourceError(field_name, _("网址缺少主机名：%(url)s", url=url))


def _check_pattern(url: str) -> None:
    missing = [p for p in DATE_PLACEHOLDERS if p not in url]
    if missing:
        raise SourceError("url", _("电子报网址须包含 {yyyy}、{mm} 和 {dd}，缺少 %(missing)s",
                                   missing="、".join(missing)))
    try:
        filled = day_url(url, date(2006, 4, 25))
    except (KeyError, IndexError, ValueError) as error:
        raise SourceError("url", _("电子报网址中有无法识别的占位符：%(url)s", url=url)) from error
    check_url(filled)


def _check_selector_size(key: str, value: str) -> None:
    """Refuse a selector too long or too deeply nested to be a real one (they cost seconds per
    page to match)."""
    if len(value) > MAX_SELECTOR_LENGTH:
        raise SourceError(key, _("CSS 选择器过长（最多 %(max)s 个字符）", max=MAX_SELECTOR_LENGTH))
    if selector_nesting(value) > MAX_SELECTOR_DEPTH:
        raise SourceError(key, _("CSS 选择器的括号嵌套过深（最多 %(max)s 层）",
                                 max=MAX_SELECTOR_DEPTH))


def _check_selectors(data: SourceInput) -> None:
    for key, value in data.selectors.items():
        if key not in SELECTOR_KEYS:
            raise SourceError(key, _("未知的选择器：%(key)s", key=key))
        _check_selector_size(key, value)
        try:
            soupsieve.compile(value)
        except (soupsieve.SelectorSyntaxError, TypeError) as error:
            raise SourceError(key, _("不是有效的 CSS 选择器：%(value)s", value=value)) from error
    if data.type == "html" and not data.selectors.get("link_selector"):
        raise SourceError("link_selector", _("栏目页来源须填写文章链接选择器"))


def check_source(data: SourceInput) -> None:
    """Raise SourceError naming the first field that is wrong."""
    if data.type not in SOURCE_TYPES:
        raise SourceError("type", _("未知的来源类型：%(type)s", type=data.type))
    if not data.url.strip():
        raise SourceError("url", _("请填写网址"))
    if data.type == "epaper":
        _check_pattern(data.url)
    else:
        check_url(data.url)
    _check_selectors(data)
    low, high = INTERVAL_RANGE
    if not low <= data.interval_minutes <= high:
        raise SourceError("interval_minutes",
                          _("抓取间隔须在 %(low)d 到 %(high)d 分钟之间", low=low, high=high))
    low, high = MAX_PAGES_RANGE
    if not low <= data.max_pages <= high:
        raise SourceError("max_pages",
                          _("最多页数须在 %(low)d 到 %(high)d 之间", low=low, high=high))
    if not is_valid_zone(data.timezone):
        raise SourceError("timezone", _("未知的时区：%(tz)s", tz=data.timezone))


def find_source(outlet: Outlet, type_: str, url: str) -> Source | None:
    """The source of `outlet` with this type and URL, if there is one."""
    return db.session.scalar(select(Source).where(
        Source.outlet_id == outlet.id, Source.type == type_, Source.url == url))


def save_source(source: Source | None, outlet: Outlet, data: SourceInput) -> Source:
    """Create a source (when `source` is None) or change one; raise SourceError first."""
    data.url = data.url.strip()
    data.selectors = {k: v.strip() for k, v in data.selectors.items() if v and v.strip()}
    check_source(data)
    other = find_source(outlet, data.type, data.url) if outlet.id else None
    if other is not None and other is not source:
        raise SourceError("url", _("%(outlet)s 已有此来源", outlet=outlet.name))
    if source is None:
        source = Source(next_fetch_at=utcnow())
        db.session.add(source)
    source.outlet = outlet
    apply_input(source, data)
    db.session.flush()
    log.info("source %s saved (%s %s)", source.id, source.type, source.url)
    return source


def apply_input(source: Source, data: SourceInput) -> None:
    """Copy the configuration in `data` onto `source` (the fetch state is left alone)."""
    source.type, source.url, source.selectors = data.type, data.url, dict(data.selectors)
    source.name = data.name.strip() or source.name or ""
    source.interval_minutes, source.timezone = data.interval_minutes, data.timezone
    source.obey_robots, source.enabled, source.max_pages = (
        data.obey_robots, data.enabled, data.max_pages)


def differs(source: Source, data: SourceInput) -> bool:
    """True when saving `data` would change `source`'s configuration."""
    current: dict[str, Any] = {
        "type": source.type, "url": source.url, "selectors": dict(source.selectors or {}),
        "interval_minutes": source.interval_minutes, "timezone": source.timezone,
        "obey_robots": source.obey_robots, "enabled": source.enabled,
        "max_pages": source.max_pages,
    }
    wanted = {**current, "type": data.type, "url": data.url, "selectors": dict(data.selectors),
              "interval_minutes": data.interval_minutes, "timezone": data.timezone,
              "obey_robots": data.obey_robots, "enabled": data.enabled,
              "max_pages": data.max_pages}
    return current != wanted or bool(data.name.strip() and data.name.strip() != source.name)


def set_enabled(source: Source, enabled: bool) -> None:
    """Switch fetching of `source` on or off; a source switched on is due at once."""
    source.enabled = enabled
    if enabled:
        source.next_fetch_at = utcnow()
        source.consecutive_failures = 0
    db.session.flush()
    log.info("source %s %s", source.id, "enabled" if enabled else "disabled")


def delete_source(source: Source) -> None:
    """Remove `source` and its fetch runs; its articles stay (their source becomes empty)."""
    db.session.delete(source)
    db.session.flush()
    log.info("source %s deleted", source.id)


def request_fetch(source: Source) -> None:
    """Queue `source` for the scheduler's next tick ("fetch now"): it becomes due at once and
    the request is remembered, so the page can show the outcome when the run lands."""
    now = utcnow()
    source.fetch_requested_at = now
    source.next_fetch_at = now
    db.session.flush()
    log.info("fetch requested for source %s", source.id)
