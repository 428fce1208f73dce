"""Every route in the URL map, for every role: who may read, who may write.

A new endpoint fails `test_every_endpoint_is_classified` until it is added to a group below,
so no page slips in without a decision about who may use it.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from campaign import create_app
from tests.conftest import base_config

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
# A user's own calendar-feed link, leaders included (the campaign is named in the form: 404
# for none).
OWN_ACCOUNT = {"tokens.calendar_feed_issue", "tokens.calendar_feed_revoke"}
# Coverage by link, clipping lists in, 归入活动 and undo in the review queue.
OFFICER_FORMS |= {"coverage.links_page", "coverage.sheet_import_page"}
OFFICER_ACTIONS |= {"coverage.links_add", "coverage.links_add_one", "coverage.links_by_hand",
                    "coverage.articles_attach", "coverage.review_undo", "coverage.sheet_import"}
# Exports read coverage; the edited summary is posted (so officers only); tokens are admin's.
READ |= {"exports.exports_page", "exports.clippings_csv", "exports.clippings_xlsx",
         "exports.clippings_docx", "exports.clippings_print", "exports.summary",
         "exports.summary_docx"}
OFFICER_ACTIONS |= {"exports.summary_download"}
# Dashboards (and the plotly.js they load) only read: leaders see them all.
READ |= {"dashboards.campaign_dashboard", "dashboards.event_dashboard",
         "dashboards.coverage_list", "dashboards.plotly_js"}
ADMIN_PAGES |= {"tokens.token_list", "tokens.token_issue", "tokens.token_revoke"}
# Digests: anyone signed in previews them and chooses their own subscriptions (leaders too);
# robots are admins'; the unsubscribe link in a mail works without a login (it is signed).
READ |= {"digests.digest_preview", "digests.subscriptions"}
ANY_USER_ACTIONS |= {"digests.subscriptions_save", "digests.subscriptions_test"}
ADMIN_PAGES |= {"digests.robots", "digests.robot_delete", "digests.robot_test"}
PUBLIC |= {"digests.unsubscribe_link"}
# /favicon.ico redirects to the static SVG icon, public like it (the login page asks too).
PUBLIC |= {"core.favicon"}
READ |= {"core.guide", "core.guide_image"}  # the officers' guide and its screenshots
PUBLIC |= {"api.openapi"}
PUBLIC |= {"planning.plan_file_schema"}  # the plan format (a JSON Schema), no data
# Rescheduling: a date form (the calendar drag posts it too).
OFFICER_FORMS |= {"planning.event_move"}
# An article's page image, clipping, page PDF, archived copy and screenshot: files every
# signed-in user reads (404 for an article that has none); the clipping images' ZIP is an
# export like the rest.
MEDIA_FILES = {"sources.article_clipping", "sources.article_page_image",
               "sources.article_page_pdf", "sources.article_archive", "sources.article_warc",
               "sources.article_screenshot"}
READ |= {"exports.clippings_zip"}
READ |= {"exports.invitations_csv"}  # invited against reporting outlets, an export like the rest
# Exports as background jobs: whoever may download an export may start one (leaders too) and
# follow it; a job not yet done sends its file link back to the job's page.
READ |= {"exports.export_job_page", "exports.export_job_status", "exports.export_job_file"}
ANY_USER_ACTIONS |= {"exports.export_job_start"}
# The JSON API takes a bearer token only: a browser session (any role) gets 401.
API_TOKEN_ONLY = {"api.campaigns", "api.campaign", "api.events", "api.coverage",
                  "api.campaign_calendar_feed", "api.outlets", "api.sources"}
# A user's own account: every signed-in user, leaders included, reads it and writes to it
# (password, 退出所有设备, the calendar-feed token); the login audit log is admins'.
READ |= {"auth.account"}
OWN_ACCOUNT |= {"auth.account_password", "auth.account_logout_everywhere",
                "auth.account_calendar_token", "auth.account_calendar_token_revoke"}
ADMIN_PAGES |= {"auth.login_audit", "planning.campaign_editors"}
ALL = (PUBLIC | READ | OFFICER_FORMS | OFFICER_ACTIONS | ADMIN_PAGES | ANY_USER_ACTIONS
       | OWN_ACCOUNT | API_TOKEN_ONLY | MEDIA_FILES)
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


# Where each redirect leads a signed-in user (or anyone, on a public page): the page an action
# returns to. A redirect not listed here fails the matrix.
REDIRECTS = {
    ("core.index", "GET"): "/campaigns",
    ("core.favicon", "GET"): "/static/favicon.svg",
    ("core.set_language", "POST"): "/",
    ("auth.login", "GET"): "/",  # already signed in
    ("auth.login", "POST"): "/",
    ("auth.logout", "POST"): "/login",
    ("auth.user_edit", "POST"): "/users",
    ("auth.account_logout_everywhere", "POST"): "/login",
    ("auth.account_calendar_token_revoke", "POST"): "/account",
    ("planning.campaign_editors", "POST"): "/campaigns/{slug}",
    ("tokens.token_revoke", "POST"): "/admin/tokens",
    ("tokens.calendar_feed_revoke", "POST"): "/",
    ("planning.campaign_edit", "POST"): "/campaigns/{slug}",
    ("planning.campaign_delete", "POST"): "/campaigns",
    ("planning.event_delete", "POST"): "/campaigns/{slug}",
    ("planning.outlet_edit", "POST"): "/outlets",
    ("planning.outlet_load_directory", "POST"): "/outlets",
    ("coverage.rule_save", "POST"): "/campaigns/{slug}/events/{key}/coverage",
    ("coverage.clipping_delete", "POST"): "/campaigns/{slug}/events/{key}/coverage#clippings",
    ("coverage.slot_excuse", "POST"): "/campaigns/{slug}/events/{key}/coverage#slots",
    ("coverage.match_accept", "POST"): "/campaigns/{slug}/review",
    ("coverage.match_reject", "POST"): "/campaigns/{slug}/review",
    ("coverage.match_move", "POST"): "/campaigns/{slug}/review",
    ("coverage.review_bulk", "POST"): "/campaigns/{slug}/review",
    ("coverage.review_undo", "POST"): "/campaigns/{slug}/review",  # nothing to undo
    ("coverage.articles_attach", "POST"): "/articles",  # no event chosen
    ("sources.source_fetch", "POST"): "/sources#source-{source_id}",
    ("sources.source_toggle", "POST"): "/sources",
    ("sources.source_delete", "POST"): "/sources",
    ("sources.allowed_host_delete", "POST"): "/sources/allowed-hosts",
    ("digests.subscriptions_save", "POST"): "/digests/subscriptions",
    ("digests.subscriptions_test", "POST"): "/digests/subscriptions",
    ("digests.robot_delete", "POST"): "/campaigns/{slug}/robots",
    ("digests.robot_test", "POST"): "/campaigns/{slug}/robots",
    ("exports.export_job_start", "POST"): "/campaigns/{slug}/exports",  # no format chosen
    ("exports.export_job_file", "GET"): "/campaigns/{slug}/exports/jobs/{job_id}",  # queued
}


def assert_redirect_target(response, endpoint: str, method: str, role: str, url: str,
                           world: dict) -> None:
    """A redirect sends the anonymous to the login page (coming back to `url`) and everyone
    else to the page listed in REDIRECTS."""
    where = urlsplit(response.location)
    if role == "anonymous" and endpoint not in PUBLIC:
        assert (where.path, parse_qs(where.query)) == ("/login", {"next": [url]}), (
            f"{method} {url} as anonymous: redirected to {response.location}")
        return
    target = REDIRECTS.get((endpoint, method))
    assert target is not None, f"{method} {url} as {role}: unexpected redirect to {where}"
    assert response.location == target.format(**world), (
        f"{method} {url} as {role}: redirected to {response.location}")


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
    if endpoint in OWN_ACCOUNT:
        return {200, 302, 404, 422}
    if endpoint in MEDIA_FILES:
        return {200, 404} if not write else {403 if role == "leader" else 405}
    if endpoint in READ:
        return {200, 302} if not write else {403 if role == "leader" else 405}
    if endpoint in ADMIN_PAGES:
        return {200, 302, 422} if role == "admin" else {403}
    if role == "leader":
        return {403}
    return {200, 302, 422}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint,rule,methods", RULES, ids=[r[1] for r in RULES])
def test_route_access(client, login, route_world, endpoint, rule, methods, role):
    """The route answers each role as its access group says (401, 403, OK, or a redirect: to
    the login page for the anonymous, to the page the action returns to for the others)."""
    if role != "anonymous":
        login(role)
    url = rule
    for name, value in route_world.items():
        url = url.replace(f"<{name}>", str(value)).replace(f"<int:{name}>", str(value))
    url = url.replace("<path:filename>", route_world["filename"])
    for method in methods:
        response = client.open(url, method=method, data={})
        assert response.status_code in expected(endpoint, method, role), (
            f"{method} {url} as {role}: {response.status_code}")
        if response.status_code == 302:
            assert_redirect_target(response, endpoint, method, role, url, route_world)


def test_favicon_ico_leads_to_the_svg_icon(client):
    """/favicon.ico sends a browser, logged in or not, to the app's own SVG icon."""
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response.location.endswith("/static/favicon.svg")
    icon = client.get(response.location)
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert icon.get_data().startswith(b"<svg")
