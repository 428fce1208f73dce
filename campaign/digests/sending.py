"""Who gets what, and the pass the scheduler runs: the digests due at DIGEST_AT (Beijing
time) and the alerts of the moment, each through the sent-log (`operations.deliver`)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from campaign.auth.models import User
from campaign.core.times import utcnow, zone
from campaign.digests.alerts import Alert, campaign_alerts
from campaign.digests.channels import RobotTarget, SendError, post_robot, send_mail
from campaign.digests.compose import Digest, build_digest, digest_kind, digest_period
from campaign.digests.models import Delivery, DigestSubscription, Robot
from campaign.digests.operations import Cancelled, Key, deliver, may_claim, retry_due
from campaign.digests.ratelimit import ROBOT_LIMIT
from campaign.digests.render import Message, link, render_alert, render_digest
from campaign.extensions import db
from campaign.planning.models import Campaign

log = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "digest-unsubscribe"


@dataclass(frozen=True)
class Recipient:
    """One address a message goes to: a mail box (with its reader's language and the
    subscription to cancel, and for a subscriber the user) or a robot."""

    key: str  # the sent-log's recipient: mail:addr, robot:ID, webhook:URL
    email: str = ""
    language: str = ""
    unsubscribe: str = ""
    robot: RobotTarget | None = None
    user_id: int | None = None  # a subscriber's; None for an address given by hand


def unsubscribe_token(user_id: int, campaign_id: int) -> str:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], UNSUBSCRIBE_SALT).dumps(
        [user_id, campaign_id])


def read_unsubscribe_token(token: str) -> tuple[int, int] | None:
    """The (user, campaign) of an unsubscribe link, or None for a forged or broken one."""
    try:
        value = URLSafeSerializer(current_app.config["SECRET_KEY"], UNSUBSCRIBE_SALT).loads(token)
    except BadSignature:
        return None
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
        return None
    return value[0], value[1]


def subscribers(campaign: Campaign, what: str) -> list[Recipient]:
    """Active users with an e-mail address subscribed to the campaign's `what` (digest or
    alerts), and the campaign's enabled robots that take it."""
    column = DigestSubscription.digest if what == "digest" else DigestSubscription.alerts
    rows = db.session.scalars(
        sa.select(DigestSubscription).join(DigestSubscription.user)
        .where(DigestSubscription.campaign_id == campaign.id, column, User.active,
               User.email != "")
        .order_by(User.id))
    people = [Recipient(f"mail:{row.user.email.lower()}", row.user.email, row.user.language,
                        link(f"/digests/unsubscribe/{unsubscribe_token(row.user_id, campaign.id)}"),
                        user_id=row.user_id)
              for row in rows]
    robot_column = Robot.digest if what == "digest" else Robot.alerts
    robots = db.session.scalars(sa.select(Robot).where(
        Robot.campaign_id == campaign.id, Robot.enabled, robot_column).order_by(Robot.id))
    return [*people, *(robot_recipient(robot) for robot in robots)]


def robot_recipient(robot: Robot) -> Recipient:
    return Recipient(f"robot:{robot.id}", robot=RobotTarget(robot.kind, robot.url,
                                                            robot.secret, robot.keyword))


def send_message(recipient: Recipient, message: Message) -> None:
    """Send through the recipient's channel (raises SendError)."""
    if recipient.robot is not None:
        post_robot(recipient.robot, message.title, message.markdown, message.text,
                   limit=ROBOT_LIMIT)
    else:
        send_mail(current_app.config, message.mail(recipient.unsubscribe), recipient.email)


def stored(recipient: Recipient, message: Message) -> str:
    """The sent-log's copy of what goes to `recipient` (JSON): the message and the address
    (with a subscriber's user, checked again before each try); of a robot its kind, URL and
    keyword, not its secret (read again from its row)."""
    robot = recipient.robot
    return json.dumps({
        "title": message.title, "text": message.text, "html": message.html,
        "markdown": message.markdown, "email": recipient.email,
        "unsubscribe": recipient.unsubscribe, "user": recipient.user_id,
        "robot": None if robot is None else {"kind": robot.kind, "url": robot.url,
                                             "keyword": robot.keyword}}, ensure_ascii=False)


def _subscriber(data: dict[str, Any]) -> int | None:
    """The user a stored mail goes to as a subscriber; None for an address given by hand
    (`digest --to`). A row stored before the user was kept names them in its unsubscribe
    link (only subscribers' mails have one)."""
    user_id = data.get("user")
    if isinstance(user_id, int) and not isinstance(user_id, bool):
        return user_id
    if "user" not in data and data.get("unsubscribe"):
        found = read_unsubscribe_token(str(data["unsubscribe"]).rsplit("/", 1)[-1])
        return found[0] if found is not None else None
    return None


def lapsed(delivery: Delivery, user_id: int) -> str | None:
    """Why a subscriber's mail is no longer wanted, or None while the subscription holds: the
    user is active, still has the delivery's address, and still takes the campaign's digest
    (daily, weekly) or alerts (alert:…) as its kind needs."""
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return "the subscriber was removed or deactivated"
    if f"mail:{user.email.lower()}" != delivery.recipient:
        return "the subscriber's e-mail address changed"
    row = db.session.scalar(sa.select(DigestSubscription).where(
        DigestSubscription.user_id == user_id,
        DigestSubscription.campaign_id == delivery.campaign_id))
    if row is None:
        return "the subscriber unsubscribed"
    if delivery.kind.startswith("alert:") and not row.alerts:
        return "the subscriber turned the alerts off"
    if delivery.kind in ("daily", "weekly") and not row.digest:
        return "the subscriber turned the digest off"
    return None


def send_stored(delivery: Delivery) -> None:
    """Send the message stored in a claimed sent-log row (raises SendError); raises
    Cancelled instead when it is a subscriber's mail and the subscription no longer holds."""
    data = json.loads(delivery.message)
    if delivery.recipient.startswith("mail:"):
        user_id = _subscriber(data)
        reason = lapsed(delivery, user_id) if user_id is not None else None
        if reason is not None:
            raise Cancelled(reason)
    message = Message(data["title"], data["text"], data["html"], data["markdown"])
    target = None
    if delivery.recipient.startswith("robot:"):
        robot = db.session.get(Robot, int(delivery.recipient.removeprefix("robot:")))
        if robot is None or not robot.enabled:
            raise SendError("the robot was deleted or disabled")
        target = robot_recipient(robot).robot
    elif data["robot"] is not None:
        target = RobotTarget(data["robot"]["kind"], data["robot"]["url"],
                             keyword=data["robot"]["keyword"])
    send_message(Recipient(delivery.recipient, data["email"], unsubscribe=data["unsubscribe"],
                           robot=target), message)


def send_digest(digest: Digest, recipients: Sequence[Recipient], *, worker: str,
                now: datetime | None = None) -> dict[str, str]:
    """Send `digest` to each recipient once (the sent-log); their outcomes by recipient."""
    outcomes = {}
    for recipient in recipients:
        def message(r: Recipient = recipient) -> str:
            return stored(r, render_digest(digest, lang=r.language, unsubscribe=r.unsubscribe))

        key = Key(digest.campaign.id, digest.kind, digest.period, recipient.key)
        outcomes[recipient.key] = deliver(key, message, send_stored, worker=worker, now=now)
    return outcomes


def send_alert(campaign: Campaign, alert: Alert, recipients: Sequence[Recipient], *,
               worker: str, now: datetime | None = None) -> dict[str, str]:
    """Send `alert` to each recipient at most once for its kind and subject (sent-log)."""
    outcomes = {}
    for recipient in recipients:
        def message(r: Recipient = recipient) -> str:
            title, lines = alert.words(r.language)
            return stored(r, render_alert(title, lines, alert.path, lang=r.language,
                                          unsubscribe=r.unsubscribe))

        key = Key(campaign.id, f"alert:{alert.kind}", alert.period, recipient.key)
        outcomes[recipient.key] = deliver(key, message, send_stored, worker=worker, now=now)
    return outcomes


def digest_time() -> time:
    hours, minutes = str(current_app.config.get("DIGEST_AT") or "08:00").split(":")
    return time(int(hours), int(minutes))


def run_pass(*, worker: str, now: datetime | None = None,
             echo: Callable[[str], None] = log.info) -> int:
    """One pass of the scheduler's digest job: the deliveries whose retry is due (whatever
    their day), each campaign's digest once DIGEST_AT has passed on a digest day (Beijing
    time), and the alerts of the moment. Returns how many messages went out."""
    now = now or utcnow()
    local_now = now.astimezone(zone())
    # First the retries that are due and the claims a crashed sender left, of any day.
    sent = sum(1 for outcome in retry_due(send_stored, worker=worker, now=now)
               if outcome == "sent")
    for campaign in db.session.scalars(sa.select(Campaign).order_by(Campaign.id)).all():
        sent += _campaign_pass(campaign, local_now.date(), local_now.time() >= digest_time(),
                               worker=worker, now=now)
    if sent:
        echo(f"digests and alerts: {sent} sent")
    return sent


def _campaign_pass(campaign: Campaign, today: date, digest_due: bool, *, worker: str,
                   now: datetime) -> int:
    outcomes: list[str] = []
    kind = digest_kind(campaign, today)
    if digest_due and kind:
        # Only those not served yet (so a day's digest is not built again every minute).
        recipients = [r for r in subscribers(campaign, "digest") if may_claim(
            Key(campaign.id, kind, digest_period(kind, today), r.key), now=now)]
        if recipients:
            digest = build_digest(campaign, today)
            outcomes += send_digest(digest, recipients, worker=worker, now=now).values()
    alerts = campaign_alerts(campaign, now=now)
    if alerts:
        recipients = subscribers(campaign, "alerts")
        for alert in alerts:
            outcomes += send_alert(campaign, alert, recipients, worker=worker, now=now).values()
    return sum(1 for outcome in outcomes if outcome == "sent")
