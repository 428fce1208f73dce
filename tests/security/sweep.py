"""The pages the XSS sweeps visit: one campaign full of hostile text (tests/security/hostile.py)
and, by endpoint, every HTML page (GET) that shows scraped or user text, with the addresses that
show it; and the GET endpoints left out, each with its reason.

Shared by the server-side sweep (tests/security/test_untrusted.py, which also checks that every
GET route of the URL map is in one list or the other) and the browser sweep
(tests/browser/test_untrusted.py, which opens each address in Chromium). Writes through the
current `db.session` inside an app context (the caller commits).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from campaign.auth.models import User
from campaign.digests.sending import unsubscribe_token
from campaign.extensions import db
from campaign.planning.models import Campaign, Event, Outlet
from tests.security.hostile import (
    BEIJING,
    IMG,
    SVG,
    Hostile,
    HostileRecords,
    add_hostile_coverage,
    add_hostile_records,
)

SLUG = "hostile-month"


@dataclass
class Sweep:
    """What the pages are built from."""

    ids: Hostile
    records: HostileRecords
    admin_id: int
    campaign_id: int
    unsubscribe_token: str


def add_hostile_campaign(admin: User, outlet: Outlet) -> Sweep:
    """The campaign SLUG (25 April to 25 May 2006) with a rally on 27 April and a briefing on
    25 April, both held and titled with a payload; the hostile coverage of both (`outlet`
    reports the originals) and the hostile records of the other pages, `admin`'s display name
    among them. Flushed, not committed."""
    campaign = Campaign(slug=SLUG, name="恶意内容测试", timezone="Asia/Shanghai",
                        starts_on=date(2006, 4, 25), ends_on=date(2006, 5, 25),
                        planning_starts_on=date(2006, 4, 1), description="", goals="")
    events = {}
    for key, kind, day in (("rally", "rally", 27), ("briefing", "press_briefing", 25)):
        start = datetime.combine(date(2006, 4, day), time(9), tzinfo=BEIJING)
        events[key] = Event(campaign=campaign, key=key, type=kind, status="held",
                            title=f"动员大会{IMG}", starts_at=start,
                            ends_at=start.replace(hour=11), keywords=[])
    db.session.add_all([campaign, *events.values()])
    db.session.flush()
    ids = add_hostile_coverage(events["rally"], events["briefing"], outlet)
    records = add_hostile_records(campaign, ids.outlet_id, admin)
    return Sweep(ids, records, admin.id, campaign.id, unsubscribe_token(admin.id, campaign.id))


def swept(sweep: Sweep) -> dict[str, list[str]]:
    """Every HTML page (GET) that shows scraped or user text, by endpoint, with the addresses
    that show the hostile rows."""
    ids, base = sweep.ids, f"/campaigns/{SLUG}"
    return {
        "sources.article_list": ["/articles", "/articles?q=动员大会"],
        "sources.article_detail": [f"/articles/{ids.original_id}", f"/articles/{ids.reprint_id}",
                                   f"/articles/{ids.suggested_id}"],
        "coverage.event_coverage": [f"{base}/events/rally/coverage",
                                    f"{base}/events/briefing/coverage"],
        "coverage.review_queue": [f"{base}/review"],
        "coverage.links_page": [f"{base}/links"],
        "coverage.sheet_import_page": [f"{base}/clippings/import"],
        "dashboards.campaign_dashboard": [f"{base}/dashboard"],
        "dashboards.event_dashboard": [f"{base}/events/rally/dashboard"],
        "dashboards.coverage_list": [f"{base}/dashboard/pieces"],
        "exports.exports_page": [f"{base}/exports", f"{base}/exports?status=all"],
        "exports.clippings_print": [f"{base}/exports/print", f"{base}/exports/print?status=all"],
        "exports.summary": [f"{base}/summary"],
        "digests.digest_preview": [f"{base}/digest"],
        "digests.robots": [f"{base}/robots"],
        "digests.subscriptions": ["/digests/subscriptions"],
        "digests.unsubscribe_link": [
            f"/digests/unsubscribe/{sweep.unsubscribe_token}"],
        "planning.campaign_list": ["/campaigns"],
        "planning.campaign_detail": [base],
        "planning.campaign_edit": [f"{base}/edit"],
        "planning.campaign_copy": [f"{base}/copy"],
        "planning.campaign_editors": [f"{base}/editors"],
        "planning.event_detail": [f"{base}/events/rally"],
        "planning.event_edit": [f"{base}/events/rally/edit"],
        "planning.event_move": [f"{base}/events/rally/move"],
        "planning.event_new": [f"{base}/events/new"],
        "planning.outlet_list": ["/outlets"],
        "planning.outlet_edit": [f"/outlets/{ids.outlet_id}/edit"],
        "sources.source_list": ["/sources"],
        "sources.source_detail": [f"/sources/{sweep.records.source_id}"],
        "sources.source_edit": [f"/sources/{sweep.records.source_id}/edit"],
        "sources.allowed_hosts": ["/sources/allowed-hosts"],
        "auth.account": ["/account"],
        "auth.login_audit": ["/admin/logins"],
        "auth.user_list": ["/users"],
        "auth.user_edit": [f"/users/{sweep.records.officer_id}/edit"],
        "tokens.token_list": ["/admin/tokens"],
    }


ROLES = ("admin", "officer", "leader")


def swept_as(sweep: Sweep, role: str) -> dict[str, list[str]]:
    """The pages of `swept` that `role` opens: an administrator all of them, an officer what
    every signed-in user reads and the officers' forms, a leader what every signed-in user
    reads. Who may open what is tests/test_access.py's one classification of every endpoint,
    so a page it lets leaders read is swept as a leader too."""
    from tests.test_access import OFFICER_FORMS, PUBLIC, READ

    pages = swept(sweep)
    if role == "admin":
        return pages
    readable = READ | PUBLIC | (OFFICER_FORMS if role == "officer" else set())
    return {endpoint: urls for endpoint, urls in pages.items() if endpoint in readable}


def make_viewer_hostile(user: User) -> None:
    """The user who opens the pages gets a payload in the display name every page's header
    shows (the officer's and leader's own pages, 我的账号 and 订阅, show little else)."""
    user.display_name = f"{user.role}{SVG}"


# The GET endpoints the sweep leaves out, and why. A new GET route must go in `swept` or here,
# or `test_every_get_route_is_swept_or_named_here` fails.
NOT_SWEPT = {
    **dict.fromkeys(["api.campaign", "api.campaigns", "api.coverage", "api.events",
                     "api.outlets", "api.sources", "api.openapi"],
                    "JSON (application/json), never HTML: tests/security/test_fuzz_api.py"),
    **dict.fromkeys(["exports.clippings_csv", "exports.clippings_xlsx", "exports.clippings_docx"],
                    "downloads: the payloads are checked as data in "
                    "tests/security/test_untrusted.py"),
    **dict.fromkeys(["exports.clippings_zip", "exports.summary_docx",
                     "planning.campaign_export", "planning.campaign_ics",
                     "api.campaign_calendar_feed"],
                    "downloads (attachment, nosniff): tests/exports, tests/planning, tests/api"),
    **dict.fromkeys(["sources.article_page_image", "sources.article_page_pdf",
                     "sources.article_clipping", "sources.article_warc",
                     "sources.article_screenshot",
                     "coverage.clipping_file"],
                    "media files checked by content and served with their own type and nosniff:"
                    " tests/sources/test_media.py, tests/sources/test_media_screenshots.py,"
                    " tests/coverage/test_clippings.py"),
    "sources.article_archive": "another site's HTML kept as received, served under a sandbox "
                               "CSP: test_archived_copy_runs_no_script_in_the_app_origin",
    "core.index": "a redirect to the campaign list (swept)",
    **dict.fromkeys(["core.guide", "core.guide_image"],
                    "the project's own docs/guide.md and its images, no stored text"),
    **dict.fromkeys(["exports.export_job_file", "exports.invitations_csv"],
                    "downloads (attachment, nosniff): tests/exports/test_jobs.py, "
                    "tests/exports/test_unmonitored_exports.py"),
    "exports.export_job_status": "JSON (application/json), never HTML: tests/exports/test_jobs.py",
    "exports.export_job_page": "the campaign's name (swept on every campaign page) and a file "
                               "name made of the campaign's slug and an event key, identifiers "
                               "the forms check (ASCII letters, digits, dashes)",
    **dict.fromkeys(["core.favicon", "core.healthz", "dashboards.plotly_js", "static",
                     "planning.plan_file_schema"], "fixed content, no stored text"),
    **dict.fromkeys(["auth.login", "auth.user_new", "planning.campaign_new",
                     "planning.campaign_import", "planning.outlet_new", "sources.source_new",
                     "sources.source_discover", "sources.source_import"],
                    "empty forms: no stored text (their answers to a post are in "
                    "tests/security/test_fuzz_forms.py)"),
}
