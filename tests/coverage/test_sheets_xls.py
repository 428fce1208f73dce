""".xls clipping lists (Excel 97-2003 / WPS), written here with xlwt and read back by the importer
(xlrd): a title row, a merged date, real date cells, in the web import and the command."""

from __future__ import annotations

import io
from datetime import date

import pytest
import xlwt

from campaign.ingest.sheets import SheetError, check_rows, import_rows, read_sheet
from tests.coverage.test_sheet_pages import IMPORT, clippings, mapping_of, upload
from tests.coverage.test_sheets import HEADER, counts
from tests.html import soup


def xls(rows: list[list[object]], *, merge_dates: bool = False) -> bytes:
    """An .xls workbook: a merged title row, the header, then `rows` (a date as a date cell)."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("目录")
    sheet.write_merge(0, 0, 0, len(HEADER) - 1, "2006年宣传月报道目录")
    for col, name in enumerate(HEADER):
        sheet.write(1, col, name)
    day_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row):
            if merge_dates and col == 1 and r > 2:
                continue
            if merge_dates and col == 1:
                sheet.write_merge(2, 1 + len(rows), 1, 1, value, day_style)
            elif isinstance(value, date):
                sheet.write(r, col, value, day_style)
            elif value is not None:
                sheet.write(r, col, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ROWS = [[1, date(2006, 4, 27), "安徽日报", "一版", "动员大会召开", None],
        [2, "4月28日", "安徽电视台", None, "晚间新闻：动员大会", None]]


def test_xls_read_with_title_row_date_cells_and_merged_dates(plan, make, db):
    """The title row is skipped, a date cell is a date, a merged date fills the rows under it,
    序号 is ignored; the rows import as clippings of the event."""
    campaign, event = plan
    sheet = read_sheet(xls(ROWS), "目录.xls")
    assert sheet.skipped == 1
    assert sorted(sheet.mapping.values()) == ["date", "outlet", "page", "title", "url"]
    assert sheet.rows[0][1] == date(2006, 4, 27) and sheet.rows[0][0] == "1"
    merged = read_sheet(xls(ROWS, merge_dates=True), "目录.xls")
    assert [row[1] for row in merged.rows] == [date(2006, 4, 27)] * 2
    rows = check_rows(merged, merged.mapping, campaign, event)
    assert [r.errors for r in rows] == [[], []]
    assert import_rows(rows, make.user()) == {"linked": 0, "by_hand": 0, "clippings": 2}
    db.session.commit()
    assert counts(db) == (2, 0)


def test_damaged_xls_refused_with_a_message(plan):
    """An .xls name (or the OLE2 signature) on bytes that are no workbook: a clear refusal."""
    for data, name in ((b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "list.xls"),
                       (b"not a workbook", "old.xls")):
        with pytest.raises(SheetError, match="无法读取该 Excel 文件"):
            read_sheet(data, name)


@pytest.mark.usefixtures("plan")
def test_xls_upload_preview_then_import(client, login, db):
    """The web import takes an .xls file: mapping and preview first, then every row stored."""
    login("officer")
    response = upload(client, xls(ROWS), "目录.xls")
    assert response.status_code == 200
    page = soup(response.get_data(as_text=True))
    assert [r["data-row"] for r in page.select("tr.sheet-row")] == ["3", "4"]
    assert clippings(db) == 0
    form = {i["name"]: i["value"] for i in page.select("#sheet-mapping input[type=hidden]")}
    form.update(mapping_of(page), event="rally", step="import")
    response = client.post(IMPORT, data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert clippings(db) == 2


def test_import_clippings_command_reads_xls(app, plan, make, db, tmp_path):
    """`campaign-tracker import-clippings FILE.xls` imports every row of the sheet."""
    from campaign.ingest.cli import import_clippings_command

    admin = make.user(role="admin")
    path = tmp_path / "目录.xls"
    path.write_bytes(xls(ROWS))
    result = app.test_cli_runner().invoke(import_clippings_command, [
        "--campaign", "pm", "--event", "rally", "--user", admin.username, str(path)])
    assert result.exit_code == 0, result.output
    assert counts(db) == (2, 0)
