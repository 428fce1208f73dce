"""Reading an e-paper that is not Founder's, by where things sit rather than by file names.

From a day's entry page, the pages (版面) are the links whose text or title is a page label
(``A01版``, ``第01版：要闻``, ``01版 要闻``, ``A1 要闻``) and the links beside them in the same
navigation block. On a page, the articles are the links of the image map (``<area href>``), of
the boxes positioned over the page image, and of the page's list of titles: on the same host,
not navigation, not a page, not another day's. :func:`choose_family` tells a Founder site
(its ``node_N``/``content_N`` links) from any other.
"""

from __future__ import annotations

import re
from datetime import date

from bs4 import BeautifulSoup, Tag

from scrapers.epaper_fields import generic_fields
from scrapers.epaper_links import page_pdf, without_view_params
from scrapers.epaper_markup import clean
from scrapers.epaper_places import (
    ASSET,
    any_url_date,
    box_coords,
    generic_label,
    in_chrome,
    is_box,
    is_nav_text,
    link_text,
    same_host,
    same_issue,
)
from scrapers.epaper_types import FOUNDER, NEVER, DayIndex, EpaperFamily, EpaperPage, PageListing
from scrapers.urls import normalize_url, resolve_link

__all__ = ["GENERIC", "choose_family", "generic_index", "generic_page", "is_founder"]

_FOUNDER_PAGE = re.compile(r"node_\d+\.html?$")
_FOUNDER_ARTICLE = re.compile(r"content_[\d_]+\.html?$")
_TITLE_CJK = re.compile(r"[\u4e00-\u9fff]")
_MIN_TITLE, _MAX_TITLE = 4, 120
_CURRENT = re.compile(r"(?:^|[-_])(?:cur(?:rent)?|active|now|on|sel(?:ected)?)(?:$|[-_])", re.I)
# A page name beside the labels: 要闻, 文体, 国际新闻 (never a headline).
_PAGE_NAME = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff ]{0,5}")
_DATA_HREFS = ("data-href", "data-url", "data-link")
_PAGE_IMAGE = re.compile(r"page|layout|ban|bm|paper|pic", re.I)


def is_founder(html: str, url: str) -> bool:
    """True when the day page is a Founder e-paper's: its own name or its links are
    ``node_N.htm`` pages or ``content_N.htm`` articles."""
    if _FOUNDER_PAGE.search(url.split("?", 1)[0]):
        return True
    soup = BeautifulSoup(html, "lxml")
    for node in soup.find_all(["a", "area"], href=True):
        path = str(node.get("href")).split("?", 1)[0].split("#", 1)[0]
        if _FOUNDER_PAGE.search(path) or _FOUNDER_ARTICLE.search(path):
            return True
    return False


def _targets(soup: BeautifulSoup, url: str) -> list[tuple[str, Tag]]:
    """Each resolved link on the host (``<a>``, ``<area>``, a page menu's ``<option>``)."""
    found: list[tuple[str, Tag]] = []
    for node in soup.find_all(["a", "area", "option"]):
        href = node.get("value") if node.name == "option" else node.get("href")
        target = resolve_link(href, url) or next(  # href="#" or javascript: and the URL aside
            (aside for name in _DATA_HREFS if (aside := resolve_link(node.get(name), url))), None)
        if target and same_host(target, url) and not ASSET.search(target.split("?", 1)[0]):
            found.append((without_view_params(target), node))
    return found


def _page_links(soup: BeautifulSoup, url: str, issue: date | None) -> dict[str, EpaperPage]:
    """The day's pages a page links, by normalized URL, in the order first linked."""
    pages: dict[str, EpaperPage] = {}
    blocks: list[Tag] = []
    for target, node in _targets(soup, url):
        label = generic_label(link_text(node))
        if label is None or same_issue(target, url, issue) is False:
            continue
        number, name, code = label
        key = normalize_url(target)
        if key not in pages or not pages[key].label:
            pages[key] = EpaperPage(target, number, name, _label(code, name))
        if isinstance(node.parent, Tag):
            blocks.append(node.parent)
    _pages_beside_labels(soup, url, issue, blocks, pages)
    return pages


def _label(code: str, name: str) -> str:
    return f"{code}版：{name}" if name else f"{code}版"


def _pages_beside_labels(soup: BeautifulSoup, url: str, issue: date | None, blocks: list[Tag],
                         pages: dict[str, EpaperPage]) -> None:
    """Links without a label in a block of page links (``<li><a>要闻</a></li>`` beside
    ``<li><a>A01版</a></li>``): pages too when their text is a short page name and their URL
    is shaped like the labelled ones'."""
    shapes = {_shape(page.url) for page in pages.values()}
    containers = {id(block.parent): block.parent for block in blocks
                  if isinstance(block.parent, Tag) and block.name == "li"}
    containers.update({id(block): block for block in blocks if block.name != "li"})
    for container in containers.values():
        if not isinstance(container, Tag) or container.name in {"body", "html", "[document]"}:
            continue
        for node in container.find_all("a", href=True):
            target = resolve_link(node.get("href"), url)
            name = link_text(node)
            if (not target or normalize_url(target) in pages or _shape(target) not in shapes
                    or not _PAGE_NAME.fullmatch(name) or is_nav_text(name)
                    or same_issue(target, url, issue) is False):
                continue
            pages[normalize_url(target)] = EpaperPage(target, len(pages) + 1, name, "")


def _shape(url: str) -> str:
    """A URL with its digits blanked: pages of one paper share it."""
    return re.sub(r"\d+", "0", normalize_url(url).split("?", 1)[0])


def _own_page(soup: BeautifulSoup, url: str, pages: dict[str, EpaperPage]) -> EpaperPage:
    """This page as the page links name it, else by a label marked current, else by URL."""
    known = pages.get(normalize_url(url))
    if known is not None:
        return known
    for node in soup.find_all(True, class_=_CURRENT):
        label = generic_label(clean(node.get_text()))
        if label:
            return EpaperPage(url, label[0], label[1], _label(label[2], label[1]))
    match = re.search(r"(\d+)\D*$", url.split("?", 1)[0])
    return EpaperPage(url, int(match.group(1)) if match else 1, "", "")


def _frames(soup: BeautifulSoup, url: str, issue: date | None) -> dict[str, EpaperPage]:
    """The frames of a day page without labelled page links (an older frameset: the page
    list in one frame, the page in another), as pages to read."""
    pages: dict[str, EpaperPage] = {}
    for frame in soup.find_all(["frame", "iframe"], src=True):
        target = resolve_link(frame.get("src"), url)
        if (target and same_host(target, url) and not ASSET.search(target.split("?", 1)[0])
                and same_issue(target, url, issue) is not False):
            pages.setdefault(normalize_url(target), EpaperPage(target, len(pages) + 1, "", ""))
    return pages


def generic_index(html: str, url: str) -> DayIndex:
    """The pages of an issue a day page links, in the order linked; the day page itself,
    when no link names it, comes last (it may show a page of its own)."""
    soup = BeautifulSoup(html, "lxml")
    issue = any_url_date(url)
    pages = _page_links(soup, url, issue) or _frames(soup, url, issue)
    own = pages.get(normalize_url(url)) or _own_page(soup, url, pages)
    listed = list(pages.values())
    return DayIndex(tuple(listed if own in listed else [*listed, own]))


def _is_title(text: str) -> bool:
    return (_MIN_TITLE <= len(text) <= _MAX_TITLE and len(_TITLE_CJK.findall(text)) >= 2
            and generic_label(text) is None and not is_nav_text(text))


def _article_links(soup: BeautifulSoup, url: str, issue: date | None,
                   pages: dict[str, EpaperPage]) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(URL, title, box coords) of each article link on the page and, apart, the article-like
    links of other days."""
    ours: list[tuple[str, str, str]] = []
    others: list[str] = []
    own = normalize_url(url)
    for target, node in _targets(soup, url):
        key = normalize_url(target)
        if key in pages or key == own or node.name == "option" or is_nav_text(link_text(node)):
            continue
        coords = str(node.get("coords") or "").strip() if node.name == "area" else ""
        coords = coords or box_coords(node) or ""
        text = link_text(node)
        on_image = node.name == "area" or is_box(node)
        dated = same_issue(target, url, issue)
        # A menu of titles may be named like navigation (标题导航, ``title_nav``): a link dated
        # like the issue is kept wherever it sits, an undated one only outside such blocks.
        if not on_image and (not _is_title(text) or (dated is not True and in_chrome(node))):
            continue
        if dated is False:
            others.append(target)
        else:
            ours.append((target, text if _is_title(text) else "", coords))
    return ours, list(dict.fromkeys(others))


def _page_image(soup: BeautifulSoup, url: str) -> tuple[str | None, tuple[int, int] | None]:
    """The page image (the one an image map is drawn on, else the one the positioned boxes
    sit over, else one named like a page) and the size it is shown at."""
    image = soup.find("img", usemap=True)
    if not isinstance(image, Tag):
        image = _under_boxes(soup)
    if not isinstance(image, Tag):
        image = next((img for img in soup.find_all("img", src=True)
                      if any(_PAGE_IMAGE.search(str(value)) for value in
                             (img.get("id"), *(img.get("class") or []), img.get("src")))), None)
    if not isinstance(image, Tag):
        return None, None
    size = [_px(image.get("width")), _px(image.get("height"))]
    return resolve_link(image.get("src"), url), (size[0], size[1]) if size[0] and size[1] else None


def _under_boxes(soup: BeautifulSoup) -> Tag | None:
    """The image in the nearest block around the first link box placed over the page."""
    box = next((node for node in soup.find_all("a") if is_box(node)), None)
    for parent in box.parents if box is not None else ():
        if not isinstance(parent, Tag) or parent.name in {"body", "html"}:
            break
        image = parent.find("img", src=True)
        if isinstance(image, Tag):
            return image
    return None


def _px(value: object) -> int | None:
    match = re.fullmatch(r"\s*(\d{1,5})(?:px)?\s*", value) if isinstance(value, str) else None
    return int(match.group(1)) or None if match else None


def generic_page(html: str, url: str, issue_date: date | None) -> PageListing:
    """A page's own number/name, the issue's articles it links (image map, positioned boxes,
    title list; each once), their titles, the page image, its PDF and the map's outlines."""
    soup = BeautifulSoup(html, "lxml")
    issue = issue_date or any_url_date(url)
    pages = _page_links(soup, url, issue)
    page = _own_page(soup, url, pages)
    links, others = _article_links(soup, url, issue, pages)
    titles: dict[str, tuple[str, str]] = {}
    for target, text, _coords in links:
        key = normalize_url(target)
        if key not in titles or len(text) > len(titles[key][1]):
            titles[key] = (titles.get(key, (target, ""))[0], text)
    image, size = _page_image(soup, url)
    return PageListing(
        page=page, article_urls=tuple(target for target, _ in titles.values()),
        other_links=tuple(others), image_url=image, pdf_url=page_pdf(soup, url, page.number),
        areas=tuple((target, coords) for target, _t, coords in links if coords),
        image_size=size, titles=tuple((target, text) for target, text in titles.values()
                                      if text))


GENERIC = EpaperFamily(
    name="generic",
    page_link=NEVER,
    article_link=NEVER,
    parse_fields=generic_fields,
    read_index=generic_index,
    read_page=generic_page,
)


def choose_family(html: str, url: str) -> EpaperFamily:
    """The Founder family when the day page shows its marks, else the generic reader."""
    return FOUNDER if is_founder(html, url) else GENERIC
