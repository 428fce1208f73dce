"""The exports page, the downloads and the summary page through the test client."""

from __future__ import annotations

import csv
import io

import pytest
from docx import Document
from openpyxl import load_workbook

BASE = "/campaigns/pm2006"


def test_exports_page_lists_and_links(client, login, world):
    """The page previews the filtered list and carries the filter into its download links."""
    login("leader")
    response = client.get(f"{BASE}/exports?event=send-off&tier=municipal")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "合肥日报" in page and "新华社" not in page.split("<h2>")[-1]
    assert "clippings.xlsx?event=send-off&amp;tier=municipal" in page


def test_bad_filter_is_400(client, login, world):
    """An unreadable filter is refused with a message, on the page and on a download."""
    login("officer")
    assert client.get(f"{BASE}/exports?date_from=25.4.2006").status_code == 400
    response = client.get(f"{BASE}/exports/clippings.csv?event=nope")
    assert response.status_code == 400 and "nope" in response.get_data(as_text=True)


@pytest.mark.parametrize("value", ["99999999999999999999999", str(2**31), "0"])
def test_outlet_past_the_id_range_is_400_not_a_cut_file(client, login, world, value):
    """An outlet id no outlet can have is refused with a message before the CSV starts
    streaming (a cut-off file would look complete in Excel)."""
    login("leader")
    response = client.get(f"{BASE}/exports/clippings.csv", query_string={"outlet": value})
    assert response.status_code == 400
    assert value in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["exports", "exports/clippings.xlsx", "exports/clippings.docx",
                                  "exports/print"])
def test_huge_outlet_is_400_on_every_export(client, login, world, path):
    """The exports page, the workbook, the compilation and the print page refuse an outlet
    id past the database's integers with a 400."""
    login("leader")
    response = client.get(f"{BASE}/{path}?outlet=99999999999999999999999")
    assert response.status_code == 400


def test_outlet_in_other_digits_is_400(client, login, world):
    """A superscript or full-width digit (which isdigit() accepts and int() may not) is
    refused as not a number."""
    login("leader")
    for value in ("²", "１２"):
        response = client.get(f"{BASE}/exports/clippings.csv", query_string={"outlet": value})
        assert response.status_code == 400, value


def test_csv_download(client, login, world):
    """The CSV is an attachment, streamed, UTF-8 with a BOM."""
    login("leader")
    response = client.get(f"{BASE}/exports/clippings.csv?tier=central")
    assert response.status_code == 200 and response.is_streamed
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert [r[2] for r in table[1:]] == ["新华社"]


def test_xlsx_and_docx_downloads(client, login, world):
    """The workbook and the compilation download and open."""
    login("leader")
    xlsx = client.get(f"{BASE}/exports/clippings.xlsx?per_event=1")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.get_data()))
    assert book.sheetnames[0] == "剪报目录" and len(book.sheetnames) > 1
    docx = client.get(f"{BASE}/exports/clippings.docx?event=briefing")
    assert docx.status_code == 200
    texts = [p.text for p in Document(io.BytesIO(docx.get_data())).paragraphs]
    assert "1. 宣传月新闻通气会（4月25日，1篇）" in texts


def test_attachment_header():
    """Download names keep an ASCII fallback and the exact UTF-8 name."""
    from campaign.exports.views import attachment

    assert attachment('pm-宣传"月.csv') == (
        "attachment; filename=\"pm-____.csv\"; "
        "filename*=UTF-8''pm-%E5%AE%A3%E4%BC%A0%22%E6%9C%88.csv")


def test_print_page(client, login, world):
    """The print page has no navigation, one section per event, and escapes scraped text."""
    login("leader")
    page = client.get(f"{BASE}/exports/print").get_data(as_text=True)
    assert "mainnav" not in page and "print.css" in page
    assert page.count('class="print-event"') == 7
    assert "通气会<正文>" not in page and "&#34;引号&#34;" in page


def test_summary_page_and_downloads(client, login, world):
    """Officers get an editable draft and download their edited text as Word."""
    login("officer")
    page = client.get(f"{BASE}/summary").get_data(as_text=True)
    assert "<textarea" in page and "省内8家新闻媒体作了报道" in page
    response = client.post(f"{BASE}/summary/download", data={"text": "改过的第一段。\n第二段。"})
    assert response.status_code == 200
    texts = [p.text for p in Document(io.BytesIO(response.get_data())).paragraphs]
    assert texts[1:] == ["改过的第一段。", "第二段。"]
    generated = client.get(f"{BASE}/summary.docx")
    texts = [p.text for p in Document(io.BytesIO(generated.get_data())).paragraphs]
    assert any("三个整版" in t for t in texts)


def test_leader_reads_summary_without_editing(client, login, world):
    """Leaders see the draft read-only and may not post an edited one."""
    login("leader")
    page = client.get(f"{BASE}/summary").get_data(as_text=True)
    assert "<textarea" not in page and "省内8家新闻媒体" in page
    assert client.post(f"{BASE}/summary/download", data={"text": "x"}).status_code == 403


def test_buttons_on_campaign_and_event_pages(client, login, world):
    """The campaign and event pages carry the download buttons (the event's filtered)."""
    login("leader")
    campaign = client.get(BASE).get_data(as_text=True)
    assert f"{BASE}/exports/clippings.csv" in campaign and f"{BASE}/summary" in campaign
    event = client.get(f"{BASE}/events/send-off").get_data(as_text=True)
    assert f"{BASE}/exports/clippings.docx?event=send-off" in event
