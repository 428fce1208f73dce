"""The review queue: suggested matches of a campaign, decided one by one or in bulk, through
plain forms (redirects) or review.js (JSON), and read-only for leaders."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from campaign.coverage.explain import (
    day_offset_in_words,
    explanation_in_words,
    explanation_text,
    query_problem,
    slot_state_in_words,
    synonym_groups,
)
from campaign.coverage.matching import rematch_events
from campaign.coverage.models import Match
from campaign.coverage.query import QueryError, parse
from campaign.coverage.rules import DEFAULT_WINDOWS
from tests.factories import beijing
from tests.html import soup

QUEUE = "/campaigns/pm/review"
JSON = {"Accept": "application/json"}


def queue_rows(client):
    page = soup(client.get(QUEUE).get_data(as_text=True))
    return [(int(r["data-match-id"]), r["data-event"]) for r in page.select("tr.review-row")]


def test_queue_lists_each_pair_oldest_first(client, login, queue):
    """Every suggested (event, article) pair is a row, oldest article first, labelled by event."""
    login("officer")
    m = queue["matches"]
    assert queue_rows(client) == [(m[0].id, "briefing"), (m[1].id, "rally"),
                                  (m[2].id, "briefing")]
    page = soup(client.get(QUEUE).get_data(as_text=True))
    assert page.select_one("#review-remaining").get_text() == "3"
    assert "新闻通气会" in page.select_one("tr.review-row .event-cell").get_text()


def test_accept_through_the_form_redirects_back(client, login, db, queue):
    """Accepting with the row's form records the decision and returns to the queue."""
    user = login("officer")
    match = queue["matches"][0]
    response = client.post(f"/campaigns/pm/matches/{match.id}/accept", data={"next": QUEUE})
    assert response.status_code == 302 and response.location.endswith(QUEUE)
    assert (match.status, match.decided_by_id) == ("accepted", user.id)
    assert match.id not in [i for i, _ in queue_rows(client)]


def test_rejected_article_is_not_suggested_again(client, login, db, queue):
    """A rejected match stays rejected after the event is matched again."""
    login("officer")
    match = queue["matches"][1]
    client.post(f"/campaigns/pm/matches/{match.id}/reject")
    rematch_events([queue["rally"]])
    db.session.commit()
    assert match.status == "rejected"
    assert match.id not in [i for i, _ in queue_rows(client)]


def test_move_accepts_for_the_other_event(client, login, db, queue):
    """Moving rejects the match for its event and accepts the article for the chosen one."""
    login("officer")
    match = queue["matches"][0]
    response = client.post(f"/campaigns/pm/matches/{match.id}/move",
                           data={"to_event": "rally"}, headers=JSON)
    assert response.status_code == 200
    moved = db.session.scalar(select(Match).where(
        Match.event_id == queue["rally"].id, Match.article_id == queue["first"].id))
    assert match.status == "rejected" and moved.status == "accepted"
    assert {m["status"] for m in response.json["matches"]} == {"rejected", "accepted"}


def test_move_without_a_target_is_refused(client, login, queue):
    """A move to no event (or to the match's own event) answers 422 and changes nothing."""
    login("officer")
    match = queue["matches"][0]
    for target in ("", "briefing", "no-such-event"):
        response = client.post(f"/campaigns/pm/matches/{match.id}/move",
                               data={"to_event": target}, headers=JSON)
        assert response.status_code == 422 and response.json["ok"] is False
    assert match.status == "suggested"


def test_json_answer_gives_the_remaining_count(client, login, queue):
    """With Accept: application/json a decision answers JSON with what is left in the queue."""
    login("officer")
    match = queue["matches"][2]
    response = client.post(f"/campaigns/pm/matches/{match.id}/reject", headers=JSON)
    assert response.status_code == 200
    assert response.json["ok"] is True and response.json["remaining"] == 2
    assert response.json["matches"] == [{"id": match.id, "status": "rejected",
                                         "event": "briefing", "article_id": queue["second"].id}]


def test_bulk_accept_and_reject(client, login, db, queue):
    """Ticked rows are accepted or rejected together; the queue then holds the rest."""
    login("officer")
    m = queue["matches"]
    response = client.post(f"{QUEUE}/bulk", data={"action": "accept",
                                                  "match_ids": [m[0].id, m[1].id]})
    assert response.status_code == 302
    db.session.expire_all()  # read the stored rows, not the objects the view changed
    assert [x.status for x in m] == ["accepted", "accepted", "suggested"]
    response = client.post(f"{QUEUE}/bulk", data={"action": "reject", "match_ids": [m[2].id]},
                           headers=JSON)
    assert response.json["remaining"] == 0
    assert m[2].status == "rejected"


def test_bulk_ignores_other_campaigns_and_needs_a_choice(client, login, make, queue):
    """Bulk touches only the campaign's matches, and with nothing ticked it says so."""
    login("officer")
    other_event = make.event(make.campaign(slug="other"), key="x")
    foreign = Match(event_id=other_event.id, article_id=queue["first"].id, explanation={})
    make.db.session.add(foreign)
    make.db.session.commit()
    client.post(f"{QUEUE}/bulk", data={"action": "accept", "match_ids": [foreign.id]})
    assert foreign.status == "suggested"
    response = client.post(f"{QUEUE}/bulk", data={"action": "accept"}, headers=JSON)
    assert response.status_code == 422 and "勾选" in response.json["message"]


def test_bulk_form_with_nothing_ticked_flashes_why(client, login, queue):
    """The plain bulk form posted with no row ticked returns to the queue with a message."""
    login("officer")
    response = client.post(f"{QUEUE}/bulk", data={"action": "reject"}, follow_redirects=True)
    assert response.request.path == QUEUE
    flashed = soup(response.get_data(as_text=True)).select_one(".flash-error")
    assert flashed is not None and flashed.get_text() == "请先勾选要处理的匹配。"
    assert [m.status for m in queue["matches"]] == ["suggested"] * 3


def test_bulk_with_impossible_ids_changes_nothing(client, login, queue):
    """Ticked ids no match can have (huge, ², negative) are ignored: the queue says nothing
    was ticked and no match changes."""
    login("officer")
    response = client.post(f"{QUEUE}/bulk", headers=JSON, data={
        "action": "accept", "match_ids": ["9" * 23, "²", "-3"]})
    assert response.status_code == 422
    assert [m.status for m in queue["matches"]] == ["suggested"] * 3


def test_match_of_another_campaign_is_404(client, login, make, queue):
    """A match id of another campaign cannot be decided through this campaign's URL."""
    login("officer")
    assert client.post("/campaigns/pm/matches/999999/accept").status_code == 404


def test_redirect_goes_only_to_local_pages(client, login, queue):
    """The `next` field cannot send the officer to another site."""
    login("officer")
    match = queue["matches"][0]
    response = client.post(f"/campaigns/pm/matches/{match.id}/accept",
                           data={"next": "//evil.example/"})
    assert response.location.endswith(QUEUE)


def test_empty_queue_says_so_and_links_to_the_campaign(client, login, make):
    """With nothing to review the queue says so and links back to the campaign."""
    login("officer")
    make.campaign(slug="pm")
    page = soup(client.get(QUEUE).get_data(as_text=True))
    empty = page.select_one("#review-empty")
    assert not empty.has_attr("hidden") and "没有待审核" in empty.get_text()
    assert empty.select_one("a")["href"].endswith("/campaigns/pm")


def test_leader_sees_the_queue_without_controls_and_cannot_decide(client, login, queue):
    """A leader sees the rows (and may filter them) but no checkbox, decision button or script;
    every decision is 403."""
    login("leader")
    html = client.get(QUEUE).get_data(as_text=True)
    main = soup(html).select_one("main")
    assert len(main.select("tr.review-row")) == 3
    assert [f["method"] for f in main.select("form")] == ["get"] and main.select("input") == []
    assert "review.js" not in html
    match = queue["matches"][0]
    for action in ("accept", "reject", "move"):
        assert client.post(f"/campaigns/pm/matches/{match.id}/{action}").status_code == 403
    assert client.post(f"{QUEUE}/bulk", data={"action": "accept"}).status_code == 403
    assert match.status == "suggested"


def test_officer_page_has_csrf_meta_and_the_script(client, login, queue):
    """The page carries the CSRF token for fetch and loads review.js (no inline script)."""
    login("officer")
    page = soup(client.get(QUEUE).get_data(as_text=True))
    assert page.select_one('meta[name="csrf-token"]').has_attr("content")
    scripts = page.select("script")
    assert all(s.has_attr("src") and not s.get_text(strip=True) for s in scripts)
    assert any(s["src"].endswith("/static/js/review.js") for s in scripts)


def test_scraped_titles_are_escaped(client, login, make, queue):
    """A title with markup is shown as text, never as HTML."""
    login("officer")
    queue["first"].title = '<img src=x onerror="alert(1)">'
    make.db.session.commit()
    html = client.get(QUEUE).get_data(as_text=True)
    assert "<img src=x" not in html and "&lt;img src=x" in html


def test_explanations_in_words():
    """Stored explanations read as the officers' phrases."""
    words = explanation_in_words({"title_terms": ["动员大会", "五一"], "lead_terms": ["工会"],
                                  "body_terms": ["职工"], "day_offset": 2, "invited": True,
                                  "page_one": True, "slot": "match"})
    assert words == ["标题含：动员大会、五一", "导语含：工会", "正文含：职工", "D+2", "邀请媒体",
                     "头版", "版面计划相符"]
    assert explanation_in_words({"day_offset": 0, "slot": "outlet_day"}) == [
        "活动当天", "版面计划部分相符"]
    assert explanation_in_words({"day_offset": -1, "venue": True, "preview": True,
                                 "other_body": True, "nearer_other": True}) == [
        "D-1", "标题或导语含活动地点", "活动预告", "导语提及其他单位，未提工会",
        "另一相似活动的日期更近"]
    assert day_offset_in_words(-1) == "D-1" and day_offset_in_words(None) == ""
    assert explanation_text({}, auto=False) == "人工添加"


def test_reprint_explanation_names_the_original_not_its_facts():
    """A match derived from the original's reads "转载自已匹配的原发稿", without the original's
    day, page or slot (a web copy has no 头版)."""
    derived = {"reprint_of": 7, "title_terms": [], "day_offset": 0, "page_one": True,
               "slot": "match"}
    assert explanation_in_words(derived) == ["转载自已匹配的原发稿"]


def test_query_problem_and_synonyms_and_slot_words(app):
    """A bad query splits at its position; synonym groups of a query's terms; slot states."""
    with app.test_request_context():
        with pytest.raises(QueryError) as error:
            parse("工会 OR")
        problem = query_problem("工会 OR", error.value)
        assert (problem.before, problem.at, problem.after) == ("工会 ", "O", "R")
        assert synonym_groups("劳模 AND 宣传") == [("劳动模范", "劳模")]
        assert synonym_groups("((") == []
        assert slot_state_in_words("partial", ["date", "genre"]) == "部分相符（日期、体裁不符）"
        assert slot_state_in_words("due", []) == "待刊发"


def test_pages_render_in_english(client, login, queue):
    """With English chosen, the queue and the coverage page speak English, reasons included."""
    login("officer")
    client.post("/language", data={"locale": "en"})
    queue_page = soup(client.get(QUEUE).get_data(as_text=True))
    assert queue_page.select_one("h1").get_text() == "Review queue"
    assert "Text contains: 动员大会" in queue_page.select_one("tbody").get_text()
    page = client.get("/campaigns/pm/events/rally/coverage").get_data(as_text=True)
    before, after = DEFAULT_WINDOWS["rally"]
    assert "Matching rule" in page
    assert f"Default: from {before} days before to {after} days after" in page


def test_queue_queries_do_not_grow_with_its_rows(client, login, make, db, queue, queries):
    """The queue page makes as many queries for twenty rows as for three (no N+1)."""
    login("officer")
    client.get(QUEUE)
    db.session.expire_all()  # both measured requests start from a cold session
    with queries.counting() as three:
        client.get(QUEUE)
    for n in range(17):
        article = make.article(make.outlet(), title=f"动员大会{n}",
                               published_at=beijing(date(2006, 4, 28)))
        db.session.add(Match(event_id=queue["rally"].id, article_id=article.id,
                             day=20060428, explanation={}))
    db.session.commit()
    db.session.expire_all()
    with queries.counting() as twenty:
        page = soup(client.get(QUEUE).get_data(as_text=True))
    assert len(page.select("tr.review-row")) == 20
    # SELECTs only: the test's savepoints come and go with the factories' commits.
    assert three.selects() and len(twenty.selects()) == len(three.selects()), twenty.selects()
