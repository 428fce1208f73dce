"""Every route in the URL map, for every role: who may read, who may write.

A new endpoint fails `test_every_endpoint_is_classified` until it is added to a group below,
so no page slips in without a decision about who may use it.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest

from campaign import create_app
from campaign.coverage.clippings import add_clipping
from campaign.coverage.models import Match
from campaign.planning.models import EditorialSlot
from campaign.sources.models import AllowedHost
from tests.conftest import base_config
from tests.factories import beijing

PUBLIC = {"auth.login", "static", "core.healthz", "core.set_language"}
READ = {"core.index", "planning.campaign_list", "planning.campaign_detail",
        "planning.campaign_ics", "planning.campaign_export", "planning.event_detail",
        "planning.outlet_list", "sources.article_list", "sources.article_detail",
        "sources.source_list", "sources.source_detail",
        "coverage.event_coverage", "coverage.review_queue", "coverage.clipping_file"}
OFFICER_FORMS = {"planning.campaign_new", "planning.campaign_edit", "planning.campaign_import",
                 "planning.campaign_copy", "planning.event_new", "planning.event_edit",
                 "planning.outlet_new", "planning.outlet_edit"}
OFFICER_ACTIONS = {"planning.campaign_delete", "planning.event_delete",
                   "planning.outlet_load_directory", "sources.source_fetch",
                   "coverage.rule_save", "coverage.clipping_add", "coverage.clipping_delete",
                   "coverage.match_accept", "coverage.match_reject", "coverage.match_move",
                   "coverage.review_bulk", "coverage.slot_excuse"}
ADMIN_PAGES = {"auth.user_list", "auth.user_new", "auth.user_edit",
               "sources.source_new", "sources.source_edit", "sources.source_delete",
               "sources.source_toggle", "sources.source_import", "sources.source_discover",
               "sources.source_discover_save", "sources.allowed_hosts",
               "sources.allowed_host_delete"}
ANY_USER_ACTIONS = {"auth.logout"}
# Exports read coverage; the edited summary is posted (so officers only); tokens are admin's.
READ |= {"exports.exports_page", "exports.clippings_csv", "exports.clippings_xlsx",
         "exports.clippings_docx", "exports.clippings_print", "exports.summary",
         "exports.summary_docx"}
OFFICER_ACTIONS |= {"exports.summary_download"}
# Dashboards (and the plotly.js they load) only read: leaders see them all.
READ |= {"dashboards.campaign_dashboard", "dashboards.event_dashboard",
         "dashboards.coverage_list", "dashboards.plotly_js"}
ADMIN_PAGES |= {"tokens.token_list", "tokens.token_issue", "tokens.token_revoke"}
# /favicon.ico redirects to the static SVG icon, public like it (the login page asks too).
PUBLIC |= {"core.favicon"}
PUBLIC |= {"api.openapi"}
# The JSON API takes a bearer token only: a browser session (any role) gets 401.
API_TOKEN_ONLY = {"api.campaigns", "api.campaign", "api.events", "api.coverage",
                  "api.campaign_calendar_feed", "api.outlets", "api.sources"}
ALL = (PUBLIC | READ | OFFICER_FORMS | OFFICER_ACTIONS | ADMIN_PAGES | ANY_USER_ACTIONS
       | API_TOKEN_ONLY)
ROLES = ["anonymous", "leader", "officer", "admin"]


def _rules():
    app = create_app(base_config(__import__("pathlib").Path("/tmp"), "sqlite://"))
    return sorted(((r.endpoint, r.rule, tuple(sorted(r.methods - {"HEAD", "OPTIONS"})))
                   for r in app.url_map.iter_rules()), key=lambda r: r[1])


RULES = [r for r in _rules() if r[0] != "static"]


def test_every_endpoint_is_classified():
    """Each endpoint of the app belongs to exactly one access group in this file."""
    endpoints = {endpoint for endpoint, _, _ in _rules()}
    assert endpoints - ALL == set(), "classify the new endpoints in tests/test_access.py"


@pytest.fixture
def world(make):
    campaign = make.campaign(slug="pm")
    event = make.event(campaign, key="rally", starts_at=beijing(date(2006, 4, 27)))
    outlet = make.outlet()
    user = make.user(role="officer", username="someone")
    source = make.source(outlet)
    article = make.article(outlet)
    match = Match(event_id=event.id, article_id=article.id, status="suggested", explanation={})
    make.db.session.add(match)
    allowed = AllowedHost(host="paper.intranet.test")
    make.db.session.add(allowed)
    slot = EditorialSlot(event=event, outlet=outlet, planned_on=date(2006, 4, 27))
    make.db.session.add(slot)
    clipping = add_clipping(event, outlet=outlet, published_on=date(2006, 4, 27), title="剪报",
                            upload=BytesIO(b"%PDF-1.4\n%%EOF\n"))
    make.db.session.commit()
    return {"slug": "pm", "key": "rally", "outlet_id": outlet.id, "user_id": user.id,
            "article_id": article.id, "source_id": source.id, "match_id": match.id,
            "clipping_id": clipping.id, "host_id": allowed.id, "filename": "css/app.css",
            "slot_id": slot.id}


def expected(endpoint: str, method: str, role: str) -> set[int]:
    if endpoint in API_TOKEN_ONLY:
        return {401}
    if endpoint in PUBLIC:
        return {200, 302, 400, 401, 422}
    if role == "anonymous":
        return {302} if method == "GET" else {401}
    write = method != "GET"
    if endpoint in ANY_USER_ACTIONS:
        return {302}
    if endpoint in READ:
        return {200, 302} if not write else {403 if role == "leader" else 405}
    if endpoint in ADMIN_PAGES:
        return {200, 302, 422} if role == "admin" else {403}
    if role == "leader":
        return {403}
    return {200, 302, 422}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint,rule,methods", RULES, ids=[r[1] for r in RULES])
def test_route_access(client, login, world, endpoint, rule, methods, role):
    """The route answers each role as its access group says (redirect, 401, 403 or OK)."""
    if role != "anonymous":
        login(role)
    url = rule
    for name, value in world.items():
        url = url.replace(f"<{name}>", str(value)).replace(f"<int:{name}>", str(value))
    url = url.replace("<path:filename>", world["filename"])
    for method in methods:
        response = client.open(url, method=method, data={})
        assert response.status_code in expected(endpoint, method, role), (
            f"{method} {url} as {role}: {response.status_code}")


def test_favicon_ico_leads_to_the_svg_icon(client):
    """/favicon.ico sends a browser, logged in or not, to the app's own SVG icon."""
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response.location.endswith("/static/favicon.svg")
    icon = client.get(response.location)
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert icon.get_data().startswith(b"<svg")
