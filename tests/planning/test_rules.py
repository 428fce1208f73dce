"""The campaign's and an event's rules as pydantic models (`planning.rules`), shared by the plan
file, the forms and the operations: each message is Chinese and on its own field."""

from __future__ import annotations

import copy
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from campaign.planning.models import Campaign, Event
from campaign.planning.rules import CampaignRules, EventInput, EventRules, problems
from campaign.planning.transfer import CampaignFileError, import_plan
from tests.html import field_errors

BJ = ZoneInfo("Asia/Shanghai")
CAMPAIGN = {"name": "2008年宣传月", "slug": "pm-2008", "starts_on": "2008-04-25",
            "ends_on": "2008-05-25"}


def campaign_problems(**overrides):
    try:
        CampaignRules.model_validate({**CAMPAIGN, **overrides})
    except ValidationError as error:
        return problems(error)
    return []


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"ends_on": "2008-04-01"}, "ends_on", "结束日期早于开始日期"),
    ({"ends_on": "2009-05-25"}, "ends_on", "活动期间最长 366 天"),
    ({"planning_starts_on": "2008-05-01"}, "planning_starts_on", "筹备开始日期须不晚于开始日期"),
    ({"follow_up_ends_on": "2008-05-01"}, "follow_up_ends_on", "后续工作截止日期须不早于结束日期"),
    ({"timezone": "Beijing"}, "timezone", "未知的时区"),
    ({"slug": "宣传 月"}, "slug", "网址标识只能包含"),
])
def test_campaign_rules_name_their_field(overrides, field, message):
    """Each campaign rule fails on the field it is about, with its Chinese message."""
    found = campaign_problems(**overrides)
    assert [name for name, _ in found] == [field]
    assert message in found[0][1]


def test_plan_file_and_form_share_the_campaign_rules(client, login, db):
    """A preparation that starts after the start is refused by the same rule in a plan file
    (its line names planning_starts_on) and in the campaign form (beside that field)."""
    with pytest.raises(CampaignFileError) as raised:
        import_plan({**CAMPAIGN, "planning_starts_on": "2008-05-01", "events": []})
    assert "planning_starts_on: 筹备开始日期须不晚于开始日期" in str(raised.value)
    login("officer")
    response = client.post("/campaigns/new", data={
        **CAMPAIGN, "planning_starts_on": "2008-05-01", "timezone": "Asia/Shanghai"})
    assert response.status_code == 422
    errors = field_errors(response.get_data(as_text=True))
    assert errors["planning_starts_on"] == ["筹备开始日期须不晚于开始日期"]
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == 0


def test_event_rules_list_every_problem_of_an_event(db):
    """An editorial slot that ends before it starts and runs on a day outside the campaign
    gets a line for each field in a plan import, and nothing is written."""
    plan = copy.deepcopy({**CAMPAIGN, "events": [
        {"key": "editorial", "title": "社论", "type": "editorial_slot",
         "starts_at": "2008-04-30T09:00", "ends_at": "2008-04-29T09:00",
         "slot": {"outlet": "安徽日报", "genre": "社论", "dates": ["2010-01-01"]}}]})
    with pytest.raises(CampaignFileError) as raised:
        import_plan(plan, create_outlets=True)
    fields = [line.split(": ")[1] for line in raised.value.lines]
    assert fields == ["ends_at", "slot_dates"]
    assert "结束时间早于开始时间" in raised.value.lines[0]
    assert "活动日期须在本次活动期间" in raised.value.lines[1]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0


def test_event_rules_check_a_slot_against_its_campaign(make):
    """An editorial slot without an outlet is refused on slot_outlet; one whose period runs
    past the campaign on slot_ends_on."""
    campaign = make.campaign(slug="pm", starts_on=date(2006, 4, 25), ends_on=date(2006, 5, 25))
    start = datetime(2006, 4, 28, 8, tzinfo=BJ)
    slot = EventInput(title="专栏", type="editorial_slot", starts_at=start, ends_at=start,
                      slot_genre="column")
    with pytest.raises(ValidationError) as raised:
        EventRules.model_validate(slot, context={"campaign": campaign})
    assert problems(raised.value) == [("slot_outlet", "媒体版面须指定刊发媒体")]
    slot.slot_outlet = make.outlet(name="安徽日报")
    slot.slot_ends_on = date(2006, 7, 1)
    with pytest.raises(ValidationError) as raised:
        EventRules.model_validate(slot, context={"campaign": campaign})
    assert [name for name, _ in problems(raised.value)] == ["slot_ends_on"]


def test_event_form_refuses_a_bad_key_on_its_field(client, login, make, db):
    """The event form's key field carries the key rule (a WTForms validator): 422, the
    message beside the key, nothing written."""
    login("officer")
    make.campaign(slug="pm")
    response = client.post("/campaigns/pm/events/new", data={
        "title": "新闻通气会", "type": "press_briefing", "status": "planned",
        "start_date": "2006-04-25", "start_time": "15:00", "key": "新闻 通气会",
        "slot_genre": "editorial", "slot_outlet": "0"})
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True))["key"] == [
        "标识只能包含小写字母、数字、- 和 _"]
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0
