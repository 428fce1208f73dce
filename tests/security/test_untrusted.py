"""Scraped content is shown as text on every page and in every download: hostile titles,
bodies, authors, outlet names and URLs (tests/security/hostile.py) never become markup, script,
a javascript: link or a spreadsheet formula. The browser test (tests/browser/test_untrusted.py)
checks the same pages with the script engine on."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import date

import pytest
from bs4 import BeautifulSoup
from docx import Document
from openpyxl import load_workbook

from tests.factories import beijing
from tests.security.hostile import (
    BODY,
    OUTLET,
    REPRINT_TITLE,
    SCRIPT,
    SUGGESTED_TITLE,
    TITLE,
    add_hostile_coverage,
)

SLUG = "hostile-month"
# The tags the app's own hover templates use; anything else with < came from data.
APP_TAGS = re.compile(r"</?(extra|br|b)>")


@pytest.fixture
def hostile(make, login):
    """A campaign with a rally and a briefing carrying the hostile coverage; a leader (who
    sees every read page) logged in."""
    campaign = make.campaign(slug=SLUG)
    rally = make.event(campaign, key="rally", starts_at=beijing(date(2006, 4, 27)))
    briefing = make.event(campaign, key="briefing", type="press_briefing",
                          starts_at=beijing(date(2006, 4, 25)))
    ids = add_hostile_coverage(rally, briefing, make.outlet())
    make.db.session.commit()
    login("officer")
    return ids


def pages(ids) -> list[str]:
    base = f"/campaigns/{SLUG}"
    return [
        "/articles", "/articles?q=动员大会", f"/articles/{ids.original_id}",
        f"/articles/{ids.reprint_id}", f"/articles/{ids.suggested_id}",
        f"{base}/events/rally/coverage", f"{base}/events/briefing/coverage", f"{base}/review",
        f"{base}/dashboard", f"{base}/events/rally/dashboard", f"{base}/dashboard/pieces",
        f"{base}/exports", f"{base}/exports?status=all", f"{base}/exports/print",
        f"{base}/exports/print?status=all", f"{base}/summary", base,
    ]


def assert_inert(html: str, where: str) -> BeautifulSoup:
    """The page holds no script but the app's own files and JSON data, no on…= attribute,
    no javascript: link and no element a payload would have made."""
    page = BeautifulSoup(html, "html.parser")
    for script in page.find_all("script"):
        assert script.get("src") or script.get("type") == "application/json", (where, script)
    for element in page.find_all(True):
        handlers = [name for name in element.attrs if name.lower().startswith("on")]
        assert not handlers, (where, element.name, handlers)
        for name in ("href", "src", "action", "formaction"):
            value = str(element.get(name, "")).strip().lower()
            assert not value.startswith(("javascript:", "data:")), (where, element)
    assert not page.find_all(["svg", "iframe", "object", "embed"]), where
    assert not page.find_all("img", src="x"), where
    assert len(page.find_all("title")) == 1, where
    assert page.title.get_text().endswith(("宣传活动追踪", "剪报目录")), where  # not cut short
    return page


def test_every_page_shows_hostile_content_as_text(client, hostile):
    """Every page that shows scraped articles renders the payloads as text, never as markup."""
    for url in pages(hostile):
        response = client.get(url)
        assert response.status_code == 200, url
        page = assert_inert(response.get_data(as_text=True), url)
        text = page.get_text()
        if "/summary" not in url and url != f"/campaigns/{SLUG}":
            assert "window.__pwned" in text or "window.__pwned" in str(
                page.find("script", type="application/json")), f"{url} shows no payload"


def test_article_page_shows_every_field_as_text(client, hostile):
    """The article page shows title, body, author and credit as text and the javascript: URL
    unlinked; its <title> holds the escaped title."""
    page = assert_inert(client.get(f"/articles/{hostile.original_id}").get_data(as_text=True),
                        "article")
    assert TITLE in page.title.get_text()
    main = page.find("main").get_text()
    for part in BODY.split("\n\n"):
        assert part in main
    assert "javascript:window.__pwned=5" in main
    assert not page.find("a", string=lambda s: s and "javascript:" in s)


def test_dashboard_chart_texts_are_escaped(client, hostile):
    """Every string the dashboards hand to plotly is HTML-escaped: plotly renders <a href>,
    <b> and a few other tags in hover text and labels."""
    for url in (f"/campaigns/{SLUG}/dashboard", f"/campaigns/{SLUG}/events/rally/dashboard"):
        page = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
        block = page.find("script", id="dashboard-charts")
        assert "<" not in block.string, "tojson leaves no raw < in the page"
        strings = list(_strings(json.loads(block.string)))
        assert any("&lt;script&gt;" in s or "&lt;img" in s for s in strings), url
        offenders = [s for s in strings if "<" in APP_TAGS.sub("", s)]
        assert offenders == [], url


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_csv_keeps_payloads_as_data_and_formulas_quoted(client, hostile):
    """The CSV holds the titles verbatim as text, and the title that starts with = is
    prefixed with an apostrophe so Excel and WPS do not run it."""
    response = client.get(f"/campaigns/{SLUG}/exports/clippings.csv?status=all")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    cells = [cell for row in rows for cell in row]
    assert TITLE in cells and REPRINT_TITLE in cells
    assert "'" + SUGGESTED_TITLE in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "@")]


def test_xlsx_stores_payloads_as_strings(client, hostile):
    """In the XLSX every hostile text is a string cell (no formula), and no cell links to a
    javascript: URL."""
    response = client.get(f"/campaigns/{SLUG}/exports/clippings.xlsx?status=all")
    data = response.data
    response.close()  # the XLSX is sent from a temporary file
    book = load_workbook(io.BytesIO(data))
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    values.append(cell.value)
                    if SCRIPT in cell.value or "HYPERLINK(\"http://evil" in cell.value:
                        assert cell.data_type == "s", cell.coordinate
                if cell.hyperlink is not None:
                    assert not str(cell.hyperlink.target).lower().startswith("javascript:")
    assert TITLE in values
    assert SUGGESTED_TITLE in values
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if "worksheets/" in n]
    assert not any("<f>" in xml and "evil.test" in xml.split("<f>", 1)[1] for xml in sheets)


def test_docx_holds_payloads_as_text(client, hostile):
    """The 报道汇编 shows the hostile titles and outlet as plain text runs."""
    response = client.get(f"/campaigns/{SLUG}/exports/clippings.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.data)).paragraphs)
    assert SCRIPT in text
    assert OUTLET in text
