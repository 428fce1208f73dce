"""未监测 apart from 未报道 in the work summary and in every export that lists invited outlets
(XLSX sheet 邀请与报道, the invitations CSV, the DOCX 报道汇编), checked on the demo with one
invited outlet without a source."""

from __future__ import annotations

import csv
import io

from docx import Document
from openpyxl import load_workbook

from campaign.coverage.stats import event_stats
from campaign.exports.summary import summary_sentences
from campaign.planning.demo import DEMO_SLUG
from tests.plugins.worlds import UNMONITORED

BASE = f"/campaigns/{DEMO_SLUG}"
UNMONITORED_COLUMN = "未监测（没有启用的来源）"
SILENT_COLUMN, MONITORABLE_COLUMN = "邀请未报道", "可监测（家）"


def briefing_row(rows: list[dict[str, str]], title: str) -> dict[str, str]:
    return next(row for row in rows if row["活动"] == title)


def test_summary_says_how_many_invitees_were_monitorable(app, demo_unmonitored):
    """The briefing's sentence counts the monitorable invitees and the ones without a source as
    not monitored (the first three by name), never as outlets that did not report."""
    stats = event_stats(demo_unmonitored)
    with app.test_request_context():
        sentence = next(s.text for s in summary_sentences(demo_unmonitored.campaign)
                        if demo_unmonitored.title in s.text)
    assert f"邀请的{stats.invited}家媒体中可监测{stats.monitorable}家" in sentence
    unmonitored = [o.name for o in stats.invited_unmonitored]
    assert UNMONITORED in unmonitored and len(unmonitored) > 3
    assert f"（{'、'.join(unmonitored[:3])}等{len(unmonitored)}家媒体未纳入监测）" in sentence
    assert "未报道" not in sentence


def test_summary_without_unmonitored_invitees_says_nothing_of_monitoring(app, db,
                                                                         demo_unmonitored):
    """With only monitored outlets invited, the briefing's sentence has no monitoring clause."""
    stats = event_stats(demo_unmonitored)
    demo_unmonitored.invited_outlets = [o for o in demo_unmonitored.invited_outlets
                                        if o not in stats.invited_unmonitored]
    db.session.commit()
    with app.test_request_context():
        sentence = next(s.text for s in summary_sentences(demo_unmonitored.campaign)
                        if demo_unmonitored.title in s.text)
    assert "可监测" not in sentence and "未纳入监测" not in sentence


def test_xlsx_sheet_lists_unmonitored_apart(client, login, demo_unmonitored):
    """The workbook's sheet 邀请与报道 has the outlet under 未监测, not 邀请未报道, and the
    briefing's monitorable count."""
    stats = event_stats(demo_unmonitored)
    login("officer")
    response = client.get(f"{BASE}/exports/clippings.xlsx")
    sheet = load_workbook(io.BytesIO(response.data), read_only=True)["邀请与报道"]
    values = [[c if c is not None else "" for c in row]
              for row in sheet.iter_rows(values_only=True)]
    rows = [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    row = briefing_row(rows, demo_unmonitored.title)
    assert UNMONITORED in row[UNMONITORED_COLUMN]
    assert UNMONITORED not in row[SILENT_COLUMN]
    assert row[MONITORABLE_COLUMN] == stats.monitorable
    assert row["邀请媒体（家）"] == stats.invited


def test_invitations_csv_lists_unmonitored_apart(client, login, demo_unmonitored):
    """The invitations CSV (BOM, one row per event that invited) says the same."""
    stats = event_stats(demo_unmonitored)
    login("leader")
    response = client.get(f"{BASE}/exports/invitations.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    row = briefing_row(list(csv.DictReader(io.StringIO(text[1:]))), demo_unmonitored.title)
    assert UNMONITORED in row[UNMONITORED_COLUMN]
    assert UNMONITORED not in row[SILENT_COLUMN]
    assert row[MONITORABLE_COLUMN] == str(stats.monitorable)


def test_docx_compilation_lists_unmonitored_apart(client, login, demo_unmonitored):
    """The 报道汇编's section 邀请媒体报道情况 gives the briefing's monitorable count and lists
    the outlet only after 未监测."""
    stats = event_stats(demo_unmonitored)
    login("officer")
    response = client.get(f"{BASE}/exports/clippings.docx")
    paragraphs = [p.text for p in Document(io.BytesIO(response.data)).paragraphs]
    section = paragraphs.index("邀请媒体报道情况")
    line = next(p for p in paragraphs[section:] if p.startswith(f"{demo_unmonitored.title}（"))
    facts = line.split("）：", 1)[1].split("；")
    assert facts[0].startswith(f"邀请媒体{stats.invited}家，可监测{stats.monitorable}家")
    assert UNMONITORED in next(p for p in facts if p.startswith("未监测"))
    assert not any(UNMONITORED in p for p in facts if p.startswith("邀请未报道"))
