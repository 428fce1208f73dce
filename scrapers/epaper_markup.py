"""Reading a Founder (方正) e-paper's markup: page labels (第02版：要闻, 01版：要闻, 02版：综 合)
and the fields of an article page, in both generations of the templates.

The older template keeps the titles in table rows around ``<founder-title>``; the newer one
(``pc/content/…``) in ``<h3>``/``<h1>``/``<h2>`` and the page in ``<p id="nowLayout">``. Both
often carry an ``enpproperty`` comment with the fields, read first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, Comment, Tag

from scrapers.bylines import body_byline, byline_author
from scrapers.extract_meta import source_credit

__all__ = ["PAGE_LABEL", "ArticleFields", "clean", "founder_fields", "label_outside_links",
           "now_layout", "split_label"]

# 第02版：要闻, 第A3版 (no name), 01版：要闻 (without 第 the colon is required: "12版" alone is
# too common in text), and names padded with a space (综 合, 要　闻).
_NAME = r"[\u4e00-\u9fff](?:[ \u3000\xa0][\u4e00-\u9fff])+(?![\u4e00-\u9fff])|[^\s<>()（）]*"
PAGE_LABEL = re.compile(
    r"(?:第\s*([A-Za-z]?\d+)\s*版|(?<![0-9A-Za-z])([A-Za-z]?\d{1,3})\s*版(?=\s*[:：]))"
    rf"\s*[:：]?\s*({_NAME})"
)
_BARE_NUMBER = re.compile(r"^\s*[A-Za-z]?(\d{1,3})\s*版?\s*$")
_ENP_BLOCK = re.compile(r"enpproperty(.*?)/?enpproperty", re.S)
_ENP_FIELD = re.compile(r"<(\w+)>(.*?)</\1>", re.S)
_MAX_TITLE_ROW = 80


@dataclass(frozen=True, slots=True)
class ArticleFields:
    """What a family's article parser reads from one article page; empty strings if absent."""

    intro_title: str = ""
    title: str = ""
    subtitle: str = ""
    author: str = ""
    date_text: str = ""
    page_label: str = ""
    body: str = ""
    source: str = ""  # the outlet a 来源 credit names (a reprint's origin)


def clean(text: str) -> str:
    """Whitespace (ideographic and no-break spaces too) collapsed to single spaces."""
    return " ".join(text.replace("\u3000", " ").replace("\xa0", " ").split())


def split_label(label: str, pattern: re.Pattern[str] = PAGE_LABEL) -> tuple[int, str] | None:
    """(number, name) of a page label: the first group that matched holds the number, the
    last group the name."""
    match = pattern.search(label)
    if not match:
        return None
    groups = match.groups()
    digits = re.sub(r"\D", "", next((g for g in groups[:-1] if g), ""))
    return (int(digits), clean(groups[-1] or "")) if digits else None


def now_layout(soup: BeautifulSoup) -> str:
    """This page's label from the newer template's ``<p id="nowLayout">`` (``01版：要闻``; a
    bare ``02`` becomes ``第02版``), or ""."""
    node = soup.find(id="nowLayout")
    text = clean(node.get_text()) if isinstance(node, Tag) else ""
    bare = _BARE_NUMBER.match(text)
    return f"第{bare.group(1)}版" if bare else text


def label_outside_links(soup: BeautifulSoup, pattern: re.Pattern[str] = PAGE_LABEL) -> str:
    """This page's label: ``nowLayout`` when present, else the first label printed as plain
    text (not inside a link to another page, nor an option of a page menu)."""
    current = now_layout(soup)
    if current and split_label(current, pattern):
        return current
    for text in soup.find_all(string=pattern):
        if text.find_parent(["a", "script", "style", "title", "option"]) is None:
            match = pattern.search(str(text))
            if match:
                return clean(match.group(0))
    return ""


def _enpproperty(soup: BeautifulSoup) -> dict[str, str]:
    for comment in soup.find_all(string=lambda node: isinstance(node, Comment)):
        block = _ENP_BLOCK.search(str(comment))
        if block:
            return {key.lower(): clean(value) for key, value in _ENP_FIELD.findall(block[1])}
    return {}


def _paragraphs(node: Tag) -> str:
    paragraphs = [clean(p.get_text()) for p in node.find_all("p")]
    if not any(paragraphs):
        paragraphs = [clean(line) for line in node.get_text("\n").splitlines()]
    return "\n".join(text for text in paragraphs if text)


def _short_text(node: object) -> str:
    text = clean(node.get_text()) if isinstance(node, Tag) else ""
    return text if len(text) <= _MAX_TITLE_ROW else ""


def _headings(soup: BeautifulSoup) -> tuple[str, str, str]:
    """The newer template: 引题 in the <h3> before the <h1>, 副题 in the <h2> after it."""
    title = soup.find("h1")
    if not isinstance(title, Tag):
        heading = soup.find("h2") or soup.find("title")
        return "", clean(heading.get_text()) if isinstance(heading, Tag) else "", ""
    intro = title.find_previous_sibling(["h3", "h1", "h2"])
    subtitle = title.find_next_sibling(["h2", "h1", "h3"])
    return (_short_text(intro) if isinstance(intro, Tag) and intro.name == "h3" else "",
            clean(title.get_text()),
            _short_text(subtitle) if isinstance(subtitle, Tag) and subtitle.name == "h2" else "")


# The paper's own signature printed as a line of its own anywhere on the page (a table row of
# the older template): only with 本报/本刊, so that a menu entry 评论 or 社论 is not taken.
_SIGNED_LINE = re.compile(r"^(?:本报|本刊)(?:特约)?(?:评论员|编辑部)$")


def _founder_visible(soup: BeautifulSoup) -> tuple[str, str, str]:
    """引题/主题/副题 from the table rows around <founder-title>, else from the headings."""
    title_node = soup.find("founder-title")
    if not isinstance(title_node, Tag):
        return _headings(soup)
    row = title_node.find_parent("tr")
    if not isinstance(row, Tag):
        return "", clean(title_node.get_text()), ""
    intro = _short_text(row.find_previous_sibling("tr"))
    subtitle = _short_text(row.find_next_sibling("tr"))
    # A signature row (本报评论员) next to the title is no 引题 or 副题.
    intro, subtitle = ("" if _SIGNED_LINE.match(text) else text for text in (intro, subtitle))
    return intro, clean(title_node.get_text()), subtitle


def _tag_text(soup: BeautifulSoup, name: str) -> str:
    node = soup.find(name)
    return clean(node.get_text()) if isinstance(node, Tag) else ""


# A piece signed by its kind, not by a person: the paper's editorial or commentator.
_SIGNATURE = re.compile(r"^(?:本报|本刊)?(?:特约)?(?:评论员|社论|编辑部)$")


def _signature_row(soup: BeautifulSoup) -> str:
    """本报评论员 printed as a table row of its own beside the title's row (the older
    template), not anywhere on the page (another story's block, a sidebar)."""
    title_node = soup.find("founder-title")
    row = title_node.find_parent("tr") if isinstance(title_node, Tag) else None
    if not isinstance(row, Tag):
        return ""
    near = [row.find_previous_sibling("tr"), row.find_next_sibling("tr"),
            *(row.find_next_siblings("tr", limit=3))]
    for node in near:
        line = clean(node.get_text()) if isinstance(node, Tag) else ""
        if _SIGNED_LINE.match(line):
            return line
    return ""


def _visible_author(soup: BeautifulSoup) -> str:
    """The byline line of the visible article (``<p class="author">``), a signature such as
    本报评论员 kept as printed, anything else read for a person's name; without such a line,
    the paper's signature alone in a table row beside the title (本报评论员)."""
    node = soup.select_one("p.author, div.author, span.author")
    text = clean(node.get_text()) if isinstance(node, Tag) else ""
    if not text:
        return _signature_row(soup)
    if _SIGNATURE.match(text):
        return text
    return byline_author(text)


_CREDIT_LINE_MAX = 60  # a credit is a short line of its own, not a sentence of the story


def visible_source(soup: BeautifulSoup) -> str:
    """The 来源 credit printed on the page (``<span class="source">来源：皖工网</span>``, or a
    ``（来源：新华社）`` line closing the story); empty when none is printed."""
    for string in soup.stripped_strings:
        line = clean(string)
        if len(line) <= _CREDIT_LINE_MAX and (credit := source_credit(line)):
            return credit
    return ""


def _author(enp: dict[str, str], soup: BeautifulSoup, body: str) -> str:
    """The author field, checked against reporting verbs when it is a byline (记者…), else the
    visible byline line, else the byline printed at the start of the text."""
    given = enp.get("author") or _tag_text(soup, "founder-author")
    if given and re.match(r"^(?:本报)?(?:特约|见习|首席)?记者", given):
        return byline_author(given) or body_byline(body)
    return given or _visible_author(soup) or body_byline(body)


def founder_fields(soup: BeautifulSoup) -> ArticleFields:
    """Read a Founder article: the enpproperty comment first, visible markup as fallback."""
    enp = _enpproperty(soup)
    intro, title, subtitle = _founder_visible(soup)
    content = soup.find("founder-content") or soup.find(id="ozoom")
    body = _paragraphs(content) if isinstance(content, Tag) else ""
    label = label_outside_links(soup)
    return ArticleFields(
        intro_title=enp.get("introtitle") or intro,
        title=enp.get("title") or title,
        subtitle=enp.get("subtitle") or subtitle,
        author=_author(enp, soup, body),
        date_text=enp.get("date", ""),
        page_label=label or enp.get("nodename", ""),
        body=body,
        source=visible_source(soup),
    )
