"""Helpers shared by the article extractor: parsing HTML text and turning elements into lines."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from lxml import etree, html
from trafilatura.utils import load_html

logger = logging.getLogger(__name__)

BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "center", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip
SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "iframe", "svg", "head", "select", "button"}
)

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_BREAK = "\x00"
_SPACES = re.compile(r"[\s\u3000\xa0\u200b\ufeff]+")


# Bidirectional embedding, override and isolate controls: in a title they reverse the text
# around it on every page and in every export that shows it (a "Trojan Source" trick).
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def strip_bidi(text: str) -> str:
    """``text`` without bidi embedding, override and isolate controls (U+202A-202E,
    U+2066-2069)."""
    return _BIDI_CONTROLS.sub("", text)


def normalize_space(text: str) -> str:
    """Collapse runs of whitespace (ideographic and non-breaking too) to one space, trimmed;
    bidi controls are dropped (see :func:`strip_bidi`)."""
    return _SPACES.sub(" ", strip_bidi(text)).strip()


def parse_document(text: str) -> html.HtmlElement | None:
    """Parse HTML text into an lxml tree, or None when there is nothing to parse.

    An XML declaration is dropped first, because lxml refuses text that declares an encoding.
    """
    text = _XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        return None
    try:
        return html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        logger.debug("could not parse HTML: %s", exc)
        return None


@dataclass(frozen=True, slots=True)
class PageTree:
    """A page parsed once. ``tree`` is what the extractor's own steps read; ``shared`` is what
    trafilatura and readability-lxml get: that same tree (each works on a copy of its own),
    or the text itself when trafilatura's loader makes no whole document of it (a fragment),
    so that they see exactly what they would have built from the text."""

    tree: html.HtmlElement
    shared: html.HtmlElement | str


def parse_page(text: str) -> PageTree | None:
    """Parse a page once for every step of extraction, or None when there is nothing to parse.

    The tree is built by trafilatura's own loader (comments and processing instructions left
    out, characters XML forbids dropped, a broken doctype or ``<html/>`` repaired), so handing
    it to trafilatura changes nothing but the second parse it saves; our steps read the same
    tree (they skip comments anyway). Where that loader returns no ``<html>`` document, the
    text is parsed as one by :func:`parse_document` and trafilatura gets the text.
    """
    try:
        loaded = load_html(text) if text.strip() else None
    except (etree.ParserError, ValueError, TypeError) as exc:
        logger.debug("trafilatura's loader could not parse the page: %s", exc)
        loaded = None
    if isinstance(loaded, html.HtmlElement) and loaded.tag == "html":
        return PageTree(loaded, loaded)
    tree = parse_document(text)
    return PageTree(tree, text) if tree is not None else None


def element_lines(element: html.HtmlElement) -> list[str]:
    """Return the visible text of ``element`` as non-empty lines, one per block element."""
    parts: list[str] = []
    try:
        _walk(element, parts)
    except RecursionError:
        logger.debug("tree too deep, falling back to flat text")
        parts = [element.text_content()]
    lines = (normalize_space(line) for line in "".join(parts).split(_BREAK))
    return [line for line in lines if line]


def _walk(node: etree._Element, parts: list[str]) -> None:
    tag = node.tag
    if not isinstance(tag, str) or tag.lower() in SKIP_TAGS:
        return
    lowered = tag.lower()
    block = lowered in BLOCK_TAGS
    keep_newlines = lowered == "pre"
    if block:
        parts.append(_BREAK)
    if node.text:
        parts.append(node.text.replace("\n", _BREAK) if keep_newlines else node.text)
    for child in node:
        _walk(child, parts)
        if child.tail:
            parts.append(child.tail)
    if block:
        parts.append(_BREAK)


def page_lines(tree: html.HtmlElement) -> list[str]:
    """Return the visible lines of a whole page's ``<body>`` (or root when it has none)."""
    body = tree.find("body")
    return element_lines(body if body is not None else tree)
