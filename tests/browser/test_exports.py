"""Downloading every export format in the browser, as an officer, and opening each file."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook

from campaign.coverage.models import Clipping
from campaign.extensions import db
from campaign.planning.models import Campaign
from tests.browser.conftest import campaign_of_its_own
from tests.browser.layout import WIDTHS, lines

pytestmark = pytest.mark.browser
SLUG = "exports-browser"
TITLE = '=1+1 "引号", 逗号'
LONG_TITLE = "当好主力军、建功十一五——全省职工庆祝五一暨动员大会在合肥隆重召开，省委书记出席并讲话"
LONG_URL = ("http://paper.exports-browser.test/html/2006-04/26/content_"
            "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz.htm")


@pytest.fixture(scope="module")
def exports_campaign(live_app):
    """A campaign of its own (the demo campaign stays as other tests expect it), with a
    manual clipping whose title would break a naive CSV and, a day later, one with a long
    title and link."""
    with live_app.app_context():
        if db.session.query(Campaign).filter_by(slug=SLUG).first() is None:
            event, outlet = campaign_of_its_own(SLUG, "导出测试宣传月", key="send-off",
                                                title="欢送活动", type="send_off",
                                                day=date(2006, 4, 24))
            db.session.add(Clipping(event_id=event.id, outlet_id=outlet.id,
                                    published_on=date(2006, 4, 25), page="第01版 要闻",
                                    page_number=1, genre="消息", title=TITLE))
            # A long title behind a long link, as the print page's widest row.
            db.session.add(Clipping(event_id=event.id, outlet_id=outlet.id,
                                    published_on=date(2006, 4, 26), page="第03版 综合",
                                    page_number=3, genre="通讯", title=LONG_TITLE,
                                    url=LONG_URL))
            db.session.commit()
    return SLUG


def download(page, selector, tmp_path):
    with page.expect_download() as info:
        page.click(selector)
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_download_each_format(log_in, exports_campaign, tmp_path):
    """CSV, XLSX and DOCX download from the exports page and open with the row in them."""
    page = log_in("officer")
    page.goto(f"/campaigns/{SLUG}/exports")
    assert "安徽日报" in page.locator("table.clipping-table").inner_text()
    csv_file = download(page, "main a[data-format=csv]", tmp_path)
    assert csv_file.name.endswith(".csv")
    with csv_file.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    assert table[1][2] == "安徽日报" and table[1][6] == "'" + TITLE
    book = load_workbook(download(page, "main a[data-format=xlsx]", tmp_path))
    assert book.active["G2"].value == TITLE and book.active["G2"].data_type == "s"
    sheets = load_workbook(download(page, "main a[data-format=xlsx-sheets]", tmp_path))
    assert len(sheets.sheetnames) == 2
    document = Document(str(download(page, "main a[data-format=docx]", tmp_path)))
    assert "导出测试宣传月" in [p.text for p in document.paragraphs]


def test_print_page_opens(log_in, exports_campaign, page):
    """The print button opens the A4 print page in a new tab."""
    log_in("officer")
    page.goto(f"/campaigns/{SLUG}")
    with page.context.expect_page() as info:
        page.click("a[data-format=print]")
    printed = info.value
    printed.wait_for_load_state()
    assert "欢送活动" in printed.locator("h2").first.inner_text()
    assert printed.locator("nav").count() == 0


def test_download_edited_summary(log_in, exports_campaign, tmp_path):
    """The officer edits the draft and downloads the edited text as Word."""
    page = log_in("officer")
    page.goto(f"/campaigns/{SLUG}/summary")
    assert "省内1家新闻媒体作了报道" in page.input_value("#summary-text")
    page.fill("#summary-text", "4月24日，欢送活动，省内1家新闻媒体作了报道。（已核对）")
    document = Document(str(download(page, "button[data-format=summary-edited]", tmp_path)))
    assert "4月24日，欢送活动，省内1家新闻媒体作了报道。（已核对）" in [
        p.text for p in document.paragraphs]


def test_event_page_download(log_in, exports_campaign, tmp_path):
    """The event page's CSV button downloads that event's list."""
    page = log_in("officer")
    page.goto(f"/campaigns/{SLUG}/events/send-off")
    csv_file = download(page, ".event-exports a[data-format=csv]", tmp_path)
    assert "send-off" in csv_file.name
    assert len(csv_file.read_text(encoding="utf-8-sig").splitlines()) == 3  # header, 2 rows


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_print_page_keeps_short_columns_on_one_line(log_in, exports_campaign, screenshots,
                                                    width):
    """At 1366 px and 390 px the print page's 级别 and 体裁 headings and cells (and 序号, 日期)
    each take one line, not a character a line beside a long title."""
    page = log_in("officer")
    page.set_viewport_size(WIDTHS[width])
    page.goto(f"/campaigns/{SLUG}/exports/print")
    page.screenshot(path=str(screenshots / f"print-{width}.png"), full_page=True)
    table = page.locator(".print-event table").first
    headings = [th.inner_text() for th in table.locator("th").all()]
    for name in ("序号", "日期", "级别", "体裁"):
        column = headings.index(name) + 1
        cells = [table.locator(f"th:nth-child({column})"),
                 *table.locator(f"tbody td:nth-child({column})").all()]
        assert [lines(cell) for cell in cells] == [1] * len(cells), name
