"""Each format read back by its own reader: csv, openpyxl, python-docx."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from campaign.exports.columns import neutralise
from campaign.exports.csvfile import csv_chunks
from campaign.exports.docx import write_compilation, write_summary
from campaign.exports.rows import ClippingFilter, campaign_events, iter_clipping_rows
from campaign.exports.xlsx import sheet_title, text_width, write_xlsx
from tests.plugins.worlds import NASTY_TITLE

HEADERS = ["序号", "日期", "媒体", "级别", "版面", "体裁", "标题", "作者", "来源/转载", "链接",
           "关联活动"]


def rows_of(world, **kw):
    return iter_clipping_rows(ClippingFilter(campaign_id=world.campaign.id, **kw))


def read_csv(text):
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def test_csv_reads_back(app, world):
    """The CSV has a BOM, the Chinese headers and every row with its values."""
    with app.test_request_context():
        table = read_csv("".join(csv_chunks(rows_of(world))))
    assert table[0] == HEADERS
    assert len(table) == 1 + 15
    row = next(r for r in table if r[2] == "安徽日报" and r[5] == "消息")
    assert row[1] == "2006-04-25" and row[3] == "省级" and row[4] == "第01版 要闻"
    assert row[9] == "http://news.test/send-off/0"
    assert row[10] == "欢送赴京受表彰先进集体和先进个人代表活动"


def test_csv_neutralises_formulas_and_keeps_punctuation(app, world):
    """Quotes, commas and newlines survive; cells starting = + - @ get an apostrophe."""
    with app.test_request_context():
        table = read_csv("".join(csv_chunks(rows_of(world))))
    nasty = next(r for r in table if "HYPERLINK" in r[6])
    assert nasty[6] == "'" + NASTY_TITLE
    assert nasty[7] == "" and nasty[8] == "'@新华社"  # "-记者" names no person
    assert nasty[9] == 'http://news.test/briefing?a=1&b="2"'
    assert nasty[4] == ""  # no page known


def test_neutralise():
    """Only text that a spreadsheet would run as a formula is changed."""
    assert [neutralise(v) for v in ("=1+1", "+86", "-5", "@SUM(A1)", "安徽", "a=b")] == [
        "'=1+1", "'+86", "'-5", "'@SUM(A1)", "安徽", "a=b"]


def test_csv_empty_list(app, make):
    """An empty list is just the header."""
    campaign = make.campaign()
    with app.test_request_context():
        text = "".join(csv_chunks(iter_clipping_rows(ClippingFilter(campaign_id=campaign.id))))
    assert read_csv(text) == [HEADERS]


def test_xlsx_reads_back(app, world, tmp_path):
    """Styled, frozen header; real dates; working links; formulas stored as text."""
    path = tmp_path / "list.xlsx"
    with app.test_request_context():
        count = write_xlsx(rows_of(world), path)
    assert count == 15
    sheet = load_workbook(path)["剪报目录"]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet[1][0].font.b and sheet.freeze_panes == "A2"
    row = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == "安徽日报")
    assert isinstance(row[1].value, datetime) and row[1].value.date() == date(2006, 4, 25)
    assert row[1].number_format == "yyyy-mm-dd"
    assert row[9].hyperlink.target == row[9].value == "http://news.test/send-off/0"
    nasty = next(r for r in sheet.iter_rows(min_row=2) if r[6].value == NASTY_TITLE)
    assert nasty[6].data_type == "s" and nasty[7].value in (None, "")
    assert sheet.column_dimensions["G"].width >= text_width("欢送赴京受表彰先进集体") / 2
    assert sheet.column_dimensions["A"].width < sheet.column_dimensions["G"].width


def test_xlsx_sheet_per_event(app, world, tmp_path):
    """With events, each gets a sheet (numbered from 1) holding only its rows."""
    path = tmp_path / "list.xlsx"
    events = [(e.id, e.title) for e in campaign_events(world.campaign)]
    with app.test_request_context():
        write_xlsx(rows_of(world), path, events=events)
    book = load_workbook(path)
    assert len(book.sheetnames) == 1 + len(events)
    send_off = book[book.sheetnames[1]]
    assert book.sheetnames[1].startswith("01 欢送") and len(book.sheetnames[1]) <= 31
    assert [c.value for c in send_off["A"]][1:] == list(range(1, 10))


def test_xlsx_text_that_looks_like_a_value(app, tmp_path):
    """"=…", "#N/A" and control characters come back as plain text cells."""
    from campaign.exports.rows import ClippingRow

    row = ClippingRow(seq=1, day=None, outlet="#N/A", tier="provincial", page="", genre="",
                      title="=SUM(A1)\x07", author="+86", source="", url="", event_title="e",
                      event_key="e", event_id=1, kind="clipping", item_id=1, status="accepted",
                      page_number=None)
    path = tmp_path / "odd.xlsx"
    with app.test_request_context():
        write_xlsx([row], path)
    cells = load_workbook(path).active[2]
    assert (cells[2].value, cells[2].data_type) == ("#N/A", "s")
    assert (cells[6].value, cells[6].data_type) == ("=SUM(A1)", "s")
    assert (cells[7].value, cells[7].data_type) == ("+86", "s")


def test_xlsx_links_past_the_cap_become_formulas(app, world, tmp_path, monkeypatch):
    """Past MAX_LINKS real hyperlinks a sheet uses HYPERLINK formulas (memory stays flat)."""
    monkeypatch.setattr("campaign.exports.xlsx.MAX_LINKS", 2)
    path = tmp_path / "links.xlsx"
    with app.test_request_context():
        write_xlsx(rows_of(world), path)
    links = [r[9] for r in load_workbook(path).active.iter_rows(min_row=2) if r[9].value]
    assert all(c.hyperlink for c in links[:2]) and not any(c.hyperlink for c in links[2:])
    assert links[2].value.startswith('=HYPERLINK("http://news.test/')
    quoted = next(c.value for c in links if "briefing" in c.value)
    assert quoted == '=HYPERLINK("http://news.test/briefing?a=1&b=""2""")'


def test_sheet_titles():
    """Sheet names lose []:*?/\\, stay within 31 characters and are unique."""
    taken: set[str] = set()
    assert sheet_title("a[b]:c*d?e/f\\g", taken) == "a_b__c_d_e_f_g"
    long = "很长的活动名称" * 10
    first, second = sheet_title(long, taken), sheet_title(long, taken)
    assert len(first) == 31 and len(second) == 31 and first != second


def test_xlsx_empty_list(app, make, tmp_path):
    """An empty list still opens, with its header."""
    path = tmp_path / "empty.xlsx"
    campaign = make.campaign()
    with app.test_request_context():
        write_xlsx(iter_clipping_rows(ClippingFilter(campaign_id=campaign.id)), path)
    assert [[c.value for c in r] for r in load_workbook(path).active.iter_rows()] == [HEADERS]


def _docx(app, world, tmp_path, **kw):
    path = tmp_path / "compilation.docx"
    with app.test_request_context():
        selected = ClippingFilter(campaign_id=world.campaign.id, **kw)
        write_compilation(world.campaign, campaign_events(world.campaign, selected),
                          iter_clipping_rows(selected), path, today=date(2006, 6, 1))
    return Document(str(path))


def test_docx_compilation(app, world, tmp_path):
    """Cover, contents by event, and each clipping with its metadata and opening text."""
    document = _docx(app, world, tmp_path)
    texts = [p.text for p in document.paragraphs]
    assert "2006年工人阶级和工会工作宣传月" in texts and "报道汇编" in texts
    assert "2006年4月25日—5月25日" in texts
    assert "1. 欢送赴京受表彰先进集体和先进个人代表活动（4月24日，9篇）" in texts
    assert NASTY_TITLE.replace("\n", "") in "".join(texts).replace("\n", "")
    meta = next(t for t in texts if t.startswith("安徽日报 · 省级 · 2006年4月25日"))
    assert "第01版 要闻" in meta and "作者：王明" in meta
    opening = next(t for t in texts if t.startswith("省总工会24日在合肥举行欢送仪式。"))
    assert len(opening) == 200 + len("……")
    assert "通气会<正文>&。" in texts


def test_docx_clippings_keep_their_styles(app, world, tmp_path):
    """Each clipping is a 标题 3 heading followed by its Meta line(s), in the event's section
    and before the document's closing section mark (the paragraphs written directly)."""
    document = _docx(app, world, tmp_path)
    styled = [(p.style.name, p.text) for p in document.paragraphs]
    first = next(n for n, (style, _t) in enumerate(styled) if style == "Heading 3")
    assert styled[first - 1][0] == "Heading 2"
    assert styled[first][1].startswith("1. ")
    assert styled[first + 1][0] == "Meta"
    with app.test_request_context():
        rows = list(iter_clipping_rows(ClippingFilter(campaign_id=world.campaign.id)))
    assert sum(style == "Heading 3" for style, _t in styled) == len(rows) > 1
    assert document.element.body[-1].tag == qn("w:sectPr")


def test_docx_fonts(app, world, tmp_path):
    """Body 宋体 and headings 黑体 are set for Latin and East Asian text (rFonts)."""
    document = _docx(app, world, tmp_path)
    for style, font in (("Normal", "宋体"), ("Heading 1", "黑体"), ("Heading 2", "黑体"),
                        ("Title", "黑体")):
        fonts = document.styles[style].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == font, style
        assert fonts.get(qn("w:ascii")) == font and fonts.get(qn("w:hAnsi")) == font
        assert fonts.get(qn("w:eastAsiaTheme")) is None


def test_docx_empty(app, make, tmp_path):
    """An empty compilation has its cover and says there is nothing."""
    campaign = make.campaign(name="空的宣传月")
    path = tmp_path / "empty.docx"
    with app.test_request_context():
        write_compilation(campaign, [], iter([]), path)
    texts = [p.text for p in Document(str(path)).paragraphs]
    assert "空的宣传月" in texts and "（没有符合条件的报道）" in texts


def test_docx_summary(app, world, tmp_path):
    """The summary document holds the officer's lines as paragraphs, in 宋体."""
    path = tmp_path / "summary.docx"
    with app.test_request_context():
        write_summary(world.campaign, "第一段。\n\n第二段\x07。", path)
    document = Document(str(path))
    assert [p.text for p in document.paragraphs][1:] == ["第一段。", "第二段。"]
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "宋体"
