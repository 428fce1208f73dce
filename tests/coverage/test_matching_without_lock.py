"""Re-matching an event and following a story read without SQLite's write lock (issue 16.4: no
request holds it for long). Saving a coverage rule and moving an event score the event's
window, and accepting a report looks for the rest of its story, in reading transactions; only
what they find is written, in short writes. On a 30,000-article window that reading took 5 s
and held the lock all along.

On a SQLite file: while the window is scored and while the story is looked for, another
connection takes the write lock at once (busy timeout 0); the results are then stored as
before.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from campaign.auth.operations import create_user
from campaign.coverage import matching, story_matches
from campaign.coverage.matching import match_articles
from campaign.coverage.models import CoverageRule, Match
from campaign.extensions import db
from campaign.planning.models import Event
from tests.factories import Factories, beijing

D = date(2030, 3, 10)
PASSWORD = "officer-password"


def lock_is_free(database: Path) -> bool:
    other = sqlite3.connect(str(database), isolation_level=None, timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


@pytest.fixture
def story(tmp_path: Path, committed_app: Any) -> Iterator[tuple[Flask, Any, dict[str, int]]]:
    """A drill on 10 March 2030 with 江城日报 invited; its report matched (a suggestion) and
    another outlet's report of the same drill, in words the query does not find. Yields the
    app, an officer's client and the ids."""
    with committed_app(tmp_path, COVERAGE_SUGGEST_MIN=0.3, COVERAGE_AUTO_ACCEPT=0.999) as app:
        with app.app_context():
            make = Factories(db)
            campaign = make.campaign(slug="st", name="河港安全月", starts_on=date(2030, 3, 1),
                                     ends_on=date(2030, 3, 31))
            invited, other = make.outlet(name="江城日报"), make.outlet(name="江城晚报")
            event = make.event(campaign, key="drill", title="河港防汛应急演练", type="other",
                               starts_at=beijing(D, time(9, 0)), keywords=["防汛应急演练"])
            event.invited_outlets = [invited]
            db.session.add(CoverageRule(event_id=event.id, query="防汛应急演练"))
            db.session.commit()
            report = make.article(invited, title="河港举行防汛应急演练", published_at=beijing(D),
                                  body="1200名职工参加，出动冲锋舟36艘。" + "演练有序。" * 20)
            mate = make.article(other, title="千人上阵护河港",
                                published_at=beijing(date(2030, 3, 11)),
                                body="出动冲锋舟36艘，1200名职工参与。" + "现场有序。" * 20)
            match_articles([report.id, mate.id])
            create_user(username="officer", password=PASSWORD, role="officer")
            db.session.commit()
            ids = {"event": event.id, "report": report.id, "mate": mate.id}
        client = app.test_client()
        client.post("/login", data={"username": "officer", "password": PASSWORD})
        yield app, client, ids


def probing(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, database: Path
            ) -> list[bool]:
    """Replace `owner.name` by itself noting, at each call, whether the write lock is free."""
    free: list[bool] = []
    original = getattr(owner, name)

    def noting(*args: Any, **kwargs: Any) -> Any:
        free.append(lock_is_free(database))
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, noting)
    return free


def match_of(app: Flask, event_id: int, article_id: int) -> Match | None:
    with app.app_context():
        match = db.session.scalar(select(Match).where(Match.event_id == event_id,
                                                      Match.article_id == article_id))
        if match is not None:
            db.session.expunge(match)
        return match


def test_a_rule_save_scores_its_window_without_the_write_lock(story, tmp_path, monkeypatch):
    """POST the rule: every chunk of the window is scored with the lock free; the rule is
    stored, the report's match kept, and the event counts as matched since its new rule (the
    re-match's result was stored: `campaign-tracker match` would not run it again)."""
    app, client, ids = story
    free = probing(monkeypatch, matching._Pass, "score", tmp_path / "sched.db")
    response = client.post("/campaigns/st/events/drill/coverage/rule", data={
        "query": "防汛应急演练 OR 冲锋舟", "use_synonyms": "y"})
    assert response.status_code == 302
    assert free and all(free)
    assert match_of(app, ids["event"], ids["report"]) is not None
    with app.app_context():
        assert db.session.get(CoverageRule, ids["event"]).query == "防汛应急演练 OR 冲锋舟"
        assert matching._changed_events() == []


def test_moving_an_event_scores_its_window_without_the_write_lock(story, tmp_path,
                                                                   monkeypatch):
    """POST a move: the event moves a day, its window is scored with the lock free, and it
    counts as matched since the move."""
    app, client, ids = story
    free = probing(monkeypatch, matching._Pass, "score", tmp_path / "sched.db")
    response = client.post("/campaigns/st/events/drill/move", data={"date": "2030-03-11"})
    assert response.status_code == 302
    assert free and all(free)
    with app.app_context():
        assert db.session.get(Event, ids["event"]).start_date == date(2030, 3, 11)
        assert matching._changed_events() == []


def test_accepting_a_report_looks_for_its_story_without_the_write_lock(story, tmp_path,
                                                                       monkeypatch):
    """Accepting the report: the rest of its story is looked for with the lock free, and the
    other outlet's report is then suggested, following it."""
    app, client, ids = story
    free = probing(monkeypatch, story_matches, "story_mates", tmp_path / "sched.db")
    report = match_of(app, ids["event"], ids["report"])
    assert report is not None
    response = client.post(f"/campaigns/st/matches/{report.id}/accept")
    assert response.status_code == 302
    assert free and all(free)
    mate = match_of(app, ids["event"], ids["mate"])
    assert mate is not None and mate.status == "suggested"
    assert mate.explanation["story_of"] == ids["report"]
