"""Domain objects as the API's JSON: plain dicts, dates as ISO 8601, times in UTC."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import url_for

from campaign.coverage.stats import event_stats
from campaign.exports.rows import ClippingRow
from campaign.ingest.health import SourceHealth
from campaign.planning.models import Campaign, Event, Outlet


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def campaign_json(campaign: Campaign) -> dict[str, Any]:
    slug = campaign.slug
    return {
        "slug": slug, "name": campaign.name, "starts_on": iso(campaign.starts_on),
        "ends_on": iso(campaign.ends_on), "planning_starts_on": iso(campaign.planning_starts_on),
        "timezone": campaign.timezone, "description": campaign.description,
        "goals": campaign.goals,
        "links": {
            "self": url_for("api.campaign", slug=slug, _external=True),
            "events": url_for("api.events", slug=slug, _external=True),
            "coverage": url_for("api.coverage", slug=slug, _external=True),
            "calendar": url_for("api.campaign_calendar_feed", slug=slug, _external=True),
        },
    }


def event_json(event: Event) -> dict[str, Any]:
    stats = event_stats(event)
    return {
        "key": event.key, "title": event.title, "type": event.type, "status": event.status,
        "starts_at": iso(event.starts_at), "ends_at": iso(event.ends_at),
        "all_day": event.all_day, "start_date": iso(event.start_date),
        "end_date": iso(event.end_date), "venue": event.venue,
        "keywords": event.keyword_list, "target_outlets": event.target_outlets,
        "invited_outlets": [o.name for o in event.invited_outlets],
        "slots": [slot.as_dict() for slot in event.slots],
        "coverage": {
            "pieces": stats.pieces, "page_one": stats.page_one, "reprints": stats.reprints,
            "to_review": stats.suggested, "reporting_outlets": [o.name for o in stats.reporting],
            "invited_silent": [o.name for o in stats.invited_silent],
            "invited_unmonitored": [o.name for o in stats.invited_unmonitored],
            "target_met": stats.target_met,
        },
    }


def clipping_json(row: ClippingRow) -> dict[str, Any]:
    return {
        "seq": row.seq, "date": iso(row.day), "outlet": row.outlet, "tier": row.tier,
        "page": row.page, "page_number": row.page_number, "genre": row.genre,
        "title": row.title, "author": row.author, "source": row.source, "url": row.url or None,
        "event": row.event_key, "event_title": row.event_title, "kind": row.kind,
        "status": row.status, "reprint": bool(row.extra.get("reprint")),
    }


def outlet_json(outlet: Outlet) -> dict[str, Any]:
    return {"id": outlet.id, "name": outlet.name, "aliases": outlet.alias_list,
            "tier": outlet.tier, "kind": outlet.kind, "region": outlet.region}


def source_json(health: SourceHealth) -> dict[str, Any]:
    source, run = health.source, health.latest_run
    return {
        "id": source.id, "name": source.name, "outlet": source.outlet.name,
        "type": source.type, "url": source.url, "enabled": source.enabled,
        "health": {
            "state": health.state, "error": health.error or None,
            "last_outcome": run.outcome if run else None,
            "last_attempt_at": iso(source.last_attempt_at),
            "last_success_at": iso(source.last_success_at),
            "last_new_at": iso(health.last_new_at),
            "consecutive_failures": source.consecutive_failures,
        },
    }
