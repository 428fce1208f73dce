"""Clipping lists in (XLSX and CSV written here; .xls in test_sheets_xls.py): the header under
a title row, merged cells, dates without a year, GBK, per-row errors with nothing written, rows
with links fetched."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from campaign.articles.models import Article
from campaign.coverage.models import Clipping, Match
from campaign.ingest.sheets import SheetError, check_rows, import_rows, parse_day, read_sheet
from tests.scrapers.scraper_server import Reply, serving
from tests.scrapers.test_links import wechat_page

HEADER = ["序号", "日期", "媒体", "版面", "标题", "链接"]


def xlsx(rows, *, title="2006年宣传月报道目录", merge_dates=False, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append([title, "", "", "", "", ""])
    sheet.merge_cells("A1:F1")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if merge_dates:
        sheet.merge_cells(start_row=3, start_column=2, end_row=3 + len(rows) - 1, end_column=2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def counts(db):
    return (db.session.scalar(select(func.count()).select_from(Clipping)),
            db.session.scalar(select(func.count()).select_from(Article)))


def test_xlsx_with_title_row_merged_dates_and_no_year(plan, make, db):
    """The title row is skipped, 序号 ignored, a merged date fills its rows, 4月25日 takes the
    campaign's year; rows without a link become clippings of the chosen event."""
    campaign, event = plan
    sheet = read_sheet(xlsx([[1, "4月27日", "安徽日报", "一版", "动员大会召开", ""],
                             [2, None, "安徽电视台", "", "晚间新闻：动员大会", ""]],
                            merge_dates=True), "目录.xlsx")
    assert sheet.skipped == 1 and sorted(sheet.mapping.values()) == [
        "date", "outlet", "page", "title", "url"]
    rows = check_rows(sheet, sheet.mapping, campaign, event)
    assert [r.errors for r in rows] == [[], []]
    assert [r.day for r in rows] == [date(2006, 4, 27)] * 2
    assert import_rows(rows, make.user()) == {"linked": 0, "by_hand": 0, "clippings": 2}
    db.session.commit()
    stored = db.session.scalars(select(Clipping).order_by(Clipping.id)).all()
    assert [(c.title, c.page, c.outlet.name) for c in stored] == [
        ("动员大会召开", "一版", "安徽日报"), ("晚间新闻：动员大会", "", "安徽电视台")]


def test_gbk_csv(plan):
    """A CSV saved by Excel in GBK is read."""
    campaign, event = plan
    text = "序号,日期,媒体,标题\n1,2006年4月27日,安徽日报,动员大会召开\n"
    sheet = read_sheet(text.encode("gbk"), "list.csv")
    [row] = check_rows(sheet, sheet.mapping, campaign, event)
    assert (row.day, row.outlet.name, row.title) == (date(2006, 4, 27), "安徽日报", "动员大会召开")


def test_row_errors_and_nothing_written(plan, make, db):
    """Each bad row says what is wrong; importing them refuses and writes nothing."""
    campaign, event = plan
    text = ("日期,媒体,标题,链接\n2006-04-27,安徽日报,好的一行,\n4月31日,安徽日报,坏日期,\n"
            "2006-04-27,无此报,未知媒体,\n2006-04-27,安徽日报,,\n"
            "2006-04-27,安徽日报,坏链接,javascript:alert(1)\n2009-01-01,安徽日报,活动外,\n")
    sheet = read_sheet(text.encode("utf-8-sig"), "list.csv")
    rows = check_rows(sheet, sheet.mapping, campaign, event)
    assert [r.number for r in rows if r.errors] == [3, 4, 5, 6, 7]
    assert "日期无法识别" in rows[1].errors[0] and "无此报" in rows[2].errors[0]
    assert rows[3].errors == ["缺少标题"] and "http" in rows[4].errors[0]
    assert "刊播日期须在" in rows[5].errors[0]
    with pytest.raises(SheetError):
        import_rows(rows, make.user())
    assert counts(db) == (0, 0)


def test_files_refused(plan):
    """A damaged .xls, other files, a sheet without a header: refused with a message."""
    for data, name in ((b"\xd0\xcf\x11\xe0", "old.xls"), (b"x", "notes.docx"),
                       ("甲,乙\n1,2\n".encode(), "list.csv")):
        with pytest.raises(SheetError):
            read_sheet(data, name)


@pytest.mark.parametrize(("value", "day"), [
    ("2006-04-25", date(2006, 4, 25)), ("2006/4/5", date(2006, 4, 5)),
    ("2006年4月25日", date(2006, 4, 25)), ("4月25日", date(2006, 4, 25)),
    ("4-25", date(2006, 4, 25)), (date(2006, 5, 1), date(2006, 5, 1)), ("4月31日", None),
    ("下周", None)])
def test_dates(value, day):
    """Dates as offices type them; a year is the campaign's when missing."""
    assert parse_day(value, 2006) == day


def test_rows_with_links_are_fetched_or_kept_by_hand(plan, make, db):
    """A row with a readable link is stored from its page; a verification page is stored from
    the row's own title, outlet and date, its link kept."""
    campaign, event = plan
    with serving() as server:
        server.route("/s/ok", Reply(body=wechat_page().encode()))
        server.route("/s/verify", Reply(body="<h2>环境异常</h2>".encode()))
        text = (f"日期,媒体,标题,链接\n4月27日,安徽日报,表格里的标题,{server.url('/s/ok')}\n"
                f"4月28日,安徽电视台,验证页标题,{server.url('/s/verify')}\n")
        sheet = read_sheet(text.encode(), "list.csv")
        rows = check_rows(sheet, sheet.mapping, campaign, event)
        assert import_rows(rows, make.user()) == {"linked": 1, "by_hand": 1, "clippings": 0}
    db.session.commit()
    titles = {m.article.title: m.article.outlet.name for m in db.session.scalars(
        select(Match).where(Match.event_id == event.id, Match.status == "accepted"))}
    assert titles == {"职工技能竞赛启动": "安徽日报", "验证页标题": "安徽电视台"}


def test_import_clippings_command(app, plan, make, db, tmp_path):
    """import-clippings imports a sheet; --column remaps; a sheet with a bad row writes
    nothing and names the row (exit 1); --dry-run writes nothing."""
    from campaign.ingest.cli import import_clippings_command

    admin = make.user(role="admin")
    good = tmp_path / "good.csv"
    good.write_bytes("序号,刊出,媒体,标题\n1,4月27日,安徽日报,动员大会召开\n".encode("gbk"))
    runner = app.test_cli_runner()
    base = ["--campaign", "pm", "--event", "rally", "--user", admin.username]
    dry = runner.invoke(import_clippings_command, [*base, "--dry-run", str(good)])
    assert "刊出" not in dry.output and dry.exit_code != 0  # 刊出 is not a known date column
    dry = runner.invoke(import_clippings_command,
                        [*base, "--column", "刊出=date", "--dry-run", str(good)])
    assert dry.exit_code == 0 and counts(db) == (0, 0)
    done = runner.invoke(import_clippings_command, [*base, "--column", "刊出=date", str(good)])
    assert done.exit_code == 0, done.output
    assert counts(db) == (1, 0)
    bad = tmp_path / "bad.csv"
    bad.write_text("日期,媒体,标题\n4月27日,安徽日报,一\n4月27日,无此报,二\n", encoding="utf-8")
    refused = runner.invoke(import_clippings_command, [*base, str(bad)])
    assert refused.exit_code == 1 and "row 3" in refused.output
    assert counts(db) == (1, 0)
