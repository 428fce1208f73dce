"""Campaign create, edit, delete and copy-to-another-year."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from campaign.planning.models import Campaign
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
