"""Body text of an article page: per-source selectors, trafilatura, or readability-lxml.

The generic path runs trafilatura in precision mode and falls back to readability-lxml when the
result is empty, suspiciously short for the page, or looks like navigation (many short lines,
words such as 首页 / 网站地图 / 版权所有 / ICP备). A result that passes those tests but fails
the quality check of :mod:`scrapers.extract_quality` (it reads like comments, a rank list, a
disclaimer or a metadata table) has trafilatura's default mode, readability-lxml and the
densest prose blocks (:mod:`scrapers.extract_density`) judged against it; only then do the
extra candidates run, so a page that reads well costs one trafilatura call.
"""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass

import trafilatura
from lxml import etree, html
from lxml.cssselect import CSSSelector
from readability import Document

from scrapers.extract_density import dense_blocks
from scrapers.extract_quality import QualityCheck, may_replace
from scrapers.extract_text import BLOCK_TAGS, element_lines, normalize_space, parse_document

logger = logging.getLogger(__name__)

NAV_WORDS = re.compile(
    r"首页|网站地图|版权所有|ICP备|ICP证|公网安备|联系我们|关于我们|免责声明|广告服务|"
    r"返回顶部|上一篇|下一篇|扫一扫|客户端下载|违法和不良信息|Copyright|All Rights Reserved|"
    r"登录|注册|设为首页|加入收藏|分享到|相关阅读|相关新闻|热门推荐|猜你喜欢|友情链接",
    re.IGNORECASE,
)
_SHORT_LINE = 12
_HOPELESS = 0.6  # junk score above which neither extractor's result is worth keeping
_TRAILING_JUNK = re.compile(
    r"^(?:【?(?:纠错|打印|关闭|收藏|分享|字号|返回顶部|返回搜狐，查看更多|扫一扫)[^\n]{0,20}】?"
    r"|(?:特别声明|免责声明|版权声明|郑重声明|声明|Notice|Disclaimer)\s*[:：].*"
    r"|(?:责任编辑|编辑|责编|来源|作者)\s*[:：]?|.*返回.{1,8}查看更多"
    r"|(?:关键字|关键词|标签|Tags?)\s*[:：].{0,60}"
    # a footer line is short: a long paragraph that merely names 版权所有 is prose
    r"|(?=.{0,60}$).*(?:版权所有|ICP备|ICP证|公网安备|Copyright|All Rights Reserved).*)$",
    re.IGNORECASE,
)
# A closing investment disclaimer, one or several paragraphs long, on finance portals:
# nothing after its heading belongs to the story.
_DISCLAIMER_HEAD = re.compile(r"^【?(?:免责声明|风险提示|投资提示)】?\s*(?:[:：]|$)")
# Without a heading, a disclaimer speaks of the site itself; a story's own 投资需谨慎 stays.
_DISCLAIMER = re.compile(
    r"(?:本网站?|本站|本文|本平台).*(?:仅[供作]参考|不构成|投资建议|风险自担|不承担|不代表|不对|免责)"
)
_META_LABEL = re.compile(
    r"(?:(?:发布|发表|发稿|更新)(?:时间|日期)|来源|作者|浏览(?:次数)?|点击(?:数|量)?|阅读(?:数|量)?"
    r"|字号|编辑|责编|时间|日期)(?=\s*[:：])"
)
_META_DATE = re.compile(r"\s*(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?[\d:\s]*")
_END_MARKER = re.compile(
    r"^(?:转载请注明|本文链接|原文链接|原文地址|版权声明|免责声明|特别声明|声明[:：]|Notice:)",
    re.IGNORECASE,
)
_PLAYER_JUNK = re.compile(
    r"^(?:-\s*)?\d(?:\.\d+)?\s*[Xx倍]$|^(?:倍速|播放|暂停|全屏|静音|清晰度|自动|高清|标清|收起|展开)$"
    r"|^/?\d{1,2}:\d{2}(?::\d{2})?$|播放失败|错误代码|^时长[:：]|建议WIFI|^Play Video$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class BodyResult:
    """Paragraph lines of the body and the path that produced them."""

    lines: list[str]
    method: str


def junk_score(lines: list[str], *, anchors: frozenset[str] = frozenset()) -> float:
    """How much ``lines`` look like navigation rather than prose: 0 clean, 1 all junk.

    Adds up the share of lines naming typical navigation or footer items (counted double),
    the share of characters in short lines (when there are many lines) and the share of
    characters in lines that are exactly the text of a link on the page (``anchors``).
    """
    if not lines:
        return 1.0
    total = max(sum(len(line) for line in lines), 1)
    nav_lines = sum(1 for line in lines if len(line) < 40 and NAV_WORDS.search(line))
    nav_share = nav_lines / len(lines)
    short_share = 0.0
    if len(lines) >= 8:
        short_share = sum(len(line) for line in lines if len(line) < _SHORT_LINE) / total
    link_share = sum(len(line) for line in lines if line in anchors) / total
    return min(1.0, nav_share * 2 + short_share + link_share)


def link_texts(tree: html.HtmlElement, *, every: frozenset[str] | None = None
               ) -> frozenset[str]:
    """The text of every link on the page that has at least two characters (``every``: the
    texts of all its links, when already read)."""
    texts = every if every is not None else (normalize_space(a.text_content())
                                             for a in tree.iter("a"))
    return frozenset(text for text in texts if len(text) >= 2)


def trim_junk(lines: list[str]) -> list[str]:
    """Drop footer/tool lines (copyright, 纠错, 打印, ...) from both ends of the body,
    investment disclaimers from its end, and video-player controls (倍速, 00:00, 播放失败)
    anywhere in it."""
    lines = [line for line in lines if len(line) > 40 or not _PLAYER_JUNK.search(line)]
    lines = _cut_at_end_marker(lines)
    start, end = 0, len(lines)
    while start < end and (
        _TRAILING_JUNK.match(lines[start]) or (start < 3 and _is_meta_line(lines[start]))
    ):
        start += 1
    while end > start and (
        _TRAILING_JUNK.match(lines[end - 1]) or _DISCLAIMER.search(lines[end - 1])
    ):
        end -= 1
    return lines[start:end]


def _is_meta_line(line: str) -> bool:
    """A dateline such as ``发布日期：2009-11-03 浏览次数：326`` printed above the story."""
    if len(line) > 80:
        return False
    labels = len(_META_LABEL.findall(line))
    has_date = bool(_META_DATE.search(line))
    return labels >= 2 or (labels >= 1 and has_date) or bool(_META_DATE.fullmatch(line))


def strip_leading_meta(lines: list[str]) -> list[str]:
    """Drop datelines (``发布日期：… 浏览次数：…``) among the first three lines of the body."""
    head = [line for line in lines[:3] if not _is_meta_line(line)]
    return head + lines[3:]


def _cut_at_end_marker(lines: list[str]) -> list[str]:
    """Drop a closing notice (转载请注明, 原文链接, 免责声明) and everything after it, when it
    comes after at least half of the body; a 免责声明 or 风险提示 heading anywhere after
    the first line."""
    total = _length(lines)
    seen = 0
    for index, line in enumerate(lines):
        if seen >= total / 2 and _END_MARKER.match(line):
            return lines[:index]
        if index and _DISCLAIMER_HEAD.match(line):
            return lines[:index]
        seen += len(line)
    return lines


def from_selector(tree: html.HtmlElement, selector: str) -> list[str]:
    """Lines of every element matching a CSS ``selector`` (an invalid selector matches none)."""
    try:
        matcher = CSSSelector(selector, translator="html")
    except (SyntaxError, ValueError) as exc:
        logger.warning("invalid CSS selector %r: %s", selector, exc)
        return []
    lines: list[str] = []
    found = matcher(tree)
    if not isinstance(found, list):
        return []
    for element in found:
        if isinstance(element, html.HtmlElement):
            lines.extend(element_lines(element))
    return lines


# What the extractors read: the page's parsed tree (each extractor works on its own copy) or,
# where the page was no whole document, its text (see scrapers.extract_text.PageTree).
Shared = html.HtmlElement | str


def from_trafilatura(page: Shared, *, url: str | None, precision: bool = True) -> list[str]:
    """Body lines from trafilatura, in precision mode unless ``precision`` is False (no
    comments, tables kept). Given a tree, trafilatura extracts from a copy of it instead of
    parsing the page again."""
    try:
        result = trafilatura.extract(
            page,
            url=url,
            favor_precision=precision,
            include_comments=False,
            include_tables=True,
            include_images=False,
            output_format="txt",
        )
    except (ValueError, TypeError, etree.LxmlError) as exc:  # pragma: no cover - defensive
        logger.warning("trafilatura failed on %s: %s", url, exc)
        return []
    if not result:
        return []
    lines = (_table_row(normalize_space(x)) for x in result.split("\n"))
    return [line for line in lines if line]


def _table_row(line: str) -> str:
    """Turn trafilatura's ``| a | b |`` table rows into ``a b``; drop ``|---|`` rules."""
    if not (line.startswith("|") and line.endswith("|")):
        return line
    cells = [cell.strip() for cell in line.strip("|").split("|")]
    if all(set(cell) <= {"-", ":"} for cell in cells):
        return ""
    return " ".join(cell for cell in cells if cell)


def from_readability(page: Shared, *, url: str | None) -> list[str]:
    """Body lines from readability-lxml's best candidate (given a tree, on a copy of it:
    readability drops hidden elements from what it is given)."""
    source = copy.deepcopy(page) if isinstance(page, html.HtmlElement) else page
    try:
        summary = Document(source, url=url).summary(html_partial=True)
    except (ValueError, TypeError, etree.LxmlError) as exc:
        logger.info("readability failed on %s: %s", url, exc)
        return []
    tree = parse_document(summary)
    if tree is None:
        return []
    return element_lines(tree)


def _length(lines: list[str]) -> int:
    return sum(len(line) for line in lines)


def article_scope(tree: html.HtmlElement) -> html.HtmlElement | None:
    """The page's one ``itemprop=articleBody`` or ``<article>`` element, if it has exactly one."""
    for path in ('//*[@itemprop="articleBody"]', "//article"):
        found = tree.xpath(path)
        if isinstance(found, list) and len(found) == 1 and isinstance(found[0], html.HtmlElement):
            return found[0]
    return None


def _scoped(primary: list[str], tree: html.HtmlElement | None, url: str | None) -> list[str]:
    """Re-run trafilatura inside the page's single article element when the whole-page
    result is much longer than that element (it swept in neighbouring stories) and
    contains what the element gives."""
    scope = article_scope(tree) if tree is not None else None
    if scope is None:
        return primary
    scope_chars = _length(element_lines(scope))
    if scope_chars < 50 or _length(primary) <= 1.3 * scope_chars:
        return primary
    scoped = trim_junk(from_trafilatura(_alone(scope), url=url))
    logger.debug("scoped to the article element: %d -> %d chars", _length(primary),
                 _length(scoped))  # fmt: skip
    # Only narrow down: the article element must hold part of what the whole page gave
    # (a lone <article> used for a sidebar card must not replace the story).
    return scoped if scoped and _extends(primary, scoped) else primary


def _alone(element: html.HtmlElement) -> html.HtmlElement:
    """A document holding a copy of ``element`` (and the text after it) as its whole body:
    the page's article element handed to trafilatura without serialising and parsing it."""
    root = html.Element("html")
    body = etree.SubElement(root, "body")
    body.append(copy.deepcopy(element))
    return root


def _own_text(element: html.HtmlElement) -> str:
    """Text directly inside ``element`` or its inline children, links excluded."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag and tag not in BLOCK_TAGS and tag not in {"a", "script", "style"}:
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return normalize_space("".join(parts))


def densest_block(tree: html.HtmlElement, *, title: str | None) -> list[str]:
    """Last resort for a very short story both extractors skipped: the block holding the
    most text of its own (not links, not the headline, not a dateline or footer)."""
    best, best_len = "", 0
    for element in tree.iter("p", "div", "td", "section", "article", "span", "font"):
        own = _own_text(element)
        if len(own) <= best_len or own == title or _is_meta_line(own):
            continue
        if _TRAILING_JUNK.match(own) or NAV_WORDS.search(own):
            continue
        best, best_len = own, len(own)
    return [best] if best_len >= 8 else []


def tidy(lines: list[str], *, title: str | None) -> list[str]:
    """Trim junk at both ends, then a repeated headline and datelines at the top."""
    lines = trim_junk(lines)
    if title and lines and normalize_space(lines[0]) == title:
        lines = lines[1:]
    return strip_leading_meta(lines)


def _extends(longer: list[str], shorter: list[str]) -> bool:
    """Whether ``longer`` contains every line of ``shorter`` (whitespace ignored)."""
    haystack = "".join(longer).replace(" ", "")
    return all(line.replace(" ", "") in haystack for line in shorter)


def generic_body(
    page: Shared,
    *,
    url: str | None,
    page_chars: int,
    tree: html.HtmlElement | None = None,
    title: str | None = None,
    links: frozenset[str] | None = None,
) -> BodyResult:
    """Choose the body of a page without selectors: trafilatura's precise result (or the
    fallbacks of :func:`_first_choice`), replaced by another candidate only when it fails the
    quality check and that candidate passes it.

    ``page`` is what the extractors read: the parsed page (see
    :class:`scrapers.extract_text.PageTree`) or its text.

    ``page_chars`` is the length of all visible text, used to notice a trafilatura result
    that kept only a fragment of a long page; ``tree`` is the parsed page, used to confine
    extraction to a single ``<article>`` element; a first line equal to ``title`` is dropped;
    ``links`` are the texts of all its links, when already read.
    """
    anchors = link_texts(tree, every=links) if tree is not None else frozenset()
    judged = QualityCheck(tree, anchors=anchors, title=title)
    first = _first_choice(
        page, url=url, page_chars=page_chars, tree=tree, anchors=anchors, title=title
    )
    if not first.lines or judged(first.lines).passed:
        return first
    better = _better_candidate(page, url=url, tree=tree, judged=judged, primary=first.lines)
    return better or first


def _first_choice(
    page: Shared,
    *,
    url: str | None,
    page_chars: int,
    tree: html.HtmlElement | None,
    anchors: frozenset[str],
    title: str | None,
) -> BodyResult:
    """Trafilatura's precise result, or readability's or the densest block's when that one
    is empty, a fragment of a long page, or navigation."""
    primary = tidy(_scoped(from_trafilatura(page, url=url), tree, url), title=title)
    primary_len = _length(primary)
    primary_junk = junk_score(primary, anchors=anchors)
    short = primary_len < 200 and page_chars > 4 * max(primary_len, 1)
    if primary and not short and primary_junk < 0.3:
        return BodyResult(primary, "trafilatura")
    backup = tidy(from_readability(page, url=url), title=title)
    backup_junk = junk_score(backup, anchors=anchors)
    logger.debug(
        "trafilatura %d chars (junk %.2f), readability %d chars (junk %.2f) for %s",
        primary_len, primary_junk, _length(backup), backup_junk, url,
    )  # fmt: skip
    if tree is not None and min(primary_junk, backup_junk) >= _HOPELESS:
        dense = densest_block(tree, title=title)
        if dense:
            return BodyResult(dense, "densest-block")
    if not primary:
        return BodyResult(backup, "readability")
    if backup and backup_junk + 0.1 < primary_junk:
        return BodyResult(backup, "readability")
    if short and backup_junk < 0.3 and _length(backup) > primary_len and _extends(backup, primary):
        return BodyResult(backup, "readability")
    return BodyResult(primary, "trafilatura")




def _better_candidate(
    page: Shared,
    *,
    url: str | None,
    tree: html.HtmlElement | None,
    judged: QualityCheck,
    primary: list[str],
) -> BodyResult | None:
    """When trafilatura's precise result fails the quality check, judge the others
    (trafilatura's default mode, readability, the densest blocks) and return the best
    that passes, or None when none does."""
    title = judged.title
    candidates = [
        BodyResult(tidy(from_trafilatura(page, url=url, precision=False), title=title),
                   "trafilatura"),
        BodyResult(tidy(from_readability(page, url=url), title=title), "readability"),
    ]  # fmt: skip
    if tree is not None:
        candidates += [
            BodyResult(tidy(lines, title=title), "text-density") for lines in dense_blocks(tree)
        ]
    scored = [(judged(c.lines), c) for c in candidates if c.lines and c.lines != primary]
    passing = [
        (q, c) for q, c in scored if q.passed and may_replace(primary, c.lines, judged)
    ]
    if not passing:
        return None
    longest = max(_length(c.lines) for _, c in passing)
    _, best = max(passing, key=lambda item: item[0].score + 0.1 * _length(item[1].lines) / longest)
    logger.debug("quality check chose %s (%d chars) for %s", best.method,
                 _length(best.lines), url)  # fmt: skip
    return best
