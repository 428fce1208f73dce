"""The API's data: campaigns, events, coverage pages with filters, outlets, sources, calendar."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar

from campaign.core.times import utcnow
from campaign.sources.models import FetchRun, Source
from tests.plugins.worlds import NASTY_TITLE

BASE = "/api/v1/campaigns/pm2006"


def test_campaigns_and_campaign(api, world):
    """The list and one campaign, with links to its events and coverage."""
    items = api("/api/v1/campaigns").json["items"]
    assert [c["slug"] for c in items] == ["pm2006"]
    one = api(BASE).json
    assert one["name"] == "2006年工人阶级和工会工作宣传月" and one["starts_on"] == "2006-04-25"
    assert one["links"]["coverage"].endswith(f"{BASE}/coverage")
    assert api("/api/v1/campaigns/nope").status_code == 404
    assert api("/api/v1/campaigns/nope").json["error"] == "not_found"


def test_events_with_counts(api, world):
    """Events in date order, each with its accepted coverage counted."""
    items = api(f"{BASE}/events").json["items"]
    assert items[0]["key"] == "send-off"
    assert items[0]["coverage"]["pieces"] == 9 and items[0]["coverage"]["page_one"] == 3
    assert len(items[0]["coverage"]["reporting_outlets"]) == 8
    assert items[1]["invited_outlets"]


def test_coverage_pages_follow_next(api, world):
    """per_page rows a page; following `next` visits every row once, then next is null."""
    seen, url, pages = [], f"{BASE}/coverage?per_page=4", 0
    while url:
        body = api(url).json
        seen += [r["seq"] for r in body["items"]]
        assert body["total"] == 15 and body["per_page"] == 4
        url = body["next"]
        pages += 1
    assert seen == list(range(1, 16)) and pages == 4
    last = api(f"{BASE}/coverage?per_page=4&page=4").json
    assert last["next"] is None and last["prev"].endswith("page=3&per_page=4")


def test_coverage_row(api, world):
    """A row has the clipping-list fields; scraped text comes back as it was."""
    items = api(f"{BASE}/coverage?event=briefing").json["items"]
    assert items == [{
        "seq": 1, "date": "2006-04-25", "outlet": "新华社", "tier": "central", "page": "",
        "page_number": None, "genre": "消息", "title": NASTY_TITLE, "author": "",
        "source": "@新华社", "url": 'http://news.test/briefing?a=1&b="2"', "event": "briefing",
        "event_title": "宣传月新闻通气会", "kind": "article", "status": "accepted",
        "reprint": False}]


def test_coverage_filters_carry_into_next(api, world):
    """Filters narrow the list and stay in the next link."""
    body = api(f"{BASE}/coverage?tier=municipal&per_page=2").json
    assert body["total"] == 4 and {r["tier"] for r in body["items"]} == {"municipal"}
    assert "tier=municipal" in body["next"]
    assert api(f"{BASE}/coverage?status=suggested").json["items"][0]["reprint"] is True
    assert api(f"{BASE}/coverage?date_from=2006-05-03").json["total"] == 2
    outlet = world.outlets["合肥日报"].id
    assert api(f"{BASE}/coverage?outlet={outlet}").json["total"] == 1


@pytest.mark.parametrize("query", ["page=0", "page=x", "per_page=-1", f"page={10**23}",
                                   "page=²", f"per_page={10**23}", "tier=galactic",
                                   "status=maybe", "date_from=2006-13-01", "event=nope",
                                   "outlet=abc"])
def test_coverage_bad_arguments(api, world, query):
    """Bad page or filter values are 400 with a JSON error."""
    response = api(f"{BASE}/coverage?{query}")
    assert response.status_code == 400 and response.json["error"] == "bad_request"


def test_per_page_capped(api, world):
    """per_page above 200 is cut to 200."""
    assert api(f"{BASE}/coverage?per_page=5000").json["per_page"] == 200


def test_outlets(api, world):
    """The outlet directory with tiers."""
    items = api("/api/v1/outlets").json["items"]
    assert {"name": "新华社", "tier": "central"}.items() <= next(
        o for o in items if o["name"] == "新华社").items()


def test_sources_with_health(api, world, db):
    """Sources carry their health: state, last outcome, last success, failures."""
    outlet = world.outlets["安徽日报"]
    now = utcnow()
    good = Source(outlet=outlet, name="好的", type="rss", url="http://a.test/rss",
                  last_success_at=now - timedelta(hours=1), last_new_at=now)
    bad = Source(outlet=outlet, name="坏的", type="html", url="http://a.test/list",
                 consecutive_failures=3, last_error_kind="timeout",
                 last_success_at=now - timedelta(days=3))
    db.session.add_all([good, bad])
    db.session.flush()
    db.session.add(FetchRun(source_id=bad.id, outcome="timeout", finished_at=now))
    db.session.commit()
    items = {s["name"]: s for s in api("/api/v1/sources").json["items"]}
    assert items["好的"]["health"]["state"] == "fine"
    assert items["坏的"]["health"]["state"] == "failing"
    assert items["坏的"]["health"]["consecutive_failures"] == 3
    assert items["坏的"]["health"]["last_outcome"] == "timeout"
    assert items["坏的"]["health"]["last_success_at"].startswith(
        (now - timedelta(days=3)).date().isoformat())


def test_calendar_feed_with_query_token(client, token, world):
    """Calendar clients subscribe with a calendar token as ?token=; without one the feed is
    refused."""
    secret, _record = token("leader", "calendar")
    response = client.get(f"{BASE}/calendar.ics?token={secret}")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert len(Calendar.from_ical(response.data).walk("VEVENT")) == len(world.events)
    assert client.get(f"{BASE}/calendar.ics").status_code == 401
    assert client.get(f"/api/v1/outlets?token={secret}").status_code == 401
