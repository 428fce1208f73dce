"""Extract the article from a Chinese news page: headline, body, date and credit lines.

``extract_article(html, url)`` takes the page as text or bytes (bytes are decoded with
:func:`scrapers.encoding.decode_body`, honouring a ``Content-Type`` header) and returns an
:class:`ExtractedArticle`. Per-source CSS selectors are used first when given; otherwise the
body comes from trafilatura in precision mode; when that fails the quality check
(:mod:`scrapers.extract_quality`), trafilatura's default mode, readability-lxml and the densest
text blocks are judged too (see :mod:`scrapers.extract_body`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime, time

from lxml.html import HtmlElement

from scrapers.dates import DEFAULT_TZ, parse_datetime, to_zone
from scrapers.encoding import decode_body
from scrapers.extract_body import from_selector, generic_body, tidy
from scrapers.extract_meta import (
    Credits,
    clean_credit,
    extract_credits,
    extract_date,
    extract_title,
    link_texts,
    strip_site_suffix,
    with_visible_time,
)
from scrapers.extract_text import page_lines, parse_document, parse_page
from scrapers.sniff import is_js_challenge

logger = logging.getLogger(__name__)

__all__ = ["ArticleSelectors", "ExtractedArticle", "extract_article", "strip_site_suffix"]


@dataclass(frozen=True, slots=True)
class ArticleSelectors:
    """CSS selectors for one source's article pages; any may be left out."""

    title: str | None = None
    body: str | None = None
    date: str | None = None
    author: str | None = None
    source: str | None = None
    editor: str | None = None

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, str]) -> ArticleSelectors:
        """Build from a mapping such as ``{"body": "div.article", "date": ".pubtime"}``.

        Unknown keys raise ``ValueError`` so that a typo in a source's settings is noticed.
        """
        known = {f.name for f in fields(cls)}
        unknown = set(mapping) - known
        if unknown:
            msg = f"unknown selector keys: {', '.join(sorted(unknown))}"
            raise ValueError(msg)
        return cls(**{key: value for key, value in mapping.items() if value})


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    """What was found on an article page.

    ``text`` holds the body paragraphs joined by ``"\\n"``. ``published_at`` is aware
    (naive page times are read as ``tz``). ``source`` is the outlet credited with the story
    (``来源：新华社``), ``page_number``/``page_name`` the newspaper page (``第01版：要闻``), and
    ``method`` the path that produced the body: ``selectors``, ``trafilatura``,
    ``readability``, ``densest-block`` (a very short story both extractors skipped),
    ``text-density`` (the block with the most prose, chosen by the quality check when the
    extractors' results read like comments, lists, disclaimers or tables) or ``none``
    (nothing found, or a JavaScript challenge page instead of the article).
    """

    url: str
    title: str | None
    text: str
    published_at: datetime | None
    author: str | None
    editor: str | None
    source: str | None
    page_number: str | None
    page_name: str | None
    method: str

    @property
    def paragraphs(self) -> list[str]:
        """The body split into its paragraphs."""
        return [line for line in self.text.split("\n") if line]


def _selectors(value: ArticleSelectors | Mapping[str, str] | None) -> ArticleSelectors | None:
    if value is None or isinstance(value, ArticleSelectors):
        return value
    return ArticleSelectors.from_mapping(value)


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    if not headers:
        return None
    lowered = name.lower()
    return next((v for k, v in headers.items() if k.lower() == lowered), None)


def extract_article(
    html: str | bytes,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    selectors: ArticleSelectors | Mapping[str, str] | None = None,
    tz: str = DEFAULT_TZ,
) -> ExtractedArticle:
    """Extract headline, body, date, author, editor, source credit and page from a page.

    ``headers`` are the HTTP response headers (only ``Content-Type`` is used, to decode
    bytes). ``selectors`` are per-source CSS selectors tried before the generic extractor;
    a selector that matches nothing falls back to the generic rules for that field.
    """
    text = (
        html
        if isinstance(html, str)
        else decode_body(html, content_type=_header(headers, "content-type"))
    )
    chosen = _selectors(selectors)
    # The page is parsed once: every step below, trafilatura and readability included, reads
    # this tree (or, for a fragment, trafilatura its text; see PageTree).
    parsed = parse_page(text)
    if parsed is None or is_js_challenge(html if isinstance(html, bytes) else text.encode()):
        logger.info("empty, unparsable or JavaScript challenge page %s", url)
        return ExtractedArticle(url, None, "", None, None, None, None, None, None, "none")
    tree = parsed.tree
    lines = page_lines(tree)
    links = link_texts(tree)  # read once for the body's quality check and the bylines

    title: str | None = None
    if chosen and chosen.title:
        title = " ".join(from_selector(tree, chosen.title)) or None
    title = title or extract_title(tree)

    body_lines: list[str] = []
    method = "none"
    if chosen and chosen.body:
        body_lines = tidy(from_selector(tree, chosen.body), title=title)
        if body_lines:
            method = "selectors"
        else:
            logger.info("body selector %r matched nothing on %s", chosen.body, url)
    if not body_lines:
        page_chars = sum(len(line) for line in lines)
        result = generic_body(parsed.shared, url=url, page_chars=page_chars, tree=tree,
                              title=title, links=links)
        body_lines, method = result.lines, result.method
    if not body_lines:
        method = "none"
    logger.debug("body of %s by %s: %d lines", url, method, len(body_lines))

    # Credits and datelines are looked for around the story first, then anywhere on the page.
    header = _lines_above(lines, body_lines)
    focus = [*header, *body_lines, *lines]
    published = _selected_date(tree, chosen, tz=tz)
    if published is None:
        published, _ = extract_date(tree, focus, tz=tz, header_lines=header, title=title)
    if published is None:
        published = _fallback_date(text, url, tz=tz)
    if published is not None:
        if published.time() == time(0, 0):
            published = with_visible_time(published, focus, tz=tz)
        published = published.astimezone(to_zone(tz))

    byline = _apply_selected_credits(
        tree, chosen, extract_credits(tree, focus, title=title, links=links))
    return ExtractedArticle(
        url=url,
        title=title,
        text="\n".join(body_lines),
        published_at=published,
        author=byline.author,
        editor=byline.editor,
        source=byline.source,
        page_number=byline.page_number,
        page_name=byline.page_name,
        method=method,
    )


def _lines_above(lines: list[str], body_lines: list[str]) -> list[str]:
    """The page lines before the first body paragraph (empty if it cannot be located)."""
    if not body_lines:
        return []
    probe = body_lines[0][:20]
    for index, line in enumerate(lines):
        if probe in line:
            return lines[max(0, index - 15) : index]
    return []


def _selected_date(
    tree: HtmlElement, chosen: ArticleSelectors | None, *, tz: str
) -> datetime | None:
    if not chosen or not chosen.date:
        return None
    for line in from_selector(tree, chosen.date):
        value = parse_datetime(line, tz=tz)
        if value is not None:
            return value
    return None


def _apply_selected_credits(
    tree: HtmlElement, chosen: ArticleSelectors | None, byline: Credits
) -> Credits:
    """Override generic credits with what the per-source selectors find."""
    if not chosen:
        return byline
    values: dict[str, str | None] = {
        "author": byline.author,
        "editor": byline.editor,
        "source": byline.source,
    }
    for field in ("author", "editor", "source"):
        selector = getattr(chosen, field)
        if not selector:
            continue
        found = " ".join(from_selector(tree, selector))
        if found:
            label_free = found.split("：", 1)[-1].split(":", 1)[-1]
            values[field] = clean_credit(label_free)
    return Credits(
        values["author"], values["editor"], values["source"],
        byline.page_number, byline.page_name,
    )  # fmt: skip


def _fallback_date(text: str, url: str, *, tz: str) -> datetime | None:
    """Last resort: trafilatura's metadata (htmldate), read as a ``tz`` date.

    htmldate reads comments too (a CMS writes ``PublishDate=2022-09-29`` in one), which the
    shared tree leaves out: so this one step, on the few pages that get this far, parses the
    text again with comments kept."""
    import trafilatura

    tree = parse_document(text)
    if tree is None:
        return None
    try:
        metadata = trafilatura.extract_metadata(tree, default_url=url, extensive=False)
    except (ValueError, TypeError) as exc:  # pragma: no cover - defensive
        logger.debug("trafilatura metadata failed on %s: %s", url, exc)
        return None
    raw = getattr(metadata, "date", None) if metadata is not None else None
    return parse_datetime(raw, tz=tz) if isinstance(raw, str) else None
