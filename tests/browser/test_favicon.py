"""The app's icon: every page of base.html links the app's own SVG icon, and the first pages,
the print page included, load with nothing answering 404."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from campaign.planning.demo import DEMO_SLUG

pytestmark = pytest.mark.browser


def test_icon_loads_and_nothing_answers_404(page: Page, log_in) -> None:
    """Logging in and opening the print page fetch the icon from /static and get no 404."""
    missing: list[str] = []
    icons: list[tuple[str, int]] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    page.on("response", lambda r: icons.append((r.url, r.status)) if "favicon" in r.url else None)
    log_in("admin")
    page.goto(f"/campaigns/{DEMO_SLUG}/exports/print")
    page.wait_for_load_state("networkidle")
    assert missing == []
    assert icons and all(url.endswith("/static/favicon.svg") and status == 200
                         for url, status in icons), icons
