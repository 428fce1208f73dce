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
from campaign.coverage.stats import slot_states
from campaign.coverage.stories import clusters, story_text
from campaign.coverage.story_matches import plan_common
from campaign.extensions import db
from campaign.planning.models import Campaign, EditorialSlot, Event

QUEUE_LIMIT = 200
DUE_WITHIN_DAYS = 3


def suggested_matches(campaign: Campaign, *, limit: int = QUEUE_LIMIT) -> list[Match]:
    """The campaign's suggested matches, oldest article first (one row per event and article)."""
    return list(db.session.scalars(
        select(Match).join(Match.event).join(Match.article)
        .where(Event.campaign_id == campaign.id, Match.status == "suggested")
        .options(joinedload(Match.event), joinedload(Match.article).joinedload(Article.outlet))
        .order_by(Match.day.asc().nulls_last(), Article.published_at, Match.id)
        .limit(limit)))


@dataclass
class StoryBlock:
    """Suggestions of one event that tell one story: decided together in the queue. `follows`
    is the accepted report they were suggested after, when they were."""

    event: Event
    matches: list[Match]
    follows: Article | None = None


def story_blocks(matches: list[Match]) -> dict[int, StoryBlock]:
    """The queue's suggestions grouped into stories, keyed by the id of each block's first
    match (in queue order): the suggestions that follow one accepted report, and suggestions
    of one event whose reports tell one story. Lone suggestions form no block."""
    keyed: dict[tuple[int, int], list[Match]] = {}
    rest: dict[int, list[Match]] = {}
    for match in matches:
        seed = (match.explanation or {}).get("story_of")
        if seed:
            keyed.setdefault((match.event_id, int(seed)), []).append(match)
        else:
            rest.setdefault(match.event_id, []).append(match)
    blocks: list[StoryBlock] = []
    follows = {a.id: a for a in db.session.scalars(select(Article).where(
        Article.id.in_([seed for _event, seed in keyed])))} if keyed else {}
    for (_event, seed), found in keyed.items():
        blocks.append(StoryBlock(found[0].event, found, follows.get(seed)))
    common = plan_common({m.event_id for m in matches}) if matches else frozenset()
    for found in rest.values():
        if len(found) < 2:
            continue
        by_article = {m.article_id: m for m in found}
        texts = [story_text(m.article_id, m.article.outlet_id, explain.article_day(m.article),
                            " ".join(p for p in (m.article.intro_title, m.article.title,
                                                 m.article.subtitle) if p), "")
                 for m in found]
        blocks.extend(StoryBlock(found[0].event, [by_article[i] for i in group])
                      for group in clusters(texts, common))
    order = {m.id: n for n, m in enumerate(matches)}
    return {min(b.matches, key=lambda m: order[m.id]).id: b for b in blocks
            if len(b.matches) > 1 or b.follows is not None}


def in_story_order(matches: list[Match], blocks: dict[int, StoryBlock]) -> list[Match]:
    """The queue with each story's suggestions together, where its first one stood."""
    placed: set[int] = set()
    ordered: list[Match] = []
    members = {m.id: head for head, b in blocks.items() for m in b.matches}
    for match in matches:
        if match.id in placed:
            continue
        head = members.get(match.id)
        group = blocks[head].matches if head is not None else [match]
        ordered.extend(m for m in group if m.id not in placed)
        placed.update(m.id for m in group)
    return ordered


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
    for event in campaign.events:
        if not event.slots or event.status == "cancelled":
            continue
        for state in slot_states(event, today):
            day = state.day or state.slot.planned_on
            soon = state.state == "due" and day <= today + timedelta(within)
            if state.state == "missed" or soon:
                alert = alerts.setdefault((event.id, state.state),
                                          SlotAlert(event, state.state))
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
