"""The fields of an e-paper article page of any publishing system.

The title block is read from elements whose class or id says what they hold (引题 ``yinti``/
``intro``/``pretitle``, 主题 ``title``/``zhuti``/``headline``, 副题 ``subtitle``/``futi``), else
from the order of the headings (an ``h3``/``h4`` just before the ``h1`` is the 引题, an ``h2``/
``h3`` just after it the 副题). The byline comes from an author element, else a short line
such as ``作者：张三`` or ``本报评论员``, else the first words of the text; the body from the
block named as the text (``content``, ``article``, ``zoom`` …), else from
:func:`scrapers.extract.extract_article`, which knows no e-paper.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from scrapers.bylines import body_byline, byline_author, person_names
from scrapers.epaper_markup import ArticleFields, clean, label_outside_links, visible_source
from scrapers.extract import extract_article

__all__ = ["generic_fields", "read_byline"]

_INTRO = re.compile(r"yin[-_]?ti|intro|(?:pre|lead|top|over)[-_]?title|kicker|^yt$", re.I)
_SUB = re.compile(r"sub[-_]?title|sub[-_]?head|fu[-_]?ti|^ft$|deck", re.I)
_MAIN = re.compile(r"title|zhu[-_]?ti|headline|^zt$|^bt$|biao[-_]?ti", re.I)
# Names that say "the story's title", before a plain ``title`` (which a page header may use).
_MAIN_NAMED = re.compile(r"zhu[-_]?ti|main[-_]?title|headline|^zt$|^bt$|biao[-_]?ti"
                         r"|(?:art|news|con)\w*[-_]?title", re.I)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4"})
_NOT_MAIN = re.compile(r"page|site|nav|menu|list|logo|foot|side|paper|banner|layout", re.I)
_AUTHOR = re.compile(r"author|byline|zuo[-_]?zhe|writer|reporter|jizhe", re.I)
_BODY = re.compile(r"content|article|text|body|zoom|detail|zhengwen|news[-_]?main|^main$", re.I)
_MAX_TITLE = 100
_MAX_BYLINE = 40
_LABELLED = re.compile(r"^(?:作者|文|撰文|署名)\s*[:：/]\s*")
_SIGNATURE = re.compile(r"^(?:本报|本刊)?(?:特约)?(?:评论员|社论|编辑部)$")
_BYLINE_LINE = re.compile(
    r"^(?:(?:作者|文|撰文)\s*[:：]|(?:本报|本刊)?(?:特约|见习|首席)?记者|本报评论员|本报特约评论员"
    r"|本报社论|本刊评论员)")
_MIN_PARAGRAPH = 8


def _names(node: Tag) -> list[str]:
    return [str(node.get("id") or ""), *(node.get("class") or [])]


def _hinted(soup: BeautifulSoup, pattern: re.Pattern[str], *, short: bool = True) -> list[Tag]:
    """The elements whose class or id matches ``pattern``, in page order."""
    found = []
    for node in soup.find_all(True):
        names = _names(node)
        if node.name in {"html", "body", "meta", "link", "script", "style"}:
            continue
        if any(pattern.search(name) for name in names if name):
            text = clean(node.get_text())
            if text and (not short or len(text) <= _MAX_TITLE):
                found.append(node)
    return found


def _first_text(nodes: list[Tag], *, excluded: re.Pattern[str] | None = None) -> str:
    for node in nodes:
        if excluded and any(excluded.search(name) for name in _names(node) if name):
            continue
        return clean(node.get_text())
    return ""


def _title_block(soup: BeautifulSoup) -> tuple[str, str, str]:
    """引题, 主题, 副题 by class/id, else by the headings' order."""
    intro = _first_text(_hinted(soup, _INTRO))
    subtitle = _first_text(_hinted(soup, _SUB))
    # A block holding headings or the other titles wraps the title block: read inside it.
    mains = [node for node in _hinted(soup, _MAIN)
             if not any(p.search(n) for n in _names(node) if n for p in (_INTRO, _SUB, _NOT_MAIN))
             and not node.find(True, class_=_INTRO) and not node.find(True, class_=_SUB)
             and not node.find(list(_HEADINGS))]
    mains.sort(key=lambda node: 0 if any(_MAIN_NAMED.search(n) for n in _names(node) if n)
               else 1 if node.name in _HEADINGS else 2)  # stable: page order within a rank
    title = _first_text(mains)
    if title:
        return intro, title, subtitle
    heading = soup.find("h1")
    if not isinstance(heading, Tag):
        return intro, "", subtitle
    before = heading.find_previous_sibling(["h1", "h2", "h3", "h4", "h5", "p", "div"])
    after = heading.find_next_sibling(["h1", "h2", "h3", "h4", "h5", "p", "div"])
    if not intro and isinstance(before, Tag) and before.name in {"h3", "h4", "h5"}:
        intro = clean(before.get_text())[:_MAX_TITLE]
    if not subtitle and isinstance(after, Tag) and after.name in {"h2", "h3", "h4"}:
        subtitle = clean(after.get_text())[:_MAX_TITLE]
    return intro, clean(heading.get_text()), subtitle


def read_byline(text: str) -> str:
    """The author a byline line names: a signature (本报评论员) as printed, ``记者 张三`` by
    role, ``作者：张三`` by name; "" when it names nobody."""
    line = _LABELLED.sub("", clean(text))
    if _SIGNATURE.match(line):
        return line
    by_role = byline_author(line)
    if by_role:
        return by_role
    names = person_names(line)
    return "、".join(names) if names and len(line) <= _MAX_BYLINE else ""


def _byline(soup: BeautifulSoup) -> str:
    for node in _hinted(soup, _AUTHOR):
        found = read_byline(node.get_text())
        if found:
            return found
    for string in soup.stripped_strings:
        line = clean(string)
        if len(line) <= _MAX_BYLINE and _BYLINE_LINE.match(line):
            found = read_byline(line)
            if found:
                return found
    return ""


_NOT_TEXT = (_MAIN, _INTRO, _SUB, _AUTHOR)
_INNER_SHARE = 0.5  # a block inside the chosen one holding this much of its prose is the text


def _named_otherwise(node: Tag) -> bool:
    """True when the element's class or id names a title or a byline, not text."""
    return any(p.search(name) for name in _names(node) if name for p in _NOT_TEXT)


def _paragraphs(node: Tag, skip: set[str]) -> list[str]:
    found = [clean(p.get_text()) for p in node.find_all("p") if not _named_otherwise(p)]
    if not any(found):
        found = [clean(line) for line in node.get_text("\n").splitlines()]
    return [text for text in found if text and text not in skip]


def _body(soup: BeautifulSoup, skip: set[str]) -> str:
    """The paragraphs of the block named as the text with the most prose — the innermost
    such block that holds most of it (``div.content`` inside ``div.article``); else
    the article extractor's body."""
    blocks = [(node, _paragraphs(node, skip)) for node in _hinted(soup, _BODY, short=False)
              if not _named_otherwise(node)]
    if not blocks:
        return extract_article(str(soup), "").text
    size = {id(node): sum(map(len, found)) for node, found in blocks}
    best, text = max(blocks, key=lambda block: size[id(block[0])])
    for node, found in blocks:
        inside = any(parent is best for parent in node.parents)
        if inside and size[id(node)] >= _INNER_SHARE * size[id(best)] \
                and size[id(node)] < size[id(best)]:
            best, text = node, found
    if any(len(line) >= _MIN_PARAGRAPH for line in text):
        return "\n".join(text)
    return extract_article(str(soup), "").text


def generic_fields(soup: BeautifulSoup) -> ArticleFields:
    """Read an article page of an e-paper that is not Founder's."""
    intro, title, subtitle = _title_block(soup)
    author = _byline(soup)
    body = _body(soup, {intro, title, subtitle})
    lines = body.split("\n")
    if lines and author and lines[0] and read_byline(lines[0]) == author:
        body = "\n".join(lines[1:])  # the byline line is no paragraph of the text
    return ArticleFields(
        intro_title=intro,
        title=title or clean(extract_article(str(soup), "").title or ""),
        subtitle=subtitle,
        author=author or body_byline(body),
        page_label=label_outside_links(soup),
        body=body,
        source=visible_source(soup),
    )
