"""The demo campaign: every event the seed names, on its date; loading it twice changes nothing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from campaign.auth.models import User
from campaign.planning.demo import DEMO_SLUG, load_demo
from campaign.planning.models import EditorialSlot, Event, Outlet
from campaign.planning.operations import get_campaign
from campaign.planning.outlets import STARTER_DIRECTORY


def snapshot(db):
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Outlet, User, Event, EditorialSlot))


def test_demo_events_on_their_dates(db):
    """The demo holds the seed's events on the seed's dates."""
    load_demo()
    campaign = get_campaign(DEMO_SLUG)
    assert (campaign.starts_on, campaign.ends_on) == (date(2006, 4, 25), date(2006, 5, 25))
    days = {e.key: e.start_date for e in campaign.events}
    assert days == {
        "notice": date(2006, 4, 6), "send-off": date(2006, 4, 24),
        "press-briefing": date(2006, 4, 25), "rally": date(2006, 4, 27),
        "editorial-ahrb": date(2006, 4, 30), "commentary-ahgrb": date(2006, 4, 30),
        "column-model-workers": date(2006, 4, 21), "feature-laomo": date(2006, 5, 2),
        "feature-fengxian": date(2006, 5, 3), "feature-mingong": date(2006, 5, 4),
        "hotline-broadcast": date(2006, 5, 13),
    }


def test_demo_slots_and_invitations(db):
    """Editorial slots name their outlet, genre and page; events invite outlets."""
    load_demo()
    events = {e.key: e for e in get_campaign(DEMO_SLUG).events}
    editorial = events["editorial-ahrb"].slots[0]
    assert (editorial.outlet.name, editorial.genre) == ("安徽日报", "editorial")
    assert editorial.page_number == 1
    commentary = events["commentary-ahgrb"].slots[0]
    assert (commentary.outlet.name, commentary.genre) == ("安徽工人日报", "commentator")
    assert len(events["column-model-workers"].slots) == 6
    assert {e.slots[0].planned_on for k, e in events.items() if k.startswith("feature-")} == {
        date(2006, 5, 2), date(2006, 5, 3), date(2006, 5, 4)}
    assert len(events["press-briefing"].invited_outlets) >= 10
    assert "动员大会" in events["rally"].keyword_list


def test_demo_is_idempotent(db):
    """Running the demo twice changes nothing the second time."""
    assert load_demo() is True
    db.session.commit()
    before = snapshot(db)
    assert load_demo() is False
    db.session.commit()
    assert snapshot(db) == before
    assert before[0] == len(STARTER_DIRECTORY)


def test_demo_users_have_each_role(db):
    """The demo creates one user for each role."""
    load_demo()
    roles = set(db.session.scalars(select(User.role)))
    assert roles == {"admin", "officer", "leader"}
