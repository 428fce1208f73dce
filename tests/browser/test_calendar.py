"""The campaign calendar and the event form in a real browser (headless Chromium).

Every test also proves, through the `page` fixture, that the page loads nothing from outside
127.0.0.1 and raises no script error.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page

from tests.browser.layout import WIDTHS, clipped

pytestmark = pytest.mark.browser

SLUG = "propaganda-month-2006"
CALENDAR = f"/campaigns/{SLUG}"
WEEKDAYS = "一二三四五六日"

# Demo events that show on one day: key -> that day.
ONE_DAY = {
    "notice": "2006-04-06",
    "send-off": "2006-04-24",
    "press-briefing": "2006-04-25",
    "rally": "2006-04-27",
    "editorial-ahrb": "2006-04-30",
    "commentary-ahgrb": "2006-04-30",
    "feature-laomo": "2006-05-02",
    "feature-fengxian": "2006-05-03",
    "feature-mingong": "2006-05-04",
    "hotline-broadcast": "2006-05-13",
}
COLUMN = "column-model-workers"
COLUMN_DAYS = ["2006-04-21", "2006-04-24", "2006-04-26", "2006-04-28", "2006-05-08", "2006-05-10"]


def bar(page: Page, key: str) -> Locator:
    return page.locator(f'a.cal-bar[data-event="{key}"]')


def cell(page: Page, day: str) -> Locator:
    return page.locator(f'.cal-date[data-date="{day}"]')


def assert_drawn_on(page: Page, bar_: Locator, day: str) -> None:
    """The bar is drawn in the column of `day`'s weekday, in the row of `day`'s week, below
    the day number: what the eye sees, not only what the data attributes say."""
    box, day_box = bar_.bounding_box(), cell(page, day).bounding_box()
    weekday = date.fromisoformat(day).weekday()
    head = page.locator(".cal-weekday").nth(weekday)
    head_box = head.bounding_box()
    week_box = page.locator(".cal-week", has=cell(page, day)).bounding_box()
    assert box and day_box and head_box and week_box, f"{day}: not rendered"
    assert WEEKDAYS[weekday] in head.inner_text()
    # The day cell sits under its weekday's heading ...
    assert abs(day_box["x"] - head_box["x"]) <= 2, (day, day_box, head_box)
    assert abs(day_box["width"] - head_box["width"]) <= 2, (day, day_box, head_box)
    # ... and the bar inside that column (it has a few pixels of margin each side).
    assert day_box["x"] - 1 <= box["x"] <= day_box["x"] + 8, (day, box, day_box)
    right, day_right = box["x"] + box["width"], day_box["x"] + day_box["width"]
    assert day_right - 8 <= right <= day_right + 1, (day, box, day_box)
    # ... in that week's row, under the date.
    assert box["y"] >= day_box["y"] + day_box["height"] - 1, (day, box, day_box)
    assert box["y"] + box["height"] <= week_box["y"] + week_box["height"] + 1, (day, box, week_box)


def test_officer_sees_demo_events_on_their_days(log_in) -> None:
    """An officer logged in through the form sees each demo event drawn on its day's column."""
    page = log_in("officer")
    page.goto(CALENDAR)
    assert page.locator("h1").inner_text() == "2006年工人阶级和工会工作宣传月"
    # Chinese although the browser asks for English.
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator(".cal-weekday").first.inner_text() == "周一"

    for key, day in ONE_DAY.items():
        bars = bar(page, key)
        assert bars.count() == 1, key
        assert bars.get_attribute("data-first") == day, key
        assert bars.get_attribute("data-last") == day, key
        assert_drawn_on(page, bars, day)

    assert "08:30" in bar(page, "send-off").inner_text()
    assert "09:00" in bar(page, "rally").inner_text()
    assert "15:00" in bar(page, "press-briefing").inner_text()

    column = bar(page, COLUMN)
    assert [column.nth(i).get_attribute("data-first") for i in range(column.count())] == COLUMN_DAYS
    for i, day in enumerate(COLUMN_DAYS):
        assert column.nth(i).get_attribute("data-last") == day
        assert_drawn_on(page, column.nth(i), day)

    # Two events on the same day are stacked, not drawn over each other.
    editorial = bar(page, "editorial-ahrb").bounding_box()
    commentary = bar(page, "commentary-ahgrb").bounding_box()
    assert editorial and commentary
    assert (editorial["y"] + editorial["height"] <= commentary["y"]
            or commentary["y"] + commentary["height"] <= editorial["y"])

    # A bar leads to its event's page.
    bar(page, "rally").click()
    page.wait_for_url(f"**{CALENDAR}/events/rally")
    assert "动员大会" in page.locator("h1").inner_text()


def has_chinese_font() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return True  # cannot tell; take the screenshots anyway
    found = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True,
                           check=False)
    return bool(found.stdout.strip())


def no_sideways_scroll(page: Page) -> bool:
    return bool(page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"))


def test_calendar_screenshots(log_in, screenshots: Path) -> None:
    """The calendar renders on a desktop and a 390-px phone; screenshots go to test-output/."""
    if not has_chinese_font():
        pytest.skip("no Chinese font: the screenshots would show boxes for every character "
                    "(apt-get install -y fonts-noto-cjk)")
    page = log_in("officer")
    page.goto(CALENDAR)
    page.locator("#calendar").wait_for()
    page.screenshot(path=str(screenshots / "calendar.png"), full_page=True)
    assert (screenshots / "calendar.png").stat().st_size > 10_000
    assert no_sideways_scroll(page)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(CALENDAR)
    page.screenshot(path=str(screenshots / "calendar-phone.png"), full_page=True)
    assert (screenshots / "calendar-phone.png").stat().st_size > 10_000
    assert no_sideways_scroll(page), "the page scrolls sideways on a phone"
    # On the phone the calendar still has seven columns and the rally is still on Thursday.
    assert_drawn_on(page, bar(page, "rally"), "2006-04-27")


def test_officer_creates_event_through_the_form(log_in) -> None:
    """An event created through the form (with CSRF on) shows on its page and on its day."""
    page = log_in("officer")
    page.goto(CALENDAR)
    page.get_by_role("link", name="新建活动").click()
    page.wait_for_url(f"**{CALENDAR}/events/new")

    title = "全省职工书法摄影作品展开幕式"
    page.fill("input[name=title]", title)
    page.select_option("select[name=type]", "other")
    page.select_option("select[name=status]", "confirmed")
    page.fill("input[name=start_date]", "2006-05-18")
    page.fill("input[name=start_time]", "14:30")
    page.fill("input[name=end_date]", "2006-05-18")
    page.fill("input[name=end_time]", "16:00")
    page.fill("input[name=venue]", "省工人文化宫")
    with page.expect_navigation() as navigation:
        page.click("#event-form button[type=submit]")
    response = navigation.value
    assert response is not None and response.ok, page.locator("main").inner_text()
    assert f"{CALENDAR}/events/" in page.url and not page.url.endswith("/new")
    assert page.locator("h1").inner_text() == title
    assert "已保存" in page.locator(".flash").inner_text()
    when = page.locator("#event-when").inner_text()
    assert "2006-05-18" in when and "14:30" in when and "16:00" in when, when
    key = page.url.rstrip("/").rsplit("/", 1)[-1]

    page.locator(".crumbs a").click()
    page.wait_for_url(f"**{CALENDAR}")
    new_bar = bar(page, key)
    assert new_bar.count() == 1
    assert new_bar.get_attribute("data-first") == "2006-05-18"
    assert title in new_bar.inner_text() and "14:30" in new_bar.inner_text()
    assert_drawn_on(page, new_bar, "2006-05-18")


def test_end_before_start_is_an_error_on_end_date(log_in) -> None:
    """An end before the start is refused with a Chinese error on 结束日期, values kept."""
    page = log_in("officer")
    page.goto(f"{CALENDAR}/events/new")
    title = "时间填反的活动"
    page.fill("input[name=title]", title)
    page.select_option("select[name=type]", "press_briefing")
    page.fill("input[name=start_date]", "2006-05-20")
    page.fill("input[name=start_time]", "10:00")
    page.fill("input[name=end_date]", "2006-05-19")
    page.fill("input[name=end_time]", "09:00")
    with page.expect_navigation() as navigation:
        page.click("#event-form button[type=submit]")
    response = navigation.value
    assert response is not None and response.status == 422
    assert page.url.endswith(f"{CALENDAR}/events/new")

    error = page.locator("#field-end_date .error[role=alert]")
    assert error.count() == 1
    assert "结束时间早于开始时间" in error.inner_text()
    assert page.locator("#field-start_date .error").count() == 0
    assert "请更正" in page.locator("#event-form > p.error").inner_text()
    # What the officer typed is still there.
    assert page.input_value("input[name=title]") == title
    assert page.input_value("select[name=type]") == "press_briefing"
    assert page.input_value("input[name=start_date]") == "2006-05-20"
    assert page.input_value("input[name=start_time]") == "10:00"
    assert page.input_value("input[name=end_date]") == "2006-05-19"
    assert page.input_value("input[name=end_time]") == "09:00"

    page.goto(CALENDAR)
    assert page.locator(f'a.cal-bar[title="{title}"]').count() == 0


def test_leader_cannot_create_events(log_in) -> None:
    """A leader sees no 新建活动 button or per-day + links, and the form URL gives a 403 page."""
    page = log_in("leader")
    page.goto(CALENDAR)
    assert bar(page, "rally").count() == 1  # the leader does see the calendar
    assert page.get_by_role("link", name="新建活动").count() == 0
    assert page.locator(".cal-date a.add").count() == 0

    response = page.goto(f"{CALENDAR}/events/new")
    assert response is not None and response.status == 403
    assert "403" in page.locator("h1").inner_text()
    assert "没有权限" in page.locator("h1").inner_text()
    assert page.locator("#event-form").count() == 0


def test_officer_drags_an_event_to_another_day_and_moves_it_back_by_keyboard(log_in) -> None:
    """Dragging the hotline's bar to 16 May moves it there (same time of day); the 改期 page,
    reached and submitted with the keyboard, moves it back to 13 May."""
    page = log_in("officer")
    page.goto(CALENDAR + "?month=2006-05")
    hotline = bar(page, "hotline-broadcast")
    time_before = hotline.locator(".t").inner_text()
    with page.expect_navigation():
        hotline.drag_to(cell(page, "2006-05-16"))
    assert page.url.endswith(f"{CALENDAR}?month=2006-05")
    moved = bar(page, "hotline-broadcast")
    assert moved.get_attribute("data-first") == "2006-05-16"
    assert moved.locator(".t").inner_text() == time_before
    assert_drawn_on(page, moved, "2006-05-16")

    page.goto(f"{CALENDAR}/events/hotline-broadcast")
    page.locator("#move-link").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.locator("#move-date").focus()
    page.locator("#move-date").fill("2006-05-13")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    back = bar(page, "hotline-broadcast")
    assert back.get_attribute("data-first") == "2006-05-13"
    assert back.locator(".t").inner_text() == time_before


def test_leader_gets_no_draggable_bars(log_in) -> None:
    """A leader's calendar has no draggable bars and no move form."""
    page = log_in("leader")
    page.goto(CALENDAR)
    assert page.locator("a.cal-bar[draggable=true]").count() == 0
    assert page.locator("#move-form").count() == 0


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_calendar_chips_show_their_whole_title(log_in, screenshots: Path, width: str) -> None:
    """At 1366 px and 390 px no chip of the month clips its title (it wraps within its days
    instead of ending in "…" after six characters, or two on a phone), and each chip still
    sits on its day."""
    page = log_in("officer")
    page.set_viewport_size(WIDTHS[width])
    page.goto(f"{CALENDAR}?month=2006-04")
    page.locator("#calendar").wait_for()
    page.screenshot(path=str(screenshots / f"calendar-chips-{width}.png"), full_page=True)
    chips = page.locator("a.cal-bar").all()
    assert len(chips) >= 8
    cut = [chip.inner_text() for chip in chips if clipped(chip)]
    assert cut == [], f"chips cut off: {cut}"
    assert_drawn_on(page, bar(page, "rally"), "2006-04-27")
    assert no_sideways_scroll(page)


def test_leader_makes_a_personal_feed_link_a_calendar_app_reads(log_in) -> None:
    """From the campaign's calendar page a leader makes their own feed link; the page shows it
    as https and webcal://, and the link answers the campaign's events as iCalendar to a client
    with no session (a calendar app), not the login page."""
    import urllib.request

    from icalendar import Calendar

    page = log_in("leader")
    page.goto(CALENDAR)
    page.locator("#calendar-feed-form button").click()
    url = page.locator("#feed-url").input_value()
    webcal = page.locator("#webcal-link").get_attribute("href")
    assert webcal == "webcal://" + url.split("://", 1)[1]
    with urllib.request.urlopen(url) as answer:
        assert answer.headers.get_content_type() == "text/calendar"
        calendar = Calendar.from_ical(answer.read())
    summaries = {str(event["summary"]) for event in calendar.walk("VEVENT")}
    assert any("动员大会" in summary for summary in summaries), summaries
