"""Coverage in words: why an article was matched, where it ran, what a slot's state means."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BuildError

from campaign.articles.models import Article, day_from_number
from campaign.coverage.query import DEFAULT_SYNONYMS, QueryError, SynonymGroups, parse, terms
from campaign.coverage.rules import DEFAULT_WINDOWS

SLOT_STATE_LABELS = {
    "fulfilled": _l("已刊发"),
    "partial": _l("部分相符"),
    "missed": _l("未刊发"),
    "review": _l("待审核"),
    "due": _l("待刊发"),
    "excused": _l("已说明"),
}
SLOT_REASON_LABELS = {"date": _l("日期"), "page": _l("版面"), "genre": _l("体裁"),
                      "count": _l("期数")}
MATCH_STATUS_LABELS = {"suggested": _l("待审核"), "accepted": _l("已确认"),
                       "rejected": _l("已排除")}


# Marks of an explanation, in the order they are read out.
FLAG_LABELS = (
    ("venue", _l("标题或导语含活动地点")),
    ("preview", _l("活动预告")),
    ("elsewhere", _l("报道地点在外省或全国")),
    ("other_body", _l("导语提及其他单位，未提工会")),
    ("nearer_other", _l("另一相似活动的日期更近")),
)


def _list(words: list[str]) -> str:
    return _("、").join(words)


def day_offset_in_words(offset: int | None) -> str:
    """活动当天, D+2 or D-1: the article's day against the event's (or the slot's) day."""
    if offset is None:
        return ""
    if offset == 0:
        return _("活动当天")
    return f"D+{offset}" if offset > 0 else f"D-{-offset}"


def explanation_in_words(explanation: Mapping[str, Any] | None) -> list[str]:
    """The reasons of a match as short phrases: 标题含：动员大会、五一 · 活动当天 · 头版 …"""
    e = explanation or {}
    if e.get("reprint_of"):
        # Derived from the original's match: its day, page and slot are the original's facts,
        # not this copy's.
        return [_("转载自已匹配的原发稿")]
    if e.get("story_of"):
        return [_("与已确认的报道为同一新闻"), day_offset_in_words(e.get("day_offset"))]
    parts = []
    if e.get("title_terms"):
        parts.append(_("标题含：%(terms)s", terms=_list(e["title_terms"])))
    if e.get("lead_terms"):
        parts.append(_("导语含：%(terms)s", terms=_list(e["lead_terms"])))
    if e.get("body_terms"):
        parts.append(_("正文含：%(terms)s", terms=_list(e["body_terms"])))
    if (day := day_offset_in_words(e.get("day_offset"))):
        parts.append(day)
    if e.get("invited"):
        parts.append(_("邀请媒体"))
    if e.get("page_one"):
        parts.append(_("头版"))
    if e.get("slot") == "match":
        parts.append(_("版面计划相符"))
    elif e.get("slot") == "outlet_day":
        parts.append(_("版面计划部分相符"))
    return parts + [str(label) for key, label in FLAG_LABELS if e.get(key)]


def explanation_text(explanation: Mapping[str, Any] | None, *, auto: bool = True) -> str:
    """The reasons joined into one line; 人工添加 for a match an officer made by hand."""
    parts = explanation_in_words(explanation)
    if not parts and not auto:
        return _("人工添加")
    return _("；").join(parts)


def article_href(article: Article) -> str:
    """The article's page in the tracker when that route exists, else its original URL."""
    try:
        return url_for("sources.article_detail", article_id=article.id)
    except BuildError:
        return article.url


def article_day(article: Article) -> date | None:
    """The Beijing day an article ran (from its `day` column)."""
    return day_from_number(article.day) if article.day else None


def synonym_groups(query: str, groups: SynonymGroups = DEFAULT_SYNONYMS
                   ) -> list[tuple[str, ...]]:
    """The synonym groups that apply to the terms of `query` (none when it does not parse)."""
    try:
        node = parse(query)
    except QueryError:
        return []
    found: dict[tuple[str, ...], None] = {}
    for term in terms(node):
        group = groups.expand(term)
        if len(group) > 1:
            found.setdefault(group, None)
    return list(found)


def default_window_hint(event_type: str) -> str:
    """默认：前0天至后5天 — what blank window fields mean for this type of event."""
    before, after = DEFAULT_WINDOWS.get(event_type, DEFAULT_WINDOWS["other"])
    return _("默认：前%(before)d天至后%(after)d天", before=before, after=after)


@dataclass(frozen=True)
class QueryProblem:
    """A query that did not parse, split around the offending character for display."""

    message: str
    before: str
    at: str
    after: str


def query_problem(query: str, error: QueryError) -> QueryProblem:
    """The query cut at the error's position (the character there, or a blank at the end)."""
    position = max(0, min(error.position, len(query)))
    at = query[position:position + 1] or " "
    return QueryProblem(str(error), query[:position], at, query[position + 1:])


def slot_state_in_words(state: str, reasons: list[str]) -> str:
    """已刊发, 未刊发 … or 部分相符（日期、版面不符）."""
    text = str(SLOT_STATE_LABELS.get(state, state))
    if state == "partial" and reasons:
        text += _("（%(what)s不符）", what=_list([str(SLOT_REASON_LABELS.get(r, r))
                                                  for r in reasons]))
    return text
