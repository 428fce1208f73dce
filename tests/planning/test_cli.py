"""The planning commands: import-campaign, export-campaign, demo, load-outlets."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from campaign.commands import (
    demo_command,
    export_campaign_command,
    import_campaign_command,
    load_outlets_command,
)
from campaign.planning.models import Campaign, Outlet
from campaign.planning.outlets import STARTER_DIRECTORY


def test_export_then_import_round_trip(app, db, tmp_path):
    """export-campaign writes the demo as JSON that import-campaign reads back unchanged."""
    runner = app.test_cli_runner()
    assert runner.invoke(demo_command).exit_code == 0
    out = tmp_path / "demo.json"
    result = runner.invoke(export_campaign_command, ["propaganda-month-2006", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["events"]) == 11
    data["slug"] = "propaganda-month-copy"
    copy_file = tmp_path / "copy.json"
    copy_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(import_campaign_command, [str(copy_file)])
    assert result.exit_code == 0, result.output
    again = runner.invoke(export_campaign_command, ["propaganda-month-copy"])
    exported = json.loads(again.output)
    assert exported["events"] == data["events"]


def test_import_bad_file_fails_and_writes_nothing(app, db, tmp_path):
    """A file with one bad event exits non-zero naming the event and field; nothing is saved."""
    runner = app.test_cli_runner()
    runner.invoke(load_outlets_command)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({
        "slug": "x-2007", "name": "x", "starts_on": "2007-04-25", "ends_on": "2007-05-25",
        "events": [
            {"key": "ok", "title": "好", "type": "rally", "starts_at": "2007-04-27T09:00"},
            {"key": "broken", "title": "坏", "type": "rally", "starts_at": "tomorrow"},
        ]}), encoding="utf-8")
    result = runner.invoke(import_campaign_command, [str(bad)])
    assert result.exit_code != 0
    assert "broken" in result.output and "starts_at" in result.output
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == 0


def test_import_not_json(app, db, tmp_path):
    """A file that is not JSON gets a clear error, not a traceback."""
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\xff\xfe not json")
    result = app.test_cli_runner().invoke(import_campaign_command, [str(bad)])
    assert result.exit_code != 0 and "JSON" in result.output


def test_load_outlets_into_empty_install(app, db):
    """load-outlets fills an empty install with the starter directory, once."""
    runner = app.test_cli_runner()
    assert f"{len(STARTER_DIRECTORY)} outlets added" in runner.invoke(load_outlets_command).output
    assert "0 outlets added" in runner.invoke(load_outlets_command).output
    tiers = dict(db.session.execute(select(Outlet.tier, func.count()).group_by(Outlet.tier)).all())
    assert tiers["municipal"] == 17 and tiers["central"] == 7
