"""Campaign create, edit, delete and copy-to-another-year."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from campaign.coverage.models import Clipping, CoverageRule, Match
from campaign.digests.models import Delivery, DigestSubscription, Robot
from campaign.exports.models import ExportJob
from campaign.planning.models import Campaign, EditorialSlot, Event, SlotExcuse
from campaign.planning.operations import get_campaign
from tests.factories import beijing
from tests.html import field_errors

BEIJING = ZoneInfo("Asia/Shanghai")


def campaign_form(**overrides):
    data = {"name": "2007年宣传月", "slug": "pm-2007", "starts_on": "2007-04-25",
            "ends_on": "2007-05-25", "planning_starts_on": "", "timezone": "Asia/Shanghai",
            "description": "", "goals": ""}
    data.update(overrides)
    return data


def test_create_campaign(client, login, db):
    """A valid form creates a campaign and opens its page."""
    login("officer")
    response = client.post("/campaigns/new", data=campaign_form())
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/campaigns/pm-2007")
    assert get_campaign("pm-2007").ends_on == date(2007, 5, 25)


def test_campaign_end_before_start(client, login, db):
    """An end date before the start date is refused on the end date field."""
    login("officer")
    response = client.post("/campaigns/new", data=campaign_form(ends_on="2007-04-01"))
    assert response.status_code == 422
    assert "ends_on" in field_errors(response.get_data(as_text=True))
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == 0


def test_campaign_bad_slug_and_zone(client, login, db):
    """A slug with spaces or an unknown time zone is refused on its field."""
    login("officer")
    response = client.post("/campaigns/new", data=campaign_form(slug="宣传 月"))
    assert "slug" in field_errors(response.get_data(as_text=True))
    response = client.post("/campaigns/new", data=campaign_form(timezone="Beijing"))
    assert "timezone" in field_errors(response.get_data(as_text=True))


def test_campaign_slug_taken(client, login, make):
    """A slug already used by another campaign is refused."""
    login("officer")
    make.campaign(slug="pm-2007")
    response = client.post("/campaigns/new", data=campaign_form())
    assert response.status_code == 422
    assert "slug" in field_errors(response.get_data(as_text=True))


def test_shrinking_campaign_past_its_events_is_refused(client, login, make):
    """Editing the dates so an event falls outside is refused, naming the event."""
    login("officer")
    campaign = make.campaign(slug="pm-2007", starts_on=date(2007, 4, 25),
                             ends_on=date(2007, 5, 25), planning_starts_on=None)
    make.event(campaign, title="热线直播", starts_at=beijing(date(2007, 5, 13)))
    response = client.post("/campaigns/pm-2007/edit",
                           data=campaign_form(ends_on="2007-05-10"))
    assert response.status_code == 422
    assert "热线直播" in response.get_data(as_text=True)
    assert get_campaign("pm-2007").ends_on == date(2007, 5, 25)


def test_delete_campaign(client, login, make, db):
    """Deleting a campaign removes it with its events."""
    login("officer")
    campaign = make.campaign(slug="gone")
    make.event(campaign)
    assert client.post("/campaigns/gone/delete").status_code == 302
    assert get_campaign("gone") is None


def _everything_of(make, db, slug: str) -> Campaign:
    """A campaign with a row in every table that hangs off a campaign, an event or a slot: an
    invited outlet, a slot with an excuse, a coverage rule, an accepted match (so coverage
    cells), a clipping, a named editor, a robot, a digest subscription and delivery, an export
    job (all but the reprint-reach rows, which need a reprint group)."""
    campaign = make.campaign(slug=slug)
    campaign.editors.append(make.user())
    outlet = make.outlet()
    event = make.event(campaign, type="editorial_slot", invited_outlets=[outlet], slot={
        "outlet": outlet, "planned_on": date(2006, 4, 27), "genre": "editorial"})
    db.session.add_all([
        SlotExcuse(slot_id=event.slots[0].id, day=date(2006, 4, 27), note="停刊"),
        CoverageRule(event_id=event.id, query="宣传月"),
        Match(event_id=event.id, article_id=make.article(outlet).id, status="accepted",
              day=20060427, explanation={}),
        Clipping(event_id=event.id, outlet_id=outlet.id, published_on=date(2006, 4, 27),
                 title="剪报"),
        Robot(campaign_id=campaign.id, kind="wecom", url="https://robot.test/hook"),
        DigestSubscription(user_id=make.user().id, campaign_id=campaign.id),
        Delivery(campaign_id=campaign.id, kind="daily", period="2006-04-27",
                 recipient="mail:a@b.test"),
        ExportJob(campaign_id=campaign.id, format="csv")])
    db.session.commit()
    return campaign


def _rows_hanging_off(db, campaign_id: int) -> dict[str, int]:
    """Per table, the rows that name the campaign, one of its events or one of their slots
    (every foreign key of the metadata to those three tables)."""
    events = [e for (e,) in db.session.execute(
        select(Event.id).where(Event.campaign_id == campaign_id))]
    slots = [s for (s,) in db.session.execute(
        select(EditorialSlot.id).where(EditorialSlot.event_id.in_(events or [0])))]
    owners = {"campaigns": [campaign_id], "events": events, "editorial_slots": slots}
    found: dict[str, int] = {}
    for table in db.metadata.sorted_tables:
        for key in table.foreign_keys:
            ids = owners.get(key.column.table.name)
            if ids is not None:
                found[f"{table.name}.{key.parent.name}"] = db.session.scalar(
                    select(func.count()).select_from(table).where(key.parent.in_(ids or [0])))
    return found


def test_deleting_a_campaign_removes_everything_of_it_and_nothing_else(client, login, make, db):
    """Deleting a campaign (one statement, the foreign keys cascading) leaves no row of any
    table naming it, its events or their slots, and every row of another campaign stays (an
    administrator deletes: both campaigns name an editor)."""
    login("admin")
    gone, kept = _everything_of(make, db, "gone"), _everything_of(make, db, "kept")
    gone_id = gone.id
    before = _rows_hanging_off(db, kept.id)
    assert all(count for name, count in before.items() if "reprints" not in name)
    assert all(count for name, count in _rows_hanging_off(db, gone_id).items()
               if "reprints" not in name)
    assert client.post("/campaigns/gone/delete").status_code == 302
    db.session.expire_all()
    assert not any(_rows_hanging_off(db, gone_id).values())
    assert _rows_hanging_off(db, kept.id) == before


def test_copy_to_next_year_shifts_every_date(client, login, make):
    """Copying to the next year moves the period, each event (same Beijing wall-clock time)
    and each editorial slot by one year, and resets statuses to planned."""
    login("officer")
    campaign = make.campaign(slug="pm-2006", name="2006年宣传月")
    outlet = make.outlet(name="安徽日报")
    make.event(campaign, key="rally", status="held",
               starts_at=beijing(date(2006, 4, 27), time(9, 0)),
               ends_at=beijing(date(2006, 4, 27), time(11, 30)))
    make.event(campaign, key="editorial", type="editorial_slot",
               slot={"outlet": outlet, "planned_on": date(2006, 4, 30), "genre": "editorial",
                     "page": "一版"})
    page = client.get("/campaigns/pm-2006/copy").get_data(as_text=True)
    assert 'value="pm-2007"' in page and "2007年宣传月" in page
    response = client.post("/campaigns/pm-2006/copy",
                           data={"years": "1", "name": "2007年宣传月", "slug": "pm-2007"})
    assert response.status_code == 302
    copy = get_campaign("pm-2007")
    assert (copy.starts_on, copy.ends_on) == (date(2007, 4, 25), date(2007, 5, 25))
    assert copy.planning_starts_on == date(2007, 4, 1)
    rally = next(e for e in copy.events if e.key == "rally")
    assert rally.starts_at == datetime(2007, 4, 27, 9, 0, tzinfo=BEIJING)
    assert rally.status == "planned"
    editorial = next(e for e in copy.events if e.key == "editorial")
    assert [s.planned_on for s in editorial.slots] == [date(2007, 4, 30)]
    assert len(get_campaign("pm-2006").events) == 2


def test_copy_to_taken_slug_is_refused(client, login, make):
    """Copying onto an existing slug shows an error on the slug field."""
    login("officer")
    make.campaign(slug="pm-2006")
    make.campaign(slug="pm-2007")
    response = client.post("/campaigns/pm-2006/copy",
                           data={"years": "1", "name": "x", "slug": "pm-2007"})
    assert response.status_code == 422
    assert "slug" in field_errors(response.get_data(as_text=True))


def count_campaigns(db):
    return db.session.scalar(select(func.count()).select_from(Campaign))


@pytest.mark.parametrize("field,value", [
    ("starts_on", "0207-04-25"), ("starts_on", "0001-01-01"), ("ends_on", "9999-12-31"),
    ("planning_starts_on", "1899-12-31"),
])
def test_campaign_year_outside_sane_range_is_refused(client, login, db, field, value):
    """A campaign date whose year is outside 1990–2100 (a typed 0207, 9999) is refused on
    its field with the allowed years; nothing is saved."""
    login("officer")
    response = client.post("/campaigns/new", data=campaign_form(**{field: value}))
    assert response.status_code == 422
    message = field_errors(response.get_data(as_text=True))[field][0]
    assert "1990" in message and "2100" in message
    assert count_campaigns(db) == 0


def test_campaign_longer_than_a_year_is_refused(client, login, db):
    """A period longer than 366 days (an end in 2070) is refused on the end date, with the
    last end date allowed."""
    login("officer")
    response = client.post("/campaigns/new", data=campaign_form(ends_on="2070-05-25"))
    assert response.status_code == 422
    assert "2008-04-24" in field_errors(response.get_data(as_text=True))["ends_on"][0]
    assert count_campaigns(db) == 0


def test_campaign_of_a_whole_leap_year_is_accepted(client, login, db):
    """A campaign of 366 days (all of 2008) is the longest allowed, and is saved."""
    login("officer")
    response = client.post("/campaigns/new", data=campaign_form(starts_on="2008-01-01",
                                                                ends_on="2008-12-31"))
    assert response.status_code == 302
    assert get_campaign("pm-2007").ends_on == date(2008, 12, 31)


def test_preparation_more_than_a_year_ahead_is_refused(client, login, db):
    """A preparation start more than 366 days before the start is refused on its field."""
    login("officer")
    response = client.post("/campaigns/new",
                           data=campaign_form(planning_starts_on="2006-04-01"))
    assert response.status_code == 422
    assert "planning_starts_on" in field_errors(response.get_data(as_text=True))
    assert count_campaigns(db) == 0


def test_edit_to_a_typo_year_keeps_the_campaign(client, login, make):
    """Editing a campaign's start to 0207 is refused and the stored dates stay as they were."""
    login("officer")
    make.campaign(slug="pm-2006")
    response = client.post("/campaigns/pm-2006/edit", data=campaign_form(
        slug="pm-2006", starts_on="0207-04-25", ends_on="2006-05-25"))
    assert response.status_code == 422
    assert "starts_on" in field_errors(response.get_data(as_text=True))
    assert get_campaign("pm-2006").starts_on == date(2006, 4, 25)


def test_copy_past_the_last_year_is_refused(client, login, make, db):
    """Copying a campaign to a year after 2100 is refused on the years field; nothing is
    written."""
    login("officer")
    make.campaign(slug="pm-2090", starts_on=date(2090, 4, 25), ends_on=date(2090, 5, 25),
                  planning_starts_on=None)
    response = client.post("/campaigns/pm-2090/copy",
                           data={"years": "20", "name": "2110年宣传月", "slug": "pm-2110"})
    assert response.status_code == 422
    assert "2100" in field_errors(response.get_data(as_text=True))["years"][0]
    assert get_campaign("pm-2110") is None
