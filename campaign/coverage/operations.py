"""Writes of the coverage pages: an event's rule, and officers' decisions on matches (with
what undoes them). Functions flush and log; the caller commits."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from campaign.auth.models import User
from campaign.coverage.matching import (
    MatchSummary,
    decide,
    follow_stories,
    move,
    rematch_events,
)
from campaign.coverage.models import CoverageRule, Match
from campaign.coverage.query import parse
from campaign.coverage.undo import UndoRecord, before_decision, note_created, undo_decision
from campaign.extensions import db
from campaign.planning.models import Campaign, Event, Outlet

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RuleSaved:
    """What saving a rule changed: new and withdrawn matches, decisions kept as they were."""

    created: int
    withdrawn: int
    decisions: int


def save_rule(event: Event, *, query: str, use_synonyms: bool, days_before: int | None,
              days_after: int | None, outlets: Sequence[Outlet]) -> RuleSaved:
    """Store the event's coverage rule and re-match its window (`store_rule`, then
    `rematch_events`, in the current transaction).

    A non-blank query must parse (QueryError otherwise, before anything is written); a blank
    query means the suggested one. Decisions officers made survive the re-match."""
    store_rule(event, query=query, use_synonyms=use_synonyms, days_before=days_before,
               days_after=days_after, outlets=outlets)
    return rule_saved(event, rematch_events([event]))


def store_rule(event: Event, *, query: str, use_synonyms: bool, days_before: int | None,
               days_after: int | None, outlets: Sequence[Outlet]) -> None:
    """Store the event's coverage rule, not re-matching (QueryError for a query that does not
    parse, before anything is written)."""
    query = query.strip()
    if query:
        parse(query)
    rule = db.session.get(CoverageRule, event.id)
    if rule is None:
        rule = CoverageRule(event_id=event.id)
        db.session.add(rule)
    rule.query, rule.use_synonyms = query, use_synonyms
    rule.days_before, rule.days_after = days_before, days_after
    rule.outlets = list(outlets)
    db.session.flush()
    log.info("coverage rule of event %s saved", event.id)


def rule_saved(event: Event, summary: MatchSummary) -> RuleSaved:
    """What saving the rule did: the re-match's new and withdrawn matches, the decisions kept."""
    decisions = db.session.scalar(select(func.count()).select_from(Match).where(
        Match.event_id == event.id, Match.decided_by_id.is_not(None))) or 0
    return RuleSaved(summary.created, summary.withdrawn, decisions)


def campaign_match(campaign: Campaign, match_id: int) -> Match | None:
    """A match of one of the campaign's events, or None."""
    return db.session.scalar(select(Match).join(Match.event).where(
        Match.id == match_id, Event.campaign_id == campaign.id))


def event_match(event: Event, article_id: int) -> Match | None:
    """The match of an article with an event, if there is one."""
    return db.session.scalar(select(Match).where(Match.event_id == event.id,
                                                 Match.article_id == article_id))


def campaign_matches(campaign: Campaign, match_ids: Sequence[int]) -> list[Match]:
    """The matches of ``match_ids`` that belong to the campaign's events, by id."""
    if not match_ids:
        return []
    return list(db.session.scalars(select(Match).join(Match.event).where(
        Match.id.in_(match_ids), Event.campaign_id == campaign.id).order_by(Match.id)))


def decide_matches(campaign: Campaign, matches: Sequence[Match], status: str,
                   user: User, *, follow: bool = True) -> UndoRecord:
    """Accept or reject matches of the campaign, then (unless `follow` is off: a request
    follows them after committing, `follow_stories_briefly`) follow their events' stories
    (suggest the rest of an accepted story, withdraw what a rejection orphaned). The undo
    record of what the decision changed."""
    undo = before_decision(campaign, user, matches)
    for match in matches:
        decide(match, status, user)
    if follow:
        follow_stories(list({m.event_id: m.event for m in matches}.values()),
                       accepted=status == "accepted")
    return undo


def decide_many(campaign: Campaign, match_ids: Sequence[int], status: str,
                user: User, *, follow: bool = True) -> tuple[list[Match], UndoRecord]:
    """Accept or reject several matches of the campaign (ids of other campaigns are ignored):
    the matches decided and the undo record."""
    matches = campaign_matches(campaign, match_ids)
    return matches, decide_matches(campaign, matches, status, user, follow=follow)


def move_match(campaign: Campaign, match: Match, target: Event, user: User, *,
               follow: bool = True) -> tuple[Match, UndoRecord]:
    """Move a match to another event of the campaign (rejected here, accepted there) and
    (unless `follow` is off) follow the target's stories: the target's match and the undo
    record."""
    existing = event_match(target, match.article_id)
    undo = before_decision(campaign, user, [m for m in (match, existing) if m])
    moved = move(match, target, user)
    if follow:
        follow_stories([target])
    note_created(undo, moved, existed=existing is not None)
    return moved, undo


def undo_last(campaign: Campaign, user: User, record: UndoRecord, *,
              follow: bool = True) -> int:
    """Put back what the recorded decision changed, and (unless `follow` is off) the story
    suggestions with it (those of an undone acceptance go): how many matches were restored."""
    restored = undo_decision(campaign, user, record)
    if follow:
        follow_stories(list(campaign.events))
    return restored
