"""The iCalendar feed: valid RFC 5545 with the Asia/Shanghai zone, stable across edits."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from icalendar import Calendar

from tests.factories import beijing

BEIJING = ZoneInfo("Asia/Shanghai")


def fetch(client, slug="pm") -> Calendar:
    response = client.get(f"/campaigns/{slug}/calendar.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data)


def events_by_uid(cal: Calendar) -> dict[str, object]:
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_timed_event_in_beijing_time(client, login, make):
    """A timed event's DTSTART carries TZID=Asia/Shanghai and the local wall-clock time."""
    login("leader")
    campaign = make.campaign(slug="pm")
    make.event(campaign, key="brief", title="新闻通气会",
               starts_at=beijing(date(2006, 4, 25), time(15, 0)),
               ends_at=beijing(date(2006, 4, 25), time(16, 30)))
    cal = fetch(client)
    event = events_by_uid(cal)["pm.brief@campaign-tracker"]
    start = event.decoded("dtstart")
    assert start == datetime(2006, 4, 25, 15, 0, tzinfo=BEIJING)
    assert str(event["dtstart"].params["TZID"]) == "Asia/Shanghai"
    assert str(event["summary"]) == "新闻通气会"


def test_calendar_has_vtimezone(client, login, make):
    """The feed embeds a VTIMEZONE for Asia/Shanghai, as RFC 5545 requires for TZID."""
    login("leader")
    campaign = make.campaign(slug="pm")
    make.event(campaign, key="rally")
    cal = fetch(client)
    zones = [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")]
    assert zones == ["Asia/Shanghai"]
    assert str(cal["version"]) == "2.0" and "PRODID" in cal


def test_all_day_event_uses_dates(client, login, make):
    """An all-day event is DTSTART;VALUE=DATE with an exclusive DTEND the next day."""
    login("leader")
    campaign = make.campaign(slug="pm")
    make.event(campaign, key="notice", type="notice", all_day=True,
               starts_at=beijing(date(2006, 4, 6), time(0)),
               ends_at=beijing(date(2006, 4, 7), time(0)))
    event = events_by_uid(fetch(client))["pm.notice@campaign-tracker"]
    assert event.decoded("dtstart") == date(2006, 4, 6)
    assert event.decoded("dtend") == date(2006, 4, 7)


def test_moved_event_keeps_uid_and_raises_sequence(client, login, make):
    """Moving an event keeps its UID and raises SEQUENCE, so subscribers move it too."""
    login("officer")
    campaign = make.campaign(slug="pm")
    make.event(campaign, key="rally", title="动员大会")
    before = events_by_uid(fetch(client))["pm.rally@campaign-tracker"]
    client.post("/campaigns/pm/events/rally/edit", data={
        "title": "动员大会", "type": "rally", "status": "planned", "start_date": "2006-04-28",
        "start_time": "09:00", "end_date": "2006-04-28", "end_time": "11:00",
        "slot_genre": "editorial", "slot_outlet": "0"})
    after = events_by_uid(fetch(client))["pm.rally@campaign-tracker"]
    assert after.decoded("dtstart").date() == date(2006, 4, 28)
    assert int(after["sequence"]) == int(before["sequence"]) + 1


def test_cancelled_event_is_marked_cancelled(client, login, make):
    """A cancelled event is published with STATUS:CANCELLED rather than dropped."""
    login("leader")
    campaign = make.campaign(slug="pm")
    make.event(campaign, key="rally", status="cancelled")
    event = events_by_uid(fetch(client))["pm.rally@campaign-tracker"]
    assert str(event["status"]) == "CANCELLED"


def test_each_slot_date_and_instalment_is_its_own_vevent(client, login, make, db):
    """A slot planned on three dates gives three one-day VEVENTs (not one long block, not the
    first date only); a twice-weekly column gives one VEVENT per instalment; no RRULE."""
    from campaign.planning.models import EditorialSlot

    login("leader")
    campaign = make.campaign(slug="pm")
    outlet = make.outlet(name="安徽日报")
    feature = make.event(campaign, key="feature", type="editorial_slot", all_day=True,
                         starts_at=beijing(date(2006, 5, 2), time(0)),
                         ends_at=beijing(date(2006, 5, 5), time(0)))
    for day in (2, 3, 4):
        db.session.add(EditorialSlot(event=feature, outlet=outlet, planned_on=date(2006, 5, day),
                                     genre="feature"))
    make.event(campaign, key="column", type="editorial_slot", all_day=True,
               starts_at=beijing(date(2006, 5, 2), time(0)),
               ends_at=beijing(date(2006, 5, 13), time(0)),
               slot={"outlet": outlet, "planned_on": date(2006, 5, 2), "genre": "column",
                     "ends_on": date(2006, 5, 12), "weekdays": "2,5"})
    db.session.commit()
    cal = fetch(client)
    days = {uid: (e.decoded("dtstart"), e.decoded("dtend"))
            for uid, e in events_by_uid(cal).items()}
    assert {days[f"pm.feature.200605{d:02d}@campaign-tracker"] for d in (2, 3, 4)} == {
        (date(2006, 5, d), date(2006, 5, d + 1)) for d in (2, 3, 4)}
    column = sorted(start for uid, (start, _) in days.items() if ".column." in uid)
    assert column == [date(2006, 5, 2), date(2006, 5, 5), date(2006, 5, 9), date(2006, 5, 12)]
    assert not [e for e in cal.walk("VEVENT") if "RRULE" in e]
