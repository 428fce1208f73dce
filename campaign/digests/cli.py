"""`campaign-tracker digest`: print a campaign's digest, or send it by hand."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import with_appcontext

from campaign.core.times import local_today
from campaign.digests.channels import RobotTarget
from campaign.digests.compose import FIRST_DAY, LAST_DAY, build_digest
from campaign.digests.models import ROBOT_KINDS
from campaign.digests.render import render_digest
from campaign.digests.sending import Recipient, send_digest, subscribers
from campaign.ingest.claims import worker_name
from campaign.planning.operations import get_campaign


def _recipients(campaign_id: int, to: tuple[str, ...], webhook: str | None,
                webhook_kind: str | None) -> list[Recipient]:
    chosen = [Recipient(f"mail:{addr.strip().lower()}", addr.strip()) for addr in to]
    if webhook:
        if not webhook_kind:
            raise click.BadParameter("--webhook needs --webhook-kind", param_hint="--webhook")
        chosen.append(Recipient(f"webhook:{webhook}", robot=RobotTarget(webhook_kind, webhook)))
    return chosen


@click.command("digest")
@click.option("--campaign", "slug", required=True, help="The campaign's slug.")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]),
              help="The morning the digest is for (default: today, Beijing time).")
@click.option("--send", is_flag=True, help="Send it (once per campaign, day and recipient).")
@click.option("--to", multiple=True, help="Send to this address instead (repeatable).")
@click.option("--webhook", help="Send to this robot webhook instead.")
@click.option("--webhook-kind", type=click.Choice(ROBOT_KINDS))
@with_appcontext
def digest_command(*, slug: str, day: datetime | None, send: bool, to: tuple[str, ...],
                   webhook: str | None, webhook_kind: str | None) -> None:
    """Print a campaign's digest; --send sends it to its subscribers and robots, or to the
    --to addresses and --webhook given."""
    campaign = get_campaign(slug)
    if campaign is None:
        raise click.ClickException(f"no campaign {slug}")
    if day and not FIRST_DAY <= day.date() <= LAST_DAY:
        raise click.BadParameter(f"a day from {FIRST_DAY} to {LAST_DAY}", param_hint="--date")
    if any("\r" in a or "\n" in a or "@" not in a for a in to):
        raise click.BadParameter("not an e-mail address", param_hint="--to")
    digest = build_digest(campaign, day.date() if day else local_today())
    if not (send or to or webhook):
        click.echo(render_digest(digest).text)
        return
    recipients = (_recipients(campaign.id, to, webhook, webhook_kind) if to or webhook
                  else subscribers(campaign, "digest"))
    if not recipients:
        raise click.ClickException("nobody to send it to (no subscriber with an e-mail "
                                   "address, no robot)")
    outcomes = send_digest(digest, recipients, worker=worker_name())
    for recipient, outcome in outcomes.items():
        click.echo(f"{recipient}: {outcome}")
    if any(outcome in ("retry", "failed") for outcome in outcomes.values()):
        raise click.ClickException("not every recipient got it (see above)")


DIGEST_COMMANDS = [digest_command]
