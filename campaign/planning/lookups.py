"""A campaign or an event named in a URL, or a 404 (for every feature's views)."""

from __future__ import annotations

from flask import abort

from campaign.planning.models import Campaign, Event
from campaign.planning.operations import get_campaign


def campaign_or_404(slug: str) -> Campaign:
    return get_campaign(slug) or abort(404)


def event_or_404(campaign: Campaign, key: str) -> Event:
    return campaign.event_with_key(key) or abort(404)
