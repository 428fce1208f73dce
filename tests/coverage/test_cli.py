"""The coverage commands: match and export-clippings."""

from __future__ import annotations

import json
from datetime import date

from campaign.coverage.cli import export_clippings_command, match_command
from campaign.coverage.models import CoverageRule
from campaign.reprints.models import ReprintGroup
from tests.factories import beijing


def test_match_then_export_json(app, make, db):
    """`match` creates the matches and `export-clippings --format json` lists them with the
    fields a labelled set is scored on, reprints pointing at their original."""
    campaign = make.campaign(slug="pm")
    event = make.event(campaign, key="rally", title="动员大会", type="rally",
                       starts_at=beijing(date(2006, 4, 27)))
    db.session.add(CoverageRule(event_id=event.id, query="动员大会"))
    group = ReprintGroup(size=2)
    db.session.add(group)
    db.session.commit()
    first = make.article(make.outlet(name="安徽日报"), title="五一动员大会召开", page_number=1,
                         url="http://a.test/1", reprint_group_id=group.id, is_original=True)
    make.article(make.outlet(name="工人日报"), title="安徽召开动员大会", url="http://b.test/2",
                 reprint_group_id=group.id, is_original=False,
                 published_at=beijing(date(2006, 4, 28)))
    runner = app.test_cli_runner()
    result = runner.invoke(match_command, ["--campaign", "pm"])
    assert result.exit_code == 0, result.output
    assert "2 new matches" in result.output
    result = runner.invoke(export_clippings_command, ["--campaign", "pm", "--format", "json"])
    rows = json.loads(result.output)
    assert [r["url"] for r in rows] == ["http://a.test/1", "http://b.test/2"]
    assert rows[0]["event"] == "rally" and rows[0]["outlet"] == "安徽日报"
    assert rows[0]["page"] == 1 and rows[0]["reprint_of"] is None
    assert rows[1]["reprint_of"] == first.url
    assert {r["status"] for r in rows} <= {"accepted", "suggested"}
    assert set(rows[0]) >= {"event", "url", "title", "outlet", "published_at", "page", "genre",
                            "status", "score", "reprint_of"}


def test_unknown_campaign(app, db):
    """Unknown slugs are an error, not a traceback."""
    result = app.test_cli_runner().invoke(match_command, ["--campaign", "nope"])
    assert result.exit_code != 0 and "nope" in result.output
