"""A day's JSON manifest: some e-papers draw their pages with a script from a JSON file that
lists the day's pages and articles.

:func:`manifest_url` finds the file a day page or a page advertises — a ``<link
rel="alternate" type="application/json">``, a ``<script src="….json">``, a ``data-*``
attribute or a ``fetch('….json')`` in a script — when it is dated like the issue or sits in
the page's folder. :func:`read_manifest` reads the articles' URLs, titles and pages from it,
whatever the keys are called (``url``/``href``/``link``, ``title``/``headline``, ``page``/
``pageNo``/``版次`` …); an empty result means "read the HTML instead".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from bs4 import BeautifulSoup

from scrapers.epaper_markup import clean
from scrapers.epaper_places import ASSET, any_url_date, generic_label, same_host, same_issue
from scrapers.epaper_types import EpaperPage, PageListing
from scrapers.urls import normalize_url, resolve_link

__all__ = ["JSON_TYPES", "inline_manifest", "manifest_url", "read_manifest"]

JSON_TYPES = ("application/json", "text/json", "application/javascript", "text/javascript",
              "text/plain", "application/octet-stream", "text/html")
_IN_SCRIPT = re.compile(r"""["'`]([^"'`\s<>]+?\.json(?:\?[^"'`\s<>]*)?)["'`]""")
_URL_KEYS = frozenset({"url", "href", "link", "contenturl", "articleurl", "articlelink",
                       "detailurl", "path", "page_url", "address", "weburl", "pcurl"})
_TITLE_KEYS = ("title", "maintitle", "headline", "zhuti", "主题", "标题", "name")
_PAGE_NUMBER_KEYS = ("pageno", "pagenum", "pagenumber", "page", "banci", "版次", "pageindex",
                     "pagelabel", "pagecode", "banmian", "版面", "layout", "number", "num", "no")
_PAGE_NAME_KEYS = ("pagename", "pagetitle", "banming", "版名", "name", "title", "label")
_IMAGE_KEYS = ("pageimage", "image", "img", "picurl", "pic", "jpg", "imageurl")
_PDF_KEYS = ("pdf", "pdfurl", "pagepdf")
_MAX_NODES = 20_000


def inline_manifest(html: str) -> str | None:
    """The text of a ``<script type="application/json">`` holding the day's data, or None."""
    soup = BeautifulSoup(html, "lxml")
    for script in soup.find_all("script"):
        kind = str(script.get("type") or "").split(";", 1)[0].strip().lower()
        if kind == "application/json" and not script.get("src"):
            return script.get_text()
    return None


def manifest_url(html: str, url: str, issue: date | None) -> str | None:
    """The JSON manifest a page advertises for its issue, or None."""
    soup = BeautifulSoup(html, "lxml")
    found: list[str] = []
    for link in soup.find_all("link", href=True):
        kind = str(link.get("type") or "").split(";", 1)[0].strip().lower()
        if kind == "application/json":
            found.append(str(link.get("href")))
    for node in soup.find_all(True):
        for name, value in node.attrs.items():
            if (name == "src" or name.startswith("data-")) and isinstance(value, str) \
                    and value.split("?", 1)[0].lower().endswith(".json"):
                found.append(value)
    for script in soup.find_all("script"):
        found.extend(_IN_SCRIPT.findall(script.get_text()))
    for href in found:
        target = resolve_link(href.strip(), url)
        if target and same_host(target, url) and same_issue(target, url, issue or
                                                            any_url_date(url)):
            return target
    return None


@dataclass
class _Story:
    url: str
    title: str
    number: int | None
    name: str
    code: str


@dataclass
class _Page:
    number: int | None = None
    name: str = ""
    code: str = ""
    url: str | None = None
    image: str | None = None
    pdf: str | None = None


def _key(name: str) -> str:
    return re.sub(r"[-_\s]", "", name).lower()


def _get(node: dict[str, Any], keys: tuple[str, ...]) -> Any:
    folded = {_key(str(k)): v for k, v in node.items()}
    return next((folded[key] for key in keys if folded.get(key) not in (None, "")), None)


def _page_of(value: Any) -> tuple[int | None, str, str]:
    """(number, name, code) of a page field: 2, "A02", "第02版：要闻"."""
    if isinstance(value, bool):
        return None, "", ""
    if isinstance(value, int):
        return value, "", f"{value:02d}"
    if isinstance(value, str):
        label = generic_label(value) or generic_label(value + "版")
        if label:
            return label
    return None, "", ""


def _link(node: dict[str, Any], base: str, keys: tuple[str, ...]) -> str | None:
    value = _get(node, keys)
    return resolve_link(value, base) if isinstance(value, str) else None


def _url_of(node: dict[str, Any], base: str) -> str | None:
    for key, value in node.items():
        if _key(str(key)) in _URL_KEYS and isinstance(value, str):
            target = resolve_link(value.strip(), base)
            if target and not ASSET.search(target.split("?", 1)[0]):
                return target
    return None


def _page_context(node: dict[str, Any], base: str, outer: _Page) -> _Page:
    number, name, code = _page_of(_get(node, _PAGE_NUMBER_KEYS))
    named = _get(node, _PAGE_NAME_KEYS)
    return _Page(number if number is not None else outer.number,
                 name or (clean(named) if isinstance(named, str) and number is not None
                          else outer.name),
                 code or outer.code, _url_of(node, base) or outer.url,
                 _link(node, base, _IMAGE_KEYS) or outer.image,
                 _link(node, base, _PDF_KEYS) or outer.pdf)


def _stories(node: Any, base: str, page: _Page, budget: list[int]
             ) -> list[tuple[_Story, _Page]]:
    """The stories under ``node`` with the page each sits on; a dict with a URL and a title
    that holds no stories of its own is one."""
    budget[0] -= 1
    if budget[0] < 0:
        return []
    if isinstance(node, list):
        return [found for item in node for found in _stories(item, base, page, budget)]
    if not isinstance(node, dict):
        return []
    inner = _page_context(node, base, page)
    found: list[tuple[_Story, _Page]] = []
    for key, value in node.items():
        if isinstance(value, list | dict):
            keyed = _page_of(key) if isinstance(key, str) else (None, "", "")
            here = _Page(keyed[0], keyed[1], keyed[2], inner.url, inner.image,
                         inner.pdf) if keyed[0] is not None else inner
            found.extend(_stories(value, base, here, budget))
    target = _url_of(node, base)
    title = _get(node, _TITLE_KEYS)
    if found or not target or not isinstance(title, str):
        return found
    number, name, code = _page_of(_get(node, _PAGE_NUMBER_KEYS))
    return [(_Story(target, clean(title), number, name, code), page)]


@dataclass
class _Held:
    page: _Page
    urls: dict[str, str]
    titles: dict[str, str]


def read_manifest(text: str, *, url: str, issue: date | None) -> tuple[PageListing, ...]:
    """The pages and their articles (same host, not another day's) a manifest lists; () when
    it is not JSON or lists none. Relative URLs are read against ``url``, the page that
    advertised the file, as its script's links would be."""
    try:
        return _listings(json.loads(text), url, issue)
    except (ValueError, RecursionError):
        return ()


def _listings(data: Any, url: str, issue: date | None) -> tuple[PageListing, ...]:
    found = _stories(data, url, _Page(), [_MAX_NODES])
    pages: dict[tuple[int, str], _Held] = {}
    for story, page in found:
        if not same_host(story.url, url) or same_issue(story.url, url, issue) is False:
            continue
        number = story.number if story.number is not None else page.number
        held = pages.setdefault((number or 0, story.code or page.code), _Held(page, {}, {}))
        key = normalize_url(story.url)
        held.urls.setdefault(key, story.url)
        if story.title and not held.titles.get(key):
            held.titles[key] = story.title
    return tuple(_listing(held, number, code, url) for (number, code), held in pages.items())


def _listing(held: _Held, number: int, code: str, base: str) -> PageListing:
    page = held.page
    name = page.name if code else ""
    label = f"{code}版：{name}" if code and name else (f"{code}版" if code else "")
    return PageListing(
        page=EpaperPage(page.url or base, number, name, label),
        article_urls=tuple(held.urls.values()), image_url=page.image, pdf_url=page.pdf,
        titles=tuple((held.urls[key], title) for key, title in held.titles.items()))
