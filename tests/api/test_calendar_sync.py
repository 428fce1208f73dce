"""Subscribed calendars follow the plan: an event moved through the edit form moves in the
feeds (the session feed and the token feed calendar clients subscribe to)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from icalendar import Calendar

from tests.factories import beijing

UID = "pm.rally@campaign-tracker"
BEIJING = ZoneInfo("Asia/Shanghai")


def vevent(response):
    assert response.status_code == 200
    found = {str(e["uid"]): e for e in Calendar.from_ical(response.data).walk("VEVENT")}
    return found[UID]


def move(client, day: str, start: str, end: str) -> None:
    response = client.post("/campaigns/pm/events/rally/edit", data={
        "title": "动员大会", "type": "rally", "status": "confirmed", "start_date": day,
        "start_time": start, "end_date": day, "end_time": end, "slot_genre": "editorial",
        "slot_outlet": "0"})
    assert response.status_code == 302, response.get_data(as_text=True)


def test_moved_event_moves_in_both_feeds(client, login, make, token):
    """Each move changes DTSTART/DTEND, keeps the UID and raises SEQUENCE in both feeds."""
    secret, _record = token("leader", "calendar")
    login("officer")
    campaign = make.campaign(slug="pm")
    make.event(campaign, key="rally", title="动员大会",
               starts_at=beijing(date(2006, 4, 27), time(9)))
    feeds = ("/campaigns/pm/calendar.ics",
             f"/api/v1/campaigns/pm/calendar.ics?token={secret}")
    before = [vevent(client.get(url)) for url in feeds]
    move(client, "2006-04-28", "15:00", "17:00")
    after = [vevent(client.get(url)) for url in feeds]
    move(client, "2006-04-29", "09:30", "11:00")
    again = [vevent(client.get(url)) for url in feeds]
    for first, second, third in zip(before, after, again, strict=True):
        assert first.decoded("dtstart") == datetime(2006, 4, 27, 9, tzinfo=BEIJING)
        assert second.decoded("dtstart") == datetime(2006, 4, 28, 15, tzinfo=BEIJING)
        assert second.decoded("dtend") == datetime(2006, 4, 28, 17, tzinfo=BEIJING)
        assert third.decoded("dtstart") == datetime(2006, 4, 29, 9, 30, tzinfo=BEIJING)
        assert int(first["sequence"]) < int(second["sequence"]) < int(third["sequence"])
        assert str(first["uid"]) == str(second["uid"]) == str(third["uid"]) == UID
