"""Suggest the rest of a story: once a report is accepted for an event, the other outlets'
reports of the same story (`stories.same_story`: shared facts, a like headline, within a few
days) are suggested for that event too, even when their own words would not have been.

A story suggestion says which accepted report it follows (`explanation["story_of"]`); it is
only ever a suggestion (an officer decides), it is withdrawn when its report is no longer
accepted, and it never touches an officer's decision or a match the engine made itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from campaign.articles.models import Article, ArticleBody, day_from_number, day_number
from campaign.core.chunks import chunks
from campaign.core.times import utcnow
from campaign.coverage.engine import EventRule
from campaign.coverage.models import Match
from campaign.coverage.places import placed_elsewhere
from campaign.coverage.stories import (
    LEAD_CHARS,
    StoryText,
    common_marks,
    plan_marks,
    story_mates,
    story_text,
)
from campaign.extensions import db
from campaign.planning.models import Campaign, Event

CHUNK = 500
POPULATION = 2000  # recent articles of the windows that tell what is common to the campaign


def _story_texts(condition: object, limit: int | None = None) -> list[StoryText]:
    lead = func.substr(ArticleBody.text, 1, LEAD_CHARS)
    query = (select(Article.id, Article.outlet_id, Article.day, Article.intro_title,
                    Article.title, Article.subtitle, lead)
             .outerjoin(ArticleBody, ArticleBody.article_id == Article.id)
             .where(condition))  # type: ignore[arg-type]
    if limit is not None:
        query = query.order_by(Article.day.desc()).limit(limit)
    return [story_text(row[0], row[1], day_from_number(row[2]) if row[2] else None,
                       " ".join(p for p in row[3:6] if p), row[6] or "")
            for row in db.session.execute(query)]


def _in_window(rule: EventRule, day: date | None) -> bool:
    if day is None:
        return False
    if rule.days is not None:
        return day in rule.days
    return rule.first_day <= day <= rule.last_day


def plan_common(event_ids: Iterable[int]) -> frozenset[str]:
    """What the plans of these events' campaigns say (`stories.plan_marks`)."""
    campaigns = select(Event.campaign_id).where(Event.id.in_(list(event_ids)))
    texts = list(db.session.scalars(select(Campaign.name).where(Campaign.id.in_(campaigns))))
    for row in db.session.execute(select(Event.title, Event.keywords, Event.venue,
                                         Event.description, Event.key_messages)
                                  .where(Event.campaign_id.in_(campaigns))):
        for part in row:
            if isinstance(part, list):
                texts.extend(str(word) for word in part)
            elif part:
                texts.append(str(part))
    return plan_marks(texts)


@dataclass
class StoryFinds:
    """Story suggestions found, not yet stored (`find_stories`, `store_stories`): the events
    looked at, and per suggestion (event, article, the accepted report it follows, its day and
    its day's offset from the event's)."""

    event_ids: list[int]
    score: float
    found: list[tuple[int, int, int, date | None, int | None]] = field(default_factory=list)
    orphans: list[int] = field(default_factory=list)  # suggestions to withdraw, seen reading


def suggest_stories(article_ids: Iterable[int], rules: Sequence[EventRule],
                    score: float, homes: Mapping[int, frozenset[str]] | None = None
                    ) -> tuple[int, int]:
    """Suggest, among these articles, the reports of stories accepted for the rules' events;
    withdraw story suggestions whose report is no longer accepted. (created, withdrawn)
    A report placed in another province than its event's campaign's home (`homes`, by event)
    is never suggested: another federation's activity of the same kind shares a story's facts.
    The articles are read a chunk at a time: memory holds one chunk and the accepted reports.
    (`find_stories` then `store_stories`, in the current transaction.)"""
    return store_stories(find_stories(article_ids, rules, score, homes))


def find_stories(article_ids: Iterable[int], rules: Sequence[EventRule],
                 score: float, homes: Mapping[int, frozenset[str]] | None = None
                 ) -> StoryFinds:
    """The slow half of `suggest_stories`, which only reads (a request runs it without SQLite's
    write lock): the reports of stories accepted for the rules' events among these articles.
    Suggestions about to be withdrawn (their report no longer accepted) hold no article."""
    by_event = {rule.event_id: rule for rule in rules if rule.slots == ()}
    finds = StoryFinds(list(by_event), score)
    if not by_event:
        return finds
    orphans = {m.id for m in _orphans(finds.event_ids)}
    finds.orphans = sorted(orphans)
    seeds: dict[int, list[int]] = defaultdict(list)
    for part in chunks(list(by_event), CHUNK):
        for event_id, article_id in db.session.execute(
                select(Match.event_id, Match.article_id).where(
                    Match.event_id.in_(part), Match.status == "accepted")):
            seeds[event_id].append(article_id)
    if not seeds:
        return finds
    seed_texts = {t.article_id: t for part in chunks(sorted({a for ids in seeds.values()
                                                             for a in ids}), CHUNK)
                  for t in _story_texts(Article.id.in_(part))}
    common = plan_common(seeds) | _population_common(list(by_event.values()))
    for part in chunks(article_ids, CHUNK):
        finds.found += _found_in(_story_texts(Article.id.in_(part)), by_event, seeds=seeds,
                                 seed_texts=seed_texts, common=common, orphans=orphans,
                                 homes=homes or {})
    return finds


def store_stories(finds: StoryFinds, *, orphans: bool = True) -> tuple[int, int]:
    """Store what `find_stories` found: the orphaned suggestions withdrawn (unless `orphans`
    is false: a later part of the finds stored in writes of their own), then each new
    suggestion whose article no match has taken meanwhile. (created, withdrawn)"""
    if not finds.event_ids:
        return 0, 0
    withdrawn = _withdraw_orphans(finds.event_ids) if orphans else 0
    taken: set[tuple[int, int]] = set()
    attributed: set[int] = set()
    for part in chunks(sorted({article_id for _e, article_id, *_rest in finds.found}), CHUNK):
        for row in db.session.execute(select(Match.event_id, Match.article_id, Match.status)
                                      .where(Match.article_id.in_(part))):
            taken.add((row.event_id, row.article_id))
            if row.status != "rejected":
                attributed.add(row.article_id)
    created = 0
    for event_id, article_id, seed, day, offset in finds.found:
        if (event_id, article_id) in taken or article_id in attributed:
            continue
        db.session.add(Match(
            event_id=event_id, article_id=article_id, auto=True, status="suggested",
            score=finds.score, day=day_number(day) if day else None, matched_at=utcnow(),
            explanation={"story_of": seed, "title_terms": [], "lead_terms": [],
                         "body_terms": [], "day_offset": offset, "invited": False,
                         "page_one": False, "slot": ""}))
        attributed.add(article_id)
        created += 1
    db.session.flush()
    return created, withdrawn


def _found_in(pool: list[StoryText], by_event: dict[int, EventRule], *,
              seeds: dict[int, list[int]], seed_texts: dict[int, StoryText],
              common: frozenset[str], orphans: set[int],
              homes: Mapping[int, frozenset[str]]
              ) -> list[tuple[int, int, int, date | None, int | None]]:
    """Story suggestions among one chunk of articles."""
    # An article matched to any event already (or rejected for this one) is not suggested
    # again: a story's facts may be announced at one event and told at another.
    taken: set[tuple[int, int]] = set()
    attributed: set[int] = set()
    for row in db.session.execute(select(Match.id, Match.event_id, Match.article_id,
                                         Match.status)
                                  .where(Match.article_id.in_([t.article_id for t in pool]))):
        if row.id in orphans:
            continue
        taken.add((row.event_id, row.article_id))
        if row.status != "rejected":
            attributed.add(row.article_id)
    found = []
    for event_id, ids in seeds.items():
        rule = by_event[event_id]
        home = homes.get(event_id, frozenset())
        if any(placed_elsewhere(seed_texts[i].places, home) for i in ids if i in seed_texts):
            home = frozenset()  # the officer accepted a report placed there: its mates count
        candidates = [t for t in pool if (event_id, t.article_id) not in taken
                      and t.article_id not in attributed and _in_window(rule, t.day)
                      and (rule.outlet_ids is None or t.outlet_id in rule.outlet_ids)
                      and not placed_elsewhere(t.places, home)]
        if not candidates:
            continue
        mates = story_mates([seed_texts[i] for i in ids if i in seed_texts], candidates, common)
        days = {t.article_id: t.day for t in candidates}
        for article_id, seed in mates.items():
            day = days[article_id]
            found.append((event_id, article_id, seed, day,
                          (day - rule.event_day).days if day else None))
            attributed.add(article_id)
    return found


# What is common in a span of days, kept while the span's articles stay the same (an
# officer's every decision would otherwise read POPULATION articles again).
_COMMON_CACHE: dict[tuple[int, int, int, int], frozenset[str]] = {}
_CACHE_SIZE = 16


def _population_common(rules: Sequence[EventRule]) -> frozenset[str]:
    """What is common among the recent articles of the events' windows."""
    first = day_number(min(rule.first_day for rule in rules))
    last = day_number(max(rule.last_day for rule in rules) + timedelta(days=1))
    span = Article.day.between(first, last)
    count, newest = db.session.execute(
        select(func.count(Article.id), func.max(Article.id)).where(span)).one()
    key = (first, last, int(count or 0), int(newest or 0))
    if key not in _COMMON_CACHE:
        if len(_COMMON_CACHE) >= _CACHE_SIZE:
            _COMMON_CACHE.pop(next(iter(_COMMON_CACHE)))
        _COMMON_CACHE[key] = common_marks(_story_texts(span, limit=POPULATION))
    return _COMMON_CACHE[key]


def withdraw_orphans(event_ids: Sequence[int]) -> int:
    """After a rejection: withdraw the story suggestions of reports no longer accepted."""
    withdrawn = _withdraw_orphans(list(event_ids))
    db.session.flush()
    return withdrawn


def _orphans(event_ids: list[int]) -> list[Match]:
    """The undecided story suggestions whose report is accepted no more (reads only)."""
    suggestions = [m for m in db.session.scalars(select(Match).where(
        Match.event_id.in_(event_ids), Match.decided_by_id.is_(None),
        Match.status == "suggested")) if (m.explanation or {}).get("story_of")]
    if not suggestions:
        return []
    accepted = {(row.event_id, row.article_id) for row in db.session.execute(
        select(Match.event_id, Match.article_id).where(
            Match.event_id.in_(event_ids), Match.status == "accepted"))}
    return [m for m in suggestions
            if (m.event_id, int((m.explanation or {})["story_of"])) not in accepted]


def withdraw_seen_orphans(ids: Sequence[int]) -> int:
    """Withdraw these story suggestions (orphans `find_stories` saw) that are still undecided
    and whose report is still not accepted; how many. Reads only their rows and reports."""
    suggestions = [m for m in db.session.scalars(select(Match).where(
        Match.id.in_(list(ids)), Match.decided_by_id.is_(None), Match.status == "suggested"))
        if (m.explanation or {}).get("story_of")]
    reports = {(m.event_id, int((m.explanation or {})["story_of"])) for m in suggestions}
    accepted = {(row.event_id, row.article_id) for row in db.session.execute(
        select(Match.event_id, Match.article_id).where(
            Match.article_id.in_(sorted({article for _event, article in reports})),
            Match.status == "accepted"))} & reports
    gone = [m for m in suggestions
            if (m.event_id, int((m.explanation or {})["story_of"])) not in accepted]
    for match in gone:
        db.session.delete(match)
    db.session.flush()
    return len(gone)


def _withdraw_orphans(event_ids: list[int]) -> int:
    """Delete undecided story suggestions whose accepted report is accepted no more."""
    orphans = _orphans(event_ids)
    for match in orphans:
        db.session.delete(match)
    return len(orphans)
