"""Fetching a pasted URL to propose a source: the network half of discovery.

The page is fetched through the scrapers' Fetcher with short timeouts and no retries (an admin
is waiting), with the address guard of `sources.guard` (no local-network address unless its
host is allow-listed). The inference itself is in `discovery`, on bytes already fetched.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _

from campaign.sources.guard import AddressGuard, allowed_hosts
from campaign.sources.operations import check_url
from campaign.sources.wording import error_in_words
from scrapers.discovery import (
    Proposal,
    day_index_links,
    feed_links,
    is_feed,
    page_title,
    propose_epaper,
    propose_feed,
    propose_list_page,
)
from scrapers.fetch import Fetcher, FetchResult, FetchSettings
from scrapers.urls import meta_refresh_url

log = logging.getLogger(__name__)
MAX_FEEDS = 2


@dataclass
class Discovery:
    """What a pasted URL offers: proposals to choose from, or the reason there are none."""

    url: str
    proposals: list[Proposal] = field(default_factory=list)
    error: str = ""
    title: str = ""

    def names(self) -> list[str]:
        """The page's title and the feeds' titles: where the outlet's name usually appears."""
        return [self.title, *(p.note for p in self.proposals if p.type == "rss")]


def probe_guard() -> AddressGuard:
    """The address guard with SOURCE_ALLOW_HOSTS and the allowed-hosts table."""
    return AddressGuard(allowed_hosts(current_app.config.get("SOURCE_ALLOW_HOSTS", [])))


def blocked_url_message(url: str) -> str | None:
    """Why the app may not fetch `url` (its host resolves to the local network and is not
    allow-listed), in words for the source forms; None when it may."""
    problem = probe_guard()(url)
    if problem is None:
        return None
    host = urlsplit(url).hostname or url
    return _("出于安全原因不能抓取此网址：%(host)s 指向内网、本机或保留地址。"
             "如确需抓取，请先在“允许抓取的内网主机”中添加该主机。", host=host)


def discovery_fetcher() -> Fetcher:
    """A Fetcher for an admin waiting on a page: short timeouts, no retries, the guard on every
    URL and every connection."""
    guard = probe_guard()
    settings = FetchSettings(
        connect_timeout=5.0, read_timeout=10.0, total_timeout=20.0, retries=0, min_delay=0.0,
        max_bytes=5 * 1024 * 1024, url_guard=guard,
    )
    return Fetcher(settings, transport=guard.transport())


def fetch_problem(result: FetchResult) -> str:
    """A failed fetch in words."""
    return error_in_words(result.outcome.value, result.error, result.status)


def discover(url: str, *, fetcher: Fetcher | None = None) -> Discovery:
    """Fetch `url` and propose sources from it; raises SourceError for a URL that is not
    http(s)."""
    url = url.strip()
    check_url(url)
    own = fetcher is None
    fetcher = fetcher or discovery_fetcher()
    try:
        return _discover(fetcher, url)
    finally:
        if own:
            fetcher.close()


def _follow(fetcher: Fetcher, url: str) -> tuple[str, str] | None:
    """The text and final URL of an HTML page, or None when it cannot be fetched."""
    result = fetcher.fetch(url)
    if not result.ok or is_feed(result.body, result.content_type):
        return None
    return result.text(), result.final_url


def _epaper_from_archive(fetcher: Fetcher, html: str, url: str) -> Proposal | None:
    """An e-paper proposal from the latest day index an archive page (往期回顾) links."""
    for link in day_index_links(html, url)[:1]:
        page = _follow(fetcher, link)
        if page is not None:
            return propose_epaper(*page)
    return None


def _discover(fetcher: Fetcher, url: str) -> Discovery:
    result = fetcher.fetch(url)
    if not result.ok:
        log.info("discovery of %s failed: %s %s", url, result.outcome, result.error)
        return Discovery(url, error=fetch_problem(result))
    found = Discovery(url)
    if is_feed(result.body, result.content_type):
        found.proposals.append(propose_feed(result.final_url, result.body, result.headers))
        found.title = found.proposals[0].note
        return found
    html, page_url = result.text(), result.final_url
    refresh = meta_refresh_url(html, url=page_url)
    if refresh:  # e-paper home pages often jump to today's day index this way
        html, page_url = _follow(fetcher, refresh) or (html, page_url)
    found.title = page_title(html)
    for feed_url in feed_links(html, page_url)[:MAX_FEEDS]:
        feed = fetcher.fetch(feed_url)
        if feed.ok and is_feed(feed.body, feed.content_type):
            found.proposals.append(propose_feed(feed.final_url, feed.body, feed.headers))
    page = propose_epaper(html, page_url) or _epaper_from_archive(fetcher, html, page_url) \
        or propose_list_page(html, page_url)
    if page is not None:
        found.proposals.append(page)
    if not found.proposals:
        found.error = _("此页面既没有订阅源，也不像电子报版面或文章列表页。")
    return found
