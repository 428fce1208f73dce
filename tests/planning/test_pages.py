"""The planning pages render for the roles that may see them."""

from __future__ import annotations

from datetime import date, time

import pytest

from campaign.planning.calendar import MAX_WEEKS, build_weeks
from campaign.planning.models import Campaign
from tests.factories import beijing
from tests.html import calendar_bars, soup


def test_campaign_list_shows_campaigns(client, login, make):
    """The campaign list names each campaign with its period."""
    login("leader")
    make.campaign(name="2006年宣传月", slug="pm-2006")
    page = client.get("/campaigns").get_data(as_text=True)
    assert "2006年宣传月" in page
    assert "2006年4月25日" in page


def test_empty_campaign_list_says_what_to_do(client, login):
    """With no campaign the list explains how to start instead of showing nothing."""
    login("officer")
    page = client.get("/campaigns").get_data(as_text=True)
    assert "还没有宣传活动" in page
    assert "campaign-tracker demo" in page


def test_calendar_places_event_on_its_day(client, login, make):
    """An event shows as a bar starting on its own day in the calendar grid."""
    login("leader")
    campaign = make.campaign(slug="pm")
    make.event(campaign, key="rally", title="动员大会", starts_at=beijing(date(2006, 4, 27)))
    page = client.get("/campaigns/pm").get_data(as_text=True)
    assert calendar_bars(page)["rally"] == [("2006-04-27", "2006-04-27")]


def test_multi_day_event_spans_weeks(client, login, make):
    """A multi-day event crossing a week boundary becomes one bar per week, each clipped."""
    login("leader")
    campaign = make.campaign(slug="pm")
    make.event(campaign, key="expo", title="职工书画展", all_day=True,
               starts_at=beijing(date(2006, 5, 5), time(0)),
               ends_at=beijing(date(2006, 5, 10), time(0)))  # 5 May (Fri) to 9 May (Tue)
    page = client.get("/campaigns/pm").get_data(as_text=True)
    assert calendar_bars(page)["expo"] == [("2006-05-05", "2006-05-07"),
                                           ("2006-05-08", "2006-05-09")]


def test_editorial_slot_shows_on_each_slot_date(client, login, make):
    """A recurring column shows on each of its planned dates, not as one long bar."""
    login("leader")
    campaign = make.campaign(slug="pm")
    outlet = make.outlet(name="安徽工人日报")
    event = make.event(campaign, key="column", type="editorial_slot", all_day=True,
                       starts_at=beijing(date(2006, 4, 24), time(0)),
                       ends_at=beijing(date(2006, 4, 29), time(0)),
                       slot={"outlet": outlet, "planned_on": date(2006, 4, 24),
                             "genre": "column", "page": "一版"})
    make.db.session.add_all([
        type(event.slots[0])(event=event, outlet=outlet, planned_on=date(2006, 4, 26),
                             genre="column", page="一版"),
    ])
    make.db.session.commit()
    page = client.get("/campaigns/pm").get_data(as_text=True)
    assert calendar_bars(page)["column"] == [("2006-04-24", "2006-04-24"),
                                             ("2006-04-26", "2006-04-26")]


def test_month_view_limits_to_month(client, login, make):
    """?month=2006-05 shows May's weeks only, and a bad month falls back to the whole range."""
    login("leader")
    campaign = make.campaign(slug="pm")
    make.event(campaign, key="early", starts_at=beijing(date(2006, 4, 5)))
    make.event(campaign, key="late", starts_at=beijing(date(2006, 5, 20)))
    may = client.get("/campaigns/pm?month=2006-05").get_data(as_text=True)
    assert set(calendar_bars(may)) == {"late"}
    whole = client.get("/campaigns/pm?month=nonsense")
    assert whole.status_code == 200
    assert set(calendar_bars(whole.get_data(as_text=True))) == {"early", "late"}


def test_agenda_lists_events_in_order(client, login, make):
    """The agenda lists events by start time with type and status."""
    login("leader")
    campaign = make.campaign(slug="pm")
    make.event(campaign, key="b", title="第二项", starts_at=beijing(date(2006, 4, 28)))
    make.event(campaign, key="a", title="第一项", starts_at=beijing(date(2006, 4, 26)))
    page = client.get("/campaigns/pm").get_data(as_text=True)
    agenda = page[page.index('id="agenda"'):]
    assert agenda.index("第一项") < agenda.index("第二项")


def test_event_detail_page(client, login, make):
    """The event page shows time in Beijing, venue, invited outlets and slot rows."""
    login("leader")
    campaign = make.campaign(slug="pm")
    outlet = make.outlet(name="安徽日报")
    event = make.event(campaign, key="brief", title="新闻通气会", type="press_briefing",
                       venue="省总工会", starts_at=beijing(date(2006, 4, 25), time(15, 0)),
                       ends_at=beijing(date(2006, 4, 25), time(16, 30)))
    event.invited_outlets = [outlet]
    make.db.session.commit()
    page = client.get("/campaigns/pm/events/brief").get_data(as_text=True)
    assert "2006-04-25 15:00 – 2006-04-25 16:30" in page
    assert "省总工会" in page and "安徽日报" in page


def test_unknown_campaign_and_event_are_404(client, login, make):
    """Unknown slugs and keys give a 404 page, not an error."""
    login("leader")
    make.campaign(slug="pm")
    assert client.get("/campaigns/nope").status_code == 404
    assert client.get("/campaigns/pm/events/nope").status_code == 404


def test_leader_sees_no_edit_controls(client, login, make):
    """A leader's campaign page (the page itself, with its events) has no create, edit, copy
    or delete controls."""
    login("leader")
    campaign = make.campaign(slug="pm", name="宣传月")
    make.event(campaign, key="rally", title="动员大会", starts_at=beijing(date(2006, 4, 27)))
    response = client.get("/campaigns/pm")
    assert response.status_code == 200
    page = soup(response.get_data(as_text=True))
    assert "宣传月" in page.select_one("h1").get_text()
    assert page.select_one('a[href="/campaigns/pm/events/rally"]') is not None
    targets = [a["href"] for a in page.select("a[href]")]
    targets += [form.get("action", "") for form in page.select("form")]
    for control in ("/events/new", "/edit", "/copy", "/delete"):
        assert not [t for t in targets if control in t], (control, targets)


def test_officer_sees_edit_controls(client, login, make):
    """An officer's campaign page offers new event, edit and copy."""
    login("officer")
    make.campaign(slug="pm")
    page = client.get("/campaigns/pm").get_data(as_text=True)
    assert "/campaigns/pm/events/new" in page
    assert "/campaigns/pm/edit" in page
    assert "/campaigns/pm/copy" in page


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "2007-01", "99999999999999999999-01",
                                   "2006-00", "２００６-05"])
def test_month_outside_the_campaign_shows_the_whole_range(client, login, make, month):
    """?month= naming a month the campaign does not touch (or past Python's dates) shows
    the whole campaign instead of a server error."""
    login("leader")
    campaign = make.campaign(slug="pm")
    make.event(campaign, key="early", starts_at=beijing(date(2006, 4, 5)))
    make.event(campaign, key="late", starts_at=beijing(date(2006, 5, 20)))
    response = client.get("/campaigns/pm", query_string={"month": month})
    assert response.status_code == 200
    assert set(calendar_bars(response.get_data(as_text=True))) == {"early", "late"}


@pytest.mark.parametrize("first,last", [(date(1, 1, 1), date(9999, 12, 31)),
                                        (date(207, 4, 25), date(2006, 5, 25)),
                                        (date(2006, 4, 25), date(2070, 5, 25))])
def test_calendar_of_an_unchecked_campaign_is_bounded(client, login, make, first, last):
    """A campaign saved before its dates were checked (a mistyped year) gets a calendar of at
    most MAX_WEEKS weeks and a message saying to correct the dates, not a 500 or a huge
    page."""
    login("leader")
    make.campaign(slug="pm", starts_on=first, ends_on=last, planning_starts_on=None)
    response = client.get("/campaigns/pm")
    assert response.status_code == 200
    html = soup(response.get_data(as_text=True))
    assert 0 < len(html.select(".cal-week")) <= MAX_WEEKS
    assert first.isoformat() in html.select_one(".flash-error").get_text()


def test_calendar_builds_only_the_weeks_of_the_range():
    """build_weeks lays out exactly the weeks from the first day's Monday to the last day,
    even at the end of Python's calendar."""
    campaign = Campaign(starts_on=date(2006, 4, 25), ends_on=date(2006, 5, 25))
    weeks = build_weeks(campaign, [], first=date(2006, 4, 25), last=date(2006, 5, 25),
                        today=date(2006, 4, 27))
    assert (weeks[0].days[0].day, weeks[-1].days[-1].day) == (date(2006, 4, 24),
                                                              date(2006, 5, 28))
    end = build_weeks(campaign, [], first=date(9999, 12, 1), last=date.max, today=date.max)
    assert end[-1].days[-1].day == date(9999, 12, 26)
