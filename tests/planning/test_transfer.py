"""Campaign JSON import and export: round trip, bad files, and nothing half-written."""

from __future__ import annotations

import copy
import io
import json
from datetime import date

import pytest
from sqlalchemy import func, select

from campaign.planning.models import Campaign, Event
from campaign.planning.outlets import load_starter_directory
from campaign.planning.transfer import CampaignFileError, export_campaign, import_campaign

GOOD = {
    "slug": "month-2007", "name": "2007年宣传月", "starts_on": "2007-04-25",
    "ends_on": "2007-05-25", "timezone": "Asia/Shanghai", "description": "说明",
    "events": [
        {"key": "brief", "title": "新闻通气会", "type": "press_briefing",
         "starts_at": "2007-04-25T15:00:00+08:00", "ends_at": "2007-04-25T16:30:00+08:00",
         "venue": "省总工会", "keywords": ["宣传月", "通气会"],
         "invited_outlets": ["安徽日报", "新华网"], "target_outlets": 10},
        {"key": "editorial", "title": "社论", "type": "editorial_slot",
         "starts_at": "2007-04-30", "ends_at": "2007-04-30", "keywords": [],
         "invited_outlets": [], "target_outlets": 1,
         "slot": {"outlet": "安徽日报", "genre": "社论", "page": "一版"}},
    ],
}


def counts(db):
    return (db.session.scalar(select(func.count()).select_from(Campaign)),
            db.session.scalar(select(func.count()).select_from(Event)))


@pytest.fixture
def outlets(db):
    load_starter_directory()
    db.session.commit()


def test_import_creates_campaign(db, outlets):
    """A good file creates the campaign, its events, invitations (aliases too) and slots."""
    campaign = import_campaign(copy.deepcopy(GOOD))
    assert [e.key for e in campaign.events] == ["brief", "editorial"]
    brief = campaign.events[0]
    assert {o.name for o in brief.invited_outlets} == {"安徽日报", "新华社"}
    editorial = campaign.events[1]
    assert editorial.all_day and editorial.start_date == date(2007, 4, 30)
    assert editorial.slots[0].genre == "editorial" and editorial.slots[0].page == "一版"


def test_round_trip(db, outlets):
    """Exporting an imported campaign and importing it again gives the same export."""
    first = export_campaign(import_campaign(copy.deepcopy(GOOD)))
    db.session.commit()
    again = copy.deepcopy(first)
    import_campaign(again, update=True)
    assert export_campaign(import_campaign(copy.deepcopy(first), update=True)) == first
    assert first["events"][0]["starts_at"] == "2007-04-25T15:00:00+08:00"
    assert first["events"][1]["ends_at"] == "2007-04-30"


def _broken(path, value):
    data = copy.deepcopy(GOOD)
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize("path,value,names", [
    (("events", 1, "slot", "outlet"), "不存在日报", ["editorial", "outlet", "不存在日报"]),
    (("events", 0, "starts_at"), "25 April", ["brief", "starts_at"]),
    (("events", 0, "ends_at"), "2007-04-25T14:00:00+08:00", ["brief", "ends_at"]),
    (("events", 0, "type"), "banquet", ["brief", "type"]),
    (("events", 0, "starts_at"), "2005-04-01T09:00:00+08:00", ["brief", "starts_at"]),
    (("events", 1, "slot"), KeyError, ["editorial", "slot"]),
    (("events", 0, "title"), KeyError, ["brief", "title"]),
    (("events", 0, "invited_outlets"), "安徽日报", ["brief", "invited_outlets"]),
    (("events", 0, "target_outlets"), "ten", ["brief", "target_outlets"]),
    (("starts_on",), "2007/04/25", ["starts_on"]),
    (("timezone",), "Mars/Olympus", ["timezone"]),
    (("events",), "none", ["events"]),
    (("events", 0), "event", ["event"]),
    (("events", 0, "target_outlets"), 99999999999999999999999,
     ["brief", "target_outlets", "10000"]),
    (("events", 0, "target_outlets"), -1, ["brief", "target_outlets", "10000"]),
    (("starts_on",), "0207-04-25", ["starts_on", "1990", "2100"]),
    (("starts_on",), "0001-01-01", ["starts_on", "1990"]),
    (("ends_on",), "9999-12-31", ["ends_on", "2100"]),
    (("ends_on",), "2070-05-25", ["ends_on", "366"]),
    (("planning_starts_on",), "2005-01-01", ["planning_starts_on", "366"]),
    (("events", 0, "starts_at"), "0001-01-01", ["brief", "starts_at", "1990"]),
    (("events", 0, "ends_at"), "9999-12-31T23:59:00", ["brief", "ends_at", "2100"]),
])
def test_bad_file_names_event_and_field_and_writes_nothing(db, outlets, path, value, names):
    """Each kind of bad file is refused with the event and field named; nothing is written."""
    before = counts(db)
    with pytest.raises(CampaignFileError) as raised:
        import_campaign(_broken(path, value))
    db.session.rollback()
    for name in names:
        assert name in str(raised.value)
    assert counts(db) == before


def test_existing_slug_needs_update(db, outlets):
    """Importing a slug that exists is refused unless update is asked for."""
    import_campaign(copy.deepcopy(GOOD))
    db.session.commit()
    with pytest.raises(CampaignFileError, match="slug"):
        import_campaign(copy.deepcopy(GOOD))


def test_update_removes_events_missing_from_file(db, outlets):
    """With update, the file is the plan: events it no longer lists are removed."""
    import_campaign(copy.deepcopy(GOOD))
    db.session.commit()
    data = copy.deepcopy(GOOD)
    data["events"] = data["events"][:1]
    campaign = import_campaign(data, update=True)
    assert [e.key for e in campaign.events] == ["brief"]


def _sequences(db) -> dict[str, int]:
    db.session.expire_all()
    return dict(db.session.execute(select(Event.key, Event.sequence)).all())


def test_update_writes_only_what_changes(db, outlets):
    """Re-importing the same plan with update changes no event (each keeps its iCalendar
    SEQUENCE); changing one event's title and one's invitations raises those two alone, and the
    invitations are the file's."""
    import_campaign(copy.deepcopy(GOOD))
    db.session.commit()
    import_campaign(copy.deepcopy(GOOD), update=True)
    db.session.commit()
    assert _sequences(db) == {"brief": 0, "editorial": 0}
    data = copy.deepcopy(GOOD)
    data["events"][0]["invited_outlets"] = ["新华网"]
    data["events"][1]["title"] = "社论（改）"
    import_campaign(data, update=True)
    db.session.commit()
    assert _sequences(db) == {"brief": 0, "editorial": 1}
    brief = db.session.scalar(select(Event).where(Event.key == "brief"))
    assert [o.name for o in brief.invited_outlets] == ["新华社"]


def test_a_plan_changed_between_reading_and_writing_is_refused(db, outlets):
    """An officer's edit of an event between an update's reading and its write (its sequence
    raised) makes the write refuse with "modified meanwhile", writing nothing."""
    from campaign.planning.transfer import prepare_plan, write_plan

    import_campaign(copy.deepcopy(GOOD))
    db.session.commit()
    data = copy.deepcopy(GOOD)
    data["events"][0]["title"] = "通气会（改）"
    prepared = prepare_plan(data, update=True)
    edited = db.session.scalar(select(Event).where(Event.key == "editorial"))
    edited.title, edited.sequence = "官员改了", edited.sequence + 1
    db.session.commit()
    with pytest.raises(CampaignFileError, match="导入期间被修改"):
        write_plan(prepared)
    db.session.rollback()
    assert db.session.scalar(select(Event.title).where(Event.key == "brief")) == "新闻通气会"


def test_import_page_rejects_bad_json(client, login, db):
    """Uploading a file that is not JSON shows a message on the page, not an error."""
    login("officer")
    response = client.post("/campaigns/import", data={
        "file": (io.BytesIO(b"{not json"), "plan.json")}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "JSON" in response.get_data(as_text=True)
    assert counts(db)[0] == 0


def test_import_page_refuses_huge_target_outlets(client, login, db, outlets):
    """Uploading a file with 10**23 target outlets shows the event, the field and the allowed
    range on the page (422, not a 500), and writes nothing."""
    login("officer")
    data = _broken(("events", 0, "target_outlets"), 99999999999999999999999)
    body = json.dumps(data, ensure_ascii=False).encode()
    response = client.post("/campaigns/import", data={"file": (io.BytesIO(body), "plan.json")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "target_outlets" in page and "10000" in page
    assert counts(db) == (0, 0)


def test_import_page_imports(client, login, db, outlets):
    """Uploading a good file creates the campaign and opens its page."""
    login("officer")
    body = json.dumps(GOOD, ensure_ascii=False).encode()
    response = client.post("/campaigns/import", data={"file": (io.BytesIO(body), "plan.json")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/campaigns/month-2007")
    db.session.expire_all()
    assert counts(db) == (1, 2)
    imported = db.session.scalar(select(Campaign))
    assert (imported.slug, imported.name) == ("month-2007", "2007年宣传月")
    assert sorted(e.key for e in imported.events) == ["brief", "editorial"]


def test_export_download(client, login, db, outlets):
    """The export link downloads the campaign as UTF-8 JSON with Chinese kept readable."""
    import_campaign(copy.deepcopy(GOOD))
    db.session.commit()
    login("leader")
    response = client.get("/campaigns/month-2007/export.json")
    assert response.status_code == 200
    assert "新闻通气会" in response.get_data(as_text=True)
    assert json.loads(response.data)["slug"] == "month-2007"
