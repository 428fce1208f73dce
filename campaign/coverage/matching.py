"""Matching runs and officers' decisions. Functions flush and log; the caller commits.

Runs are idempotent: a match is keyed by (event, article). An automatic run may create, update
or withdraw its own undecided matches, but a decision an officer made — accepted, rejected or
moved — is never changed by a later run, and a rejected article is never suggested again for
that event.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import ColumnElement, Select, func, or_, select, update

from campaign.articles.models import Article, ArticleBody, day_from_number, day_number
from campaign.auth.models import User
from campaign.core.chunks import chunks
from campaign.core.sqlite import briefly, reading
from campaign.core.times import utcnow
from campaign.coverage.cells import NOTED
from campaign.coverage.engine import (
    ArticleText,
    EventRule,
    Matcher,
    MatchResult,
    may_auto_accept,
)
from campaign.coverage.models import CoverageRule, Match
from campaign.coverage.profiles import EventProfile, PlanText, build_profiles
from campaign.coverage.reprint_matches import propagate_groups
from campaign.coverage.rules import build_rule
from campaign.coverage.scoring import Model, load_model
from campaign.coverage.story_matches import (
    find_stories,
    store_stories,
    suggest_stories,
    withdraw_orphans,
)
from campaign.coverage.withdrawals import Withdrawals, withdraw
from campaign.extensions import db
from campaign.planning.models import Campaign, EditorialSlot, Event, event_invited_outlets

log = logging.getLogger(__name__)
CHUNK = 500
LEAD = 150  # characters of an accepted or rejected piece's body that teach its event's profile


@dataclass
class MatchSummary:
    articles: int = 0
    created: int = 0
    updated: int = 0
    withdrawn: int = 0
    accepted: int = 0
    suggested: int = 0
    kept_decisions: int = 0
    events: set[int] = field(default_factory=set)


def current_model() -> Model:
    """The scoring model in use: the one shipped with the app (fitted by `eval/fit.py`), or
    the file the setting COVERAGE_MODEL_FILE names (a model fitted on other labelled news,
    e.g. to score a world the shipped model was not fitted on)."""
    if has_app_context() and current_app.config.get("COVERAGE_MODEL_FILE"):
        return load_model(Path(current_app.config["COVERAGE_MODEL_FILE"]))
    return load_model()


def auto_accept_score() -> float:
    """Matches scoring at least this are accepted without review (setting COVERAGE_AUTO_ACCEPT;
    unset, the model's own threshold)."""
    default = current_model().auto_accept
    if has_app_context():
        return float(current_app.config.get("COVERAGE_AUTO_ACCEPT", default))
    return default


def suggest_min_score() -> float:
    """Matches scoring below this are dropped (setting COVERAGE_SUGGEST_MIN; unset, the model's
    own threshold); never above the auto-accept threshold, so an accept threshold set alone
    below the model's floor still leaves room for suggestions."""
    floor = current_model().suggest_min
    if has_app_context():
        floor = float(current_app.config.get("COVERAGE_SUGGEST_MIN", floor))
    return min(floor, auto_accept_score())


def involved_outlets(campaign_ids: Iterable[int]) -> dict[int, frozenset[int]]:
    """Per campaign, the outlets its plan involves: invited to an event, or a slot's outlet."""
    ids = sorted(set(campaign_ids))
    found: dict[int, set[int]] = {campaign_id: set() for campaign_id in ids}
    for part in chunks(ids, CHUNK):
        invited = (select(Event.campaign_id, event_invited_outlets.c.outlet_id)
                   .join(event_invited_outlets, event_invited_outlets.c.event_id == Event.id)
                   .where(Event.campaign_id.in_(part)))
        slotted = (select(Event.campaign_id, EditorialSlot.outlet_id)
                   .join(EditorialSlot, EditorialSlot.event_id == Event.id)
                   .where(Event.campaign_id.in_(part)))
        for campaign_id, outlet_id in db.session.execute(invited.union(slotted)):
            found[campaign_id].add(outlet_id)
    return {campaign_id: frozenset(outlets) for campaign_id, outlets in found.items()}


def _rules_for(events: Iterable[Event]) -> list[EventRule]:
    events = list(events)
    stored = {r.event_id: r for part in chunks([e.id for e in events], CHUNK)
              for r in db.session.scalars(
                  select(CoverageRule).where(CoverageRule.event_id.in_(part)))}
    involved = involved_outlets(e.campaign_id for e in events)
    rules = [build_rule(event, stored.get(event.id), involved.get(event.campaign_id,
                                                                   frozenset()))
             for event in events]
    return [rule for rule in rules if rule is not None]


def active_rules(campaign: Campaign | None = None) -> list[EventRule]:
    """The rules of every event that is not cancelled (of one campaign, when given)."""
    query = select(Event).where(Event.status != "cancelled")
    if campaign is not None:
        query = query.where(Event.campaign_id == campaign.id)
    return _rules_for(db.session.scalars(query))


def _decided_texts(event_ids: Sequence[int]) -> dict[tuple[int, str], list[str]]:
    """The headline and lead of every piece officers accepted or rejected for these events."""
    lead = func.substr(ArticleBody.text, 1, LEAD)
    found: dict[tuple[int, str], list[str]] = {}
    for part in chunks(event_ids, CHUNK):
        rows = db.session.execute(
            select(Match.event_id, Match.status, Article.intro_title, Article.title,
                   Article.subtitle, lead)
            .join(Article, Article.id == Match.article_id)
            .outerjoin(ArticleBody, ArticleBody.article_id == Article.id)
            .where(Match.event_id.in_(part), Match.decided_by_id.is_not(None)))
        for event_id, status, *parts in rows:
            found.setdefault((event_id, status), []).append(" ".join(p for p in parts if p))
    return found


def plan_text(event: Event, *, accepted: tuple[str, ...] = (),
              rejected: tuple[str, ...] = ()) -> PlanText:
    """What an event's plan says, for its profile. Where the campaign is at home is read from
    the names and regions of the outlets the event involves and from the campaign's name."""
    outlets = (*event.invited_outlets, *(slot.outlet for slot in event.slots))
    home = (*(o.name for o in outlets), *(o.region for o in outlets if o.region),
            event.campaign.name)
    return PlanText(
        event_id=event.id, group=event.campaign_id, title=event.title,
        keywords=tuple(event.keyword_list), venue=event.venue or "",
        description=event.description or "", key_messages=event.key_messages or "",
        accepted=accepted, rejected=rejected, outlets=home)


def profiles_for(event_ids: Sequence[int]) -> dict[int, EventProfile]:
    """The profiles of these events: their plans, and what officers decided so far."""
    events = [e for part in chunks(event_ids, CHUNK)
              for e in db.session.scalars(select(Event).where(Event.id.in_(part)))]
    decided = _decided_texts([e.id for e in events])
    plans = [plan_text(e, accepted=tuple(decided.get((e.id, "accepted"), ())),
                       rejected=tuple(decided.get((e.id, "rejected"), ())))
             for e in events]
    return build_profiles(plans)


def homes_of(profiles: Mapping[int, EventProfile]) -> dict[int, frozenset[str]]:
    """Where each event is at home, for the scope rule of story suggestions: its profile's
    home, nowhere in particular for a national plan (no province is elsewhere for it)."""
    return {event_id: frozenset() if profile.national else profile.home
            for event_id, profile in profiles.items()}


def homes_for(rules: Sequence[EventRule]) -> dict[int, frozenset[str]]:
    """`homes_of` the rules' events, weighed with every active event of their campaigns as a
    matching pass weighs them."""
    return homes_of(matcher_for(rules).profiles)


def matcher_for(rules: Sequence[EventRule]) -> Matcher:
    """A matcher of these rules and of every other active event of their campaigns, with the
    events' profiles: events are weighed against one another (a bigram's rarity, which event an
    article resembles most), so re-matching one event scores as a full pass does."""
    campaigns = {c for part in chunks([r.event_id for r in rules], CHUNK)
                 for c in db.session.scalars(select(Event.campaign_id).where(Event.id.in_(part)))}
    context = {rule.event_id: rule for rule in _rules_for(
        event for campaign_id in sorted(campaigns) for event in db.session.scalars(select(Event)
        .where(Event.campaign_id == campaign_id, Event.status != "cancelled")))}
    context.update({rule.event_id: rule for rule in rules})
    return Matcher(list(context.values()), profiles=profiles_for(list(context)),
                   model=current_model())


_TEXT_COLUMNS = (Article.id, Article.title, Article.intro_title, Article.subtitle, Article.day,
                 Article.outlet_id, Article.page_number, Article.genre, Article.author,
                 Article.reprint_group_id, ArticleBody.text)


def _text_query() -> Select[Any]:
    query: Select[Any] = select(*_TEXT_COLUMNS).outerjoin(  # type: ignore[assignment]
        ArticleBody, ArticleBody.article_id == Article.id)
    return query


def _texts_of_rows(rows: Iterable[Any]) -> list[ArticleText]:
    return [ArticleText(
        article_id=row.id,
        title=" ".join(p for p in (row.intro_title, row.title, row.subtitle) if p),
        # The byline leads: "本报社论", "本报评论员" say what kind of piece it is.
        body=f"{row.author}\n{row.text or ''}" if row.author else row.text or "",
        day=day_from_number(row.day) if row.day else None,
        outlet_id=row.outlet_id, page_number=row.page_number, genre=row.genre or "")
        for row in rows]


def _texts(article_ids: Sequence[int]) -> list[ArticleText]:
    """The texts of these articles (read a chunk at a time)."""
    return [text for rows in _rows_of(article_ids) for text in _texts_of_rows(rows)]


def _rows_of(article_ids: Iterable[int]) -> Iterator[list[Any]]:
    """The text rows of these articles, a chunk at a time (an IN list of at most CHUNK)."""
    for part in chunks(article_ids, CHUNK):
        yield list(db.session.execute(_text_query().where(Article.id.in_(part))))


def _rows_of_day(day: int) -> Iterator[list[Any]]:
    """The text rows of one day's articles, a chunk at a time in id order (keyset paging: every
    statement has the same few parameters, whatever the day holds)."""
    last = 0
    while rows := list(db.session.execute(_text_query().where(
            Article.day == day, Article.id > last).order_by(Article.id).limit(CHUNK))):
        yield rows
        last = rows[-1].id


@dataclass
class _Scored:
    """One chunk of articles scored, nothing written: their ids and days, what the matcher
    found among them, and the reprint groups they belong to."""

    article_ids: list[int]
    days: dict[int, date | None]
    results: list[MatchResult]
    groups: set[int]


class _Pass:
    """One matching pass: chunks of articles are scored and stored as they come, then the
    matches are carried across the reprint groups those articles belong to. What is held in
    memory is one chunk, the matcher and the ids of the groups touched. (`score_events` scores
    every chunk first and stores them afterwards: see there.)"""

    def __init__(self, rules: Sequence[EventRule], *, withdraw_stale: bool) -> None:
        self.rules = rules
        self.matcher = matcher_for(rules)
        self.event_ids = {rule.event_id for rule in rules}
        self.homes = homes_of(self.matcher.profiles)
        self.threshold, self.floor = auto_accept_score(), suggest_min_score()
        self.withdraw_stale = withdraw_stale
        self.summary = MatchSummary()
        self.groups: set[int] = set()
        self.stale = Withdrawals()

    def score(self, rows: list[Any]) -> _Scored:
        """Score a chunk of text rows (reads nothing more, writes nothing)."""
        texts = _texts_of_rows(rows)
        results = [result for text in texts for result in self.matcher.match(text)
                   if result.score >= self.floor and result.event_id in self.event_ids]
        return _Scored([t.article_id for t in texts], {t.article_id: t.day for t in texts},
                       results, {row.reprint_group_id for row in rows if row.reprint_group_id})

    def store(self, scored: _Scored) -> None:
        """Store a scored chunk's matches (and note its stale ones)."""
        self.groups.update(scored.groups)
        _store(scored.results, scored.article_ids, event_ids=self.event_ids, days=scored.days,
               threshold=self.threshold, summary=self.summary,
               stale=self.stale if self.withdraw_stale else None)
        db.session.flush()
        self.summary.articles += len(scored.article_ids)

    def feed(self, rows: list[Any]) -> None:
        self.store(self.score(rows))

    def finish(self) -> MatchSummary:
        self.summary.withdrawn += self.stale.done()
        created, withdrawn = propagate_groups(self.groups, self.rules, self.threshold,
                                              self.floor)
        summary = self.summary
        summary.created += created
        summary.withdrawn += withdrawn
        log.info("matched %d articles: %d new, %d updated, %d withdrawn, %d decisions kept",
                 summary.articles, summary.created, summary.updated, summary.withdrawn,
                 summary.kept_decisions)
        return summary


def match_articles(article_ids: Sequence[int], *, rules: Sequence[EventRule] | None = None,
                   withdraw_stale: bool = True) -> MatchSummary:
    """Match these articles against every active event (or the given rules) in one pass.
    Against every event, the articles are marked matched as of the pass's start."""
    db.session.flush()  # (so that edits made before the pass are older than its mark)
    as_of = utcnow()
    run = _Pass(active_rules() if rules is None else rules, withdraw_stale=withdraw_stale)
    for rows in _rows_of(article_ids):
        run.feed(rows)
    summary = run.finish()
    _add_stories(summary, suggest_stories(article_ids, run.rules, run.floor, run.homes))
    if rules is None:
        for part in chunks(article_ids, CHUNK):
            _mark(Article, Article.id.in_(part), as_of)
    return summary


def _mark(model: type[Article] | type[Event], where: ColumnElement[bool], as_of: datetime
          ) -> None:
    """Set the "matched as of" mark of these rows (their `updated_at` kept: the mark is not an
    edit), in one statement that says it moves no coverage count."""
    db.session.execute(update(model).where(where).values(
        matched_at=as_of, updated_at=model.updated_at).execution_options(
        synchronize_session=False, **{NOTED: True}))


def _store(results: list[MatchResult], article_ids: list[int], *, event_ids: set[int],
           days: dict[int, date | None], threshold: float, summary: MatchSummary,
           stale: Withdrawals | None) -> None:
    # The matches of these articles (their events filtered here: a list of every event's id
    # would grow with the plan).
    existing = {(m.event_id, m.article_id): m for m in db.session.scalars(
        select(Match).where(Match.article_id.in_(article_ids))) if m.event_id in event_ids}
    produced = set()
    for result in results:
        key = (result.event_id, result.article_id)
        produced.add(key)
        summary.events.add(result.event_id)
        match = existing.get(key)
        status = ("accepted" if result.score >= threshold
                  and may_auto_accept(result.explanation) else "suggested")
        if match is not None and match.decided:
            summary.kept_decisions += 1
            continue
        day = days.get(result.article_id)
        if match is None:
            match = Match(event_id=result.event_id, article_id=result.article_id, auto=True)
            db.session.add(match)
            summary.created += 1
        else:
            summary.updated += 1
        match.score, match.status = result.score, status
        match.explanation = result.explanation.as_dict()
        match.day = day_number(day) if day else None
        match.matched_at = utcnow()
        summary.accepted += status == "accepted"
        summary.suggested += status == "suggested"
    if stale is not None:
        # Matches derived from a reprint's original are settled by `propagate_groups`, and
        # those of an accepted story by `suggest_stories`.
        stale.add([
            match for key, match in existing.items()
            if key not in produced and not match.decided and match.auto
            and not (match.explanation or {}).get("reprint_of")
            and not (match.explanation or {}).get("story_of")])


def _window_days(rules: Sequence[EventRule]) -> list[int]:
    """The day numbers the rules' windows cover, in order."""
    days: set[int] = set()
    for rule in rules:
        span = rule.days or {date.fromordinal(o) for o in range(
            rule.first_day.toordinal(), rule.last_day.toordinal() + 1)}
        days |= {day_number(d) for d in span}
    return sorted(days)


def _window_article_ids(rules: Sequence[EventRule]) -> list[int]:
    """The ids of every article in the rules' windows (for the model fitting's smaller sets)."""
    return [row.id for day in _window_days(rules) for rows in _rows_of_day(day) for row in rows]


def _held_outside(event_ids: list[int], days: set[int]) -> set[int]:
    """Articles outside these days that hold an undecided match of these events (a narrower
    window must withdraw those too)."""
    held: set[int] = set()
    for part in chunks(event_ids, CHUNK):
        held.update(article_id for article_id, day in db.session.execute(
            select(Match.article_id, Article.day).join(Article, Article.id == Match.article_id)
            .where(Match.event_id.in_(part), Match.decided_by_id.is_(None)).distinct())
            if day not in days)
    return held


@dataclass
class Rematch:
    """A re-match of some events scored, not yet stored (`score_events`, `store_rematch`):
    the events, the pass, every chunk of their windows scored, when the scoring began and the
    events' and their rules' `updated_at` then."""

    event_ids: list[int]
    run: _Pass
    scored: list[_Scored]
    as_of: datetime
    stamps: dict[int, tuple[datetime | None, datetime | None]]


def _stamps(event_ids: Sequence[int]) -> dict[int, tuple[datetime | None, datetime | None]]:
    """Each event's `updated_at` and its rule's: an edit of either changes them."""
    found: dict[int, tuple[datetime | None, datetime | None]] = {}
    for part in chunks(sorted(event_ids), CHUNK):
        found.update({event_id: (event_at, rule_at) for event_id, event_at, rule_at in
                      db.session.execute(select(Event.id, Event.updated_at, CoverageRule.updated_at)
                                         .outerjoin(CoverageRule,
                                                    CoverageRule.event_id == Event.id)
                                         .where(Event.id.in_(part)))})
    return found


def score_events(events: Sequence[Event]) -> Rematch:
    """Score the articles of these events' windows (and those outside holding an undecided
    match of them) against them: the slow half of `rematch_events`, which only reads, so a
    request runs it without SQLite's write lock and stores the result in a short write."""
    as_of = utcnow()
    ids = [event.id for event in events]
    stamps = _stamps(ids)
    rules = _rules_for(events)
    run = _Pass(rules, withdraw_stale=True)
    days = _window_days(rules)
    scored = [run.score(rows) for day in days for rows in _rows_of_day(day)]
    scored += [run.score(rows) for rows in _rows_of(
        sorted(_held_outside([r.event_id for r in rules], set(days))))]
    return Rematch(ids, run, scored, as_of, stamps)


def store_rematch(rematch: Rematch) -> MatchSummary:
    """Store a scored re-match: matches created, updated or withdrawn (decisions kept) and
    carried across reprint groups, the events marked matched as of the scoring (their stories
    are followed after: see `rematch_events`). An event or rule edited since it was scored is
    scored again first (here, in the write)."""
    if _stamps(rematch.event_ids) != rematch.stamps:
        log.info("events %s changed since they were scored: scoring again", rematch.event_ids)
        rematch = score_events(_events(rematch.event_ids))
    run = rematch.run
    for scored in rematch.scored:
        run.store(scored)
    summary = run.finish()
    # An event whose rule can no longer be built (cancelled, bad query) keeps only decisions.
    dropped = sorted(set(rematch.event_ids) - {r.event_id for r in run.rules})
    for part in chunks(dropped, CHUNK):
        summary.withdrawn += withdraw(list(db.session.scalars(select(Match).where(
            Match.event_id.in_(part), Match.decided_by_id.is_(None)))))
    for part in chunks(sorted(rematch.event_ids), CHUNK):
        _mark(Event, Event.id.in_(part), rematch.as_of)
    db.session.flush()
    return summary


def rematch_events(events: Sequence[Event]) -> MatchSummary:
    """Re-run matching for these events over the articles of their windows (after an event or
    its query changed); withdraws their undecided matches that no longer hold, and follows
    their accepted stories. The windows' articles are read a day at a time, a chunk at a time:
    memory and every statement stay bounded whatever the archive holds. In the current
    transaction."""
    db.session.flush()  # (so that the edit that asked for this is older than the mark)
    rematch = score_events(events)
    summary = store_rematch(rematch)
    rules, floor = rematch.run.rules, rematch.run.floor
    _add_stories(summary, suggest_stories(_window_ids(rules), rules, floor, rematch.run.homes))
    return summary


def rematch_briefly(event_ids: Sequence[int]) -> MatchSummary:
    """`rematch_events` for a request whose edit is committed, without holding SQLite's write
    lock while it reads: the windows are scored reading, the matches stored in a short write
    and committed, the stories they accepted looked for reading, and stored in another short
    write (the caller commits that one). An interrupted request leaves the events marked as
    edited since matched, which `campaign-tracker match` re-runs."""
    with reading():
        events = _events(event_ids)
        rematch = score_events(events)
    summary = briefly(lambda: store_rematch(rematch))
    db.session.commit()
    rules, floor = rematch.run.rules, rematch.run.floor
    with reading():
        finds = find_stories(_window_ids(rules), rules, floor, rematch.run.homes)
    _add_stories(summary, briefly(lambda: store_stories(finds)))
    return summary


def _events(event_ids: Sequence[int]) -> list[Event]:
    return [e for part in chunks(sorted(event_ids), CHUNK)
            for e in db.session.scalars(select(Event).where(Event.id.in_(part)))]


def follow_stories_briefly(event_ids: Sequence[int], *, accepted: bool = True) -> int:
    """`follow_stories` for a request whose decision is committed: the stories looked for
    reading, the suggestions stored in a short write (the caller commits)."""
    if not accepted:
        briefly(lambda: withdraw_orphans(list(event_ids)))
        return 0
    with reading():
        rules = _rules_for(_events(event_ids))
        finds = find_stories(_window_ids(rules), rules, suggest_min_score(), homes_for(rules))
    created, _withdrawn = briefly(lambda: store_stories(finds))
    return created


def follow_stories(events: Sequence[Event], *, accepted: bool = True) -> int:
    """After officers decided coverage of these events: suggest the other reports of the
    accepted stories in the events' windows, withdraw those of stories no longer accepted
    (only that after a rejection). How many were suggested."""
    if not accepted:
        withdraw_orphans([e.id for e in events])
        return 0
    rules = _rules_for(events)
    created, _withdrawn = suggest_stories(_window_ids(rules), rules, suggest_min_score(),
                                          homes_for(rules))
    return created


def _window_ids(rules: Sequence[EventRule]) -> Iterator[int]:
    """The ids of the articles of the rules' windows, day by day (keyset paging)."""
    for day in _window_days(rules):
        last = 0
        while ids := list(db.session.scalars(select(Article.id).where(
                Article.day == day, Article.id > last).order_by(Article.id).limit(CHUNK))):
            yield from ids
            last = ids[-1]


def _add_stories(summary: MatchSummary, found: tuple[int, int]) -> None:
    summary.created += found[0]
    summary.withdrawn += found[1]


def _changed_events() -> list[Event]:
    """Events never matched, or edited (they or their rule) since they were. (The marks are
    read as columns: an Event already in the session may hold an older mark.)"""
    rules = dict(db.session.execute(select(CoverageRule.event_id, CoverageRule.updated_at)).all())
    changed = [event_id for event_id, matched_at, updated_at in db.session.execute(
        select(Event.id, Event.matched_at, Event.updated_at).order_by(Event.id))
        if matched_at is None or matched_at < updated_at
        or (event_id in rules and matched_at < rules[event_id])]
    return [e for part in chunks(changed, CHUNK)
            for e in db.session.scalars(select(Event).where(Event.id.in_(part)))]


def _new_to_matching() -> ColumnElement[bool]:
    """Articles never matched, or changed since they were."""
    return or_(Article.matched_at.is_(None), Article.matched_at < Article.updated_at)


def _new_rows() -> Iterator[list[Any]]:
    last = 0
    while rows := list(db.session.execute(_text_query().where(
            _new_to_matching(), Article.id > last).order_by(Article.id).limit(CHUNK))):
        yield rows
        last = rows[-1].id


def match_new(*, full: bool = False) -> MatchSummary:
    """What `campaign-tracker match` runs: events never matched or edited since (they or their
    rule) against their windows, then articles new or changed since they were matched against
    every event; with nothing new it reads no article. `full`: every event's window again.
    Marks both as matched as of the run's start."""
    db.session.flush()
    as_of = utcnow()
    changed = list(db.session.scalars(select(Event))) if full else _changed_events()
    summary = rematch_events(changed) if changed else MatchSummary()
    rules = active_rules()
    if db.session.scalar(select(Article.id).where(_new_to_matching()).limit(1)) is None:
        return summary  # (no article is new: the matcher need not be built)
    if {r.event_id for r in rules} - {e.id for e in changed}:
        # Some events were not read again: the new articles still meet them.
        run = _Pass(rules, withdraw_stale=True)
        for rows in _new_rows():
            run.feed(rows)
        _add(summary, run.finish())
    _add_stories(summary, suggest_stories(
        (row.id for rows in _new_rows() for row in rows), rules, suggest_min_score(),
        homes_for(rules)))
    # Every event has now met every article not yet marked (an article outside all windows
    # meets none).
    _mark(Article, _new_to_matching(), as_of)
    db.session.flush()
    return summary


def _add(total: MatchSummary, part: MatchSummary) -> None:
    for name in ("articles", "created", "updated", "withdrawn", "accepted", "suggested",
                 "kept_decisions"):
        setattr(total, name, getattr(total, name) + getattr(part, name))
    total.events |= part.events


def rematch_campaign(campaign: Campaign) -> MatchSummary:
    """Re-run matching for every event of a campaign."""
    return rematch_events(list(campaign.events))


def decide(match: Match, status: str, user: User) -> Match:
    """Record an officer's decision (accepted or rejected); it survives every re-match."""
    if status not in ("accepted", "rejected"):
        raise ValueError(status)
    match.status, match.decided_by_id, match.decided_at = status, user.id, utcnow()
    db.session.flush()
    log.info("match %s %s by %s", match.id, status, user.username)
    return match


def move(match: Match, to_event: Event, user: User) -> Match:
    """Move a match to another event: rejected for its event, accepted for the other."""
    target = db.session.scalar(select(Match).where(
        Match.event_id == to_event.id, Match.article_id == match.article_id))
    if target is None:
        target = Match(event_id=to_event.id, article_id=match.article_id, auto=False,
                       score=match.score, explanation=match.explanation, day=match.day)
        db.session.add(target)
    decide(match, "rejected", user)
    return decide(target, "accepted", user)


def add_match(event: Event, article: Article, user: User) -> Match:
    """Attach an article to an event by hand (accepted)."""
    match = db.session.scalar(select(Match).where(
        Match.event_id == event.id, Match.article_id == article.id))
    if match is None:
        match = Match(event_id=event.id, article_id=article.id, auto=False, day=article.day,
                      explanation={})
        db.session.add(match)
    return decide(match, "accepted", user)
