"""One quality check for body candidates: does this text read like the article?

Big portal templates defeat any single extractor: a comment box, a rank list, a disclaimer or
a 信息公开 metadata table can hold more text than the story. Length alone cannot tell them
apart, so a candidate is judged by how it reads: the share of its text that is link text,
the share written as sentences (ending punctuation, sentence length), how much it shares with
the headline and the page's lead (``description``), and boilerplate markers of comments,
disclaimers and metadata tables.
"""

from __future__ import annotations

import bisect
import operator
import re
from dataclasses import dataclass

from lxml import html

from scrapers.extract_text import normalize_space

_SENTENCE_END = re.compile(r"[。！？；!?;…”」）)]$|[。！？!?]")
_SENTENCE_SPLIT = re.compile(r"[。！？!?；;]")
_COMMENT = re.compile(
    r"网友|评论|跟帖|回复|点赞|^\d+\s*楼|楼主|举报|发表于|热榜|排行|热点关注|猜你喜欢|24小时"
)
_DISCLAIMER = re.compile(
    r"免责声明|特别声明|风险提示|不构成(?:任何)?投资建议|仅供参考|风险自担|投资有风险|投资需谨慎"
    r"|股市有风险"
)
# Only a short line is a footer: a paragraph may well name 版权所有 in passing.
_FOOTER = re.compile(r"版权所有|转载请注明|未经(?:书面)?(?:许可|授权)|Copyright", re.IGNORECASE)
_META_CELL = re.compile(
    r"^(?:索引号|主题分类|发文机关|发布机构|成文日期|发文字号|文号|发布日期|主题词|体裁分类|"
    r"公开方式|公开范围|信息来源|有效性|统一编号|所属机构|组配分类)\s*[:：]?"
)
_PASS = 0.55
_MIN_ANCHOR = 4  # shorter link texts (首页, 更多) turn up inside sentences
_MIN_PROSE = 0.4  # an article is mostly sentences, even with a table or a list in it
_MAX_MARKERS = 0.25
_MAX_LINKS = 0.4
_LEFT_OUT_LINKS = 0.4  # what a narrower candidate drops must be mostly links ...
_LEFT_OUT_MARKERS = 0.25  # ... or comment, disclaimer and metadata lines


@dataclass(frozen=True, slots=True)
class Quality:
    """How a candidate reads: each share in [0, 1], ``score`` the weighted verdict."""

    link_share: float
    prose_share: float
    sentence_shape: float
    overlap: float
    marker_share: float
    score: float

    @property
    def passed(self) -> bool:
        """Whether the candidate reads like an article body."""
        return (
            self.score >= _PASS
            and self.prose_share >= _MIN_PROSE
            and self.marker_share < _MAX_MARKERS
            and self.link_share < _MAX_LINKS
        )


def _link_lines(lines: list[str], anchors: frozenset[str]) -> list[str]:
    """Lines that are mostly the text of one link (a headline with its date, a rank entry)."""
    ordered = sorted((anchor for anchor in anchors if len(anchor) >= _MIN_ANCHOR), key=len)
    lengths = [len(anchor) for anchor in ordered]
    found = []
    for line in lines:
        if line in anchors:
            found.append(line)
            continue
        # only links at least half as long as the line can make it "mostly" a link
        low = bisect.bisect_left(lengths, len(line) / 2)
        high = bisect.bisect_left(lengths, len(line))
        if any(anchor in line for anchor in ordered[low:high]):
            found.append(line)
    return found


def _bigrams(text: str) -> set[str]:
    chars = "".join(filter(str.isalnum, text))
    return set(map(operator.add, chars, chars[1:]))


def _overlap(lines: list[str], title: str | None, lead: str | None) -> float:
    """Share of the headline's (and lead's) character pairs found in the candidate."""
    probes = [_bigrams(text) for text in (title, lead) if text]
    probes = [probe for probe in probes if probe]
    if not probes:
        return 0.5  # nothing to compare with: neither helps nor hurts
    found = _bigrams("".join(lines))
    return max(len(probe & found) / len(probe) for probe in probes)


def _sentence_shape(lines: list[str]) -> float:
    """1.0 when sentences run 8-150 characters on average, falling off outside."""
    text = "".join(lines)
    pieces = [piece for piece in _SENTENCE_SPLIT.split(text) if piece.strip()]
    if not pieces or not _SENTENCE_SPLIT.search(text):
        return 0.0
    mean = sum(len(piece) for piece in pieces) / len(pieces)
    if mean < 8:
        return mean / 8
    return 1.0 if mean <= 150 else max(0.0, 1 - (mean - 150) / 300)


def _markers(lines: list[str], total: int) -> float:
    """Share of text in lines carrying comment, disclaimer or metadata-table markers."""
    marked = [line for line in lines if _is_marked(line)]
    share = sum(len(line) for line in marked) / total
    return max(share, len(marked) / len(lines))


def _is_marked(line: str) -> bool:
    """A metadata cell, a disclaimer sentence, or a short comment or rank-list line."""
    if _META_CELL.match(line) or _DISCLAIMER.search(line):
        return True
    return len(line) < 60 and bool(_COMMENT.search(line) or _FOOTER.search(line))


def judge(
    lines: list[str],
    *,
    anchors: frozenset[str] = frozenset(),
    title: str | None = None,
    lead: str | None = None,
) -> Quality:
    """Judge body ``lines`` against the page's link texts, headline and lead."""
    total = sum(len(line) for line in lines)
    if not total:
        return Quality(1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
    link = sum(len(line) for line in _link_lines(lines, anchors)) / total
    prose = sum(len(line) for line in lines if _SENTENCE_END.search(line)) / total
    shape = _sentence_shape(lines)
    overlap = _overlap(lines, title, lead)
    markers = _markers(lines, total)
    score = (
        0.3 * prose + 0.15 * shape + 0.25 * min(1.0, overlap * 2)
        + 0.15 * (1 - link) + 0.15 * (1 - markers)
    )  # fmt: skip
    return Quality(link, prose, shape, overlap, markers, score)


class QualityCheck:
    """The quality check bound to one page's links, headline and lead."""

    def __init__(
        self, tree: html.HtmlElement | None, *, anchors: frozenset[str], title: str | None
    ) -> None:
        self.anchors, self.title = anchors, title
        self.lead = _lead(tree) if tree is not None else None

    def __call__(self, lines: list[str]) -> Quality:
        """Judge ``lines`` as a body of this page."""
        return judge(lines, anchors=self.anchors, title=self.title, lead=self.lead)


def _lead(tree: html.HtmlElement) -> str | None:
    """The page's ``<meta name="description">``, the story's lead on most portals."""
    found = tree.xpath('//meta[@name="description" or @name="Description"]/@content')
    lead = normalize_space(str(found[0])) if isinstance(found, list) and found else ""
    return lead or None


def may_replace(primary: list[str], lines: list[str], judged: QualityCheck) -> bool:
    """Whether ``lines`` may replace ``primary``: always when it is other text (the article
    beside the comments trafilatura kept); when it is part of ``primary``, only if what it
    leaves out reads as links or boilerplate (a long article with code, verse or lists is
    not cut down to its prose)."""
    whole = "".join(primary).replace(" ", "")
    if not all(line.replace(" ", "") in whole for line in lines):
        return True
    haystack = "".join(lines).replace(" ", "")
    left_out = [line for line in primary if line.replace(" ", "") not in haystack]
    if not left_out:
        return True
    rest = judged(left_out)
    return rest.link_share >= _LEFT_OUT_LINKS or rest.marker_share >= _LEFT_OUT_MARKERS
