"""Who may change a campaign. By default every officer may edit every campaign (the
department plans together); an administrator may restrict a campaign to named officers, and
then only they and administrators may change it, its events, coverage rules, matches and
clippings. Reading stays open to every signed-in user."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import select

from campaign.auth.models import User
from campaign.extensions import db
from campaign.planning.models import Campaign

log = logging.getLogger(__name__)


def may_edit_campaign(campaign: Campaign, user: User) -> bool:
    """Whether `user` may change `campaign`: an officer, and an admin or one of its editors
    when it names any."""
    if not user.can_edit:
        return False
    if user.has_role("admin") or not campaign.editors:
        return True
    return any(editor.id == user.id for editor in campaign.editors)


def officers() -> list[User]:
    """The active users who can edit (officers and admins), by username."""
    users = db.session.scalars(select(User).where(User.active).order_by(User.username))
    return [user for user in users if user.can_edit]


def set_campaign_editors(campaign: Campaign, user_ids: Iterable[int]) -> list[User]:
    """Restrict `campaign` to these officers (none: every officer may edit it again)."""
    wanted = set(user_ids)
    chosen = [user for user in officers() if user.id in wanted]
    campaign.editors = chosen
    db.session.flush()
    log.info("campaign %s editors: %s", campaign.slug,
             ", ".join(u.username for u in chosen) or "every officer")
    return chosen
