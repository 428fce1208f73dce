"""The matching engine: every article against every active event in one pass.

All terms of all queries (with their synonyms) go into one Aho-Corasick automaton, so an
article's text is scanned once whatever the number of events. Only the events whose window
covers the article's day and one of whose positive terms occurs are then evaluated, so the cost
per article hardly grows with the number of events.

The engine is pure: it takes plain values (`EventRule`, `ArticleText`) and returns
`MatchResult`s with a score and an explanation a person can read. Storage is elsewhere.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import ahocorasick_rs

from campaign.coverage.query import (
    DEFAULT_SYNONYMS,
    Node,
    SynonymGroups,
    evaluate,
    normalise,
    positive_terms,
    terms,
)

LEAD_CHARS = 150


@dataclass(frozen=True)
class SlotRule:
    """An editorial slot: the planned outlet, day, genre and page."""

    outlet_id: int
    day: date
    genre: str
    page_number: int | None


@dataclass(frozen=True)
class EventRule:
    """What an event's coverage looks like: its query, window and outlet restrictions."""

    event_id: int
    query: Node
    first_day: date
    last_day: date
    event_day: date
    use_synonyms: bool = True
    # Instead of first_day..last_day, only these days (an editorial slot's dates ± a day).
    days: frozenset[date] | None = None
    outlet_ids: frozenset[int] | None = None  # only these outlets count, when set
    invited: frozenset[int] = frozenset()
    slots: tuple[SlotRule, ...] = ()


@dataclass(frozen=True)
class ArticleText:
    article_id: int
    title: str
    body: str
    day: date | None
    outlet_id: int
    page_number: int | None = None
    genre: str = ""


@dataclass
class Explanation:
    """Why an article was matched: which terms hit where, the day, the outlet, the page."""

    title_terms: list[str] = field(default_factory=list)
    lead_terms: list[str] = field(default_factory=list)
    body_terms: list[str] = field(default_factory=list)
    day_offset: int | None = None
    invited: bool = False
    page_one: bool = False
    slot: str = ""  # "", "match", "outlet_day" (right outlet and day, other page or genre)

    def as_dict(self) -> dict[str, object]:
        return {"title_terms": self.title_terms, "lead_terms": self.lead_terms,
                "body_terms": self.body_terms, "day_offset": self.day_offset,
                "invited": self.invited, "page_one": self.page_one, "slot": self.slot}


@dataclass
class MatchResult:
    article_id: int
    event_id: int
    score: float
    explanation: Explanation


# Weights of the score (0..1 after capping). Title hits say most about what a piece reports.
W_TITLE, W_LEAD, W_BODY = 0.30, 0.15, 0.05
W_DAY_CORE, W_INVITED, W_PAGE_ONE, W_SLOT = 0.10, 0.10, 0.05, 0.35


class Matcher:
    """Compiled rules. Build once per pass; `match` each article."""

    def __init__(self, rules: Sequence[EventRule],
                 synonyms: SynonymGroups = DEFAULT_SYNONYMS) -> None:
        self.rules = {rule.event_id: rule for rule in rules}
        self._patterns: dict[str, int] = {}
        # (event, term) -> pattern ids whose presence makes the term present
        self._term_patterns: dict[tuple[int, str], frozenset[int]] = {}
        self._positive: dict[int, set[int]] = defaultdict(set)  # pattern -> events
        self._by_day: dict[int, set[int]] = defaultdict(set)  # date ordinal -> events
        for rule in rules:
            self._compile(rule, synonyms)
        patterns = sorted(self._patterns, key=self._patterns.__getitem__)
        standard = ahocorasick_rs.MatchKind.Standard  # overlapping matches need it
        self._automaton = (ahocorasick_rs.AhoCorasick(patterns, matchkind=standard)
                           if patterns else None)

    def _pattern(self, text: str) -> int:
        return self._patterns.setdefault(normalise(text), len(self._patterns))

    def _compile(self, rule: EventRule, synonyms: SynonymGroups) -> None:
        positive = set(positive_terms(rule.query))
        for term in terms(rule.query):
            variants = synonyms.expand(term) if rule.use_synonyms else (term,)
            ids = frozenset(self._pattern(v) for v in (term, *variants))
            self._term_patterns[(rule.event_id, term)] = ids
            if term in positive:
                for pattern_id in ids:
                    self._positive[pattern_id].add(rule.event_id)
        ordinals = ({day.toordinal() for day in rule.days} if rule.days is not None
                    else range(rule.first_day.toordinal(), rule.last_day.toordinal() + 1))
        for ordinal in ordinals:
            self._by_day[ordinal].add(rule.event_id)

    def _hits(self, article: ArticleText) -> tuple[set[int], set[int], set[int]]:
        """Pattern ids found in the title, in the lead, and anywhere — one scan of the text."""
        title: set[int] = set()
        lead: set[int] = set()
        anywhere: set[int] = set()
        if self._automaton is None:
            return title, lead, anywhere
        text = normalise(article.title + "\n" + article.body)
        title_end = len(article.title)
        lead_end = title_end + 1 + LEAD_CHARS
        for pid, start, _end in self._automaton.find_matches_as_indexes(text, overlapping=True):
            anywhere.add(pid)
            if start < title_end:
                title.add(pid)
            elif start < lead_end:
                lead.add(pid)
        return title, lead, anywhere

    def match(self, article: ArticleText) -> list[MatchResult]:
        """The events this article matches, with scores and explanations."""
        if article.day is None:
            return []
        in_window = self._by_day.get(article.day.toordinal())
        if not in_window:
            return []
        title, lead, body = self._hits(article)
        candidates = {event for pid in body for event in self._positive.get(pid, ())}
        results = []
        for event_id in candidates & in_window:
            rule = self.rules[event_id]
            if rule.outlet_ids is not None and article.outlet_id not in rule.outlet_ids:
                continue
            present = self._present(event_id, body)
            if not evaluate(rule.query, present):
                continue
            results.append(self._result(rule, article, title, lead, body))
        return _headline_decides(results)

    def _present(self, event_id: int, hits: set[int]) -> Callable[[str], bool]:
        def present(term: str) -> bool:
            return not hits.isdisjoint(self._term_patterns[(event_id, term)])

        return present

    def _result(self, rule: EventRule, article: ArticleText, title: set[int], lead: set[int],
                body: set[int]) -> MatchResult:
        explanation = Explanation()
        for term in positive_terms(rule.query):
            ids = self._term_patterns[(rule.event_id, term)]
            if not title.isdisjoint(ids):
                explanation.title_terms.append(term)
            elif not lead.isdisjoint(ids):
                explanation.lead_terms.append(term)
            elif not body.isdisjoint(ids):
                explanation.body_terms.append(term)
        assert article.day is not None
        explanation.day_offset = _day_offset(rule, article.day)
        explanation.invited = article.outlet_id in rule.invited
        explanation.page_one = article.page_number == 1
        explanation.slot = _slot_fit(rule.slots, article)
        return MatchResult(article.article_id, rule.event_id, _score(explanation), explanation)


def is_subject(explanation: Explanation | dict[str, object]) -> bool:
    """Whether a match names what the piece reports: in its headline, or as the planned
    piece of a slot (an editorial in its slot)."""
    if isinstance(explanation, Explanation):
        return bool(explanation.title_terms) or explanation.slot == "match"
    return bool(explanation.get("title_terms")) or explanation.get("slot") == "match"


def _headline_decides(results: list[MatchResult]) -> list[MatchResult]:
    """A piece reports what its headline (or its slot) says; events it names only below the
    headline are context — a briefing report that previews the rally is not rally coverage."""
    if not any(is_subject(r.explanation) for r in results):
        return results
    return [r for r in results if is_subject(r.explanation)]


def _day_offset(rule: EventRule, day: date) -> int:
    """Days from the event day, or from the nearest slot date for an editorial slot."""
    anchors = [slot.day for slot in rule.slots] or [rule.event_day]
    return min(((day - anchor).days for anchor in anchors), key=abs)


def _slot_fit(slots: Iterable[SlotRule], article: ArticleText) -> str:
    for slot in slots:
        if slot.outlet_id == article.outlet_id and slot.day == article.day:
            same_page = slot.page_number is None or slot.page_number == article.page_number
            same_genre = not article.genre or not slot.genre or article.genre == slot.genre
            return "match" if same_page and same_genre else "outlet_day"
    return ""


def _score(e: Explanation) -> float:
    text = (W_TITLE * min(len(e.title_terms), 2) + W_LEAD * min(len(e.lead_terms), 2)
            + W_BODY * min(len(e.body_terms), 3))
    if not (e.title_terms or e.lead_terms or e.slot):
        # A passing mention deep in the body is not what the piece reports: the day, the
        # outlet and the page add weight to textual evidence, they are not evidence.
        return round(min(text, 1.0), 3)
    score = text
    if e.day_offset is not None and 0 <= e.day_offset <= 1:
        score += W_DAY_CORE
    if e.invited:
        score += W_INVITED
    if e.page_one:
        score += W_PAGE_ONE
    if e.slot == "match":
        score += W_SLOT
    elif e.slot == "outlet_day":
        score += W_SLOT / 2
    return round(min(score, 1.0), 3)
