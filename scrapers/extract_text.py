"""Helpers shared by the article extractor: parsing HTML text and turning elements into lines."""

from __future__ import annotations

import logging
import re

from lxml import etree, html

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
