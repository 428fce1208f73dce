"""Where things are in a Founder e-paper's URLs and pages: the issue date in a path, whether a
link belongs to the issue, the image map's areas, the page image and the page PDF."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag

from scrapers.urls import normalize_url, resolve_link

__all__ = ["folder", "image_map_areas", "in_issue", "page_image", "page_image_size", "page_pdf",
           "url_date", "without_view_params"]

_URL_DATE = re.compile(r"(\d{4})-?(\d{2})[/-]?(\d{2})(?=/)")
_VIEW_PARAMS = frozenset({"div"})  # which part of the page image a link highlights
_LAST_NUMBER = re.compile(r"(\d+)\D*$")


def folder(url: str) -> str:
    """The folder of ``url`` (normalized, without the file name)."""
    return normalize_url(url).rsplit("/", 1)[0]


def url_date(url: str) -> date | None:
    """The issue date in an e-paper URL's path (``2006-04/25``, ``202302/11``), or None."""
    match = _URL_DATE.search(urlsplit(url).path)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def in_issue(link: str, page_url: str, issue: date | None) -> bool:
    """True when ``link`` belongs to the issue of ``page_url``: in the page's folder (the older
    template), or on the same host under the issue's date (the newer one keeps pages in
    ``pc/layout/…`` and articles in ``pc/content/…``). Other days and footer links are not."""
    if folder(link) == folder(page_url):
        return True
    same_host = urlsplit(link).netloc.lower() == urlsplit(page_url).netloc.lower()
    return issue is not None and same_host and url_date(link) == issue


def without_view_params(url: str) -> str:
    """An article link without the image map's ``?div=0`` / ``?div=-1`` (one story, one URL)."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if k.lower() not in _VIEW_PARAMS]
    return urlunsplit(parts._replace(query=urlencode(kept)))


def page_image(soup: BeautifulSoup, url: str) -> str | None:
    """The page image: the picture the image map is drawn on."""
    image = soup.find("img", usemap=True)
    return resolve_link(image.get("src"), url) if isinstance(image, Tag) else None


def page_image_size(soup: BeautifulSoup) -> tuple[int, int] | None:
    """The (width, height) the page shows its image at, which its image map is drawn for."""
    image = soup.find("img", usemap=True)
    if not isinstance(image, Tag):
        return None
    sizes = [_pixels(image.get("width")), _pixels(image.get("height"))]
    return (sizes[0], sizes[1]) if sizes[0] and sizes[1] else None


def _pixels(value: object) -> int | None:
    match = re.fullmatch(r"\s*(\d{1,5})(?:px)?\s*", value) if isinstance(value, str) else None
    return int(match.group(1)) or None if match else None


def page_pdf(soup: BeautifulSoup, url: str, number: int) -> str | None:
    """The page's PDF: the only PDF link, or the one whose file name ends in its number."""
    pdfs = [target for node in soup.find_all("a", href=True)
            if (target := resolve_link(node.get("href"), url))
            and urlsplit(target).path.lower().endswith(".pdf")]
    pdfs = list(dict.fromkeys(pdfs))
    if len(pdfs) == 1:
        return pdfs[0]
    return next((pdf for pdf in pdfs if _last_number(pdf) == number), None)


def image_map_areas(soup: BeautifulSoup, url: str, article_link: re.Pattern[str]
                    ) -> tuple[tuple[str, str], ...]:
    """(article URL, coords) of each image-map area; a story may have several areas."""
    found: list[tuple[str, str]] = []
    for area in soup.find_all("area", href=True):
        target = resolve_link(area.get("href"), url)
        coords = area.get("coords")
        if target and isinstance(coords, str) and article_link.search(
                urlsplit(target).path):
            found.append((without_view_params(target), coords.strip()))
    return tuple(found)




def _last_number(url: str) -> int | None:
    match = _LAST_NUMBER.search(urlsplit(url).path)
    return int(match.group(1)) if match else None
