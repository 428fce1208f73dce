"""Alerts, sent as things happen while a campaign runs: a planned slot missed, an invited
outlet's source failing or silent for ALERT_SILENT_HOURS, the review queue above
ALERT_QUEUE_MAX, a page-one piece accepted. Each has a kind and a period key, so the sent-log
lets through at most one per kind and subject per day (a missed slot and a page-one piece: one
ever)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext
from sqlalchemy.orm import joinedload

from campaign.articles.models import Article, day_number
from campaign.core.times import zone
from campaign.coverage.models import Match
from campaign.coverage.review import campaign_slot_alerts, suggested_count
from campaign.digests.render import language
from campaign.extensions import db
from campaign.ingest.health import sources_health
from campaign.planning.models import Campaign, EditorialSlot, Event
from campaign.sources.models import Source

PAGE_ONE_DAYS = 2  # page-one pieces of the last days are alerted (older ones are news no more)


@dataclass
class Alert:
    """One alert: its kind, its period key (day and subject), where it links to, and its
    words, written when the reader's language is known."""

    kind: str  # slot_missed | source_failing | source_silent | queue | page_one
    period: str
    path: str
    words_in: Callable[[], tuple[str, list[str]]] = field(repr=False)

    def words(self, lang: str | None = None) -> tuple[str, list[str]]:
        """(title, lines) in `lang`."""
        with language(lang):
            return self.words_in()


def campaign_alerts(campaign: Campaign, *, now: datetime) -> list[Alert]:
    """The campaign's alerts at `now` (none outside its days)."""
    today = now.astimezone(zone()).date()
    if not campaign.first_day <= today <= campaign.ends_on + timedelta(days=1):
        return []
    return [*_missed_slots(campaign, today), *_sources(campaign, today, now),
            *_queue(campaign, today), *_page_one(campaign, today)]


def _missed_slots(campaign: Campaign, today: date) -> list[Alert]:
    alerts = []
    base = f"/campaigns/{campaign.slug}/events/"
    for found in campaign_slot_alerts(campaign, today=today, within=0):
        if found.state != "missed":
            continue
        for slot, day in zip(found.slots, found.days, strict=True):
            def words(s: EditorialSlot = slot, d: date = day, e: Event = found.event
                      ) -> tuple[str, list[str]]:
                return (gettext("未按计划见报：%(outlet)s %(day)s", outlet=s.outlet.name,
                                day=d.isoformat()),
                        [gettext("活动：%(title)s", title=e.title),
                         gettext("版面：%(page)s", page=s.page or "—")])

            alerts.append(Alert("slot_missed", f"slot-{slot.id}-{day.isoformat()}",
                                base + found.event.key, words))
    return alerts


def _sources(campaign: Campaign, today: date, now: datetime) -> list[Alert]:
    invited = {o.id for event in campaign.events if event.status != "cancelled"
               for o in event.invited_outlets}
    if not invited or today < campaign.starts_on:
        return []
    sources = list(db.session.scalars(sa.select(Source).where(
        Source.outlet_id.in_(invited), Source.enabled).options(joinedload(Source.outlet))))
    silent_after = timedelta(hours=int(current_app.config.get("ALERT_SILENT_HOURS", 24)))
    campaign_start = datetime.combine(campaign.starts_on, datetime.min.time(), tzinfo=zone())
    alerts = []
    for health in sources_health(sources, now=now, today=today):
        source = health.source
        last_new = health.last_new_at or campaign_start
        if health.state == "failing":
            kind, error = "source_failing", health.error
        elif now - max(last_new, campaign_start) >= silent_after:
            kind, error = "source_silent", ""
        else:
            continue

        def words(s: Source = source, k: str = kind, err: str = error,
                  last: datetime | None = health.last_new_at) -> tuple[str, list[str]]:
            title = (gettext("抓取失败：%(outlet)s", outlet=s.outlet.name) if k == "source_failing"
                     else gettext("长时间没有新文章：%(outlet)s", outlet=s.outlet.name))
            lines = [gettext("来源：%(name)s", name=s.name or s.url)]
            if err:
                lines.append(err)
            lines.append(gettext("上次有新文章：%(when)s",
                                 when=last.astimezone(zone()).strftime("%Y-%m-%d %H:%M")
                                 if last else gettext("从未")))
            return title, lines

        alerts.append(Alert(kind, f"{today.isoformat()}/source-{source.id}",
                            f"/sources/{source.id}", words))
    return alerts


def _queue(campaign: Campaign, today: date) -> list[Alert]:
    waiting = suggested_count(campaign)
    limit = int(current_app.config.get("ALERT_QUEUE_MAX", 50))
    if waiting <= limit:
        return []

    def words() -> tuple[str, list[str]]:
        return (gettext("待审核报道已有 %(n)s 条", n=waiting),
                [gettext("超过了 %(n)s 条的提醒线。", n=limit)])

    return [Alert("queue", f"{today.isoformat()}/queue", f"/campaigns/{campaign.slug}/review",
                  words)]


def _page_one(campaign: Campaign, today: date) -> list[Alert]:
    first = today - timedelta(days=PAGE_ONE_DAYS)
    matches = db.session.scalars(
        sa.select(Match).join(Match.event).join(Match.article)
        .where(Event.campaign_id == campaign.id, Match.status == "accepted",
               Article.page_number == 1,
               Match.day.between(day_number(first), day_number(today)))
        .options(joinedload(Match.article).joinedload(Article.outlet),
                 joinedload(Match.event)).order_by(Match.id))
    alerts = []
    for match in matches:
        def words(m: Match = match) -> tuple[str, list[str]]:
            return (gettext("一版报道：%(outlet)s", outlet=m.article.outlet.name),
                    [f"《{m.article.title}》", gettext("活动：%(title)s", title=m.event.title)])

        alerts.append(Alert("page_one", f"article-{match.article_id}",
                            f"/campaigns/{campaign.slug}/events/{match.event.key}", words))
    return alerts
