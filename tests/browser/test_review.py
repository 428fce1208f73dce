"""The review queue with the keyboard in a real browser: j/k move, a accepts, r rejects, m moves
to another event, x ticks and Shift+A accepts the ticked rows — rows leave the queue in place
and the database holds the decisions."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from campaign.articles.models import Article
from campaign.coverage.models import Match
from campaign.extensions import db
from campaign.planning.models import Campaign, Event, Outlet

pytestmark = pytest.mark.browser

SLUG = "propaganda-month-2006"
QUEUE = f"/campaigns/{SLUG}/review"
BEIJING = ZoneInfo("Asia/Shanghai")
_numbers = itertools.count(1)


def add_suggestions(app: Flask, plan: list[tuple[str, str, date]]) -> list[int]:
    """Suggested matches (event key, title, day) in the live server's database; their ids."""
    ids = []
    with app.app_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == SLUG))
        outlet = db.session.scalar(select(Outlet).where(Outlet.name == "安徽日报"))
        events = {e.key: e for e in db.session.scalars(
            select(Event).where(Event.campaign_id == campaign.id))}
        for key, title, day in plan:
            n = next(_numbers)
            article = Article(outlet=outlet, url=f"http://review.test/{n}.htm", title=title,
                              published_at=datetime.combine(day, time(8, 0), tzinfo=BEIJING),
                              day=day.year * 10000 + day.month * 100 + day.day)
            db.session.add(article)
            db.session.flush()
            match = Match(event_id=events[key].id, article_id=article.id, status="suggested",
                          score=0.3, day=article.day,
                          explanation={"body_terms": [title[:2]], "day_offset": 0})
            db.session.add(match)
            db.session.flush()
            ids.append(match.id)
        db.session.commit()
    return ids


def statuses(app: Flask, ids: list[int]) -> list[tuple[str, str]]:
    """(event key, status) of each match, and of the match an article was moved to."""
    with app.app_context():
        out = []
        for match_id in ids:
            match = db.session.get(Match, match_id)
            out.append((match.event.key, match.status))
        db.session.remove()
    return out


def rows(page: Page):
    return page.locator("#review-queue tbody tr.review-row")


def test_review_queue_with_the_keyboard(log_in, live_app, screenshots) -> None:
    """An officer decides the whole queue with keys; rows disappear and decisions are stored."""
    with live_app.app_context():
        db.session.execute(db.update(Match).where(Match.status == "suggested")
                           .values(status="rejected"))
        db.session.commit()
    ids = add_suggestions(live_app, [
        ("press-briefing", "宣传月新闻通气会召开", date(2006, 4, 25)),
        ("rally", "动员大会侧记一", date(2006, 4, 27)),
        ("rally", "动员大会侧记二", date(2006, 4, 28)),
        ("rally", "动员大会侧记三", date(2006, 4, 29)),
        ("rally", "动员大会侧记四", date(2006, 4, 30)),
    ])
    page = log_in("officer")
    page.goto(QUEUE)
    expect(rows(page)).to_have_count(5)
    expect(page.locator("#review-remaining")).to_have_text("5")

    page.keyboard.press("j")  # focus the first row
    expect(rows(page).nth(0)).to_have_class("review-row focused")
    page.keyboard.press("a")  # accept 通气会
    expect(rows(page)).to_have_count(4)
    expect(page.locator("#review-remaining")).to_have_text("4")
    expect(page.locator("#review-status")).to_contain_text("宣传月新闻通气会召开")

    page.keyboard.press("j")  # second row now: 侧记二
    page.keyboard.press("r")
    expect(rows(page)).to_have_count(3)
    expect(rows(page).filter(has_text="侧记二")).to_have_count(0)

    page.keyboard.press("k")  # 侧记一
    page.keyboard.press("m")
    select_box = rows(page).nth(0).locator("select.move-select")
    expect(select_box).to_be_focused()
    select_box.select_option("press-briefing")
    select_box.press("Enter")
    expect(rows(page)).to_have_count(2)

    page.keyboard.press("j")  # the focus left the select with its row: back to the list
    page.keyboard.press("x")
    page.keyboard.press("k")
    page.keyboard.press("x")
    expect(rows(page).locator("input.js-select:checked")).to_have_count(2)
    page.keyboard.press("Shift+A")
    expect(rows(page)).to_have_count(0)
    expect(page.locator("#review-empty")).to_be_visible()
    expect(page.locator("#review-remaining")).to_have_text("0")
    page.screenshot(path=str(screenshots / "review-queue-done.png"), full_page=True)

    assert statuses(live_app, ids) == [
        ("press-briefing", "accepted"), ("rally", "rejected"), ("rally", "rejected"),
        ("rally", "accepted"), ("rally", "accepted")]
    with live_app.app_context():
        moved = db.session.scalar(select(Match).join(Match.event).where(
            Event.key == "press-briefing",
            Match.article_id == db.session.get(Match, ids[1]).article_id))
        assert moved.status == "accepted"
        db.session.remove()

    page.goto(f"/campaigns/{SLUG}/events/rally/coverage")
    accepted = page.locator('table.matches[data-status="accepted"]')
    expect(accepted).to_contain_text("动员大会侧记三")
    expect(page.locator('table.matches[data-status="rejected"]')).to_contain_text("动员大会侧记二")


def test_help_opens_with_question_mark(log_in, live_app) -> None:
    """? shows the shortcut help and Escape hides it."""
    add_suggestions(live_app, [("rally", "动员大会花絮", date(2006, 4, 27))])
    page = log_in("officer")
    page.goto(QUEUE)
    help_box = page.locator("#review-help")
    expect(help_box).to_be_hidden()
    page.keyboard.press("?")
    expect(help_box).to_be_visible()
    page.keyboard.press("Escape")
    expect(help_box).to_be_hidden()


def test_bulk_buttons_with_nothing_ticked_say_so(log_in, live_app) -> None:
    """接受所选 and 拒绝所选 with no row ticked post nothing and say to tick rows first."""
    add_suggestions(live_app, [("rally", "动员大会现场", date(2006, 4, 27))])
    page = log_in("officer")
    page.goto(QUEUE)
    count = rows(page).count()
    posts: list[str] = []
    page.on("request", lambda req: posts.append(req.url) if req.method == "POST" else None)
    for name in ("接受所选", "拒绝所选"):
        page.locator("#bulk-form").get_by_role("button", name=name).click()
        expect(page.locator("#review-status")).to_have_text("请先勾选要处理的匹配。")
        expect(page.locator("#review-status")).to_have_class("review-status error")
    assert rows(page).count() == count and posts == []


def clear_queue(app: Flask) -> None:
    """Earlier tests' suggestions out of the queue (the live server's database is shared)."""
    with app.app_context():
        db.session.execute(db.update(Match).where(Match.status == "suggested")
                           .values(status="rejected"))
        db.session.commit()
        db.session.remove()


def test_select_all_then_undo(log_in, live_app) -> None:
    """The header box ticks every row; rejecting them all and pressing 撤销上一次操作 puts every
    row back in the queue and in the database as suggested; u undoes a single accept."""
    clear_queue(live_app)
    ids = add_suggestions(live_app, [
        ("rally", "动员大会全选一", date(2006, 4, 27)),
        ("rally", "动员大会全选二", date(2006, 4, 28)),
        ("rally", "动员大会全选三", date(2006, 4, 29)),
    ])
    page = log_in("officer")
    page.goto(QUEUE)
    expect(page.locator("#undo-form")).to_be_hidden()
    page.locator("#select-all").check()
    expect(rows(page).locator("input.js-select:checked")).to_have_count(3)
    page.locator("#bulk-form").get_by_role("button", name="拒绝所选").click()
    expect(rows(page)).to_have_count(0)
    assert statuses(live_app, ids) == [("rally", "rejected")] * 3

    page.get_by_role("button", name="撤销上一次操作").click()
    expect(rows(page)).to_have_count(3)
    expect(page.locator("#review-remaining")).to_have_text("3")
    assert statuses(live_app, ids) == [("rally", "suggested")] * 3

    page.keyboard.press("j")
    page.keyboard.press("a")
    expect(rows(page)).to_have_count(2)
    assert statuses(live_app, ids)[0] == ("rally", "accepted")
    page.keyboard.press("u")
    expect(rows(page)).to_have_count(3)
    assert statuses(live_app, ids)[0] == ("rally", "suggested")


def test_shift_x_ticks_and_unticks_every_row(log_in, live_app) -> None:
    """Shift+X ticks every row, and again unticks them."""
    clear_queue(live_app)
    add_suggestions(live_app, [("rally", "动员大会键盘一", date(2006, 4, 27)),
                               ("rally", "动员大会键盘二", date(2006, 4, 28))])
    page = log_in("officer")
    page.goto(QUEUE)
    page.keyboard.press("Shift+X")
    expect(rows(page).locator("input.js-select:checked")).to_have_count(2)
    page.keyboard.press("Shift+X")
    expect(rows(page).locator("input.js-select:checked")).to_have_count(0)


def test_select_all_ticks_only_the_page(log_in, live_app) -> None:
    """On a queue of 23 shown 20 a page, the header box ticks the page's 20 rows and 接受所选
    accepts those 20 only; the other 3 stay suggested and the emptied page fills with them."""
    clear_queue(live_app)
    ids = add_suggestions(live_app, [("rally", f"动员大会分页{n}", date(2006, 4, 1 + n))
                                     for n in range(23)])
    page = log_in("officer")
    page.goto(f"{QUEUE}?size=20")
    expect(rows(page)).to_have_count(20)
    page.locator("#select-all").check()
    expect(rows(page).locator("input.js-select:checked")).to_have_count(20)
    page.locator("#bulk-form").get_by_role("button", name="接受所选").click()
    expect(rows(page)).to_have_count(3)
    expect(page.locator("#review-remaining")).to_have_text("3")
    assert statuses(live_app, ids) == [("rally", "accepted")] * 20 + [("rally", "suggested")] * 3
    expect(page.locator("#review-pager")).to_have_count(0)


def test_story_block_is_accepted_at_once(log_in, live_app) -> None:
    """Two suggestions that follow one accepted report stand as one block under a heading; its
    整组接受 accepts both in the database and the block leaves the queue."""
    report, first, second = add_suggestions(live_app, [
        ("rally", "全省职工五一动员大会召开", date(2006, 4, 27)),
        ("rally", "三千职工齐聚 建功十一五", date(2006, 4, 28)),
        ("rally", "动员大会现场直击", date(2006, 4, 28))])
    with live_app.app_context():
        seed = db.session.get(Match, report)
        seed.status = "accepted"
        for match_id in (first, second):
            db.session.get(Match, match_id).explanation = {"story_of": seed.article_id,
                                                           "day_offset": 1}
        db.session.commit()
        db.session.remove()
    page = log_in("officer")
    page.goto(f"{QUEUE}?event=rally")
    heads = page.locator("tr.story-block-head", has_text="全省职工五一动员大会召开")
    head = heads.first
    expect(head).to_be_visible()
    with page.expect_navigation():
        head.get_by_role("button", name="整组接受").click()
    assert statuses(live_app, [first, second]) == [("rally", "accepted"), ("rally", "accepted")]
    expect(heads).to_have_count(0)
