"""Writes of the digests pages: a user's address, language and subscriptions; robots."""

from __future__ import annotations

import logging
from collections.abc import Mapping

import sqlalchemy as sa

from campaign.auth.models import User
from campaign.digests.models import DigestSubscription, Robot
from campaign.extensions import db
from campaign.planning.models import Campaign

log = logging.getLogger(__name__)


def user_subscriptions(user: User) -> dict[int, DigestSubscription]:
    """The user's subscriptions by campaign id."""
    rows = db.session.scalars(sa.select(DigestSubscription).where(
        DigestSubscription.user_id == user.id))
    return {row.campaign_id: row for row in rows}


def save_subscriptions(user: User, *, email: str, language: str,
                       chosen: Mapping[int, tuple[bool, bool]]) -> None:
    """Set the user's address and language, and per campaign id (digest, alerts); a campaign
    with neither loses its subscription. Flushes."""
    user.email = email.strip()
    user.language = language
    existing = user_subscriptions(user)
    campaigns = set(db.session.scalars(sa.select(Campaign.id)))
    for campaign_id in campaigns:
        digest, alerts = chosen.get(campaign_id, (False, False))
        row = existing.get(campaign_id)
        if not (digest or alerts):
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            row = DigestSubscription(user_id=user.id, campaign_id=campaign_id)
            db.session.add(row)
        row.digest, row.alerts = digest, alerts
    db.session.flush()
    log.info("user %s: subscriptions saved", user.username)


def unsubscribe(user_id: int, campaign_id: int) -> bool:
    """Cancel the user's subscription to the campaign; False if there was none. Flushes."""
    row = db.session.scalar(sa.select(DigestSubscription).where(
        DigestSubscription.user_id == user_id, DigestSubscription.campaign_id == campaign_id))
    if row is None:
        return False
    db.session.delete(row)
    db.session.flush()
    log.info("user %s unsubscribed from campaign %s", user_id, campaign_id)
    return True


def add_robot(campaign: Campaign, *, name: str, kind: str, url: str, secret: str,
              keyword: str, digest: bool, alerts: bool) -> Robot:
    """A new robot of the campaign. Flushes."""
    robot = Robot(campaign_id=campaign.id, name=name.strip(), kind=kind, url=url.strip(),
                  secret=secret.strip(), keyword=keyword.strip(), digest=digest,
                  alerts=alerts)
    db.session.add(robot)
    db.session.flush()
    log.info("campaign %s: robot %s (%s) added", campaign.slug, robot.id, kind)
    return robot


def delete_robot(robot: Robot) -> None:
    """Remove a robot. Flushes."""
    db.session.delete(robot)
    db.session.flush()
