"""Writes of the coverage pages: an event's rule, and decisions on several matches at once.
Functions flush and log; the caller commits."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from campaign.auth.models import User
from campaign.coverage.matching import decide, follow_stories, rematch_events
from campaign.coverage.models import CoverageRule, Match
from campaign.coverage.query import parse
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
    """Store the event's coverage rule and re-match its window.

    A non-blank query must parse (QueryError otherwise, before anything is written); a blank
    query means the suggested one. Decisions officers made survive the re-match."""
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
    summary = rematch_events([event])
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


def decide_many(campaign: Campaign, match_ids: Sequence[int], status: str,
                user: User) -> list[Match]:
    """Accept or reject several matches of the campaign; ids of other campaigns are ignored."""
    matches = campaign_matches(campaign, match_ids)
    for match in matches:
        decide(match, status, user)
    follow_stories(list({m.event_id: m.event for m in matches}.values()),
                   accepted=status == "accepted")
    return matches
