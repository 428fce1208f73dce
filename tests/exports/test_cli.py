"""`campaign-tracker export-clippings` in every format."""

from __future__ import annotations

import csv
import json

from docx import Document
from openpyxl import load_workbook

from campaign.coverage.cli import export_clippings_command


def run(app, *args):
    return app.test_cli_runner().invoke(export_clippings_command, ["--campaign", "pm2006", *args])


def test_csv_to_file(app, world, tmp_path):
    """--format csv -o FILE writes the accepted rows with a BOM."""
    out = tmp_path / "list.csv"
    result = run(app, "--format", "csv", "-o", str(out))
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert table[0][0] == "序号" and len(table) == 16


def test_csv_to_stdout_for_one_event(app, world):
    """Without -o the CSV goes to stdout; --event keeps that event's rows."""
    result = run(app, "--format", "csv", "--event", "briefing")
    assert result.exit_code == 0, result.output
    assert len(list(csv.reader(result.output.lstrip("\ufeff").splitlines()))) == 2


def test_xlsx_and_docx(app, world, tmp_path):
    """xlsx (with a sheet per event, then 邀请与报道) and docx are written and open in their
    readers."""
    xlsx, docx = tmp_path / "l.xlsx", tmp_path / "l.docx"
    assert run(app, "--format", "xlsx", "--per-event-sheets", "-o", str(xlsx)).exit_code == 0
    sheets = load_workbook(xlsx).sheetnames
    assert len(sheets) == 1 + len(world.events) + 1 and sheets[-1] == "邀请与报道"
    assert run(app, "--format", "docx", "-o", str(docx)).exit_code == 0
    assert "报道汇编" in [p.text for p in Document(str(docx)).paragraphs]


def test_binary_formats_need_a_file(app, world):
    """xlsx and docx refuse to write to the terminal."""
    result = run(app, "--format", "xlsx")
    assert result.exit_code != 0 and "-o FILE" in result.output


def test_json_keeps_every_status_and_filters_on_request(app, world):
    """json still lists every match (for scoring); --status narrows it."""
    every = json.loads(run(app, "--format", "json").output)
    assert {r["status"] for r in every} == {"accepted", "suggested", "rejected"}
    accepted = json.loads(run(app, "--format", "json", "--status", "accepted").output)
    assert {r["status"] for r in accepted} == {"accepted"}


def test_unknown_event(app, world):
    """An unknown event key is an error message, not a traceback."""
    result = run(app, "--format", "csv", "--event", "nope")
    assert result.exit_code != 0 and "nope" in result.output


def test_writing_a_file_shows_progress(app, world, tmp_path):
    """Writing to a file, the command shows a progress bar and ends it with the rows
    written of the rows counted."""
    result = run(app, "--format", "xlsx", "-o", str(tmp_path / "l.xlsx"))
    assert result.exit_code == 0, result.output
    assert "15 of 15 rows written" in result.output
