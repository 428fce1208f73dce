"""Where things sit on an e-paper page of any publishing system: page labels in link texts
(``A01版``, ``第01版：要闻``, ``01版 要闻``, ``A1 要闻``), the date in a URL's path or query,
navigation and footer blocks, positioned boxes over the page image.

Used by the generic reader (:mod:`scrapers.epaper_generic`) and the day manifests
(:mod:`scrapers.epaper_manifest`); nothing here knows one system's file names.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import unquote, urlsplit

from bs4 import Tag

from scrapers.epaper_markup import clean
from scrapers.urls import normalize_url

__all__ = ["ASSET", "any_url_date", "box_coords", "generic_label", "in_chrome", "is_box",
           "is_nav_text", "link_text", "same_host", "same_issue"]

_NAME = r"[\u4e00-\u9fff][\u4e00-\u9fff \u3000\xa0·]{0,11}"
# Whole link texts only: 第01版：要闻, 第A1版, 01版 要闻, A01版, A1 要闻, A01：要闻, 02 要闻.
_LABELS = (
    re.compile(rf"^第\s*([A-Za-z]?\d{{1,3}})\s*版\s*[:：]?\s*({_NAME})?$"),
    re.compile(rf"^([A-Za-z]?\d{{1,3}})\s*版\s*[:：]?\s*({_NAME})?$"),
    re.compile(rf"^([A-Za-z]\d{{1,3}})\s*[:：]?\s*({_NAME})?$"),
    re.compile(rf"^([A-Za-z]?\d{{1,3}})\s*[:：\-—]\s*({_NAME})$"),
    re.compile(rf"^(0\d{{1,2}})\s+({_NAME})$"),  # 02 要闻: zero-padded, as no headline is
)
_MAX_LABEL = 24
# 2024-05-12, 2024-05/12, 2024_5_12, 20240512 (run together: two digits each).
_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})(?:[-_/.](\d{1,2})[-_/.](\d{1,2})|(\d{2})(\d{2}))(?!\d)")
ASSET = re.compile(r"\.(?:jpe?g|png|gif|webp|bmp|svg|pdf|json|js|css|zip|rar|docx?|xlsx?)$",
                   re.I)
_NAV_TEXTS = frozenset({
    "上一版", "下一版", "前一版", "后一版", "上一期", "下一期", "上一篇", "下一篇", "首页", "返回",
    "往期", "往期回顾", "往期查阅", "过刊", "过刊检索", "版面导航", "标题导航", "版面", "目录",
    "pdf", "pdf下载", "下载", "打印", "放大", "缩小", "关闭", "回到顶部", "返回目录", "本版",
    "返回版面", "返回首页", "更多", "登录", "注册", "检索", "搜索",
})
_CHROME_TAGS = frozenset({"nav", "footer", "header"})
_CHROME_WORD = re.compile(
    r"(?:^|[-_])(?:foot(?:er)?|copyright|copy|nav(?:bar)?|menu|header|banner|logo|crumbs?|"
    r"breadcrumb|toolbar|share|friend-?links?|links)(?:$|[-_\d])", re.I)
_STYLE_BOX = re.compile(r"(?<![-\w])(left|top|width|height)\s*:\s*(-?\d+(?:\.\d+)?)(px|%)?",
                        re.I)


def link_text(node: Tag) -> str:
    """A link's visible text, else its title or alt."""
    return clean(node.get_text()) or clean(str(node.get("title") or node.get("alt") or ""))


def generic_label(text: str) -> tuple[int, str, str] | None:
    """(number, name, code) of a page label written as a whole link text, else None: ``A01版``
    is (1, "", "A01"), ``第02版：要闻`` (2, "要闻", "02")."""
    text = clean(text)
    if not text or len(text) > _MAX_LABEL:
        return None
    for pattern in _LABELS:
        match = pattern.match(text)
        if match:
            code = match.group(1)
            return int(re.sub(r"\D", "", code)), clean(match.group(2) or ""), code
    return None


def is_nav_text(text: str) -> bool:
    """True for the words of navigation links (上一版, 往期回顾, PDF下载 …)."""
    word = re.sub(r"[\s<>《》«»【】\[\]()（）:：|>]+", "", text).lower()
    return word in _NAV_TEXTS


def any_url_date(url: str) -> date | None:
    """The first date in a URL's path or query (``2024-05/12``, ``20240512``, ``2024_05_12``,
    ``?date=2024-05-12``), or None."""
    parts = urlsplit(url)
    for match in _DATE.finditer(unquote(f"{parts.path}?{parts.query}")):
        month, day = (match[2], match[3]) if match[2] else (match[4], match[5])
        try:
            return date(int(match[1]), int(month), int(day))
        except ValueError:
            continue
    return None


def same_host(link: str, page_url: str) -> bool:
    """True when both URLs are on the same host (and port)."""
    return urlsplit(normalize_url(link)).netloc == urlsplit(normalize_url(page_url)).netloc


def same_issue(link: str, page_url: str, issue: date | None) -> bool | None:
    """True when ``link`` carries the issue's date (or sits in the page's folder), False when
    it carries another date, None when it carries none (the caller decides by its place)."""
    if normalize_url(link).rsplit("/", 1)[0] == normalize_url(page_url).rsplit("/", 1)[0]:
        return True
    when = any_url_date(link)
    if when is None:
        return None
    return issue is not None and when == issue


def in_chrome(node: Tag) -> bool:
    """True when the node sits in a header, footer, menu or navigation block."""
    for parent in node.parents:
        if not isinstance(parent, Tag) or parent.name in {"body", "html", "[document]"}:
            break
        if parent.name in _CHROME_TAGS:
            return True
        names = [str(parent.get("id") or ""), *(parent.get("class") or [])]
        if any(_CHROME_WORD.search(name) for name in names):
            return True
    return False


def _positioned(node: object) -> Tag | None:
    """The link itself or the box around it when absolutely positioned by its inline style."""
    for box in (node, getattr(node, "parent", None)):
        if isinstance(box, Tag) and "position:absolute" in \
                str(box.get("style") or "").replace(" ", "").lower():
            return box
    return None


def is_box(node: Tag) -> bool:
    """True for a link drawn as a box over the page image (absolutely positioned)."""
    return _positioned(node) is not None


def box_coords(node: Tag) -> str | None:
    """``left,top,right,bottom`` in pixels of an absolutely positioned link (or the box it
    sits in) over the page image, from its inline style; None when it is not such a box or
    its place is not given in pixels."""
    box = _positioned(node)
    if box is None:
        return None
    found = {key.lower(): (float(value), unit) for key, value, unit in
             _STYLE_BOX.findall(str(box.get("style") or ""))}
    if not {"left", "top", "width", "height"} <= found.keys():
        return None
    if any(unit == "%" for _value, unit in found.values()):
        return None  # a share of the image, not the pixels a clipping is cut by
    left, top = found["left"][0], found["top"][0]
    corners = (left, top, left + found["width"][0], top + found["height"][0])
    return ",".join(f"{value:g}" for value in corners)
