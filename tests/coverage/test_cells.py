"""The coverage cells stay equal to a count made from the matches and clippings themselves,
whichever way coverage changes: decisions, moves, matching runs, clippings, articles whose
page, day or reprint group changes, events retyped or deleted."""

from __future__ import annotations

import threading
import time as clock
from datetime import date, time

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from campaign.articles.incoming import IncomingArticle
from campaign.articles.models import Article
from campaign.articles.store import store_articles
from campaign.coverage.cellcheck import live_cells, stored_cells
from campaign.coverage.cells import (
    TOTAL_DAY,
    count_rows,
    keep_counted,
    rebuild,
    refresh_pending,
)
from campaign.coverage.clippings import add_clipping, delete_clipping
from campaign.coverage.matching import decide, match_articles, move
from campaign.coverage.models import Clipping, CoverageCell, CoverageReprint, CoverageRule, Match
from campaign.extensions import db as _db
from campaign.planning.models import Campaign, Event, Outlet
from campaign.planning.operations import delete_event
from campaign.reprints.linking import group_reprints
from tests.dashboards.conftest import build_world
from tests.factories import Factories, beijing

STORY = ("全省总工会今天召开庆祝五一暨建功十一五动员大会，号召广大职工立足岗位建功立业。"
         "大会表彰了一批劳动模范和先进集体，省领导出席并讲话。"
         "会议要求各级工会组织把劳动竞赛引向深入，为全省经济社会发展作出新贡献。")


def assert_true(db, campaign) -> None:
    stored = stored_cells(db.session, campaign.id)
    assert stored == live_cells(db.session, campaign.id)


def test_world_cells_are_the_live_count(db, make):
    """After decisions, suggestions, rejections, a clipping and an article accepted for two
    events, the stored cells equal a count from scratch; the campaign scope counts the shared
    article once and each event scope counts it for itself."""
    world = build_world(make, db)
    assert_true(db, world.campaign)
    cells = stored_cells(db.session, world.campaign.id)
    everything = sum(n for (e, t, d, _), (n, _, _) in cells.items() if e == 0 and not t and d >= 0)
    per_event = sum(n for (e, _, d, _), (n, _, _) in cells.items() if e != 0 and d >= 0)
    assert everything == 7
    assert per_event == 8  # the article of both events, once per event
    totals = sum(n for (e, t, d, _), (n, _, _) in cells.items() if e == 0 and not t
                 and d == TOTAL_DAY)
    assert totals == 7


def test_decision_and_move_recount(db, make):
    """Rejecting an accepted match and moving another to a second event change the cells."""
    world = build_world(make, db)
    officer = make.user()
    rally = world.events["rally"]
    accepted = db.session.scalars(select(Match).where(
        Match.event_id == rally.id, Match.status == "accepted").order_by(Match.id)).all()
    decide(accepted[0], "rejected", officer)
    move(accepted[1], world.events["briefing"], officer)
    db.session.commit()
    assert_true(db, world.campaign)


def test_clipping_added_and_deleted(db, make):
    """A clipping added, then the world's clipping deleted, each recount their day."""
    world = build_world(make, db)
    add_clipping(world.events["briefing"], outlet=world.outlets["交通报"],
                 published_on=date(2006, 4, 26), title="广播报道", page="一版")
    db.session.commit()
    assert_true(db, world.campaign)
    delete_clipping(db.session.get(Clipping, world.clippings[0].id))
    db.session.commit()
    assert_true(db, world.campaign)


def test_article_page_and_day_change_through_store(db, make):
    """An article stored again with another page and a corrected date moves its cells, and
    its matches follow the new day."""
    world = build_world(make, db)
    article = world.accepted[0][1]
    store_articles(article.outlet, [IncomingArticle(
        url=article.url, title=article.title, body="大会召开。",
        published_at=beijing(date(2006, 4, 29), time(8)), page_number=5)])
    db.session.commit()
    assert_true(db, world.campaign)
    days = set(db.session.scalars(select(Match.day).where(Match.article_id == article.id)))
    assert days == {20060429}


def test_reprint_grouping_recounts(db, make):
    """Grouping two matched articles as copies of one story makes the later one a reprint in
    the cells and lists both for reprint reach."""
    campaign = make.campaign(slug="grouped")
    rally = make.event(campaign, key="rally", type="rally", status="held")
    officer = make.user()
    first, second = make.outlet(name="甲报"), make.outlet(name="乙报")
    a = make.article(first, title="动员大会召开", body=STORY,
                     published_at=beijing(date(2006, 4, 27)))
    b = make.article(second, title="动员大会召开", body=STORY,
                     published_at=beijing(date(2006, 4, 28)))
    for article in (a, b):
        db.session.add(Match(event_id=rally.id, article_id=article.id, status="accepted",
                             day=article.day, explanation={}, decided_by_id=officer.id))
    db.session.commit()
    assert sum(r for (_, _, d, _), (_, _, r) in stored_cells(db.session, campaign.id).items()
               if d >= 0) == 0
    group_reprints([a.id, b.id])
    db.session.commit()
    assert db.session.get(Article, b.id).reprint_group_id is not None
    assert_true(db, campaign)
    assert sum(r for (_, _, d, _), (_, _, r) in stored_cells(db.session, campaign.id).items()
               if d >= 0) == 3  # campaign, type and event scopes: one reprint each
    assert set(db.session.scalars(select(CoverageReprint.article_id))) >= {a.id, b.id}


def test_matching_run_recounts(db, make):
    """A matching run that accepts a new report counts it."""
    campaign = make.campaign(slug="matched")
    outlet = make.outlet(name="安徽日报")
    event = make.event(campaign, key="rally", title="动员大会", type="rally",
                       starts_at=beijing(date(2006, 4, 27)))
    event.invited_outlets = [outlet]
    db.session.add(CoverageRule(event_id=event.id, query="动员大会 五一", use_synonyms=True))
    db.session.commit()
    article = make.article(outlet, title="全省职工庆祝五一动员大会隆重召开", page_number=1,
                           published_at=beijing(date(2006, 4, 28)), body="省总工会召开大会。")
    match_articles([article.id])
    db.session.commit()
    assert_true(db, campaign)
    assert stored_cells(db.session, campaign.id)[(0, "", 20060428, outlet.id)] == (1, 1, 0)


def test_event_retyped_and_deleted(db, make):
    """Changing an event's type moves its pieces between type scopes; deleting it removes
    them."""
    world = build_world(make, db)
    world.events["briefing"].type = "rally"
    db.session.commit()
    assert_true(db, world.campaign)
    assert not any(t == "press_briefing" for (_, t, _, _) in
                   stored_cells(db.session, world.campaign.id))
    delete_event(world.events["rally"])
    db.session.commit()
    assert_true(db, world.campaign)


def test_plan_reimport_retypes_in_bulk_and_recounts_its_campaign(db, make):
    """Re-importing the plan with update (events changed in bulk statements) keeps every event's
    id and match, and moves a retyped event's pieces to its new type scope: the stored cells
    equal a count from scratch."""
    from campaign.planning.transfer import export_campaign, import_plan

    world = build_world(make, db)
    hotline = world.events["hotline"]  # (planned for 2099: out of the plan's range)
    hotline.starts_at, hotline.ends_at = beijing(date(2006, 5, 13)), beijing(date(2006, 5, 13),
                                                                             time(10))
    db.session.commit()
    plan = export_campaign(world.campaign)
    ids = {event.key: event.id for event in world.campaign.events}
    matches = set(db.session.scalars(select(Match.id)))
    for event in plan["events"]:
        if event["key"] == "briefing":
            event["type"] = "rally"
    import_plan(plan, update=True)
    db.session.commit()
    assert {event.key: event.id for event in world.campaign.events} == ids
    assert set(db.session.scalars(select(Match.id))) == matches
    assert db.session.get(Event, ids["briefing"]).type == "rally"
    assert_true(db, world.campaign)
    assert not any(t == "press_briefing" for (_, t, _, _) in
                   stored_cells(db.session, world.campaign.id))


def test_plan_import_recounts_no_other_campaign(db, make):
    """Importing a new plan, and re-importing it with update, recounts no other campaign: a
    cell planted in another campaign (a count no match backs) is still there after both commits
    (the import's bulk insert of events once marked every campaign to be recounted from
    scratch, inside its write)."""
    from campaign.planning.transfer import export_campaign, import_plan

    world = build_world(make, db)
    other = make.campaign(slug="other")
    planted = make.event(other)
    db.session.add(CoverageCell(campaign_id=other.id, event_id=planted.id, event_type="rally",
                                day=20060427, outlet_id=make.outlet().id, pieces=99))
    db.session.commit()
    plan = export_campaign(world.campaign)
    plan["slug"] = "pm-next"
    plan["events"] = [e for e in plan["events"] if e["key"] != "hotline"]  # planned for 2099
    import_plan(plan)
    db.session.commit()
    import_plan(plan, update=True)
    db.session.commit()
    assert [cell.pieces for cell in db.session.scalars(
        select(CoverageCell).where(CoverageCell.campaign_id == other.id))] == [99]


def test_rollback_leaves_cells_alone(db, make):
    """A transaction rolled back leaves no count of what it did; the next commit counts only
    what was committed."""
    world = build_world(make, db)
    before = stored_cells(db.session, world.campaign.id)
    match = db.session.scalars(select(Match).where(Match.status == "accepted")).first()
    match.status = "rejected"
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert stored_cells(db.session, world.campaign.id) == before
    assert_true(db, world.campaign)


def test_rebuild_recounts_wiped_cells(db, make):
    """`rebuild` recounts from scratch cells that were wiped."""
    world = build_world(make, db)
    expected = stored_cells(db.session, world.campaign.id)
    db.session.query(CoverageCell).delete()
    db.session.commit()
    assert stored_cells(db.session, world.campaign.id) == {}
    rebuild(db.session)
    db.session.commit()
    assert stored_cells(db.session, world.campaign.id) == expected
    assert count_rows(db.session) == len(expected)


def test_bulk_statement_on_matches_recounts_everything(db, make):
    """A Core statement that deletes matches without naming them makes the commit recount
    every campaign."""
    world = build_world(make, db)
    db.session.execute(delete(Match).where(Match.event_id == world.events["rally"].id))
    db.session.commit()
    assert_true(db, world.campaign)


def test_command_recounts(tmp_path, committed_app):
    """`campaign-tracker coverage-cells` recounts a database whose cells were wiped."""
    with committed_app(tmp_path) as app:
        with app.app_context():
            world = build_world(Factories(_db), _db)
            _db.session.execute(delete(CoverageCell))
            _db.session.commit()
            campaign_id = world.campaign.id
        result = app.test_cli_runner().invoke(args=["coverage-cells"])
        assert result.exit_code == 0, result.output
        with app.app_context():
            stored = stored_cells(_db.session, campaign_id)
            assert stored and stored == live_cells(_db.session, campaign_id)
            assert f"{len(stored)} coverage cells" in result.output


def test_concurrent_decisions_both_count(tmp_path, committed_app):
    """On PostgreSQL, two transactions that decide matches of the same campaign day and
    outlet at once both end up counted in the one cell: the second waits for the first's
    commit before it recounts."""
    with committed_app(tmp_path, "postgresql") as app, app.app_context():
        campaign_id, first, second = _two_suggestions()
        recounted = threading.Event()
        sessions = sessionmaker(_db.engine)
        keep_counted(sessions)

        def decide_first() -> None:
            with sessions() as session:
                session.get(Match, first).status = "accepted"
                refresh_pending(session)  # recounted, lock held until commit
                recounted.set()
                clock.sleep(0.5)
                session.commit()

        thread = threading.Thread(target=decide_first)
        thread.start()
        assert recounted.wait(30)
        with sessions() as session:
            session.get(Match, second).status = "accepted"
            session.commit()  # waits for the first, then counts both
        thread.join(30)
        with sessions() as session:
            stored = stored_cells(session, campaign_id)
            assert stored == live_cells(session, campaign_id)
            assert stored[(0, "", 20060427, _outlet_of(session, first))] == (2, 0, 0)


def _two_suggestions() -> tuple[int, int, int]:
    """A campaign with two suggested matches on one day, committed; their ids."""
    campaign = Campaign(name="并发", slug="both", starts_on=date(2006, 4, 25),
                        ends_on=date(2006, 5, 25))
    event = Event(campaign=campaign, key="rally", title="大会", type="rally",
                  starts_at=beijing(date(2006, 4, 27)), ends_at=beijing(date(2006, 4, 27),
                                                                         time(11)))
    outlet = Outlet(name="安徽日报", tier="provincial", kind="newspaper")
    articles = [Article(url=f"http://news.test/both/{i}", outlet=outlet,
                        published_at=beijing(date(2006, 4, 27)), day=20060427)
                for i in range(2)]
    _db.session.add_all([campaign, event, outlet, *articles])
    _db.session.flush()
    matches = [Match(event_id=event.id, article_id=a.id, status="suggested", day=a.day,
                     explanation={}) for a in articles]
    _db.session.add_all(matches)
    _db.session.commit()
    return campaign.id, matches[0].id, matches[1].id


def _outlet_of(session: Session, match_id: int) -> int:
    return session.scalar(select(Article.outlet_id).join(Match, Match.article_id == Article.id)
                          .where(Match.id == match_id))


def test_a_session_not_given_the_hooks_counts_nothing(tmp_path, committed_app):
    """The counting is explicit: a session made without `keep_counted` leaves the cells as
    they were when it accepts a match, one made with it recounts them (so nothing depends on a
    module having been imported for its side effects)."""
    with committed_app(tmp_path) as app, app.app_context():
        campaign_id, first, second = _two_suggestions()
        before = stored_cells(_db.session, campaign_id)
        plain = sessionmaker(_db.engine)
        with plain() as session:
            session.get(Match, first).status = "accepted"
            session.commit()
            assert stored_cells(session, campaign_id) == before
        counted = sessionmaker(_db.engine)
        keep_counted(counted)
        with counted() as session:
            session.get(Match, second).status = "accepted"
            session.commit()
            assert stored_cells(session, campaign_id) == live_cells(session, campaign_id)
            assert stored_cells(session, campaign_id) != before
