"""Plans as officers write them: missing outlets listed at once and created on request, page
numbers as numbers, preparation and follow-up time, per-field messages, the JSON Schema, and
hostile files refused with a message and nothing written."""

from __future__ import annotations

import copy
import io
import json

import jsonschema_rs
import pytest
from sqlalchemy import func, select

from campaign.commands import import_campaign_command
from campaign.planning.models import Campaign, Event, Outlet
from campaign.planning.outlets import load_starter_directory
from campaign.planning.plan_file import MAX_PLAN_EVENTS
from campaign.planning.transfer import (
    CampaignFileError,
    UnknownOutletsError,
    export_campaign,
    import_plan,
)

# A plan written the plain way: two outlets the directory lacks, a page as a number, a
# notice before the official start and a wrap-up meeting after the end.
PLAIN = {
    "slug": "plain-2008", "name": "2008年宣传月", "starts_on": "2008-04-25",
    "ends_on": "2008-05-25",
    "events": [
        {"key": "notice", "title": "下发通知", "type": "other", "starts_at": "2008-04-08"},
        {"key": "brief", "title": "新闻通气会", "type": "press_briefing",
         "starts_at": "2008-04-25T15:00", "invited_outlets": ["安徽日报", "甲市广播电视台"]},
        {"key": "editorial", "title": "社论", "type": "editorial_slot",
         "starts_at": "2008-04-30",
         "slot": {"outlet": "乙通讯社安徽分社", "genre": "社论", "page": 1}},
        {"key": "wrap-up", "title": "总结会", "type": "other",
         "starts_at": "2008-06-05T09:00", "ends_at": "2008-06-05T11:00"},
    ],
}
NEW_OUTLETS = ["甲市广播电视台", "乙通讯社安徽分社"]


@pytest.fixture
def outlets(db):
    load_starter_directory()
    db.session.commit()


def counts(db):
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Campaign, Event, Outlet))


def test_every_unknown_outlet_is_listed_at_once_and_nothing_written(db, outlets):
    """Without the flag, the import names both missing outlets in one message (with the events
    that use them) and writes nothing."""
    before = counts(db)
    with pytest.raises(UnknownOutletsError) as raised:
        import_plan(copy.deepcopy(PLAIN))
    db.session.rollback()
    assert raised.value.names == NEW_OUTLETS
    assert "brief" in str(raised.value) and "editorial" in str(raised.value)
    assert counts(db) == before


def test_plain_plan_imports_with_one_flag(db, outlets):
    """With create_outlets the plain plan imports: the outlets are created (tier "other"), the
    numeric page is a page, the notice widens the preparation and the wrap-up the follow-up
    time, each with a notice."""
    result = import_plan(copy.deepcopy(PLAIN), create_outlets=True)
    db.session.commit()
    db.session.expire_all()
    created = {o.name: o for o in db.session.scalars(select(Outlet).where(
        Outlet.name.in_(NEW_OUTLETS)))}
    assert sorted(created) == sorted(NEW_OUTLETS) and result.created_outlets == NEW_OUTLETS
    assert {o.tier for o in created.values()} == {"other"}
    assert created["甲市广播电视台"].kind == "tv"
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "plain-2008"))
    slot = next(e for e in campaign.events if e.key == "editorial").slots[0]
    assert (slot.page, slot.page_number, slot.outlet.name) == ("1", 1, "乙通讯社安徽分社")
    assert str(campaign.planning_starts_on) == "2008-04-08"
    assert str(campaign.follow_up_ends_on) == "2008-06-05"
    assert len(result.notices) == 2
    assert "2008-04-08" in result.notices[0] and "2008-06-05" in result.notices[1]


def test_follow_up_time_round_trips(db, outlets):
    """The export carries the follow-up end, and importing it again changes nothing."""
    first = export_campaign(import_plan(copy.deepcopy(PLAIN), create_outlets=True).campaign)
    db.session.commit()
    assert first["follow_up_ends_on"] == "2008-06-05"
    again = export_campaign(import_plan(copy.deepcopy(first), update=True).campaign)
    assert again == first


def test_cli_create_outlets_flag(app, db, outlets, tmp_path):
    """`import-campaign --create-outlets` imports the plain plan and says what it created and
    widened; without the flag it exits non-zero naming the outlets."""
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(PLAIN, ensure_ascii=False), encoding="utf-8")
    runner = app.test_cli_runner()
    refused = runner.invoke(import_campaign_command, [str(path)])
    assert refused.exit_code != 0 and all(n in refused.output for n in NEW_OUTLETS)
    result = runner.invoke(import_campaign_command, [str(path), "--create-outlets"])
    assert result.exit_code == 0, result.output
    assert "created outlet 甲市广播电视台" in result.output and "2008-06-05" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Event)) == 4


def _upload(client, body, **fields):
    return client.post("/campaigns/import", data={
        "file": (io.BytesIO(body), "plan.json"), **fields}, content_type="multipart/form-data")


def test_web_import_asks_before_creating_outlets(client, login, db, outlets):
    """The upload shows every missing outlet and writes nothing; confirming creates them and
    imports the plan, landing on the campaign."""
    login("officer")
    before = counts(db)
    body = json.dumps(PLAIN, ensure_ascii=False).encode()
    page = _upload(client, body)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="unknown-outlets"' in text
    assert all(name in text for name in NEW_OUTLETS)
    assert counts(db) == before
    confirmed = client.post("/campaigns/import", data={
        "plan_text": body.decode(), "create_outlets": "y"})
    assert confirmed.status_code == 302
    assert confirmed.headers["Location"].endswith("/campaigns/plain-2008")
    db.session.expire_all()
    assert counts(db) == (before[0] + 1, 4, before[2] + 2)


@pytest.mark.parametrize("event,field,message", [
    ({"target_outlets": "ten"}, "target_outlets", "应为整数"),
    ({"title": None}, "title", "应为文本"),
    ({"keywords": "宣传月"}, "keywords", "应为列表"),
    ({"starts_at": "25 April"}, "starts_at", "ISO 8601"),
    ({"type": "banquet"}, "type", "未知的活动类型"),
])
def test_per_field_messages_are_in_chinese(db, outlets, event, field, message):
    """Each wrong field gets its own Chinese message naming the event and the field."""
    data = copy.deepcopy(PLAIN)
    data["events"][1].update(event)
    with pytest.raises(CampaignFileError) as raised:
        import_plan(data, create_outlets=True)
    text = str(raised.value)
    assert "brief" in text and field in text and message in text


def test_every_problem_is_listed(db, outlets):
    """Two bad events give two lines, each naming its event."""
    data = copy.deepcopy(PLAIN)
    data["events"][0]["type"] = "banquet"
    data["events"][3]["starts_at"] = "soon"
    with pytest.raises(CampaignFileError) as raised:
        import_plan(data, create_outlets=True)
    assert len(raised.value.lines) == 2
    assert "notice" in raised.value.lines[0] and "wrap-up" in raised.value.lines[1]


def test_schema_is_served_and_describes_exports(client, db, outlets):
    """/plan-schema.json (no login) is a JSON Schema that accepts an exported plan, a numeric
    page, and refuses a plan without events' keys."""
    response = client.get("/plan-schema.json")
    assert response.status_code == 200
    assert response.mimetype == "application/schema+json"
    validator = jsonschema_rs.validator_for(response.get_json())
    exported = export_campaign(import_plan(copy.deepcopy(PLAIN), create_outlets=True).campaign)
    assert validator.is_valid(json.loads(json.dumps(exported)))
    assert validator.is_valid(PLAIN)
    broken = copy.deepcopy(PLAIN)
    del broken["events"][0]["key"]
    assert not validator.is_valid(broken)


def test_too_many_events_is_a_clear_refusal(db, outlets):
    """A plan of more than MAX_PLAN_EVENTS events is refused with the limit in the message."""
    data = copy.deepcopy(PLAIN)
    data["events"] = [{"key": f"e{n}", "title": "会", "type": "other",
                       "starts_at": "2008-05-01"} for n in range(MAX_PLAN_EVENTS + 1)]
    with pytest.raises(CampaignFileError, match=str(MAX_PLAN_EVENTS)):
        import_plan(data)


HOSTILE = {
    "json nested 100,000 deep": b'{"slug": "x", "events": ' + b"[" * 100_000 + b"]" * 100_000
    + b"}",
    "an integer of 5,000 digits": json.dumps({**PLAIN, "events": []}).replace(
        '"events": []', '"events": [], "goals": ' + "9" * 5000).encode(),
    "a target of 5,000 digits": json.dumps(PLAIN).replace(
        '"key": "brief",', '"key": "brief", "target_outlets": ' + "9" * 5000 + ",").encode(),
    "a lone surrogate": json.dumps({**PLAIN, "name": "PLACEHOLDER"}).replace(
        "PLACEHOLDER", "\\ud800").encode(),
}


@pytest.mark.parametrize("body", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_upload_is_a_422_with_a_message(client, login, db, outlets, body):
    """Deep nesting, huge integers and a lone surrogate are a 422 with a message on the page;
    nothing is written."""
    login("officer")
    before = counts(db)
    response = _upload(client, body, create_outlets="y")
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True)
    assert counts(db) == before
