"""One scan of an article for every event's textual evidence.

The matcher's automaton holds every query term, every profile bigram and every profile keyword.
One pass over the folded headline and body tells which of them occur in the headline, the lead
and the body, so an event's features are read from that scan: the share of its profile the lead
and body carry, its keywords in the headline and the text, without cutting the body into a set
of bigrams or searching it once per keyword and event.

The features are exactly those of `scoring.text_features`, to the last bit: a profile's share is
summed in the order `scoring.cover` sums it (over the profile, or over the text's bigrams when
the text has fewer distinct bigrams than the profile; only then is that set built, as it was).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import ahocorasick_rs

from campaign.coverage.organs import ORGAN_CHARS, organs_in, other_body
from campaign.coverage.places import SCOPE_CHARS, Places, placed_elsewhere, places_of
from campaign.coverage.profiles import EventProfile
from campaign.coverage.query import Node, Or, Term, evaluate, terms
from campaign.coverage.scoring import AHEAD_WORDS, LEAD_CHARS, cover, precision
from campaign.coverage.textnorm import NATIONAL, bigrams

ENCODING = "utf-16-le"
PREFIX = 64  # distinct bigrams are first counted in this much of the body, then twice as much
ORDER_MARGIN = 1e-9  # far more than float sums of one set of weights in two orders differ


@dataclass(frozen=True)
class CompiledQuery:
    """A rule's query read against the pattern ids the scan found."""

    ids: Mapping[str, frozenset[int]]  # term -> the pattern ids that make it present
    positive: tuple[str, ...]  # the terms that count for a match, in the query's order
    positives: frozenset[str]
    excluding: bool  # some term stands only under a NOT
    unexcluded: bool  # whether the query holds with every term present (when none excludes)
    any_of: frozenset[int] | None  # a term or an OR of terms: the pattern ids of all of them

    def holds(self, query: Node, hits: set[int]) -> bool | None:
        """Whether the query holds on these hits; None when one of its NOT terms is present
        (such a text is always excluded, whatever else it says)."""
        def present(term: str) -> bool:
            return not hits.isdisjoint(self.ids[term])

        if self.excluding:
            if not evaluate(query, lambda term: term in self.positives or present(term)):
                return None
        elif not self.unexcluded:
            return None
        if not self.positives:
            return False
        if self.any_of is not None:
            return not hits.isdisjoint(self.any_of)
        return evaluate(query, present)


def compile_query(query: Node, event_id: int, positive: Sequence[str],
                  term_patterns: Mapping[tuple[int, str], frozenset[int]]) -> CompiledQuery:
    """The query of one event (`positive`: its terms not under a NOT, in order), with the
    pattern ids of each of its terms."""
    ids = {term: term_patterns[(event_id, term)] for term in terms(query)}
    positives = frozenset(positive)
    parts = query.parts if isinstance(query, Or) else (query,)
    flat = all(isinstance(part, Term) for part in parts)
    return CompiledQuery(ids, tuple(positive), positives, excluding=not positives.issuperset(ids),
                         unexcluded=evaluate(query, lambda _term: True),
                         any_of=frozenset().union(*ids.values()) if flat else None)


@dataclass(frozen=True)
class ProfileIndex:
    """An event's profile as the automaton's pattern ids."""

    profile: EventProfile
    total: float  # the profile's weight, summed as `scoring.cover` sums it
    grams: tuple[tuple[int, float], ...]  # (pattern id, weight) of each bigram, in its order
    regular: bool  # every bigram has two characters (the scan finds each where a set would)
    weight_of: Mapping[int, float]  # the weight of each bigram's pattern id
    keywords: tuple[int | None, ...]  # each keyword's pattern id; None for "" (always present)
    longest: int  # the longest keyword's length
    rejected: float  # the weight of the rejected pieces' profile


def index_profile(profile: EventProfile, pattern: Callable[[str], int]) -> ProfileIndex:
    """The profile's bigrams and keywords registered as patterns of the automaton."""
    weights = profile.weights
    regular = all(len(gram) == 2 for gram in weights)
    grams = tuple((pattern(gram), weight) for gram, weight in weights.items()) if regular else ()
    return ProfileIndex(
        profile, sum(weights.values()), grams, regular, dict(grams),
        tuple(pattern(k) if k else None for k in profile.keywords),
        max(map(len, profile.keywords), default=0), sum(profile.rejected.values()))


def _cover(grams: frozenset[str], weights: Mapping[str, float], total: float) -> float:
    """`scoring.cover`, with the profile's total already summed."""
    if not total or not grams:
        return 0.0
    if len(grams) < len(weights):
        return sum(weights.get(gram, 0.0) for gram in grams) / total
    return sum(weight for gram, weight in weights.items() if gram in grams) / total


class Scanner:
    """One Aho-Corasick automaton of every pattern, run over an article's folded headline and
    body joined by a line break. It reads UTF-16 (two bytes a character): with tens of
    thousands of patterns its states are fewer and its scan faster than over UTF-8, so the cost
    of an article grows less with the number of events. A match that starts on an odd byte is
    the tail of one character and the head of another, never a pattern, and is dropped."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self._automaton = (ahocorasick_rs.BytesAhoCorasick(
            [pattern.encode(ENCODING) for pattern in patterns],
            matchkind=ahocorasick_rs.MatchKind.Standard)  # overlapping matches need it
            if patterns else None)

    def scan(self, title: str, body: str) -> ArticleScan:
        if self._automaton is None:
            return ArticleScan(title, body, [], (0, 0, 0))
        data = (title + "\n" + body).encode(ENCODING)
        if len(data) == 2 * (len(title) + 1 + len(body)):  # no character takes two units
            ends = (2 * len(title), 2 * len(title) + 2, 2 * (len(title) + 1 + LEAD_CHARS))
        else:
            title_end = len(title.encode(ENCODING))
            lead = len(body[:LEAD_CHARS].encode(ENCODING))
            ends = (title_end, title_end + 2, title_end + 2 + lead)
        return ArticleScan(title, body, self._automaton.find_matches_as_indexes(
            data, overlapping=True), ends)


class ArticleScan:
    """A folded article and the pattern ids the automaton found in it: `title`, `lead` and
    `anywhere` as the query and the explanation read them (where a term starts), `in_title`,
    `in_lead` and `in_body` for what lies wholly inside each part. `ends` are the byte offsets
    of the headline's end, the body's start and the lead's end in what was scanned."""

    def __init__(self, title: str, body: str, matches: Sequence[tuple[int, int, int]],
                 ends: tuple[int, int, int]) -> None:
        self.title, self.body = title, body
        self.title_hits: set[int] = set()
        self.lead_hits: set[int] = set()
        self.in_title: set[int] = set()
        self.in_body: set[int] = set()
        self.in_lead: set[int] = set()
        self._distinct: dict[int, int] = {}
        if matches:
            self._sort(matches, *ends)
        self.anywhere = self.title_hits | self.lead_hits | self.in_body

    def _sort(self, matches: Sequence[tuple[int, int, int]], title_end: int, body_start: int,
              lead_end: int) -> None:
        for pid, start, end in matches:
            if start & 1:
                continue
            if start < title_end:
                self.title_hits.add(pid)
                if end <= title_end:
                    self.in_title.add(pid)
                continue
            if start < lead_end:
                self.lead_hits.add(pid)
            if start >= body_start:
                self.in_body.add(pid)
                if end <= lead_end:
                    self.in_lead.add(pid)

    @cached_property
    def lead(self) -> str:
        return self.body[:LEAD_CHARS]

    @cached_property
    def title_grams(self) -> frozenset[str]:
        return frozenset(bigrams(self.title))

    @cached_property
    def lead_grams(self) -> frozenset[str]:
        return frozenset(bigrams(self.lead))

    @cached_property
    def head_grams(self) -> frozenset[str]:
        """The bigrams of the headline and the lead."""
        return self.title_grams | self.lead_grams

    @cached_property
    def body_grams(self) -> frozenset[str]:
        return frozenset(bigrams(self.body))

    @cached_property
    def places(self) -> Places:
        return places_of(self.title + self.lead[:SCOPE_CHARS])

    @cached_property
    def said(self) -> str:
        """The headline and the start of the lead: who acted, what and where it names."""
        return self.title + self.lead[:ORGAN_CHARS]

    @cached_property
    def said_grams(self) -> frozenset[str]:
        return frozenset(bigrams(self.said))

    @cached_property
    def organs(self) -> frozenset[str]:
        return organs_in(self.said)

    @cached_property
    def announces(self) -> bool:
        return any(word in self.said for word in AHEAD_WORDS)

    @cached_property
    def national(self) -> bool:
        return any(word in self.title for word in NATIONAL)

    def _at_least(self, count: int, limit: int) -> bool:
        """Whether the body's first `limit` characters hold `count` distinct bigrams."""
        size = PREFIX
        while True:
            size = min(size, limit)
            if size not in self._distinct:
                self._distinct[size] = len(bigrams(self.body[:size]))
            if self._distinct[size] >= count or size >= limit:
                return self._distinct[size] >= count
            size *= 2

    def _share(self, text: str, hits: set[int], index: ProfileIndex,
               grams: Callable[[], frozenset[str]]) -> float:
        """`scoring.cover` of the text's bigrams: over the profile from the scan when the text
        has at least as many distinct bigrams as the profile, else over the text's set."""
        if not index.total or not text:
            return 0.0
        size = len(index.profile.weights)
        if index.regular and size < len(text) and self._at_least(size, len(text)):
            return sum(weight for pid, weight in index.grams if pid in hits) / index.total
        return _cover(grams(), index.profile.weights, index.total)

    def scant(self, index: ProfileIndex, title_min: float, text_min: float) -> bool:
        """Whether the headline and the body surely carry less than these shares of the
        profile: read from the scan, summed in another order than `covers` sums them, so only
        when short of them by more than any difference of order could make."""
        if not index.regular or index.total <= 0:
            return False
        weight_of = index.weight_of
        title = sum(weight_of[pid] for pid in weight_of.keys() & self.in_title)
        body = sum(weight_of[pid] for pid in weight_of.keys() & self.in_body)
        return (title < (title_min - ORDER_MARGIN) * index.total
                and body < (text_min - ORDER_MARGIN) * index.total)

    def covers(self, index: ProfileIndex) -> tuple[float, float]:
        """The share of the profile the headline and the body carry."""
        return (_cover(self.title_grams, index.profile.weights, index.total),
                self._share(self.body, self.in_body, index, lambda: self.body_grams))

    def _keywords(self, index: ProfileIndex) -> tuple[float, float]:
        """The share of the keywords in the headline, and in the headline and body together."""
        keywords = index.profile.keywords
        if not keywords:
            return 0.0, 0.0
        in_title = sum(pid is None or pid in self.in_title for pid in index.keywords)
        joint = self.title[-index.longest + 1:] + self.body[:index.longest - 1]
        in_text = sum(pid is None or pid in self.in_title or pid in self.in_body
                      or (len(k) > 1 and k in joint)
                      for pid, k in zip(index.keywords, keywords, strict=True))
        return in_title / len(keywords), in_text / len(keywords)

    def features(self, index: ProfileIndex, title_cover: float,
                 body_cover: float) -> dict[str, float]:
        """`scoring.text_features` of this article and the profile."""
        profile = index.profile
        kw_title, kw_body = self._keywords(index)
        rejected = (_cover(self.head_grams, profile.rejected, index.rejected)
                    if profile.rejected else 0.0)
        elsewhere = (not profile.national and bool(profile.home)
                     and placed_elsewhere(self.places, profile.home))
        return {
            "title_cover": title_cover,
            "title_prec": precision(self.title_grams, profile.weights),
            "lead_cover": self._share(self.lead, self.in_lead, index, lambda: self.lead_grams),
            "body_cover": body_cover,
            "kw_title": kw_title,
            "kw_body": kw_body,
            "rejected": rejected,
            "head_name": cover(self.said_grams, profile.names),
            "head_venue": cover(self.said_grams, profile.venue),
            "announces": float(self.announces),
            "other_body": float(other_body(self.said, self.organs, profile.organs)),
            "elsewhere": float(elsewhere),
            "national": float(not profile.national and self.national),
        }
