"""Columns planned as a period: the days they run, the event form, the JSON file and iCal."""

from __future__ import annotations

import copy
from datetime import date, time

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from campaign.planning.instalments import instalment_dates, parse_weekday, plan_days
from campaign.planning.models import EditorialSlot, Event
from campaign.planning.outlets import load_starter_directory
from campaign.planning.transfer import CampaignFileError, export_campaign, import_campaign
from tests.factories import beijing
from tests.html import field_errors, soup

TUESDAYS_AND_FRIDAYS = [date(2006, 4, 25), date(2006, 4, 28), date(2006, 5, 2), date(2006, 5, 5),
                        date(2006, 5, 9), date(2006, 5, 12), date(2006, 5, 16),
                        date(2006, 5, 19)]


def column_event(make, **slot):
    """A column event over the whole campaign month with the given slot plan."""
    campaign = make.campaign(slug="pm")
    paper = make.outlet(name="工人日报")
    return make.event(campaign, key="column", type="editorial_slot", all_day=True,
                      title="劳模风采", starts_at=beijing(date(2006, 4, 25), time(0)),
                      ends_at=beijing(date(2006, 5, 26), time(0)),
                      slot={"outlet": paper, "planned_on": date(2006, 4, 25), "genre": "column",
                            "page": "一版", **slot})


# --- the days a plan runs -------------------------------------------------------------------


def test_rhythm_runs_on_its_weekdays_within_the_period(make):
    """A rhythm with an end date runs on each of its weekdays between the first and last day."""
    event = column_event(make, ends_on=date(2006, 5, 19), weekdays="2,5")
    assert instalment_dates(event.slots[0]) == TUESDAYS_AND_FRIDAYS


def test_rhythm_with_a_count_stops_at_the_count(make):
    """A rhythm with a count and no end runs on its weekdays until the count is reached."""
    event = column_event(make, weekdays="2,5", expected=3)
    assert instalment_dates(event.slots[0]) == TUESDAYS_AND_FRIDAYS[:3]


def test_open_rhythm_runs_to_the_end_of_its_event(make):
    """A rhythm with neither end nor count runs until the event's last day (12 May here, a
    week before the campaign's last Friday)."""
    event = column_event(make, weekdays="5")
    event.ends_at = beijing(date(2006, 5, 13), time(0))
    assert instalment_dates(event.slots[0]) == [date(2006, 4, 28), date(2006, 5, 5),
                                                date(2006, 5, 12)]


def test_count_without_rhythm_is_that_many_days_in_a_row(make):
    """A count with neither rhythm nor end is that many consecutive days."""
    event = column_event(make, expected=3)
    assert instalment_dates(event.slots[0]) == [date(2006, 4, 25), date(2006, 4, 26),
                                                date(2006, 4, 27)]


def test_only_a_period_has_no_fixed_days(make):
    """A period without rhythm or count leaves the days open (None: any day counts)."""
    event = column_event(make, ends_on=date(2006, 5, 19), expected=4)
    assert instalment_dates(event.slots[0]) is None


def test_single_day_slot_is_its_day(make):
    """A slot with no period is one instalment on its planned day."""
    event = column_event(make)
    assert instalment_dates(event.slots[0]) == [date(2006, 4, 25)]


@pytest.mark.parametrize("value", [2, "2", "tue", "Tuesday", "周二", "星期二", "二"])
def test_weekday_spellings(value):
    """Officers' ways of writing Tuesday all read as ISO weekday 2."""
    assert parse_weekday(value) == 2


@pytest.mark.parametrize("value", [0, 8, "funday", "monkey", "周", "", True])
def test_weekday_nonsense_is_refused(value):
    """A weekday that is none of the seven is a ValueError, never a guess."""
    with pytest.raises(ValueError):
        parse_weekday(value)


def test_plan_days_of_a_rhythm_without_days_in_its_period():
    """A Sunday rhythm over Tuesday to Friday has no days (the check refuses it)."""
    assert plan_days(date(2006, 4, 25), ends_on=date(2006, 4, 28), weekdays=[7],
                     count=None) == []


# --- the event form ------------------------------------------------------------------------


def slot_form(outlet_id, **overrides):
    data = {"title": "劳模风采", "type": "editorial_slot", "status": "planned",
            "start_date": "2006-04-25", "end_date": "2006-05-25", "all_day": "y",
            "slot_outlet": str(outlet_id), "slot_genre": "column", "slot_page": "一版",
            "slot_dates": "4-25", "slot_ends_on": "2006-05-19", "slot_weekdays": ["2", "5"],
            "key": "column"}
    data.update(overrides)
    return data


def slot_count(db):
    return db.session.scalar(select(func.count()).select_from(EditorialSlot))


def test_form_saves_a_column_as_one_period_slot(client, login, make, db):
    """A column typed as a start date, 到 an end date and two weekdays is one slot row holding
    the period and rhythm, running on each Tuesday and Friday."""
    login("officer")
    make.campaign(slug="pm")
    outlet = make.outlet(name="工人日报")
    response = client.post("/campaigns/pm/events/new", data=slot_form(outlet.id))
    assert response.status_code == 302
    [slot] = db.session.scalars(select(EditorialSlot)).all()
    assert (slot.planned_on, slot.ends_on, slot.weekdays, slot.expected) == (
        date(2006, 4, 25), date(2006, 5, 19), "2,5", None)
    assert instalment_dates(slot) == TUESDAYS_AND_FRIDAYS


def test_form_saves_a_count(client, login, make, db):
    """A count typed in 期数 is stored as the slot's expected instalments."""
    login("officer")
    make.campaign(slug="pm")
    outlet = make.outlet(name="工人日报")
    response = client.post("/campaigns/pm/events/new", data=slot_form(
        outlet.id, slot_ends_on="", slot_weekdays=["2"], slot_count="4"))
    assert response.status_code == 302
    [slot] = db.session.scalars(select(EditorialSlot)).all()
    assert (slot.ends_on, slot.weekdays, slot.expected) == (None, "2", 4)


def test_edit_form_shows_the_period(client, login, make, db):
    """The edit form of a period slot shows its end date, checked weekdays and count."""
    login("officer")
    column_event(make, ends_on=date(2006, 5, 19), weekdays="2,5", expected=6)
    page = soup(client.get("/campaigns/pm/events/column/edit").get_data(as_text=True))
    assert page.select_one("input[name=slot_ends_on]")["value"] == "2006-05-19"
    checked = [box["value"] for box in page.select("input[name=slot_weekdays][checked]")]
    assert checked == ["2", "5"]
    assert page.select_one("input[name=slot_count]")["value"] == "6"


@pytest.mark.parametrize("overrides,field,words", [
    ({"slot_ends_on": "2006-04-20"}, "slot_ends_on", "早于"),
    ({"slot_ends_on": "2006-06-20"}, "slot_ends_on", "2006-05-25"),
    ({"slot_dates": "4-25, 4-28"}, "slot_dates", "一个开始日期"),
    ({"slot_count": "0"}, "slot_count", "期数"),
    ({"slot_ends_on": "2006-04-26", "slot_weekdays": ["7"]}, "slot_weekdays", "没有日期"),
    ({"slot_weekdays": ["9"]}, "slot_weekdays", "周一"),
    ({"slot_weekdays": ["x"]}, "slot_weekdays", "周一"),
])
def test_form_refuses_a_bad_period(client, login, make, db, overrides, field, words):
    """A period that cannot run is refused on its field, in Chinese; nothing is written."""
    login("officer")
    make.campaign(slug="pm")
    outlet = make.outlet(name="工人日报")
    response = client.post("/campaigns/pm/events/new", data=slot_form(outlet.id, **overrides))
    assert response.status_code == 422
    errors = field_errors(response.get_data(as_text=True))
    assert words in errors[field][0]
    assert slot_count(db) == 0
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0


def test_event_page_says_the_plan(client, login, make):
    """The event page says a period slot's plan in words: the period, the days, the count."""
    login("officer")
    column_event(make, ends_on=date(2006, 5, 19), weekdays="2,5")
    page = soup(client.get("/campaigns/pm/events/column").get_data(as_text=True))
    plan = page.select_one(".slot-plan").get_text()
    assert "2006-04-25 至 2006-05-19" in plan and "每周二、周五" in plan and "共 8 期" in plan


# --- the JSON file --------------------------------------------------------------------------


@pytest.fixture
def outlets(db):
    load_starter_directory()
    db.session.commit()


def plan(slot, *, starts_at="2007-05-01", ends_at="2007-05-31"):
    return {"slug": "month-2007", "name": "2007年宣传月", "starts_on": "2007-04-25",
            "ends_on": "2007-05-31", "timezone": "Asia/Shanghai",
            "events": [{"key": "column", "title": "一线风采", "type": "editorial_slot",
                        "starts_at": starts_at, "ends_at": ends_at, "slot": slot}]}


@pytest.mark.parametrize("weekdays", [["tue", "fri"], ["周二", "周五"], ["二", "五"], [2, 5],
                                      ["2", "5"]])
def test_import_a_period_with_weekdays(db, outlets, weekdays):
    """A slot with starts_on, ends_on and weekdays (in any of the officers' spellings) and no
    dates imports as one period slot on those weekdays."""
    campaign = import_campaign(plan({"outlet": "安徽工人日报", "genre": "专栏", "page": "01版",
                                     "starts_on": "2007-05-01", "ends_on": "2007-05-18",
                                     "weekdays": weekdays}))
    [slot] = campaign.events[0].slots
    assert (slot.genre, slot.page_number, slot.weekdays) == ("column", 1, "2,5")
    assert instalment_dates(slot) == [date(2007, 5, 1), date(2007, 5, 4), date(2007, 5, 8),
                                      date(2007, 5, 11), date(2007, 5, 15), date(2007, 5, 18)]


def test_import_a_rhythm_with_a_count(db, outlets):
    """An optional count with a rhythm and no end is stored and limits the instalments."""
    campaign = import_campaign(plan({"outlet": "安徽工人日报", "genre": "column",
                                     "starts_on": "2007-05-01", "weekdays": ["周二"],
                                     "count": 3}))
    [slot] = campaign.events[0].slots
    assert slot.expected == 3
    assert instalment_dates(slot) == [date(2007, 5, 1), date(2007, 5, 8), date(2007, 5, 15)]


@pytest.mark.parametrize("genre", ["专栏", "column", "系列"])
def test_import_column_with_one_date_covers_its_event(db, outlets, genre):
    """A column given one date in an event that runs longer covers the event's days."""
    campaign = import_campaign(plan({"outlet": "安徽工人日报", "genre": genre,
                                     "dates": ["2007-05-01"]}))
    [slot] = campaign.events[0].slots
    assert (slot.planned_on, slot.ends_on) == (date(2007, 5, 1), date(2007, 5, 31))
    assert instalment_dates(slot) is None


@pytest.mark.parametrize("genre,code", [("社论", "editorial"), ("整版", "feature"),
                                        ("整版专题", "feature")])
def test_import_other_genres_keep_their_single_date(db, outlets, genre, code):
    """An editorial or a full page given one date in a longer event stays a single day."""
    campaign = import_campaign(plan({"outlet": "安徽日报", "genre": genre,
                                     "dates": ["2007-05-01"]}))
    [slot] = campaign.events[0].slots
    assert (slot.genre, slot.ends_on, instalment_dates(slot)) == (code, None, [date(2007, 5, 1)])


@pytest.mark.parametrize("slot,field", [
    ({"weekdays": ["funday"]}, "weekdays"),
    ({"weekdays": "tue"}, "weekdays"),
    ({"count": "three"}, "count"),
    ({"count": 0}, "count"),
    ({"count": 0, "starts_on": "2007-05-31"}, "count"),
    ({"ends_on": "2007-04-28"}, "slot_ends_on"),
    ({"ends_on": "2009-06-30"}, "slot_ends_on"),
    ({"ends_on": "31 May"}, "ends_on"),
    ({"dates": ["2007-05-02"]}, "starts_on"),
])
def test_import_refuses_a_bad_period(db, outlets, slot, field):
    """A bad period is refused naming the event and field; nothing is written."""
    raw = {"outlet": "安徽工人日报", "genre": "专栏", "starts_on": "2007-05-01", **slot}
    with pytest.raises(CampaignFileError) as raised:
        import_campaign(plan(raw))
    db.session.rollback()
    assert "column" in str(raised.value) and field in str(raised.value)
    assert slot_count(db) == 0


def test_export_round_trip_of_a_period(db, outlets):
    """A period slot exports as starts_on/ends_on/weekdays/count (no dates) and imports back
    to the same export."""
    first = export_campaign(import_campaign(plan({
        "outlet": "安徽工人日报", "genre": "专栏", "page": "一版", "starts_on": "2007-05-01",
        "ends_on": "2007-05-25", "weekdays": ["tue", "fri"], "count": 5})))
    db.session.commit()
    assert first["events"][0]["slot"] == {
        "outlet": "安徽工人日报", "genre": "column", "page": "一版", "starts_on": "2007-05-01",
        "ends_on": "2007-05-25", "weekdays": [2, 5], "count": 5}
    assert export_campaign(import_campaign(copy.deepcopy(first), update=True)) == first


# --- iCal -----------------------------------------------------------------------------------


def calendar(client):
    response = client.get("/campaigns/pm/calendar.ics")
    assert response.status_code == 200
    return Calendar.from_ical(response.data)


def test_ical_has_one_vevent_per_instalment(client, login, make):
    """Each instalment of a rhythm is its own all-day VEVENT with a UID naming its day; no
    RRULE."""
    login("officer")
    column_event(make, ends_on=date(2006, 5, 19), weekdays="2,5")
    items = calendar(client).walk("VEVENT")
    assert [str(e["uid"]) for e in items] == [f"pm.column.{d:%Y%m%d}@campaign-tracker"
                                              for d in TUESDAYS_AND_FRIDAYS]
    assert [e.decoded("dtstart") for e in items] == TUESDAYS_AND_FRIDAYS
    assert not any("RRULE" in e for e in items)


def test_ical_instalments_keep_uids_and_raise_sequence_on_edit(client, login, make):
    """Editing the column keeps each instalment's UID and raises its SEQUENCE."""
    login("officer")
    event = column_event(make, ends_on=date(2006, 5, 19), weekdays="2,5")
    before = {str(e["uid"]): int(e["sequence"]) for e in calendar(client).walk("VEVENT")}
    response = client.post("/campaigns/pm/events/column/edit", data=slot_form(
        event.slots[0].outlet_id, title="劳模风采（改）"))
    assert response.status_code == 302
    after = {str(e["uid"]): int(e["sequence"]) for e in calendar(client).walk("VEVENT")}
    assert set(after) == set(before)
    assert all(after[uid] == before[uid] + 1 for uid in before)


def test_ical_period_only_column_is_one_vevent(client, login, make):
    """A column known only by its period stays one VEVENT, the event's own."""
    login("officer")
    column_event(make, ends_on=date(2006, 5, 19))
    assert [str(e["uid"]) for e in calendar(client).walk("VEVENT")] == [
        "pm.column@campaign-tracker"]


def test_copy_to_next_year_keeps_the_period(make, db):
    """Copying a campaign shifts a column's first and last day by the years and keeps its
    rhythm and count."""
    from campaign.planning.copies import copy_campaign

    event = column_event(make, ends_on=date(2006, 5, 19), weekdays="2,5", expected=6)
    copy = copy_campaign(event.campaign, slug="pm-2007", name="2007年宣传月", years=1)
    [slot] = copy.events[0].slots
    assert (slot.planned_on, slot.ends_on, slot.weekdays, slot.expected) == (
        date(2007, 4, 25), date(2007, 5, 19), "2,5", 6)
