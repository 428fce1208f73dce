"""A column planned as a period, typed in the event form in a real browser (headless Chromium)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

CALENDAR = "/campaigns/propaganda-month-2006"
DAYS = ["2006-05-16", "2006-05-19", "2006-05-23"]


def fill_column(page: Page, title: str) -> None:
    page.goto(f"{CALENDAR}/events/new")
    page.fill("input[name=title]", title)
    page.select_option("select[name=type]", "editorial_slot")
    page.check("input[name=all_day]")
    page.fill("input[name=start_date]", "2006-05-16")
    page.fill("input[name=end_date]", "2006-05-23")
    page.select_option("select[name=slot_outlet]", label="安徽工人日报")
    page.select_option("select[name=slot_genre]", "column")
    page.fill("input[name=slot_page]", "一版")
    page.fill("textarea[name=slot_dates]", "5-16")
    page.fill("input[name=slot_ends_on]", "2006-05-23")


def test_officer_plans_a_column_with_a_rhythm(log_in) -> None:
    """Start date, 到 and two weekday boxes make a column shown on the event page in words and
    on the calendar on each of its days."""
    page = log_in("officer")
    fill_column(page, "一线职工风采专栏")
    page.get_by_label("周二").check()
    page.get_by_label("周五").check()
    with page.expect_navigation() as navigation:
        page.click("#event-form button[type=submit]")
    response = navigation.value
    assert response is not None and response.ok, page.locator("main").inner_text()
    plan = page.locator(".slot-plan").inner_text()
    assert "2006-05-16 至 2006-05-23" in plan and "每周二、周五" in plan and "共 3 期" in plan
    key = page.url.rstrip("/").rsplit("/", 1)[-1]
    page.goto(CALENDAR)
    bars = page.locator(f'a.cal-bar[data-event="{key}"]')
    assert [bars.nth(i).get_attribute("data-first") for i in range(bars.count())] == DAYS


def test_weekdays_without_a_day_in_the_period_are_refused(log_in) -> None:
    """A Sunday rhythm over Tuesday to Tuesday is refused on 每周刊出, in Chinese, boxes kept."""
    page = log_in("officer")
    fill_column(page, "没有刊出日的专栏")
    page.fill("input[name=slot_ends_on]", "2006-05-17")
    page.get_by_label("周日").check()
    with page.expect_navigation() as navigation:
        page.click("#event-form button[type=submit]")
    response = navigation.value
    assert response is not None and response.status == 422
    assert "没有日期" in page.locator("#field-slot_weekdays .error").inner_text()
    assert page.get_by_label("周日").is_checked()
