"""Undoing the last review decision (one, a move, a bulk of ticked rows) and the select-all box:
the database holds what it held before the decision, once, for the officer who decided."""

from __future__ import annotations

from sqlalchemy import select

from campaign.coverage.models import Match
from tests.coverage.test_review import JSON, QUEUE, queue_rows
from tests.html import soup

UNDO = f"{QUEUE}/undo"


def stored(db, match_id):
    db.session.expire_all()
    match = db.session.get(Match, match_id)
    return None if match is None else (match.status, match.decided_by_id, match.decided_at)


def test_undo_puts_an_accepted_match_back_in_the_queue(client, login, db, queue):
    """After accept then undo the match is suggested and undecided again, and back in the
    queue; the form answer redirects to the queue."""
    login("officer")
    match_id = queue["matches"][0].id
    client.post(f"/campaigns/pm/matches/{match_id}/accept")
    response = client.post(UNDO, data={"next": QUEUE})
    assert response.status_code == 302 and response.location.endswith(QUEUE)
    assert stored(db, match_id) == ("suggested", None, None)
    assert match_id in [i for i, _ in queue_rows(client)]


def test_undo_works_once(client, login, db, queue):
    """A second undo has nothing to undo: 422 and the earlier state stays."""
    login("officer")
    match_id = queue["matches"][2].id
    client.post(f"/campaigns/pm/matches/{match_id}/reject", headers=JSON)
    assert client.post(UNDO, headers=JSON).json["ok"] is True
    again = client.post(UNDO, headers=JSON)
    assert again.status_code == 422 and again.json["ok"] is False
    assert stored(db, match_id) == ("suggested", None, None)


def test_undo_of_a_move_removes_the_match_it_made(client, login, db, queue):
    """Undoing a move puts the match back and deletes the accepted match the move created."""
    login("officer")
    match_id = queue["matches"][0].id
    client.post(f"/campaigns/pm/matches/{match_id}/move", data={"to_event": "rally"},
                headers=JSON)
    client.post(UNDO, headers=JSON)
    assert stored(db, match_id) == ("suggested", None, None)
    assert db.session.scalar(select(Match).where(
        Match.event_id == queue["rally"].id, Match.article_id == queue["first"].id)) is None


def test_undo_of_a_move_onto_an_existing_suggestion_restores_it(client, login, db, queue):
    """A move onto an article already suggested for the other event: undo leaves that match
    suggested (not deleted)."""
    login("officer")
    moved_from, already = queue["matches"][1], queue["matches"][2]  # same article, two events
    client.post(f"/campaigns/pm/matches/{already.id}/move", data={"to_event": "rally"},
                headers=JSON)
    assert stored(db, moved_from.id)[0] == "accepted"
    client.post(UNDO, headers=JSON)
    assert stored(db, moved_from.id) == ("suggested", None, None)
    assert stored(db, already.id) == ("suggested", None, None)


def test_undo_of_a_bulk_decision(client, login, db, queue):
    """Every match of a bulk accept comes back; the JSON answer counts what is waiting."""
    login("officer")
    ids = [m.id for m in queue["matches"]]
    client.post(f"{QUEUE}/bulk", data={"action": "accept", "match_ids": ids}, headers=JSON)
    response = client.post(UNDO, headers=JSON)
    assert response.json["remaining"] == 3
    assert [stored(db, i) for i in ids] == [("suggested", None, None)] * 3


def test_undo_leaves_a_later_decision_of_someone_else(client, login, db, queue, make):
    """A match another officer decided after mine is not put back by my undo."""
    login("officer")
    match_id = queue["matches"][0].id
    client.post(f"/campaigns/pm/matches/{match_id}/accept")
    other = make.user(role="officer")
    db.session.get(Match, match_id).decided_by_id = other.id
    db.session.commit()
    client.post(UNDO, headers=JSON)
    assert stored(db, match_id)[:2] == ("accepted", other.id)


def test_undo_is_per_campaign_and_per_user(client, login, db, queue, make):
    """The undo of campaign pm cannot be spent on another campaign's queue, nor by a leader."""
    make.campaign(slug="other")
    login("officer")
    match_id = queue["matches"][0].id
    client.post(f"/campaigns/pm/matches/{match_id}/accept")
    assert client.post("/campaigns/other/review/undo", headers=JSON).status_code == 422
    assert stored(db, match_id)[0] == "accepted"
    client.post("/logout")
    login("leader")
    assert client.post(UNDO, headers=JSON).status_code == 403
    assert stored(db, match_id)[0] == "accepted"


def test_queue_offers_undo_and_select_all(client, login, queue):
    """The queue page has a select-all box; the undo button shows only after a decision."""
    login("officer")
    page = soup(client.get(QUEUE).get_data(as_text=True))
    assert page.select_one("#select-all") is not None
    assert page.select_one("#undo-form").has_attr("hidden")
    client.post(f"/campaigns/pm/matches/{queue['matches'][0].id}/accept")
    page = soup(client.get(QUEUE).get_data(as_text=True))
    assert not page.select_one("#undo-form").has_attr("hidden")
