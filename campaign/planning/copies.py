"""Copying a campaign to another year: next year's propaganda month in one step.

Every date moves by the years (keeping Beijing wall-clock times), statuses go back to planned.
The copy is read, shifted and checked in a reading transaction and written like a plan file
(`transfer.prepare_events`, `transfer.write_plan`): the events, their invitations and slots in
bulk, so a campaign of thousands of events holds SQLite's write lock for a fraction of a
second (event by event through the ORM it took minutes, with every other writer waiting).
"""

from __future__ import annotations

import logging
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from campaign.extensions import db
from campaign.planning.models import Campaign, EditorialSlot, Event
from campaign.planning.operations import check_campaign, shifted_input
from campaign.planning.transfer import PreparedPlan, prepare_events, write_briefly, write_plan

log = logging.getLogger(__name__)


def prepare_copy(source: Campaign, *, slug: str, name: str, years: int) -> PreparedPlan:
    """Read `source`, shift it by `years` and check the copy (reads only). PlanningError on
    the copy's first problem (its name, slug or period) or its events' (a CampaignFileError)."""
    shift = relativedelta(years=years)

    def moved(day: date | None) -> date | None:
        return day + shift if day is not None else None

    fields = {"name": name, "slug": slug, "starts_on": source.starts_on + shift,
              "ends_on": source.ends_on + shift,
              "planning_starts_on": moved(source.planning_starts_on),
              "follow_up_ends_on": moved(source.follow_up_ends_on),
              "timezone": source.timezone}
    check_campaign(None, fields)
    fields.update(name=name.strip(), description=source.description, goals=source.goals)
    events = db.session.scalars(
        select(Event).where(Event.campaign_id == source.id).order_by(Event.starts_at, Event.id)
        .options(selectinload(Event.invited_outlets),
                 selectinload(Event.slots).selectinload(EditorialSlot.outlet))).all()
    inputs = [shifted_input(event, shift, status="planned") for event in events]
    return prepare_events(fields, inputs, existing=None)


def copy_campaign(source: Campaign, *, slug: str, name: str, years: int) -> Campaign:
    """Copy `source` to another year in the current transaction (flushes; the caller
    commits)."""
    copy = write_plan(prepare_copy(source, slug=slug, name=name, years=years)).campaign
    log.info("copied campaign %s to %s (%+d years)", source.slug, slug, years)
    return copy


def copy_campaign_briefly(source: Campaign, *, slug: str, name: str, years: int) -> Campaign:
    """`copy_campaign` for a request of its own: read and check, end the reading transaction,
    write in a short write transaction (the caller commits)."""
    copy = write_briefly(prepare_copy(source, slug=slug, name=name, years=years)).campaign
    log.info("copied campaign %s to %s (%+d years)", source.slug, slug, years)
    return copy
