"""In a real browser: cookies copied from a logged-in Chromium stop working after the user
presses 退出所有设备 on their own account page, and after an administrator resets the user's
password, changes their role or deactivates them on the user form (issue 16's Done-when)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from campaign.auth.operations import create_user
from campaign.extensions import db
from tests.browser.conftest import LiveServer

PASSWORD = "victim-password-1"
_victims = itertools.count(1)

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


def _victim(live_server: LiveServer) -> tuple[int, str]:
    """A user of this test's own (an officer), so the demo users stay as other tests expect."""
    username = f"victim{next(_victims)}"
    with live_server.app.app_context():
        user = create_user(username=username, password=PASSWORD, role="officer")
        db.session.commit()
        return user.id, username


def _signed_in(browser: Browser, live_server: LiveServer, username: str
               ) -> tuple[BrowserContext, list[Any]]:
    """A browser of the victim's, logged in with 记住我, and its cookies."""
    context = browser.new_context(base_url=live_server.url)
    victim = context.new_page()
    victim.goto("/login")
    victim.fill("input[name=username]", username)
    victim.fill("input[name=password]", PASSWORD)
    victim.check("input[name=remember]")
    with victim.expect_navigation():
        victim.click("main form button[type=submit]")
    assert "/login" not in victim.url
    return context, context.cookies()


def _copy(browser: Browser, live_server: LiveServer, cookies: list[Any]) -> BrowserContext:
    context = browser.new_context(base_url=live_server.url)
    context.add_cookies(cookies)
    return context


def _opens(context: BrowserContext) -> bool:
    """Whether the context's cookies open a page (it is not sent to the login page)."""
    page = context.new_page()
    try:
        page.goto("/campaigns")
        return "/login" not in page.url
    finally:
        page.close()


@pytest.mark.parametrize("change", ["password reset", "role change", "deactivation"])
def test_copied_cookies_are_refused_after_an_administrators_change(
        log_in: Any, browser: Browser, live_server: LiveServer, change: str) -> None:
    """Copies of a user's session and remember cookies, and of the remember cookie alone,
    open pages until an administrator saves the user form with a new password, another role
    or the account switched off; then each is sent to the login page."""
    user_id, username = _victim(live_server)
    victim, cookies = _signed_in(browser, live_server, username)
    both = _copy(browser, live_server, cookies)
    remember_only = _copy(browser, live_server,
                          [c for c in cookies if c["name"] == "remember_token"])
    try:
        assert _opens(both)
        admin = log_in("admin")
        admin.goto(f"/users/{user_id}/edit")
        if change == "password reset":
            admin.fill("input[name=password]", "reset-password-2")
        elif change == "role change":
            admin.select_option("select[name=role]", "leader")
        else:
            admin.uncheck("input[name=active]")
        with admin.expect_navigation():
            admin.click("main form button[type=submit]")
        assert admin.url.endswith("/users"), admin.locator("main").inner_text()
        assert not _opens(both)
        assert not _opens(remember_only)
        assert not _opens(victim)
    finally:
        for context in (victim, both, remember_only):
            context.close()
