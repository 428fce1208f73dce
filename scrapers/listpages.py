"""Article links from HTML list pages (栏目页), with per-source CSS selectors and pagination."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bs4 import BeautifulSoup, Tag

from scrapers.dates import DEFAULT_TZ, find_datetime, to_zone
from scrapers.encoding import decode_body
from scrapers.extract_text import strip_bidi
from scrapers.fetch import Fetcher, FetchResult, Outcome
from scrapers.listselect import is_prev_link
from scrapers.urls import is_malformed_link, normalize_url, resolve_link

logger = logging.getLogger(__name__)

__all__ = ["CrawlResult", "ListItem", "ListPage", "StopReason", "crawl_list", "parse_list_page"]

_NEXT_TEXTS = frozenset({"下一页", "下页", "后一页", "下一頁", "next", "next page", "»", "›", ">>"})
_CONTAINERS = ("li", "tr", "dd", "dt", "p", "div")
_ELLIPSIS = re.compile(r"(\.\.\.|…+)$")


@dataclass(frozen=True, slots=True)
class ListItem:
    """One article link on a list page."""

    url: str
    title: str
    published_at: datetime | None


@dataclass(frozen=True, slots=True)
class ListPage:
    """The links of one list page and the URL of the next page, if any."""

    url: str
    links: tuple[ListItem, ...]
    next_url: str | None
    # Links matched by the selector but skipped because they could not be read (a malformed
    # URL such as ``http://[::1``): counted for the source's health page, never raised.
    skipped: int = 0


class StopReason(StrEnum):
    """Why :func:`crawl_list` stopped."""

    LAST_PAGE = "last_page"
    PAGE_LIMIT = "page_limit"
    LOOP = "pagination_loop"
    OLDER_THAN_STOP = "older_than_stop"
    FETCH_FAILED = "fetch_failed"


@dataclass(frozen=True, slots=True)
class CrawlResult:
    """Links gathered over several list pages; ``failure`` is the fetch that ended the crawl."""

    items: tuple[ListItem, ...]
    pages: tuple[str, ...]
    stop_reason: StopReason
    failure: FetchResult | None = None
    skipped: int = 0  # unreadable links over all pages (see ListPage.skipped)


def _text(node: Tag) -> str:
    return " ".join(strip_bidi(node.get_text(" ")).split())


def _anchor(node: Tag) -> Tag | None:
    if node.name == "a" and node.get("href"):
        return node
    found = node.find("a", href=True)
    return found if isinstance(found, Tag) else None


def _container(node: Tag, anchor: Tag) -> Tag:
    """The list item around a link: the matched node itself, or the nearest list-like parent."""
    if node is not anchor:
        return node
    parent = anchor.find_parent(_CONTAINERS)
    return parent if isinstance(parent, Tag) else anchor


def _title(anchor: Tag, container: Tag, selector: str | None) -> str:
    if selector:
        found = container.select_one(selector)
        if found is not None:
            return _text(found)
    text = _text(anchor)
    attribute = anchor.get("title")
    if isinstance(attribute, str) and attribute.strip() and (not text or _ELLIPSIS.search(text)):
        return attribute.strip()
    return text


def _nearby_texts(anchor: Tag, container: Tag, links_inside: int) -> Iterable[str]:
    """Text close to the link, nearest first: siblings, then the container if it is ours alone."""
    if isinstance(anchor.next_sibling, str):
        yield str(anchor.next_sibling)
    for sibling in (*anchor.find_next_siblings(limit=2), *anchor.find_previous_siblings(limit=2)):
        yield _text(sibling)
    if container is not anchor and links_inside == 1:
        yield _text(container)


def _date(
    anchor: Tag, container: Tag, selector: str | None, tz: str, now: datetime | None
) -> datetime | None:
    if selector:
        found = container.select_one(selector)
        if found is None:
            return None
        stamped = found if found.get("datetime") else found.select_one("[datetime]")
        raw = (stamped.get("datetime") if isinstance(stamped, Tag) else None) or found.get("title")
        for text in (raw if isinstance(raw, str) else "", _text(found)):
            value = find_datetime(text, tz=tz, now=now) if text else None
            if value:
                return value
        return None
    links_inside = len(container.find_all("a", href=True)) if container is not anchor else 1
    for text in _nearby_texts(anchor, container, links_inside):
        value = find_datetime(text, tz=tz, now=now) if text.strip() else None
        if value:
            return value
    return None


def _base_url(soup: BeautifulSoup, url: str) -> str:
    base = soup.find("base", href=True)
    href = base.get("href") if isinstance(base, Tag) else None
    return resolve_link(href, url) or url


def find_next_url(soup: BeautifulSoup, base: str, *, selector: str | None = None) -> str | None:
    """The next-page URL: ``selector`` if given, else rel=next or a 下一页/next/» link."""
    if selector:
        # A selector that also catches the 上一页 link (a saved ``div.pages a``) must not walk
        # the list backwards: the first match that is not a previous-page link is taken.
        anchors = [a for a in (_anchor(node) for node in soup.select(selector)) if a is not None]
        anchor = next((a for a in anchors if not is_prev_link(a)), None)
        href = anchor.get("href") if anchor is not None else None
        return resolve_link(href, base)
    for node in soup.find_all(["a", "link"], href=True):
        raw_rel = node.get("rel")
        rel = list(raw_rel) if isinstance(raw_rel, list) else str(raw_rel or "").split()
        text = _text(node).lower().strip("[]【】 ")
        if ("next" in rel or text in _NEXT_TEXTS) and not (node.name == "a"
                                                            and is_prev_link(node)):
            resolved = resolve_link(node.get("href"), base)
            if resolved:
                return resolved
    return None


def parse_list_page(
    html: str,
    *,
    url: str,
    link_selector: str,
    title_selector: str | None = None,
    date_selector: str | None = None,
    next_selector: str | None = None,
    tz: str = DEFAULT_TZ,
    now: datetime | None = None,
) -> ListPage:
    """Extract article links (with titles and dates) and the next-page URL from ``html``.

    ``link_selector`` matches links or their list items; ``title_selector`` and
    ``date_selector`` are relative to the item. Without a date selector a date printed next
    to the link is used. Duplicates, ``javascript:`` and ``mailto:`` links are dropped.
    """
    soup = BeautifulSoup(html, "lxml")
    base = _base_url(soup, url)
    seen: set[str] = set()
    links: list[ListItem] = []
    skipped = 0
    for node in soup.select(link_selector):
        try:
            item = _list_item(node, base, title_selector=title_selector,
                              date_selector=date_selector, tz=tz, now=now)
        except Exception as error:  # noqa: BLE001 - one hostile link must not silence the page
            logger.info("list page %s: skipped a link: %r", url, error)
            skipped += 1
            continue
        if item is None:
            href = anchor.get("href") if (anchor := _anchor(node)) is not None else None
            skipped += is_malformed_link(href, base)
            continue
        if normalize_url(item.url) not in seen:
            seen.add(normalize_url(item.url))
            links.append(item)
    next_url = find_next_url(soup, base, selector=next_selector)
    if next_url and normalize_url(next_url) == normalize_url(url):
        next_url = None
    return ListPage(url=url, links=tuple(links), next_url=next_url, skipped=skipped)


def _list_item(node: Tag, base: str, *, title_selector: str | None,
               date_selector: str | None, tz: str, now: datetime | None) -> ListItem | None:
    """The link of one matched node, or None when it has no usable link."""
    anchor = _anchor(node)
    target = resolve_link(anchor.get("href"), base) if anchor is not None else None
    if anchor is None or target is None:
        return None
    container = _container(node, anchor)
    title = _title(anchor, container, title_selector)
    return ListItem(target, title, _date(anchor, container, date_selector, tz, now))


def _all_older(links: Iterable[ListItem], stop_before: datetime) -> bool:
    dated = [item.published_at for item in links if item.published_at is not None]
    return bool(dated) and all(when < stop_before for when in dated)


def crawl_list(
    fetcher: Fetcher,
    start_url: str,
    *,
    link_selector: str,
    title_selector: str | None = None,
    date_selector: str | None = None,
    next_selector: str | None = None,
    max_pages: int = 5,
    stop_before: datetime | None = None,
    tz: str = DEFAULT_TZ,
    now: datetime | None = None,
) -> CrawlResult:
    """Follow a list's pagination from ``start_url`` for at most ``max_pages`` pages.

    Stops at the last page, a pagination loop, a failed fetch, or (with ``stop_before``) a
    page whose dated links are all older than ``stop_before`` (naive means local to ``tz``);
    such older links are dropped.
    """
    if stop_before is not None and stop_before.tzinfo is None:
        stop_before = stop_before.replace(tzinfo=to_zone(tz))
    items: list[ListItem] = []
    skipped = 0
    seen_items: set[str] = set()
    pages: list[str] = []
    visited: set[str] = set()
    url: str | None = start_url
    while url is not None:
        if normalize_url(url) in visited:
            logger.info("pagination of %s loops back to %s", start_url, url)
            return CrawlResult(tuple(items), tuple(pages), StopReason.LOOP, skipped=skipped)
        if len(pages) >= max_pages:
            return CrawlResult(tuple(items), tuple(pages), StopReason.PAGE_LIMIT, skipped=skipped)
        visited.add(normalize_url(url))
        result = fetcher.fetch(url)
        if result.outcome is not Outcome.OK:
            logger.info("list page %s: %s", url, result.error or result.outcome)
            return CrawlResult(tuple(items), tuple(pages), StopReason.FETCH_FAILED, result,
                               skipped=skipped)
        visited.add(normalize_url(result.final_url))
        pages.append(result.final_url)
        page = parse_list_page(
            decode_body(result.body, content_type=result.content_type),
            url=result.final_url,
            link_selector=link_selector,
            title_selector=title_selector,
            date_selector=date_selector,
            next_selector=next_selector,
            tz=tz,
            now=now,
        )
        skipped += page.skipped
        for item in page.links:
            key = normalize_url(item.url)
            too_old = stop_before and item.published_at and item.published_at < stop_before
            if key not in seen_items and not too_old:
                seen_items.add(key)
                items.append(item)
        if stop_before is not None and _all_older(page.links, stop_before):
            return CrawlResult(tuple(items), tuple(pages), StopReason.OLDER_THAN_STOP,
                               skipped=skipped)
        url = page.next_url
    return CrawlResult(tuple(items), tuple(pages), StopReason.LAST_PAGE, skipped=skipped)
