"""Campaign ownership: by default any officer edits any campaign; an admin may restrict a
campaign to named officers, and then every campaign write route refuses the others."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select

from campaign import create_app
from campaign.planning.editor_views import READS_THE_CAMPAIGN
from campaign.planning.models import Campaign, Event
from tests.conftest import base_config

PASSWORD = "password-123"


def _campaign_write_rules() -> list[tuple[str, str]]:
    """(endpoint, rule) of every POST route that names a campaign by its slug."""
    app = create_app(base_config(__import__("pathlib").Path("/tmp"), "sqlite://"))
    return sorted((r.endpoint, r.rule) for r in app.url_map.iter_rules()
                  if "<slug>" in r.rule and "POST" in (r.methods or set()))


WRITE_RULES = _campaign_write_rules()


def sign_in(app, username: str):
    browser = app.test_client()
    response = browser.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return browser


@pytest.fixture
def restricted(app, make, route_world, db):
    """The route world's campaign restricted to officer "owner" by an admin's form post;
    "other" is an officer who is not named."""
    owner = make.user(role="officer", username="owner", password=PASSWORD)
    make.user(role="officer", username="other", password=PASSWORD)
    make.user(role="admin", username="boss", password=PASSWORD)
    response = sign_in(app, "boss").post("/campaigns/pm/editors",
                                         data={"editors": [str(owner.id)]})
    assert response.status_code == 302 and response.location == "/campaigns/pm"
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "pm"))
    assert [u.username for u in campaign.editors] == ["owner"]
    return route_world


def url_of(rule: str, world: dict) -> str:
    for name, value in world.items():
        rule = rule.replace(f"<{name}>", str(value)).replace(f"<int:{name}>", str(value))
    return rule


def test_write_routes_are_found():
    """The walk below sees the campaign, event, coverage and review writes."""
    endpoints = {endpoint for endpoint, _rule in WRITE_RULES}
    assert {"planning.campaign_edit", "planning.campaign_delete", "planning.event_new",
            "coverage.rule_save", "coverage.match_accept", "coverage.clipping_add"} <= endpoints


@pytest.mark.parametrize(("endpoint", "rule"), WRITE_RULES, ids=[r for _e, r in WRITE_RULES])
def test_other_officers_are_refused_on_every_campaign_write(app, restricted, endpoint, rule):
    """On a restricted campaign an officer who is not named gets 403 from every write route
    that names it (but the copy and the summary download, which change nothing of it)."""
    response = sign_in(app, "other").post(url_of(rule, restricted), data={})
    if endpoint in READS_THE_CAMPAIGN:
        assert response.status_code != 403
    else:
        assert response.status_code == 403


# The editors page itself is administrators' alone (test_only_admins_name_editors), and so are
# a campaign's group robots (digests: admins configure them).
ADMINS_ONLY = {"planning.campaign_editors", "digests.robots", "digests.robot_delete",
               "digests.robot_test"}
ALLOWED = [(user, endpoint, rule) for user in ("owner", "boss") for endpoint, rule in WRITE_RULES
           if not (user == "owner" and endpoint in ADMINS_ONLY)]


@pytest.mark.parametrize(("username", "endpoint", "rule"), ALLOWED,
                         ids=[f"{u}-{r}" for u, _e, r in ALLOWED])
def test_named_officer_and_admins_may_write(app, restricted, username, endpoint, rule):
    """The named officer and administrators are not refused on any of those routes."""
    response = sign_in(app, username).post(url_of(rule, restricted), data={})
    assert response.status_code != 403


def test_refused_edit_writes_nothing(app, restricted, db):
    """A refused edit and a refused delete leave the campaign as it was; the edit form is
    refused too."""
    other = sign_in(app, "other")
    assert other.get("/campaigns/pm/edit").status_code == 403
    other.post("/campaigns/pm/edit", data={"name": "改掉的名字", "slug": "pm",
                                           "starts_on": "2006-04-25", "ends_on": "2006-05-25"})
    other.post("/campaigns/pm/events/rally/delete")
    other.post("/campaigns/pm/delete")
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "pm"))
    assert campaign is not None and campaign.name != "改掉的名字"
    assert db.session.scalar(select(Event).where(Event.key == "rally")) is not None
    assert other.get("/campaigns/pm").status_code == 200  # reading stays open


def test_import_cannot_replace_a_restricted_campaign(app, restricted, db):
    """Importing a file with --update over a restricted campaign is refused for others."""
    payload = json.dumps({"slug": "pm", "name": "替换", "starts_on": "2006-04-25",
                          "ends_on": "2006-05-25", "events": []}).encode()
    response = sign_in(app, "other").post(
        "/campaigns/import", data={"file": (io.BytesIO(payload), "pm.json"), "update": "y"},
        content_type="multipart/form-data")
    assert response.status_code == 403
    assert db.session.scalar(select(Campaign.name).where(Campaign.slug == "pm")) != "替换"


def test_default_every_officer_edits(app, route_world, make, db):
    """Without named editors any officer edits any campaign (the default is unchanged)."""
    make.user(role="officer", username="anyone", password=PASSWORD)
    response = sign_in(app, "anyone").post("/campaigns/pm/delete")
    assert response.status_code == 302
    assert db.session.scalar(select(Campaign).where(Campaign.slug == "pm")) is None


def test_clearing_the_editors_reopens_the_campaign(app, restricted, db):
    """An admin saving no editors opens the campaign to every officer again."""
    sign_in(app, "boss").post("/campaigns/pm/editors", data={})
    assert sign_in(app, "other").post("/campaigns/pm/delete").status_code == 302


def test_only_admins_name_editors(app, restricted):
    """Officers, the named one included, get 403 from the editors page."""
    assert sign_in(app, "owner").get("/campaigns/pm/editors").status_code == 403
    assert sign_in(app, "owner").post("/campaigns/pm/editors", data={}).status_code == 403
