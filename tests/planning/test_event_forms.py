"""Creating and editing events through the form, with server-side validation."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from campaign.coverage.models import Match
from campaign.planning.models import EditorialSlot, Event
from tests.html import field_errors, soup

UTC = ZoneInfo("UTC")
BJ = ZoneInfo("Asia/Shanghai")


def form(**overrides):
    data = {"title": "新闻通气会", "type": "press_briefing", "status": "planned",
            "start_date": "2006-04-25", "start_time": "15:00", "end_date": "2006-04-25",
            "end_time": "16:30", "venue": "省总工会", "keywords": "宣传月、通气会",
            "slot_genre": "editorial", "slot_outlet": "0"}
    data.update(overrides)
    return data


def count_events(db):
    return db.session.scalar(select(func.count()).select_from(Event))


def test_officer_creates_event(client, login, make):
    """A valid form creates the event with Beijing times stored as UTC, and redirects to it."""
    login("officer")
    campaign = make.campaign(slug="pm")
    outlet = make.outlet(name="安徽日报")
    response = client.post("/campaigns/pm/events/new",
                           data=form(key="brief", invited_outlets=[str(outlet.id)],
                                     target_outlets="10"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/campaigns/pm/events/brief")
    make.db.session.expire_all()  # read the stored row, not the object the view changed
    event = campaign.events[0]
    assert event.starts_at == datetime(2006, 4, 25, 7, 0, tzinfo=UTC)
    assert event.keyword_list == ["宣传月", "通气会"]
    assert [o.name for o in event.invited_outlets] == ["安徽日报"]
    assert event.target_outlets == 10


def test_end_before_start_names_the_field(client, login, make, db):
    """An end before the start is refused with a message on the end field; nothing is saved."""
    login("officer")
    make.campaign(slug="pm")
    response = client.post("/campaigns/pm/events/new", data=form(end_time="14:00"))
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True))["end_date"] == ["结束时间早于开始时间"]
    assert count_events(db) == 0


def test_event_outside_campaign_is_refused(client, login, make, db):
    """An event after the campaign's last day is refused, naming the campaign's range."""
    login("officer")
    make.campaign(slug="pm")
    response = client.post("/campaigns/pm/events/new",
                           data=form(start_date="2006-06-01", end_date="2006-06-01"))
    assert response.status_code == 422
    errors = field_errors(response.get_data(as_text=True))
    assert "2006-04-01 至 2006-05-25" in errors["start_date"][0]
    assert count_events(db) == 0


def test_preparation_days_are_allowed(client, login, make):
    """An event in the preparation period before the official start is accepted."""
    login("officer")
    make.campaign(slug="pm")
    response = client.post("/campaigns/pm/events/new",
                           data=form(type="notice", start_date="2006-04-06", start_time="",
                                     end_date="", end_time="", all_day="y"))
    assert response.status_code == 302
    event = make.db.session.scalars(select(Event)).one()
    assert (event.type, event.start_date, event.all_day) == ("notice", date(2006, 4, 6), True)


def test_editorial_slot_needs_outlet(client, login, make, db):
    """An editorial slot without an outlet is refused on the outlet field."""
    login("officer")
    make.campaign(slug="pm")
    response = client.post("/campaigns/pm/events/new",
                           data=form(type="editorial_slot", slot_outlet="0"))
    assert response.status_code == 422
    assert "slot_outlet" in field_errors(response.get_data(as_text=True))
    assert count_events(db) == 0


def test_recurring_slot_from_ranges(client, login, make, db):
    """A column typed as "4-21, 4-24~4-26" becomes one slot on each of those days."""
    login("officer")
    campaign = make.campaign(slug="pm")
    outlet = make.outlet(name="安徽工人日报")
    response = client.post("/campaigns/pm/events/new", data=form(
        type="editorial_slot", title="劳模风采", start_date="2006-04-21", start_time="",
        end_date="2006-04-26", end_time="", all_day="y", slot_outlet=str(outlet.id),
        slot_genre="column", slot_page="一版", slot_dates="4-21, 4-24~4-26"))
    assert response.status_code == 302
    db.session.expire_all()  # read the stored rows, not the objects the view changed
    slots = campaign.events[0].slots
    assert [s.planned_on for s in slots] == [date(2006, 4, 21), date(2006, 4, 24),
                                             date(2006, 4, 25), date(2006, 4, 26)]
    assert {s.page_number for s in slots} == {1}


def test_bad_slot_date_is_named(client, login, make, db):
    """An unreadable slot date is refused with a message that quotes it."""
    login("officer")
    make.campaign(slug="pm")
    outlet = make.outlet()
    response = client.post("/campaigns/pm/events/new", data=form(
        type="editorial_slot", slot_outlet=str(outlet.id), slot_dates="4-21, 明天"))
    assert response.status_code == 422
    assert "明天" in field_errors(response.get_data(as_text=True))["slot_dates"][0]
    assert db.session.scalar(select(func.count()).select_from(EditorialSlot)) == 0


@pytest.mark.parametrize("field,value", [
    ("start_date", "2006-13-45"), ("start_date", ""), ("start_time", "25:99"),
    ("type", "party"), ("target_outlets", "many"), ("invited_outlets", "999999"),
    ("start_date", "9999-12-31"), ("start_date", "0001-01-01"), ("end_date", "9999-12-31"),
])
def test_malformed_values_never_500(client, login, make, field, value, db):
    """Malformed values give a 422 with a field message, never a server error."""
    login("officer")
    make.campaign(slug="pm")
    response = client.post("/campaigns/pm/events/new", data=form(**{field: value}))
    assert response.status_code == 422
    assert field in field_errors(response.get_data(as_text=True))
    assert count_events(db) == 0


@pytest.mark.parametrize("value", ["99999999999999999999", "10001", "-1"])
def test_target_outlets_outside_range_is_refused(client, login, make, db, value):
    """A target outlet count outside 0–10000 (one past a database integer included) is
    refused on its field, naming the range; nothing is written."""
    login("officer")
    make.campaign(slug="pm")
    response = client.post("/campaigns/pm/events/new", data=form(target_outlets=value))
    assert response.status_code == 422
    assert "10000" in field_errors(response.get_data(as_text=True))["target_outlets"][0]
    assert count_events(db) == 0


def test_target_outlets_at_the_limit_is_saved(client, login, make, db):
    """10000 target outlets, the largest allowed, is saved."""
    login("officer")
    make.campaign(slug="pm")
    response = client.post("/campaigns/pm/events/new", data=form(target_outlets="10000"))
    assert response.status_code == 302
    assert db.session.scalar(select(Event.target_outlets)) == 10000


@pytest.mark.parametrize("value", ["0001-01-01~9999-12-31", "99999999999999999999-4-21",
                                   "2006-4-21~2100-12-31"])
def test_absurd_slot_dates_are_named(client, login, make, db, value):
    """A slot date past Python's years or a range longer than any campaign is refused on the
    slot dates field, without laying out its days; nothing is written."""
    login("officer")
    make.campaign(slug="pm")
    outlet = make.outlet()
    response = client.post("/campaigns/pm/events/new", data=form(
        type="editorial_slot", slot_outlet=str(outlet.id), slot_dates=value))
    assert response.status_code == 422
    assert "slot_dates" in field_errors(response.get_data(as_text=True))
    assert count_events(db) == 0


def test_edit_moves_event_and_bumps_sequence(client, login, make):
    """Editing an event moves it and increases its iCalendar sequence."""
    login("officer")
    campaign = make.campaign(slug="pm")
    event = make.event(campaign, key="rally", sequence=0)
    response = client.post("/campaigns/pm/events/rally/edit",
                           data=form(title="动员大会", type="rally", start_date="2006-04-28",
                                     end_date="2006-04-28", start_time="09:00",
                                     end_time="11:00"))
    assert response.status_code == 302
    make.db.session.expire_all()  # read the stored row, not the object the view changed
    assert event.start_date == date(2006, 4, 28)
    assert event.sequence == 1


def test_edit_form_is_prefilled(client, login, make):
    """The edit form shows the event's local date and time."""
    login("officer")
    campaign = make.campaign(slug="pm")
    make.event(campaign, key="rally", title="动员大会",
               starts_at=datetime.combine(date(2006, 4, 27), time(9, 0),
                                          tzinfo=ZoneInfo("Asia/Shanghai")))
    page = client.get("/campaigns/pm/events/rally/edit").get_data(as_text=True)
    assert 'value="2006-04-27"' in page and 'value="09:00"' in page


def test_delete_event(client, login, make, db):
    """Deleting an event removes it and its slots."""
    login("officer")
    campaign = make.campaign(slug="pm")
    outlet = make.outlet()
    make.event(campaign, key="ed", type="editorial_slot",
               slot={"outlet": outlet, "planned_on": date(2006, 4, 30), "genre": "editorial"})
    assert client.post("/campaigns/pm/events/ed/delete").status_code == 302
    assert count_events(db) == 0
    assert db.session.scalar(select(func.count()).select_from(EditorialSlot)) == 0


def test_duplicate_key_is_refused(client, login, make):
    """Two events of one campaign cannot share a key."""
    login("officer")
    campaign = make.campaign(slug="pm")
    make.event(campaign, key="rally")
    response = client.post("/campaigns/pm/events/new", data=form(key="rally"))
    assert response.status_code == 422
    assert "key" in field_errors(response.get_data(as_text=True))


def test_new_event_form_uses_clicked_day(client, login, make):
    """The calendar's "+" link opens the form on that day."""
    login("officer")
    make.campaign(slug="pm")
    page = client.get("/campaigns/pm/events/new?date=2006-05-02").get_data(as_text=True)
    assert 'value="2006-05-02"' in page


def test_new_event_ends_on_the_start_day_the_officer_picks(client, login, make):
    """The new-event form fills the start day only: an officer who picks another start day
    and leaves the end empty gets a one-day event on that day, not one running to the day
    the form first showed."""
    login("officer")
    campaign = make.campaign(slug="pm")
    page = soup(client.get("/campaigns/pm/events/new?date=2006-05-25").get_data(as_text=True))
    assert page.select_one("input[name=start_date]")["value"] == "2006-05-25"
    assert not page.select_one("input[name=end_date]").get("value")
    response = client.post("/campaigns/pm/events/new", data=form(
        key="brief", start_date="2006-04-25", end_date="", start_time="15:00",
        end_time="16:30"))
    assert response.status_code == 302
    event = campaign.events[0]
    assert event.start_date == event.end_date == date(2006, 4, 25)


def test_editing_an_event_rematches_it(client, login, make, db):
    """An event moved onto the day of a report of it gets the report as a match when the form
    is saved (no `campaign-tracker match` needed); before the move the report was outside its
    window."""
    login("officer")
    campaign = make.campaign(slug="pm")
    make.event(campaign, key="rally", title="庆祝五一动员大会", type="rally",
               starts_at=datetime(2006, 4, 27, 9, tzinfo=BJ), keywords=["动员大会"])
    outlet = make.outlet(name="安徽日报")
    report = make.article(outlet, title="庆祝五一动员大会隆重召开", page_number=1,
                          published_at=datetime(2006, 5, 20, 10, tzinfo=BJ),
                          body="庆祝五一动员大会今天召开。")
    make.db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Match)) == 0
    response = client.post("/campaigns/pm/events/rally/edit",
                           data=form(title="庆祝五一动员大会", type="rally", keywords="动员大会",
                                     start_date="2006-05-20", end_date="2006-05-20",
                                     start_time="09:00", end_time="11:00"))
    assert response.status_code == 302
    assert db.session.scalars(select(Match.article_id)).all() == [report.id]
