"""The sources page in a real browser: a failing source's error in words, and "fetch now".

The `page` fixture also proves that the page loads nothing from outside 127.0.0.1 and raises
no script error (the page has no inline script; the bars are plain elements).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from campaign.core.times import utcnow
from campaign.extensions import db
from campaign.planning.outlets import find_outlet
from campaign.sources.models import Source

pytestmark = pytest.mark.browser

FAILING_URL = "http://127.0.0.1:9/wjwb/list_1.html"


@pytest.fixture
def failing_source(live_app: Flask) -> int:
    """A list-page source of 新安晚报 whose last three fetches got HTTP 503 (idempotent)."""
    with live_app.app_context():
        source = db.session.scalar(db.select(Source).where(Source.url == FAILING_URL))
        if source is None:
            source = Source(outlet=find_outlet("新安晚报"), type="html", url=FAILING_URL,
                            name="要闻列表", selectors={"link_selector": "ul.list a"})
            db.session.add(source)
        source.consecutive_failures = 3
        source.last_error_kind = "http_error"
        source.last_error_message = "server answered HTTP 503"
        source.last_success_at = utcnow() - timedelta(days=2)
        source.next_fetch_at = utcnow() + timedelta(minutes=40)
        source.fetch_requested_at = None
        db.session.commit()
        return source.id


def test_admin_sees_failure_in_words_and_queues_a_fetch(log_in, failing_source: int,
                                                        screenshots) -> None:
    """As admin: the failing source shows its error as a sentence with the HTTP status; pressing
    立即抓取 flashes 已加入抓取队列 and the row then shows 等待抓取."""
    page: Page = log_in("admin")
    page.goto("/sources")
    row = page.locator(f"#source-{failing_source}")
    expect(row.locator(".health")).to_have_text("抓取失败")
    expect(row.locator(".health-error")).to_contain_text("HTTP 503")
    expect(row.locator(".health-error")).to_contain_text("网站返回错误")
    expect(row.locator(".daybar")).to_have_count(14)
    with page.expect_navigation():
        row.get_by_role("button", name="立即抓取").click()
    expect(page.locator(".flash-success")).to_have_text("已加入抓取队列")
    row = page.locator(f"#source-{failing_source}")
    expect(row.locator(".fetch-state")).to_have_text("等待抓取")
    page.screenshot(path=str(screenshots / "sources-fetch-now.png"), full_page=True)
