"""In a real browser: cookies copied from a logged-in Chromium stop working after the user
presses 退出所有设备 on their own account page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser


def test_copied_cookies_are_refused_after_logout_everywhere(
        page: Page, browser: Browser, live_server: LiveServer) -> None:
    """A second browser holding copies of the session and remember cookies opens pages until
    the user logs out everywhere, then is sent to the login page; so is a third browser with
    the remember cookie alone."""
    page.goto("/login")
    page.fill("input[name=username]", "officer")
    page.fill("input[name=password]", "officer-demo-2006")
    page.check("input[name=remember]")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    cookies = page.context.cookies()
    names = {c["name"] for c in cookies}
    assert {"session", "remember_token"} <= names
    both = browser.new_context(base_url=live_server.url)
    both.add_cookies(cookies)
    remember_only = browser.new_context(base_url=live_server.url)
    remember_only.add_cookies([c for c in cookies if c["name"] == "remember_token"])
    try:
        thief = both.new_page()
        thief.goto("/campaigns")
        assert "/login" not in thief.url

        page.goto("/account")
        page.once("dialog", lambda dialog: dialog.accept())
        with page.expect_navigation():
            page.click("form[action='/account/logout-everywhere'] button")
        assert "/login" in page.url

        thief.goto("/campaigns")
        assert "/login" in thief.url
        second = remember_only.new_page()
        second.goto("/campaigns")
        assert "/login" in second.url
    finally:
        both.close()
        remember_only.close()
