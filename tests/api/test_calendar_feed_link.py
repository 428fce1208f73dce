"""A user's own calendar-feed link: made from the calendar page by leaders and officers,
shown once as https and webcal://, good for the calendar feed alone, revocable."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from icalendar import Calendar
from sqlalchemy import select

from campaign.api.models import ApiToken
from tests.html import soup


def make_link(client, slug):
    page = client.post("/calendar-feed", data={"slug": slug})
    assert page.status_code == 200
    html = soup(page.get_data(as_text=True))
    return html.select_one("#feed-url")["value"], html.select_one("#webcal-link")["href"]


@pytest.mark.parametrize("role", ["leader", "officer"])
def test_user_makes_a_feed_link_that_calendar_apps_can_read(client, login, make, db, role):
    """A leader or officer posts from the calendar page and gets a link (and its webcal://
    form) that returns the .ics without a session, not the login page."""
    user = login(role)
    campaign = make.campaign(slug="pm")
    make.event(campaign, key="rally", title="动员大会")
    url, webcal = make_link(client, "pm")
    assert webcal == "webcal://" + url.split("://", 1)[1]
    parts = urlsplit(url)
    client.post("/logout")
    response = client.get(parts.path, query_string=parse_qs(parts.query))
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert "动员大会" in str(Calendar.from_ical(response.data).walk("VEVENT")[0]["summary"])
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert token.scope == "calendar"


def test_feed_link_reads_only_the_calendar(client, login, make):
    """The feed token is refused (403 insufficient_scope) by every other API endpoint."""
    login("officer")
    make.campaign(slug="pm")
    url, _ = make_link(client, "pm")
    secret = parse_qs(urlsplit(url).query)["token"][0]
    client.post("/logout")
    refused = client.get("/api/v1/campaigns", headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 403
    assert refused.get_json()["error"] == "insufficient_scope"
    assert client.get("/api/v1/campaigns/pm/coverage",
                      headers={"Authorization": f"Bearer {secret}"}).status_code == 403


def test_new_link_or_revoke_ends_the_old_one(client, login, make):
    """Making a second link ends the first; revoking ends the second (401 for both)."""
    login("leader")
    make.campaign(slug="pm")
    first, _ = make_link(client, "pm")
    second, _ = make_link(client, "pm")
    revoked = client.post("/calendar-feed/revoke", data={"slug": "pm"})
    assert revoked.status_code == 302 and revoked.headers["Location"] == "/campaigns/pm"
    for url in (first, second):
        parts = urlsplit(url)
        assert client.get(parts.path, query_string=parse_qs(parts.query)).status_code == 401


def test_calendar_page_offers_the_feed_link_form(client, login, make):
    """The campaign's calendar page has the form that makes the user's feed link."""
    login("leader")
    make.campaign(slug="pm")
    page = soup(client.get("/campaigns/pm").get_data(as_text=True))
    form = page.select_one("form#calendar-feed-form")
    assert form["action"] == "/calendar-feed"
    assert form.select_one("input[name=slug]")["value"] == "pm"
