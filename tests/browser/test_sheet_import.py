"""Importing a clipping list in a real browser: upload an XLSX with a title row, map the
column the app could not guess, see the preview, import — the clippings are in the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select

from campaign.coverage.models import Clipping
from campaign.extensions import db
from tests.coverage.test_sheets import HEADER, xlsx

pytestmark = pytest.mark.browser

SLUG = "propaganda-month-2006"


def stored_titles(app: Flask) -> set[str]:
    with app.app_context():
        titles = set(db.session.scalars(select(Clipping.title).where(
            Clipping.title.like("表格导入%"))))
        db.session.remove()
    return titles


def test_spreadsheet_import_with_mapping(log_in, live_app, tmp_path: Path) -> None:
    """The 刊出 column is not guessed: the mapping step asks for a date column; mapped to
    日期 it previews both rows clean, and the import stores them."""
    rows = [[1, "4月27日", "安徽日报", "一版", "表格导入：动员大会召开", ""],
            [2, "4月28日", "安徽电视台", "", "表格导入：晚间新闻", ""]]
    path = tmp_path / "目录.xlsx"
    header = [("刊出" if name == "日期" else name) for name in HEADER]
    path.write_bytes(xlsx(rows, header=header))
    page = log_in("officer")
    page.goto(f"/campaigns/{SLUG}")
    page.locator("#sheet-link").click()
    page.set_input_files("#sheet-file", str(path))
    page.select_option("#sheet-event", "rally")
    page.get_by_role("button", name="上传并预览").click()
    expect(page.locator("#sheet-error")).to_contain_text("日期")
    expect(page.locator("tr.sheet-row")).to_have_count(0)
    page.locator("select[name=map-1]").select_option("date")
    page.get_by_role("button", name="重新预览").click()
    expect(page.locator("tr.sheet-row")).to_have_count(2)
    expect(page.locator("tr.sheet-row.has-error")).to_have_count(0)
    expect(page.locator("tr.sheet-row").nth(0)).to_contain_text("2006")
    assert stored_titles(live_app) == set()
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.locator(".flash")).to_contain_text("剪报 2 条")
    assert stored_titles(live_app) == {"表格导入：动员大会召开", "表格导入：晚间新闻"}
