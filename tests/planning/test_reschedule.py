"""Rescheduling: an edit that moves only the start keeps the length; the move page (the
calendar drag's target and its keyboard alternative) moves an event to another day."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from tests.html import soup

BJ = ZoneInfo("Asia/Shanghai")


def beijing(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BJ)


def edit_form(**overrides):
    data = {"title": "动员大会", "type": "rally", "status": "planned",
            "start_date": "2006-04-27", "start_time": "09:00", "end_date": "2006-04-27",
            "end_time": "11:30", "slot_genre": "editorial", "slot_outlet": "0"}
    data.update(overrides)
    return data


def test_edit_moving_only_the_start_keeps_the_length(client, login, make):
    """Changing the start date (end fields as they were) moves the end with it: 2.5 hours."""
    login("officer")
    campaign = make.campaign(slug="pm")
    event = make.event(campaign, key="rally", starts_at=beijing(date(2006, 4, 27), 9),
                       ends_at=beijing(date(2006, 4, 27), 11, 30))
    response = client.post("/campaigns/pm/events/rally/edit",
                           data=edit_form(start_date="2006-04-29"))
    assert response.status_code == 302
    make.db.session.expire_all()
    assert event.local_start == beijing(date(2006, 4, 29), 9)
    assert event.local_end == beijing(date(2006, 4, 29), 11, 30)


def test_move_keeps_time_length_and_slot_offsets(client, login, make):
    """Posting a new day moves a two-day all-day feature and its slot dates by as many days
    and returns to the calendar month of the new day."""
    login("officer")
    campaign = make.campaign(slug="pm")
    outlet = make.outlet(name="安徽日报")
    event = make.event(campaign, key="feature", type="editorial_slot", all_day=True,
                       starts_at=beijing(date(2006, 5, 2), 0),
                       ends_at=beijing(date(2006, 5, 4), 0),
                       slot={"outlet": outlet, "planned_on": date(2006, 5, 3), "genre": "feature"})
    response = client.post("/campaigns/pm/events/feature/move", data={"date": "2006-05-09"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/campaigns/pm?month=2006-05"
    make.db.session.expire_all()
    assert (event.start_date, event.end_date) == (date(2006, 5, 9), date(2006, 5, 10))
    assert [s.planned_on for s in event.slots] == [date(2006, 5, 10)]
    assert event.sequence == 1


@pytest.mark.parametrize("value,message", [("soon", "无法识别的日期"),
                                           ("2007-01-01", "活动日期须在本次活动期间")])
def test_move_refuses_bad_days_with_422(client, login, make, value, message):
    """A day that is not a date, or outside the campaign, is a 422 with the message on the
    move page; the event stays where it was."""
    login("officer")
    campaign = make.campaign(slug="pm")
    event = make.event(campaign, key="rally", starts_at=beijing(date(2006, 4, 27), 9))
    response = client.post("/campaigns/pm/events/rally/move", data={"date": value})
    assert response.status_code == 422
    assert message in soup(response.get_data(as_text=True)).select_one("#field-date").text
    make.db.session.expire_all()
    assert event.start_date == date(2006, 4, 27)


def test_move_page_is_a_keyboard_form(client, login, make):
    """The move page offers a labelled date field prefilled with the event's day."""
    login("officer")
    campaign = make.campaign(slug="pm")
    make.event(campaign, key="rally", starts_at=beijing(date(2006, 4, 27), 9))
    page = soup(client.get("/campaigns/pm/events/rally/move").get_data(as_text=True))
    field = page.select_one("input#move-date")
    assert field["type"] == "date" and field["value"] == "2006-04-27"
    assert page.select_one("label[for=move-date]")
