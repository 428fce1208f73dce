"""Importing a clipping list in pages: upload → mapping and preview → import (redirect, rows
stored), a changed mapping, and refusals that write nothing."""

from __future__ import annotations

import base64
import io

import pytest
from sqlalchemy import func, select

from campaign.coverage.models import Clipping
from tests.coverage.test_sheets import xlsx
from tests.html import soup

IMPORT = "/campaigns/pm/clippings/import"
ROWS = [[1, "4月27日", "安徽日报", "一版", "动员大会召开", ""],
        [2, "4月28日", "安徽电视台", "", "晚间新闻：动员大会", ""]]


def clippings(db):
    return db.session.scalar(select(func.count()).select_from(Clipping))


def upload(client, data: bytes, name: str, event="rally"):
    return client.post(IMPORT, data={"step": "upload", "event": event,
                                     "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def mapping_of(page):
    return {s["name"]: (s.select_one("option[selected]") or {}).get("value", "")
            for s in page.select("#sheet-mapping select[name^=map-]")}


@pytest.mark.usefixtures("plan")
def test_upload_preview_then_import(client, login, db):
    """Upload shows the guessed mapping and a preview, writes nothing; import stores the rows
    and goes to the event's coverage page."""
    login("officer")
    response = upload(client, xlsx(ROWS), "目录.xlsx")
    assert response.status_code == 200
    page = soup(response.get_data(as_text=True))
    assert mapping_of(page) == {"map-0": "", "map-1": "date", "map-2": "outlet",
                                "map-3": "page", "map-4": "title", "map-5": "url"}
    assert [r["data-row"] for r in page.select("tr.sheet-row")] == ["3", "4"]
    assert clippings(db) == 0
    form = {i["name"]: i["value"] for i in page.select("#sheet-mapping input[type=hidden]")}
    form.update(mapping_of(page), event="rally", step="import")
    response = client.post(IMPORT, data=form)
    assert response.status_code == 302
    assert response.location.endswith("/campaigns/pm/events/rally/coverage")
    assert clippings(db) == 2


@pytest.mark.usefixtures("plan")
def test_a_wrong_mapping_is_refused_with_row_errors(client, login, db):
    """Mapping the 版面 column as the date gives every row an error: 422, nothing stored."""
    login("officer")
    page = soup(upload(client, xlsx(ROWS), "目录.xlsx").get_data(as_text=True))
    form = {i["name"]: i["value"] for i in page.select("#sheet-mapping input[type=hidden]")}
    form.update(mapping_of(page), event="rally", step="import")
    form["map-1"], form["map-3"] = "", "date"
    response = client.post(IMPORT, data=form)
    assert response.status_code == 422
    errors = soup(response.get_data(as_text=True)).select("ul.sheet-errors li")
    assert [li["data-row"] for li in errors] == ["3", "4"]
    assert clippings(db) == 0


@pytest.mark.usefixtures("plan")
def test_refusals(client, login, db):
    """A damaged .xls file, a file without a header, a tampered form: 422 with a message."""
    login("officer")
    assert upload(client, b"\xd0\xcf\x11\xe0", "old.xls").status_code == 422
    assert upload(client, "甲,乙\n".encode(), "x.csv").status_code == 422
    response = client.post(IMPORT, data={"step": "import", "data": "!!!", "event": "rally"})
    assert response.status_code == 422
    assert soup(response.get_data(as_text=True)).select_one("#sheet-error").get_text()
    no_title = base64.b64encode("日期,媒体,版面\n4月27日,安徽日报,一版\n".encode()).decode()
    response = client.post(IMPORT, data={"step": "import", "data": no_title,
                                         "filename": "a.csv", "event": "rally",
                                         "map-0": "date", "map-1": "outlet"})
    assert response.status_code == 422
    assert clippings(db) == 0


@pytest.mark.usefixtures("plan")
def test_leader_cannot_import(client, login, db):
    """A leader's upload is refused (403)."""
    login("leader")
    assert upload(client, xlsx(ROWS), "目录.xlsx").status_code == 403
