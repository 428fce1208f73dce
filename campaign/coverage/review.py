"""What waits for an officer: the review queue of a campaign, counts of suggested matches, and
editorial slots that are due or missed — offered to planning's templates as Jinja globals
(planning sits on a lower floor and must not import coverage)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import Flask, g
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from campaign.articles.models import Article
from campaign.articles.search import page_label
from campaign.core.times import local_today
from campaign.coverage import explain
from campaign.coverage.models import Match
from campaign.coverage.stats import events_slot_states
from campaign.extensions import db
from campaign.planning.models import Campaign, EditorialSlot, Event

DUE_WITHIN_DAYS = 3


def suggested_count(campaign: Campaign) -> int:
    """How many suggested matches of the campaign wait for review."""
    return db.session.scalar(select(func.count()).select_from(Match).join(Match.event).where(
        Event.campaign_id == campaign.id, Match.status == "suggested")) or 0


def event_matches(event: Event) -> dict[str, list[Match]]:
    """The event's matches by status (suggested, accepted, rejected), by article date."""
    grouped: dict[str, list[Match]] = {"suggested": [], "accepted": [], "rejected": []}
    for match in db.session.scalars(
            select(Match).join(Match.article).where(Match.event_id == event.id)
            .options(joinedload(Match.article).joinedload(Article.outlet))
            .order_by(Match.day.asc().nulls_last(), Article.published_at, Match.id)):
        grouped.setdefault(match.status, []).append(match)
    return grouped


def event_match_counts(event: Event) -> dict[str, int]:
    """Counts of the event's matches by status."""
    rows = db.session.execute(select(Match.status, func.count()).where(
        Match.event_id == event.id).group_by(Match.status))
    return {str(row[0]): int(row[1]) for row in rows}


@dataclass
class SlotAlert:
    """Slots of one event in the same state (missed, or due soon): one line on the page."""

    event: Event
    state: str
    slots: list[EditorialSlot] = field(default_factory=list)
    days: list[date] = field(default_factory=list)  # the instalments' days, with `slots`


def campaign_slot_alerts(campaign: Campaign, today: date | None = None,
                         within: int = DUE_WITHIN_DAYS) -> list[SlotAlert]:
    """Editorial slots that are missed, or due within the next `within` days, by event."""
    today = today or local_today(campaign.timezone)
    alerts: dict[tuple[int, str], SlotAlert] = {}
    events = [event for event in campaign.events if event.status != "cancelled"]
    for state in events_slot_states(events, today):
        event = state.slot.event
        day = state.day or state.slot.planned_on
        soon = state.state == "due" and day <= today + timedelta(within)
        if state.state == "missed" or soon:
            alert = alerts.setdefault((event.id, state.state), SlotAlert(event, state.state))
            alert.slots.append(state.slot)
            alert.days.append(day)
    return sorted(alerts.values(), key=lambda a: (a.days[0], a.event.title))


def attach_choices() -> list[tuple[Campaign, list[Event]]]:
    """Every campaign (latest first) with its events in date order: the choices of 归入活动.
    Read once per request."""
    if "attach_choices" not in g:
        campaigns = db.session.scalars(select(Campaign).order_by(Campaign.starts_on.desc(),
                                                                 Campaign.id.desc()))
        g.attach_choices = [(c, c.events_in_order) for c in campaigns]
    return list(g.attach_choices)


def init_app(app: Flask) -> None:
    """Offer the coverage summaries to the templates of lower floors (planning)."""
    app.jinja_env.globals.update(
        match_reasons=explain.explanation_text, article_page=page_label,
        article_href=explain.article_href, article_day=explain.article_day,
        slot_state_in_words=explain.slot_state_in_words, attach_choices=attach_choices,
    )
