"""Article metadata from a parsed page: title, publication date and the credit lines.

Chinese news pages print their credits as short lines near the headline or at the foot of the
story: ``来源：新华网``, ``责任编辑：李四``, ``（记者 张三）``, ``第01版：要闻``. The functions here
read those lines, and the ``<meta>`` tags, and leave the body text to :mod:`scrapers.extract`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from lxml import html

from scrapers.bylines import clean_author, signature
from scrapers.dates import find_datetime, parse_datetime
from scrapers.extract_text import normalize_space

logger = logging.getLogger(__name__)

_DATE_META_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "pubdate",
    "publishdate",
    "publish_date",
    "publish-date",
    "publishtime",
    "publish_time",
    "datepublished",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "sailthru.date",
    "weibo:article:create_at",
    "firstpublishedtime",
    "article:published",
    "date",
)
_TITLE_SEPARATORS = re.compile(r"\s*(?:_|\||｜|\s-\s|-(?=\S*$)|–|—(?!—)|::|·\s)\s*")
_MAX_SUFFIX = 24
# A trailing site name that needs no separator but a space: 中安在线, 江川日报, www.x.cn.
_SITE_NAME = re.compile(
    r"\s+(?:[\u4e00-\u9fff]{1,10}(?:网|网站|在线|频道|日报|晚报|报|客户端|电视台|广播电台)"
    r"|(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org|gov|edu)(?:\.cn)?)$",
    re.IGNORECASE,
)
_QUOTES = "\"'"
_MIN_TITLE = 4

_NAME = (
    r"(?!责任|责编|编辑|来源|采访|字号|点击|浏览|阅读|分享|打印|关闭|收藏|评论|发布|时间|日期)"
    r"(?:[\u4e00-\u9fff]{1,4}[·•][\u4e00-\u9fff·•]{1,8}|[\u4e00-\u9fff]{2,4})(?![:：])"
)
_NAMES = rf"{_NAME}(?:(?:[、，,/]|\s+)(?!摄|报道|编辑|来源|发布)\s*{_NAME})*"
_END = r"(?:报道|摄影|摄|等|通讯员|实习生)?(?=$|[^\u4e00-\u9fff·•])"
_CREDIT_STOP = re.compile(
    r"\s+|[|｜丨【】\[\]（）()<>《》]|"
    r"(?:作者|记者|编辑|责任编辑|责编|时间|发布|日期|字号|浏览|阅读|点击|分享|评论|通讯员|摄影|"
    r"打印|关闭|纠错|来源)[:：]?|(?:19|20)\d{2}[-/.年]"
)
_SOURCE = re.compile(
    r"(?<!图片)(?<!图)(?<!照片)(?<!视频)(?<!数据)(?<!资料)"
    r"(?:稿件来源|文章来源|新闻来源|信息来源|来源|来自|出处)\s*(?:[:：|｜丨]\s*)(.*)"
)
_FOOTNOTE = re.compile(r"^(?:[\[［(（]\d{1,3}[\]］)）]|\d{1,3}\.\s|[①-⑳])")
_EDITOR = re.compile(rf"(?:责任编辑|责编|值班编辑|编辑|编审)\s*(?:[:：/丨|｜]\s*)({_NAMES}){_END}")
_AUTHOR_LABEL = re.compile(
    rf"(?:作者|撰文|(?:(?<=^)|(?<=[\s（(【\[]))(?:图文|文))\s*(?:[:：/丨|｜]\s*)({_NAMES}){_END}"
)
_REPORTER = re.compile(
    rf"(?:(?<=^)|(?<=[\s（(【\[:：社报台网刊视站]))记者\s*[:：]?\s*({_NAMES})"
    r"(?:报道|等|通讯员|实习生)?(?=$|[^\u4e00-\u9fff·•])(?!\s*摄)"
)
_PAGE = re.compile(
    r"(?:第\s*(?P<n1>[A-Za-z]?\d{1,3})\s*版|(?<![A-Za-z\d])(?P<n2>[A-Z]\d{1,2}|\d{2})\s*版(?![权本面]))"
    r"(?:\s*[:：]\s*(?P<name>[\u4e00-\u9fffA-Za-z·]{1,12}))?"
)
_DATE_LABEL = re.compile(
    r"(?:(?<=^)|(?<=[\s【\[（(|｜]))"
    r"(?:发布时间|发表时间|发稿时间|发布日期|发表日期|更新时间|时间|日期|发布于|发表于)\s*[:：]?"
)
# How many lines from the top of the story a signature (本报评论员) is looked for on.
_SIGNATURE_LINES = 20  # the 15 header lines `extract` puts first, and the text's opening
_PAGE_LINE_MAX = 60
_DATELINE_REACH = 5  # block elements under the headline searched for an unlabelled dateline
_HEADLINE_SLACK = 20  # an <h1> may carry more than the chosen title (a 副题, a site name)
# A dateline printed alone: digits, date and time words, a weekday, brackets; nothing else
# ("最新文章于 2024-05-07 发布" under a headline dates another page).
_BARE_DATELINE = re.compile(
    r"[\s\d年月日时分秒:：/.\-()（）\[\]【】|｜星期周一二三四五六天上下午]+"
)
# A meta author is often the site or channel, spelt any way it likes.
_NOT_A_PERSON = re.compile(r"[A-Za-z0-9._/@]|网|报|社|新闻|财经|频道|中心|客户端|传媒|媒体")
_HAS_TIME = re.compile(r"\d{1,2}\s*[:时]\s*\d{2}")


@dataclass(frozen=True, slots=True)
class Credits:
    """Who wrote, edited and originally published an article, and where it was printed."""

    author: str | None = None
    editor: str | None = None
    source: str | None = None
    page_number: str | None = None
    page_name: str | None = None


def meta_content(tree: html.HtmlElement, *keys: str) -> str | None:
    """Return the first non-empty ``<meta>`` content whose name/property/itemprop is in ``keys``.

    Keys are compared case-insensitively, in the order given.
    """
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = normalize_space(meta.get("content") or "")
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (meta.get(attr) or "").strip().lower()
            if key and key not in found:
                found[key] = content
    for key in keys:
        value = found.get(key.lower())
        if value:
            return value
    return None


def strip_site_suffix(title: str) -> str:
    """Drop trailing site and channel names such as ``_新华网`` or ``-人民网`` from a title."""
    title = normalize_space(title)
    while True:
        site = _SITE_NAME.search(title)
        if site and len(title[: site.start()]) >= _MIN_TITLE:
            title = title[: site.start()].rstrip(" -_|｜")
            continue
        pieces = list(_TITLE_SEPARATORS.finditer(title))
        if not pieces:
            return title
        last = pieces[-1]
        head, tail = title[: last.start()].strip(), title[last.end() :].strip()
        if len(head) < _MIN_TITLE or len(tail) > _MAX_SUFFIX or len(tail) > len(head):
            return title
        title = head


def extract_title(tree: html.HtmlElement) -> str | None:
    """Pick the headline: og:title or an ``<h1>`` that matches the ``<title>``, else the title.

    Site suffixes are stripped from whichever is chosen.
    """
    title_el = tree.find(".//title")
    page_title = normalize_space(title_el.text_content()) if title_el is not None else ""
    if len(page_title) >= _MIN_TITLE and any(
            normalize_space(h.text_content()) == page_title for h in tree.iter("h1")):
        # The page's headline is its whole <title>: a "——" or " - " in it is the headline's
        # own (a subtitle), not a site name.
        return page_title
    base = strip_site_suffix(page_title) if page_title else ""
    candidates: list[str] = []
    og = meta_content(tree, "og:title", "twitter:title", "articletitle", "headline")
    if og:
        candidates.append(og)
    for tag in ("h1", "h2"):
        candidates.extend(normalize_space(h.text_content()) for h in tree.iter(tag))
    for candidate in candidates:
        clean = strip_site_suffix(candidate)
        if len(clean) < _MIN_TITLE or not base:
            continue
        if base.startswith(clean):
            return _uncut(clean, base, candidates)
        if clean.startswith(base):
            return base
    if og:
        # No <title> to agree with: an <h1> that continues the og:title after a quote wins.
        clean = strip_site_suffix(og)
        headings = (strip_site_suffix(c) for c in candidates[1:])
        return _uncut(clean, next((h for h in headings if h.startswith(clean)), clean), candidates)
    headline = _lone_headline(tree, page_title)
    if headline:
        return headline
    return base or next((strip_site_suffix(c) for c in candidates if len(c) >= _MIN_TITLE), None)


def _uncut(title: str, base: str, candidates: list[str]) -> str:
    """The full headline when ``title`` (an og:title) was cut at an unescaped ASCII quote.

    ``content="劳模"工匠"进校园"`` reads as ``劳模``; the ``<title>`` and an ``<h1>`` that agree
    on the longer headline are believed instead.
    """
    if not base[len(title) :].lstrip().startswith(tuple(_QUOTES)):
        return title
    headings = (strip_site_suffix(c) for c in candidates if c != title)
    return max((h for h in headings if base.startswith(h) and len(h) > len(title)), key=len,
               default=base)  # fmt: skip


def _lone_headline(tree: html.HtmlElement, page_title: str) -> str | None:
    """The page's only ``<h1>``, when it is not a logo link or the site name in the title.

    Newspaper e-paper pages title every article with the paper's name and put the
    headline in an ``<h1>`` only.
    """
    headings = list(tree.iter("h1"))
    if len(headings) != 1 or headings[0].find(".//a") is not None:
        return None
    text = normalize_space(headings[0].text_content())
    if len(text) < 6 or len(text) > 80 or text in page_title:
        return None
    return text


def extract_date(
    tree: html.HtmlElement,
    lines: list[str],
    *,
    tz: str,
    header_lines: list[str] | None = None,
    title: str | None = None,
) -> tuple[datetime | None, str | None]:
    """Find the publication date: meta tags, ``<time>``, a labelled visible line, a credit
    line with a full date, an unlabelled dateline within the few lines under the headline
    ``title``, then the nearest full date in ``header_lines`` (the lines above the body).
    Returns the date and where it came from."""
    raw = meta_content(tree, *_DATE_META_KEYS)
    if raw:
        value = parse_datetime(raw, tz=tz)
        if value is not None:
            if not _HAS_TIME.search(raw):
                return with_visible_time(value, lines, tz=tz), "meta"
            return value, "meta"
    for time_el in tree.iter("time"):
        value = parse_datetime(time_el.get("datetime") or time_el.text_content(), tz=tz)
        if value is not None:
            return value, "time"
    return _date_from_lines(lines, header_lines or [], tz=tz, title=title)


def _date_from_lines(
    lines: list[str], header_lines: list[str], *, tz: str, title: str | None
) -> tuple[datetime | None, str | None]:
    for line in lines:
        if len(line) > 120:
            continue
        match = _DATE_LABEL.search(line)
        if match:
            value = _full_date(line[match.end() :], tz=tz)
            if value is not None:
                return value, "label"
    for line in lines:
        if len(line) <= 80 and ("来源" in line or "作者" in line or "编辑" in line):
            value = _full_date(line, tz=tz)
            if value is not None:
                return value, "credit line"
    value = _dateline_under_headline(lines, title, tz=tz)
    if value is not None:
        return value, "under the headline"
    for line in reversed(header_lines):
        if len(line) <= 80:
            value = _full_date(line, tz=tz)
            if value is not None:
                return value, "above the body"
    return None, None


def _dateline_under_headline(lines: list[str], title: str | None, *, tz: str) -> datetime | None:
    """A full date alone on one of the lines (block elements) just under the headline, such
    as ``2005年05月13日14:15`` printed with no label and nothing else."""
    if not title:
        return None
    for index, line in enumerate(lines):
        if line == title or (line.startswith(title) and len(line) <= len(title) + _HEADLINE_SLACK):
            for below in lines[index + 1 : index + 1 + _DATELINE_REACH]:
                value = _full_date(below, tz=tz) if _BARE_DATELINE.fullmatch(below) else None
                if value is not None:
                    return value
            return None
    return None


def with_visible_time(day: datetime, lines: list[str], *, tz: str) -> datetime:
    """Complete a date-only meta value with the time the page prints for the same day,
    preferring a credit or labelled line (来源, 发布, 时间)."""
    timed: list[tuple[bool, datetime]] = []
    for line in lines:
        if len(line) > 120 or not _HAS_TIME.search(line):
            continue
        value = _full_date(line, tz=tz)
        if value is not None and value.date() == day.date() and (value.hour or value.minute):
            credited = bool(re.search(r"来源|发布|发稿|时间|作者|编辑", line))
            timed.append((credited, value))
            if credited:
                break
    if not timed:
        return day
    return next((value for credited, value in timed if credited), timed[0][1])


def _full_date(text: str, *, tz: str) -> datetime | None:
    """A date from ``text`` only if it carries a year (avoids matching scores like 4-3)."""
    if not re.search(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}", text):
        return None
    return find_datetime(text, tz=tz)


def clean_credit(text: str) -> str | None:
    """Cut a credit value (``新华网 作者：王五 2006-04-25``) at the first space or label."""
    text = normalize_space(text).lstrip(":：|｜丨 ")
    match = _CREDIT_STOP.search(text)
    value = text[: match.start()] if match else text
    value = value.strip(" ,，。;；:：、-－—_")
    return value or None


def source_credit(line: str) -> str | None:
    """The outlet a labelled credit line names (``来源：新华社`` → 新华社); None without one."""
    match = _SOURCE.search(line) if len(line) <= 200 else None
    return clean_credit(match.group(1)) if match else None


def _labelled_credits(lines: list[str], links: frozenset[str]) -> dict[str, str | None]:
    """Credits printed with a label: 来源：, 责任编辑：, 作者：, 第01版：.

    A labelled editor or author that names nobody (``作者：新浪科技``) does not end the search.
    """
    found: dict[str, str | None] = {}
    for line in lines:
        if len(line) > 200:
            continue
        if "source" not in found and _SOURCE.search(line):
            found["source"] = source_credit(line)
        if not found.get("editor") and (match := _EDITOR.search(line)):
            found["editor"] = _byline(match, links)
        if not found.get("author") and (match := _AUTHOR_LABEL.search(line)):
            found["author"] = _byline(match, links)
        if (
            "page" not in found
            and len(line) <= _PAGE_LINE_MAX
            and not _FOOTNOTE.match(line)
            and (match := _PAGE.search(line))
        ):
            found["page"] = (match.group("n1") or match.group("n2")).upper()
            found["page_name"] = match.group("name")
    return found


def extract_credits(
    tree: html.HtmlElement,
    lines: list[str],
    *,
    title: str | None = None,
    links: frozenset[str] | None = None,
) -> Credits:
    """Read author, editor, source credit and newspaper page from the page's lines and meta.

    ``links`` are the texts of the page's links (:func:`link_texts`), when already read."""
    links = link_texts(tree) if links is None else links
    found = _labelled_credits(lines, links)
    editor = found.get("editor")
    author = found.get("author") or _reporter(lines, title=title, links=links) \
        or _signed(lines, links)
    if author is None:
        meta_author = meta_content(tree, "author", "article:author", "dc.creator", "byline")
        if meta_author and not _NOT_A_PERSON.search(meta_author):
            author = clean_author(meta_author, link_texts=links)
        author = None if author == editor else author
    source = found.get("source")
    if source is None:
        meta_source = meta_content(tree, "source", "article:source", "og:article:source")
        source = clean_credit(meta_source) if meta_source else None
    return Credits(author, editor, source, found.get("page"), found.get("page_name"))


def _signed(lines: list[str], links: frozenset[str]) -> str | None:
    """The paper's signature (本报评论员) on one of the first lines around the story — the
    header and the text's opening come first in ``lines`` — never a link's text (a sidebar
    "本报评论员：…" link to another piece signs nothing here)."""
    for line in lines[:_SIGNATURE_LINES]:
        if normalize_space(line) in links:
            continue
        if signed := signature(line):
            return signed
    return None


def _byline(match: re.Match[str], links: frozenset[str]) -> str | None:
    """The people named by a labelled byline match, judged with the rest of its line."""
    return clean_author(match.group(1), link_texts=links, line=match.string[match.start(1) :])


def link_texts(tree: html.HtmlElement) -> frozenset[str]:
    """The texts of the page's links, to tell a navigation list from a byline."""
    return frozenset(normalize_space(a.text_content()) for a in tree.iter("a"))


def _reporter(lines: list[str], *, title: str | None, links: frozenset[str]) -> str | None:
    """``记者 张三`` near the top of the story (first 400 characters of a line); a match that
    names nobody (``记者了解到``) is passed over."""
    for line in lines:
        if title and line == title:
            continue
        for match in _REPORTER.finditer(line[:400]):
            names = _byline(match, links)
            if names:
                return names
    return None
