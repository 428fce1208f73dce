"""The matching engine: every article against every active event in one pass.

An article is folded once (`textnorm`) and scanned once (`scan`) by one Aho-Corasick automaton
holding every term of every officer's query (with synonyms) and every bigram and keyword of
every event's profile; the terms and heavy bigrams it finds, and the planned slot placements,
name the candidate events. Only the events found so, whose window covers the article's day, are
scored, and their textual features are read from the same scan, so the cost per article hardly
grows with the number of events.
Each pair is scored by the calibrated model of `scoring` (text resemblance to the event's
profile, query, day, outlet, page, slot placement, rank among the events the article resembles).

The engine is pure: it takes plain values (`EventRule`, `ArticleText`) and returns
`MatchResult`s with a score and an explanation a person can read. Storage is elsewhere.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from campaign.coverage.profiles import EventProfile
from campaign.coverage.query import (
    DEFAULT_SYNONYMS,
    Node,
    SynonymGroups,
    positive_terms,
    terms,
)
from campaign.coverage.scan import (
    ArticleScan,
    CompiledQuery,
    ProfileIndex,
    Scanner,
    compile_query,
    index_profile,
)
from campaign.coverage.scoring import Model, day_features, load_model, resemblance
from campaign.coverage.textnorm import bigram_weight, bigrams, fold, fold_term


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
    # Every outlet the campaign involves: invited to any of its events, or a slot's outlet.
    involved: frozenset[int] = frozenset()
    slots: tuple[SlotRule, ...] = ()
    # An officer's own query is a condition every match must meet; the query suggested from
    # the plan's keywords is only one piece of evidence among others.
    strict: bool = False


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
    involved: bool = False  # the outlet takes part in the campaign (this or another event)
    page_one: bool = False
    slot: str = ""  # "", "match", "outlet_day" (right outlet and day, other page or genre)
    slot_genre: bool = False  # the planned genre, at the slot's outlet and day
    headline: float = 0.0  # the share of the event's profile its headline carries
    text: float = 0.0  # ... and its whole text
    elsewhere: bool = False  # its headline or lead places it in another province or nationally
    other_province: bool = False  # ... in another province (never this campaign's coverage)
    other_body: bool = False  # its headline and lead name another body than the union, no union
    venue: bool = False  # its headline or lead names the event's venue
    preview: bool = False  # printed before the event, it announces it (明天, 将于)
    nearer_other: bool = False  # another event it resembles as much is nearer its day

    def as_dict(self) -> dict[str, object]:
        return {"title_terms": self.title_terms, "lead_terms": self.lead_terms,
                "body_terms": self.body_terms, "day_offset": self.day_offset,
                "invited": self.invited, "involved": self.involved,
                "page_one": self.page_one, "slot": self.slot,
                "slot_genre": self.slot_genre, "headline": self.headline, "text": self.text,
                "elsewhere": self.elsewhere, "other_province": self.other_province,
                "other_body": self.other_body, "venue": self.venue, "preview": self.preview,
                "nearer_other": self.nearer_other}


@dataclass
class MatchResult:
    article_id: int
    event_id: int
    score: float  # the model's probability that the article reports the event
    explanation: Explanation
    features: dict[str, float] = field(default_factory=dict)


# A pair is worth scoring when the officer's query holds, the piece sits in a planned slot, or
# its text carries this much of the event's profile (headline, or the whole text).
MIN_TITLE_COVER = 0.08
MIN_TEXT_COVER = 0.15
INDEX_WEIGHT = 0.5  # profile bigrams at least this heavy find candidate events
HEADLINE_COVER = 0.2  # a headline carrying this much of the profile names the event
# Events an article resembles at least this share as much as its best are its contenders: the
# nearest of them by day is the one it most likely reports.
CONTENDER_SHARE = 0.5
VENUE_NAMED = 0.5  # the share of the venue's weight a headline and lead carry to name it


class Matcher:
    """Compiled rules, profiles and the scoring model. Build once per pass; `match` each
    article."""

    def __init__(self, rules: Sequence[EventRule],
                 synonyms: SynonymGroups = DEFAULT_SYNONYMS, *,
                 profiles: Mapping[int, EventProfile] | None = None,
                 model: Model | None = None) -> None:
        self.rules = {rule.event_id: rule for rule in rules}
        self.model = model or load_model()
        self.profiles: dict[int, EventProfile] = {
            rule.event_id: (profiles or {}).get(rule.event_id) or _query_profile(rule)
            for rule in rules}
        self._patterns: dict[str, int] = {}
        # (event, term) -> pattern ids whose presence makes the term present
        self._term_patterns: dict[tuple[int, str], frozenset[int]] = {}
        self._queries: dict[int, CompiledQuery] = {}
        self._positive: dict[int, set[int]] = defaultdict(set)  # pattern -> events
        self._by_day: dict[int, set[int]] = defaultdict(set)  # date ordinal -> events
        # heavy profile bigram (its pattern; a one-character one by itself) -> events
        self._by_gram: dict[int, set[int]] = defaultdict(set)
        self._by_char: dict[str, set[int]] = defaultdict(set)
        self._slotted: dict[tuple[int, int], set[int]] = defaultdict(set)  # (outlet, day) -> events
        self._index: dict[int, ProfileIndex] = {}
        for rule in rules:
            self._compile(rule, synonyms)
        patterns = sorted(self._patterns, key=self._patterns.__getitem__)
        self._scanner = Scanner(patterns)
        # Only a pattern holding a line break could be found across the headline's end (the
        # scan joins headline and body with one): without one, what lies wholly inside the
        # headline or body is what is found anywhere, and one look-up finds both kinds.
        self._apart = any("\n" in pattern for pattern in patterns)
        # (A list by pattern id: a dictionary of tens of thousands of patterns costs a cache
        # miss or two a look-up.)
        finds: list[set[int]] = [set() for _ in patterns]
        for pid, events in self._positive.items():
            finds[pid] |= events
        for pid, events in () if self._apart else self._by_gram.items():
            finds[pid] |= events
        self._finds = [tuple(events) for events in finds]

    def _pattern(self, text: str) -> int:
        return self._patterns.setdefault(fold_term(text) or text, len(self._patterns))

    def _literal(self, text: str) -> int:
        """A pattern found as it is written (profile bigrams and keywords are folded already)."""
        return self._patterns.setdefault(text, len(self._patterns))

    def _compile(self, rule: EventRule, synonyms: SynonymGroups) -> None:
        positive = positive_terms(rule.query)
        for term in terms(rule.query):
            variants = synonyms.expand(term) if rule.use_synonyms else (term,)
            ids = frozenset(self._pattern(v) for v in (term, *variants))
            self._term_patterns[(rule.event_id, term)] = ids
            if term in positive:
                for pattern_id in ids:
                    self._positive[pattern_id].add(rule.event_id)
        self._queries[rule.event_id] = compile_query(rule.query, rule.event_id, positive,
                                                     self._term_patterns)
        ordinals = ({day.toordinal() for day in rule.days} if rule.days is not None
                    else range(rule.first_day.toordinal(), rule.last_day.toordinal() + 1))
        for ordinal in ordinals:
            self._by_day[ordinal].add(rule.event_id)
        profile = self.profiles[rule.event_id]
        self._index[rule.event_id] = index_profile(profile, self._literal)
        for gram, weight in profile.weights.items():
            if weight >= INDEX_WEIGHT and len(gram) == 2:
                self._by_gram[self._literal(gram)].add(rule.event_id)
            elif weight >= INDEX_WEIGHT and len(gram) == 1:
                self._by_char[gram].add(rule.event_id)
        for slot in rule.slots:
            self._slotted[(slot.outlet_id, slot.day.toordinal())].add(rule.event_id)

    def _scan(self, article: ArticleText) -> ArticleScan:
        """The folded article and what the automaton finds in it — one scan of the text."""
        return self._scanner.scan(fold(article.title), fold(article.body))

    def _candidates(self, article: ArticleText, scan: ArticleScan,
                    in_window: set[int]) -> set[int]:
        """Events the article might report: a query term, a heavy profile bigram or a slot
        placement in common, within the event's window."""
        finds = self._finds
        found = {event for pid in scan.anywhere for event in finds[pid]}
        for pid in (scan.in_title | scan.in_body) if self._apart else ():
            found |= self._by_gram.get(pid, set())
        for text in (scan.title, scan.body):
            if len(text) == 1:  # a one-character text is its only "bigram"
                found |= self._by_char.get(text, set())
        assert article.day is not None
        found |= self._slotted.get((article.outlet_id, article.day.toordinal()), set())
        return found & in_window

    def match(self, article: ArticleText) -> list[MatchResult]:
        """The events this article may report, each with its probability and explanation."""
        if article.day is None:
            return []
        in_window = self._by_day.get(article.day.toordinal())
        if not in_window:
            return []
        scan = self._scan(article)
        pairs = []
        for event_id in self._candidates(article, scan, in_window):
            rule = self.rules[event_id]
            if rule.outlet_ids is not None and article.outlet_id not in rule.outlet_ids:
                continue
            query = self._queries[event_id].holds(rule.query, scan.anywhere)
            if query is None or (rule.strict and not query):
                continue
            index = self._index[event_id]
            slot = _slot_fit(rule.slots, article)
            if not (query or slot) and scan.scant(index, MIN_TITLE_COVER, MIN_TEXT_COVER):
                continue
            title_cover, body_cover = scan.covers(index)
            if not (query or slot or title_cover >= MIN_TITLE_COVER
                    or body_cover >= MIN_TEXT_COVER):
                continue
            features = scan.features(index, title_cover, body_cover)
            features["query"] = float(query)
            if slot == "match":  # the planned piece in its slot: where it ran says what it is,
                features["elsewhere"] = features["national"] = 0.0  # whatever places it names
            pairs.append((rule, features, slot))
        if not pairs:
            return []
        return self._scored(article, pairs, scan.title_hits, scan.lead_hits, scan.anywhere)

    def features(self, article: ArticleText) -> list[tuple[int, dict[str, float]]]:
        """The feature vector of every pair the article forms (for fitting the model)."""
        return [(result.event_id, result.features) for result in self.match(article)]

    def _scored(self, article: ArticleText,
                pairs: list[tuple[EventRule, dict[str, float], str]],
                title: set[int], lead: set[int], body: set[int]) -> list[MatchResult]:
        resembles = [resemblance(features) for _rule, features, _slot in pairs]
        likeness = sorted(resembles, reverse=True)
        nearest, contenders = _nearest(article, pairs, resembles)
        slotted = {rule.event_id for rule, _features, slot in pairs if slot == "match"}
        results = []
        for (rule, features, slot), own in zip(pairs, resembles, strict=True):
            others = [value for value in likeness if value != own] or [0.0]
            features["best"] = float(own >= likeness[0])
            features["nearest"] = float(rule.event_id in nearest)
            features["margin"] = own - (likeness[1] if own >= likeness[0] and len(likeness) > 1
                                        else max(others) if own < likeness[0] else 0.0)
            explanation = self._explain(rule, article, (title, lead, body), slot, features)
            features.update(_placement_features(explanation))
            features["ahead"] = features.pop("announces", 0.0) * features["day_before"]
            explanation.preview = bool(features["ahead"])
            # (a pair too weak to contend is not "nearer another": it is only weak)
            explanation.nearer_other = rule.event_id in contenders - nearest
            # The planned piece of another event's slot: where it ran says it is that one's.
            features["other_slot"] = float(bool(slotted - {rule.event_id}))
            probability = (round(self.model.probability(features), 3) if may_keep(explanation)
                           else 0.0)
            results.append(MatchResult(article.article_id, rule.event_id, probability,
                                       explanation, features))
        return results

    def _explain(self, rule: EventRule, article: ArticleText,
                 hits: tuple[set[int], set[int], set[int]], slot: str,
                 features: Mapping[str, float]) -> Explanation:
        title, lead, body = hits
        explanation = Explanation()
        query = self._queries[rule.event_id]
        for term in query.positive:
            ids = query.ids[term]
            if not title.isdisjoint(ids):
                explanation.title_terms.append(term)
            elif not lead.isdisjoint(ids):
                explanation.lead_terms.append(term)
            elif not body.isdisjoint(ids):
                explanation.body_terms.append(term)
        assert article.day is not None
        explanation.day_offset = _day_offset(rule, article.day)
        explanation.invited = article.outlet_id in rule.invited
        explanation.involved = explanation.invited or article.outlet_id in rule.involved
        explanation.page_one = article.page_number == 1
        explanation.slot = slot
        explanation.slot_genre = _slot_genre(rule.slots, article)
        explanation.headline = round(features["title_cover"], 2)
        explanation.text = round(features["body_cover"], 2)
        explanation.elsewhere = bool(features.get("elsewhere") or features.get("national"))
        explanation.other_province = bool(features.get("elsewhere"))
        explanation.other_body = bool(features.get("other_body"))
        # Named when most of the venue is there (a union's hall shares 工会 with every piece).
        explanation.venue = features.get("head_venue", 0.0) >= VENUE_NAMED
        return explanation


def _query_profile(rule: EventRule) -> EventProfile:
    """Without a plan profile (a bare rule), the query's positive terms are the profile."""
    weights: dict[str, float] = {}
    for term in positive_terms(rule.query):
        for gram in bigrams(fold_term(term)):
            weights[gram] = max(weights.get(gram, 0.0), bigram_weight(gram))
    return EventProfile(rule.event_id, weights, tuple(fold_term(t) for t in
                                                      positive_terms(rule.query)))


def _placement_features(e: Explanation) -> dict[str, float]:
    return {**day_features(e.day_offset or 0), "invited": float(e.invited),
            "page_one": float(e.page_one), "slot_place": float(e.slot == "match"),
            "slot_outlet_day": float(e.slot == "outlet_day"), "slot_genre": float(e.slot_genre),
            "slot_named": float(e.slot == "match" and (e.slot_genre or bool(e.title_terms)
                                                       or e.headline >= 0.1))}


def may_keep(explanation: Explanation) -> bool:
    """Whether a pair may be kept at all: not when the piece's headline or lead places it in
    another province (and not in a home city, nor as 我省) — another federation's activity of
    the same kind, however alike its words (its probability is set to 0, so no threshold keeps
    it). The planned piece in its slot is never placed elsewhere."""
    return not explanation.other_province


def may_auto_accept(explanation: Explanation) -> bool:
    """Whether a match may be accepted without review: only at an outlet the campaign's plan
    involves (invited to this event or another of the campaign, or a slot's outlet). A piece
    from an outlet nobody invited goes to the review queue however many of the event's words
    it carries; so does a piece whose headline or lead places it in another province or at
    national level (another federation's activity of the same kind reads the same); the planned
    piece in its slot never counts as placed elsewhere (where it ran says what it is). Nor a
    piece whose headline and lead name another body and no union (another body's activity of
    the same kind), nor one that resembles another event of the campaign as much and was
    printed nearer that one's day (which of the two it reports is for an officer to say)."""
    return ((explanation.involved or bool(explanation.slot)) and not explanation.elsewhere
            and not explanation.other_body and not explanation.nearer_other)


def is_subject(explanation: Explanation | dict[str, object]) -> bool:
    """Whether a match names what the piece reports: in its headline, or as the planned
    piece of a slot (an editorial in its slot)."""
    if isinstance(explanation, Explanation):
        return (bool(explanation.title_terms) or explanation.slot == "match"
                or explanation.headline >= HEADLINE_COVER)
    return (bool(explanation.get("title_terms")) or explanation.get("slot") == "match"
            or float(str(explanation.get("headline") or 0)) >= HEADLINE_COVER)


def _nearest(article: ArticleText, pairs: Sequence[tuple[EventRule, Mapping[str, float], str]],
             resembles: Sequence[float]) -> tuple[set[int], set[int]]:
    """The events nearest the piece's day among its contenders — those it resembles nearly as
    much as the one it resembles most, or whose planned slot it fills — and the contenders (a
    report of the launch, printed the day after, is the launch's, not the briefing's of four
    days before, though it names the campaign as both do)."""
    assert article.day is not None
    day = article.day
    top = max(resembles, default=0.0)
    contenders = [(abs(_day_offset(rule, day)), rule.event_id)
                  for (rule, _features, slot), own in zip(pairs, resembles, strict=True)
                  if slot == "match" or own >= CONTENDER_SHARE * top]
    closest = min((offset for offset, _event in contenders), default=0)
    return ({event for offset, event in contenders if offset == closest},
            {event for _offset, event in contenders})


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


def _slot_genre(slots: Iterable[SlotRule], article: ArticleText) -> bool:
    """The piece's genre is the one a slot of its outlet and day planned."""
    assert article.day is not None
    return any(slot.outlet_id == article.outlet_id and slot.day == article.day
               and bool(slot.genre) and article.genre == slot.genre for slot in slots)
