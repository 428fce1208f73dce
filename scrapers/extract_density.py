"""A text-density body candidate: the blocks whose paragraphs carry the most prose.

Each paragraph-like element adds the length of its own sentence text (links left out) to its
parent, and half of it to its grandparent; a short line of links or a labelled cell takes
away twice its length. The few blocks with the most prose are returned for the quality check
(:mod:`scrapers.extract_quality`) to judge, so a comment box that is merely longer does not
win by mass.
"""

from __future__ import annotations

import re
from collections import defaultdict

from lxml import html

from scrapers.extract_text import BLOCK_TAGS, element_lines, normalize_space

_PUNCTUATION = re.compile(r"[。！？；，、!?;]")
_PARAGRAPHS = ("p", "div", "td", "li", "section", "span", "font", "dd")


def _own_text(element: html.HtmlElement) -> tuple[str, int]:
    """Text directly inside ``element`` (inline children included) and its link characters."""
    parts = [element.text or ""]
    link_chars = 0
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "a":
            link_chars += len(normalize_space(child.text_content()))
        elif tag and tag not in BLOCK_TAGS and tag not in {"script", "style"}:
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return normalize_space("".join(parts)), link_chars


def _weight(element: html.HtmlElement) -> float:
    own, link_chars = _own_text(element)
    if own and _PUNCTUATION.search(own) and len(own) >= 10:
        return len(own) - 2 * link_chars
    return -2.0 * (link_chars + (len(own) if len(own) < 10 else 0))


def dense_blocks(tree: html.HtmlElement, *, limit: int = 4) -> list[list[str]]:
    """Lines of the ``limit`` blocks holding the most prose, densest first; only the
    children that hold prose are kept (a metadata table or a link list beside the
    paragraphs is left out)."""
    mass: defaultdict[html.HtmlElement, float] = defaultdict(float)
    prose: set[html.HtmlElement] = set()
    for element in tree.iter(*_PARAGRAPHS):
        weight = _weight(element)
        parent = element.getparent()
        if not weight or parent is None:
            continue
        if weight > 0:
            prose.add(element)
        mass[parent] += weight
        grand = parent.getparent()
        if grand is not None:
            mass[grand] += weight / 2
    ranked = sorted(
        (item for item in mass.items() if item[1] > 0), key=lambda item: item[1], reverse=True
    )
    return [_prose_lines(element, prose) for element, _ in ranked[:limit]]


def _prose_lines(block: html.HtmlElement, prose: set[html.HtmlElement]) -> list[str]:
    """Lines of the children of ``block`` that hold at least one prose paragraph."""
    lines: list[str] = []
    for child in block:
        if isinstance(child.tag, str) and any(node in prose for node in child.iter()):
            lines.extend(element_lines(child))
    return lines
