"""A column planned as a period: the matcher's planned placements and the fulfilment of each
instalment (fulfilled, partial, missed, excused, due), or of the period as a count."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import func, select

from campaign.coverage.matching import add_match
from campaign.coverage.models import Clipping, Match
from campaign.coverage.rules import build_rule
from campaign.coverage.stats import slot_states
from campaign.dashboards.summary import slots_tile
from campaign.planning.instalments import plan_in_words, rhythm_in_text
from campaign.planning.models import SlotExcuse
from campaign.planning.operations import excuse_instalment
from tests.factories import beijing
from tests.html import soup

TUE, FRI = date(2006, 5, 2), date(2006, 5, 5)
INSTALMENTS = [TUE, FRI, date(2006, 5, 9), date(2006, 5, 12)]


def column(make, **plan):
    """A page-one column in 工人日报 from 2 May; by default Tuesdays and Fridays to 12 May."""
    campaign = make.campaign(slug="pm")
    paper = make.outlet(name="工人日报")
    plan = {"ends_on": date(2006, 5, 12), "weekdays": "2,5", **plan}
    event = make.event(campaign, key="column", type="editorial_slot", all_day=True,
                       title="劳模风采", starts_at=beijing(date(2006, 5, 2), time(0)),
                       ends_at=beijing(date(2006, 5, 13), time(0)),
                       slot={"outlet": paper, "planned_on": TUE, "genre": "column",
                             "page": "一版", **plan})
    return event, paper


def piece(make, event, paper, day, *, page=1, accept=True):
    article = make.article(paper, title=f"劳模风采：{day:%m%d}", page_number=page,
                           published_at=beijing(day, time(6)))
    if accept:
        add_match(event, article, make.user())
    return article


def by_day(states):
    return {s.day: s for s in states}


def test_build_rule_places_a_piece_on_every_instalment(make):
    """The matcher's rule holds one planned placement per instalment day, at the outlet."""
    event, paper = column(make)
    rule = build_rule(event, None)
    assert [s.day for s in rule.slots] == INSTALMENTS
    assert {(s.outlet_id, s.page_number) for s in rule.slots} == {(paper.id, 1)}


def test_build_rule_places_a_period_on_every_day(make):
    """A column known only by its period is a planned placement on each of its days."""
    event, _ = column(make, weekdays="", ends_on=date(2006, 5, 6))
    assert [s.day for s in build_rule(event, None).slots] == [
        TUE + timedelta(days=i) for i in range(5)]


def test_each_instalment_has_its_state(make, db):
    """Each expected day is its own state: a page-one piece fulfils, a page-three piece that
    day is partial (page), a day with nothing is missed, a day to come is due."""
    event, paper = column(make)
    first = piece(make, event, paper, TUE)
    piece(make, event, paper, FRI, page=3)
    db.session.commit()
    states = by_day(slot_states(event, today=date(2006, 5, 10)))
    assert list(states) == INSTALMENTS
    assert states[TUE].state == "fulfilled" and states[TUE].article_ids == [first.id]
    assert (states[FRI].state, states[FRI].reasons) == ("partial", ["page"])
    assert states[date(2006, 5, 9)].state == "missed"
    assert states[date(2006, 5, 12)].state == "due"


def test_instalment_is_its_day_only(make, db):
    """A piece the day after an instalment does not fulfil it (a rhythm has no day's grace)."""
    event, paper = column(make)
    piece(make, event, paper, TUE + timedelta(days=1))
    db.session.commit()
    assert by_day(slot_states(event, today=date(2006, 5, 20)))[TUE].state == "missed"


def test_a_suggested_piece_on_the_day_is_to_review(make, db):
    """A piece waiting for review on an instalment's day makes the instalment 待审核."""
    event, paper = column(make)
    article = piece(make, event, paper, TUE, accept=False)
    db.session.add(Match(event_id=event.id, article_id=article.id, status="suggested",
                         day=article.day, explanation={}))
    db.session.commit()
    state = by_day(slot_states(event, today=date(2006, 5, 20)))[TUE]
    assert state.state == "review" and state.article_ids == [article.id]


def test_excused_instalment_is_shown_with_its_note(make, db):
    """An instalment the paper skipped, excused with a note, is excused (not missed)."""
    event, _ = column(make)
    officer = make.user()
    excuse_instalment(event.slots[0], TUE, "五一假期停刊", officer.id)
    db.session.commit()
    state = by_day(slot_states(event, today=date(2006, 5, 20)))[TUE]
    assert (state.state, state.note) == ("excused", "五一假期停刊")
    assert db.session.scalar(select(SlotExcuse.excused_by_id)) == officer.id


def test_a_piece_outranks_an_excuse(make, db):
    """An excused instalment that ran after all is fulfilled."""
    event, paper = column(make)
    excuse_instalment(event.slots[0], TUE, "停刊", None)
    piece(make, event, paper, TUE)
    db.session.commit()
    assert by_day(slot_states(event, today=date(2006, 5, 20)))[TUE].state == "fulfilled"


def test_period_counts_what_ran_against_its_plan(make, db):
    """With only a period, every piece in it counts: due while fewer than planned ran, fulfilled
    once the planned count ran."""
    event, paper = column(make, weekdays="", expected=2)
    piece(make, event, paper, date(2006, 5, 3), page=2)
    db.session.commit()
    [state] = slot_states(event, today=date(2006, 5, 8))
    assert (state.state, state.found, state.expected, state.last_day) == (
        "due", 1, 2, date(2006, 5, 12))
    piece(make, event, paper, date(2006, 5, 11))
    db.session.commit()
    [state] = slot_states(event, today=date(2006, 5, 8))
    assert (state.state, state.found, state.instalments_ran) == ("fulfilled", 2, 2)


def test_period_short_of_its_count_at_its_end(make, db):
    """After its period, a column that ran fewer pieces than planned is partial (期数), one
    that ran none is missed; a piece after the period does not count."""
    event, paper = column(make, weekdays="", expected=2)
    [state] = slot_states(event, today=date(2006, 5, 20))
    assert state.state == "missed"
    piece(make, event, paper, date(2006, 5, 4))
    piece(make, event, paper, date(2006, 5, 14))
    db.session.commit()
    [state] = slot_states(event, today=date(2006, 5, 20))
    assert (state.state, state.reasons, state.found) == ("partial", ["count"], 1)


def test_period_defaults_to_one_piece(make, db):
    """A period with no planned count is fulfilled by one piece (a clipping counts)."""
    event, paper = column(make, weekdays="")
    db.session.add(Clipping(event_id=event.id, outlet_id=paper.id,
                            published_on=date(2006, 5, 6), title="劳模风采", page_number=1))
    db.session.commit()
    [state] = slot_states(event, today=date(2006, 5, 7))
    assert (state.state, state.found, state.expected) == ("fulfilled", 1, 1)


def test_slots_tile_leaves_excused_instalments_out(make, db):
    """The dashboard's 版面落实 counts fulfilled instalments of those still planned."""
    event, paper = column(make)
    piece(make, event, paper, TUE)
    excuse_instalment(event.slots[0], FRI, "停刊", None)
    db.session.commit()
    assert slots_tile(slot_states(event, today=date(2006, 5, 20))).value == "1 / 3"


def test_coverage_page_lists_instalments_and_excuses_one(client, login, make, db):
    """The event's coverage page has a row per instalment; an officer excuses a missed one with
    a note, and the row then says 已说明 with the note."""
    user = login("officer")
    column(make)
    page = soup(client.get("/campaigns/pm/events/column/coverage").get_data(as_text=True))
    assert [row["data-slot-date"] for row in page.select("tr.slot-row")] == [
        d.isoformat() for d in INSTALMENTS]
    form = page.select_one('tr.slot-row[data-slot-date="2006-05-02"] form.slot-excuse')
    response = client.post(form["action"], data={"day": "2006-05-02", "note": "五一停刊"})
    assert response.status_code == 302
    page = soup(client.get("/campaigns/pm/events/column/coverage").get_data(as_text=True))
    row = page.select_one('tr.slot-row[data-slot-date="2006-05-02"]')
    assert row["data-state"] == "excused"
    assert "已说明" in row.get_text() and "五一停刊" in row.get_text()
    assert db.session.scalar(select(SlotExcuse.excused_by_id)) == user.id


def test_excuse_withdrawn(client, login, make, db):
    """Withdrawing an excuse makes the instalment missed again."""
    login("officer")
    event, _ = column(make)
    excuse_instalment(event.slots[0], TUE, "停刊", None)
    db.session.commit()
    url = f"/campaigns/pm/events/column/slots/{event.slots[0].id}/excuse"
    assert client.post(url, data={"day": "2006-05-02", "withdraw": "1"}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(SlotExcuse)) == 0


def test_excuse_needs_a_note_and_an_instalment_day(client, login, make, db):
    """An excuse without a note, for a day that is not an instalment (after the period, or a
    Wednesday of a Tuesday-and-Friday column) or not a date is refused with a message; nothing
    is written."""
    login("officer")
    event, _ = column(make)
    url = f"/campaigns/pm/events/column/slots/{event.slots[0].id}/excuse"
    for data, words in [({"day": "2006-05-02", "note": " "}, "请填写说明"),
                        ({"day": "2006-05-20", "note": "停刊"}, "不是本栏目的刊出日期"),
                        ({"day": "2006-05-03", "note": "停刊"}, "不是本栏目的刊出日期"),
                        ({"day": "5月2日", "note": "停刊"}, "无法识别的日期")]:
        response = client.post(url, data=data, follow_redirects=True)
        assert response.status_code == 200 and words in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(SlotExcuse)) == 0


def test_leader_cannot_excuse(client, login, make, db):
    """A leader reads slot states but cannot excuse an instalment."""
    login("leader")
    event, _ = column(make)
    url = f"/campaigns/pm/events/column/slots/{event.slots[0].id}/excuse"
    assert client.post(url, data={"day": "2006-05-02", "note": "停刊"}).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(SlotExcuse)) == 0


def test_excuse_of_another_events_slot_is_404(client, login, make, db):
    """A slot id that is not the event's is not found."""
    login("officer")
    column(make)
    url = "/campaigns/pm/events/column/slots/999999/excuse"
    assert client.post(url, data={"day": "2006-05-02", "note": "停刊"}).status_code == 404


def test_period_takes_the_rhythm_its_description_states(make):
    """A column planned as a period with no rhythm takes the one its event's description
    writes in words (每周二、周五): its instalments are those weekdays, shown as such."""
    event, _ = column(make, weekdays="")
    event.description = "自5月2日起，每周二、周五在一版刊出。"
    make.db.session.commit()
    assert [s.day for s in build_rule(event, None).slots] == INSTALMENTS
    assert "每周二、周五" in plan_in_words(event.slots[0])
    assert rhythm_in_text("逢周三和星期六出版；每月一期") == [3, 6]
    assert rhythm_in_text("每月一期，不定期") == []


def test_planned_rhythm_outranks_the_description(make):
    """A rhythm set on the slot is kept whatever the description says."""
    event, _ = column(make)
    event.description = "每周一刊出"
    make.db.session.commit()
    assert [s.day for s in build_rule(event, None).slots] == INSTALMENTS
