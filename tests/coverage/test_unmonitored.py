"""未监测 apart from 未报道: an invited outlet with no enabled source is "not monitored", not
"did not report", on the event's stats, its dashboard and in the API; the target says how many
invited outlets were monitorable. Checked on the demo with one invited outlet without a source."""

from __future__ import annotations

from sqlalchemy import select

from campaign.coverage.stats import event_stats
from campaign.planning.demo import DEMO_SLUG
from campaign.sources.models import Source
from tests.html import soup
from tests.plugins.worlds import UNMONITORED


def monitored(db, outlet):
    return db.session.scalar(select(Source.id).where(Source.outlet_id == outlet.id,
                                                     Source.enabled).limit(1)) is not None


def test_stats_split_unmonitored_from_silent(db, demo_unmonitored):
    """The outlet without a source is in invited_unmonitored, never in invited_silent; every
    silent outlet has an enabled source; monitorable counts the rest of the invitees."""
    briefing = demo_unmonitored
    stats = event_stats(briefing)
    assert UNMONITORED in [o.name for o in stats.invited_unmonitored]
    assert UNMONITORED not in [o.name for o in stats.invited_silent]
    assert all(monitored(db, o) for o in stats.invited_silent)
    assert not any(monitored(db, o) for o in stats.invited_unmonitored)
    assert stats.monitorable == len(briefing.invited_outlets) - len(stats.invited_unmonitored)


def test_dashboard_and_coverage_page_show_unmonitored_apart(client, login, db, demo_unmonitored):
    """The event dashboard lists the outlet under 未监测, not 邀请未报道, and says how many
    invitees were monitorable; the coverage page shows the same split."""
    briefing = demo_unmonitored
    stats = event_stats(briefing)
    login("leader")
    page = soup(client.get(f"/campaigns/{DEMO_SLUG}/events/press-briefing/dashboard")
                .get_data(as_text=True))
    assert UNMONITORED in page.select_one("#invited-unmonitored").text
    assert UNMONITORED not in page.select_one("#invited-silent").text
    assert page.select_one("#monitorable").text.startswith(f"{stats.monitorable} /")
    coverage = soup(client.get(f"/campaigns/{DEMO_SLUG}/events/press-briefing/coverage")
                    .get_data(as_text=True))
    assert UNMONITORED in coverage.select_one("#invited-unmonitored").text
    silent = coverage.select_one("#invited-silent")
    assert silent is None or UNMONITORED not in silent.text
