"""Scraped content is shown as text on every page and in every download: hostile titles,
bodies, authors, outlet names and URLs (tests/security/hostile.py) never become markup, script,
a javascript: link or a spreadsheet formula. The pages swept and those left out are listed in
tests/security/sweep.py; the browser test (tests/browser/test_untrusted.py) opens the same
addresses with the script engine on."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pytest
from bs4 import BeautifulSoup
from docx import Document
from openpyxl import load_workbook

from campaign.articles.models import ArticleMedia
from tests.scrapers.scraper_server import Reply, serving
from tests.security.hostile import (
    BODY,
    JS_URL,
    OUTLET,
    REPRINT_TITLE,
    SCRIPT,
    SUGGESTED_TITLE,
    TITLE,
)
from tests.security.sweep import (
    NOT_SWEPT,
    ROLES,
    SLUG,
    add_hostile_campaign,
    make_viewer_hostile,
    swept,
    swept_as,
)

# The tags the app's own hover templates use; anything else with < came from data.
APP_TAGS = re.compile(r"</?(extra|br|b)>")


@pytest.fixture
def hostile(make, login, db):
    """The hostile campaign and records of tests/security/sweep.py, its originals reported by a
    new outlet; an administrator (who opens every page) logged in."""
    admin = login("admin")
    sweep = add_hostile_campaign(admin, make.outlet())
    db.session.commit()
    return sweep


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


@pytest.mark.parametrize("role", ROLES)
def test_every_page_shows_hostile_content_as_text(client, hostile, login, db, role):
    """Every page that shows scraped or user text, as each role opens it, renders the payloads
    as text, never as markup, and shows at least one of them (so the page was really given
    hostile text)."""
    if role != "admin":  # (the `hostile` fixture signed an administrator in)
        make_viewer_hostile(login(role))
        db.session.commit()
    for endpoint, urls in swept_as(hostile, role).items():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (endpoint, url)
            page = assert_inert(response.get_data(as_text=True), url)
            shown = page.get_text() + str(page.find("script", type="application/json"))
            values = " ".join(str(v) for tag in page.find_all(True) for v in tag.attrs.values())
            assert "window.__pwned" in shown + values, f"{url} shows no payload"


def test_every_get_route_is_swept_or_named_here(app, hostile):
    """Each GET route of the URL map is in the sweep or in NOT_SWEPT with its reason, so a page
    added later is swept or says why not; neither list names a route that is gone."""
    routes = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    listed = set(swept(hostile)) | set(NOT_SWEPT)
    assert sorted(routes - listed) == [], "new GET routes: add them to swept() or NOT_SWEPT"
    assert sorted(listed - routes) == []
    assert not set(swept(hostile)) & set(NOT_SWEPT)


def test_archived_copy_runs_no_script_in_the_app_origin(app, client, hostile, db, tmp_path,
                                                         monkeypatch):
    """The archived copy of a hostile page is served as received but under a sandbox CSP
    without script and with nosniff and no-store: it runs nothing and cannot read the app."""
    monkeypatch.setitem(app.config, "MEDIA_FOLDER", str(tmp_path))
    (tmp_path / "hostile-archive.html").write_text(f"<html><body>{SCRIPT}</body></html>")
    db.session.add(ArticleMedia(article_id=hostile.ids.original_id,
                                archive_path="hostile-archive.html"))
    db.session.commit()
    response = client.get(f"/articles/{hostile.ids.original_id}/archive")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert policy.startswith("sandbox;") and "script-src" not in policy
    assert "default-src 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]


def test_clipping_list_mapping_step_shows_hostile_cells_as_text(client, hostile):
    """The mapping and preview step of 导入剪报目录 shows a list's hostile headers and cells as
    text."""
    rows = [["标题" + SCRIPT, "日期", "媒体"], [TITLE, "4月27日", OUTLET]]
    text = "\n".join(",".join(f'"{cell.replace(chr(34), chr(34) * 2)}"' for cell in row)
                     for row in rows)
    response = client.post(f"/campaigns/{SLUG}/clippings/import",
                           data={"step": "upload", "event": "rally",
                                 "file": (io.BytesIO(text.encode()), "目录.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    page = assert_inert(response.get_data(as_text=True), "mapping step")
    assert "window.__pwned=1" in page.get_text() and "动员大会" in page.get_text()


def test_add_links_results_show_a_hostile_page_and_hostile_links_as_text(app, client, hostile,
                                                                         monkeypatch):
    """按链接添加报道 shows the title of a hostile page it stored and the hostile lines it could
    not read as text."""
    monkeypatch.setitem(app.config, "SOURCE_ALLOW_HOSTS", ["127.0.0.1:*"])
    article = (f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1>"
               f"<div class='content'><p>{BODY.replace(chr(10), '')}全省职工技能大赛今天开幕，"
               f"来自各行业的八百多名选手参加比赛。" * 4 + "</p></div></body></html>")
    with serving() as server:
        server.route("/a.html", Reply(body=article.encode()))
        lines = f"{server.url('/a.html')}\n{JS_URL}\nhttp://x.test/\"><script>alert(9)</script>"
        response = client.post(f"/campaigns/{SLUG}/links", data={"event": "rally",
                                                                  "links": lines})
    assert response.status_code == 200
    page = assert_inert(response.get_data(as_text=True), "add-links")
    assert "alert(9)" in page.get_text()


def test_article_page_shows_every_field_as_text(client, hostile):
    """The article page shows title, body, author and credit as text and the javascript: URL
    unlinked; its <title> holds the escaped title."""
    page = assert_inert(client.get(f"/articles/{hostile.ids.original_id}").get_data(as_text=True),
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
