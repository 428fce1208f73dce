"""The clipping list as an Excel workbook, written row by row (openpyxl write-only mode).

One sheet holds the whole list; optionally one sheet per event follows it. Column widths are
fitted to the first rows (a CJK character counts two), because a streamed sheet must fix its
widths before its first row. Real hyperlinks are kept by openpyxl until the file is closed, so
past `MAX_LINKS` per sheet a link becomes a HYPERLINK formula (or plain text when too long for
one): memory stays flat however long the list.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from itertools import chain, islice
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from campaign.exports.columns import cells, headers
from campaign.exports.invitations import InvitationRow, invitation_headers
from campaign.exports.rows import ClippingRow

SAMPLE_ROWS = 500
MAX_WIDTH = 60
MIN_WIDTH = 6
MAX_LINKS = 10_000
FORMULA_URL_LIMIT = 255  # Excel's HYPERLINK takes at most 255 characters
URL_COLUMN = 9  # zero-based position of 链接
DATE_COLUMN = 1
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
HEADER_FONT = Font(name="黑体", bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="9E1B1B")
LINK_FONT = Font(color="0563C1", underline="single")


def text_width(value: object) -> int:
    """Display width of a value: East Asian wide and full-width characters count two."""
    if value is None:
        return 0
    if isinstance(value, date):
        return 10
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


def fit_widths(rows: Iterable[list[Any]], heads: list[str] | None = None) -> list[int]:
    """Column widths that fit the headers and `rows`, between MIN_WIDTH and MAX_WIDTH."""
    widths = [text_width(h) for h in (heads or headers())]
    for values in rows:
        widths = [max(w, text_width(v)) for w, v in zip(widths, values, strict=True)]
    return [min(MAX_WIDTH, max(MIN_WIDTH, w + 2)) for w in widths]


def sheet_title(title: str, taken: set[str]) -> str:
    """A sheet name Excel accepts: no []:*?/\\, at most 31 characters, not yet used."""
    base = SHEET_FORBIDDEN.sub("_", title).strip("' ") or "Sheet"
    name = base[:31]
    n = 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name = base[:31 - len(suffix)] + suffix
        n += 1
    taken.add(name.lower())
    return name


class _Sheet:
    """A write-only sheet with its own row numbering and link count."""

    def __init__(self, ws: WriteOnlyWorksheet, widths: list[int],
                 heads: list[str] | None = None) -> None:
        self.ws = ws
        self.count = 0
        self.links = 0
        for index, width in enumerate(widths, start=1):
            # A write-only sheet has the column_dimensions of a Worksheet (set up by the same
            # method); types-openpyxl leaves them out.
            ws.column_dimensions[  # type: ignore[attr-defined]
                get_column_letter(index)].width = width
        ws.freeze_panes = "A2"
        ws.append([self._header(h) for h in (heads or headers())])

    def _header(self, text: str) -> Cell:
        cell = WriteOnlyCell(self.ws, value=text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        return cell

    def add(self, row: ClippingRow) -> None:
        self.count += 1
        values = cells(replace(row, seq=self.count))
        self.ws.append([self._cell(i, v) for i, v in enumerate(values)])

    def _cell(self, index: int, value: Any) -> Cell | str | int | None:
        if value is None or value == "":
            return None
        if index == DATE_COLUMN:
            return _date_cell(self.ws, value)
        if isinstance(value, int):
            return value
        if index == URL_COLUMN:
            return self._link(str(value))
        return _text(self.ws, str(value))

    def _link(self, url: str) -> Cell:
        if not url.lower().startswith(("http://", "https://")):
            return _string_cell(self.ws, url)  # a scraped javascript: or file: URL stays text
        self.links += 1
        if self.links <= MAX_LINKS:
            cell = _string_cell(self.ws, url)
            cell.hyperlink = url
            cell.font = LINK_FONT
            return cell
        if len(url) <= FORMULA_URL_LIMIT:
            quoted = url.replace('"', '""')
            cell = WriteOnlyCell(self.ws, value=f'=HYPERLINK("{quoted}")')
            cell.font = LINK_FONT
            return cell
        return _string_cell(self.ws, url)


def _text(ws: WriteOnlyWorksheet, text: str) -> str | Cell:
    """Plain text as itself (openpyxl's fast path), unless openpyxl would read it as a formula
    or an error value: then a cell forced to hold a string."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if text.startswith("=") or text in ERROR_CODES:
        return _string_cell(ws, text)
    return text


def _string_cell(ws: WriteOnlyWorksheet, text: str) -> Cell:
    """A text cell that is never read as a formula, whatever it starts with."""
    cell = WriteOnlyCell(ws)
    # Set past the value setter, which would read "=…" as a formula; control characters
    # (which scraped text may hold) are not allowed in the file's XML, so they go. (_value is
    # one of Cell's slots, which types-openpyxl does not declare.)
    cell._value = ILLEGAL_CHARACTERS_RE.sub("", text)  # type: ignore[attr-defined]
    cell.data_type = "s"
    return cell


def _invitation_sheet(workbook: Workbook, rows: list[InvitationRow], taken: set[str]) -> None:
    """The sheet 邀请与报道: per event, invited outlets that reported, 邀请未报道 and 未监测
    apart, and how many invitees were monitorable next to the target."""
    heads = invitation_headers()
    values = [row.cells() for row in rows]
    sheet = _Sheet(workbook.create_sheet(sheet_title("邀请与报道", taken)),
                   fit_widths(values, heads), heads)
    for row_values in values:
        sheet.ws.append([_date_cell(sheet.ws, v) if isinstance(v, date)
                         else v if isinstance(v, int) else _text(sheet.ws, str(v or ""))
                         for v in row_values])


def _date_cell(ws: WriteOnlyWorksheet, value: date) -> Cell:
    # openpyxl writes a date as a date; types-openpyxl names datetime only.
    cell = WriteOnlyCell(ws, value=value)  # type: ignore[arg-type]
    cell.number_format = "yyyy-mm-dd"
    return cell


def write_xlsx(rows: Iterable[ClippingRow], out: str | Path | IO[bytes], *,
               sheet_name: str = "剪报目录",
               events: list[tuple[int, str]] | None = None,
               invitations: list[InvitationRow] | None = None) -> int:
    """Write the clipping list to `out`; with `events` ((id, title) in order) add one sheet
    per event, with `invitations` the sheet 邀请与报道. Returns the number of rows written."""
    iterator: Iterator[ClippingRow] = iter(rows)
    sample = list(islice(iterator, SAMPLE_ROWS))
    widths = fit_widths(cells(r) for r in sample)
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    main = _Sheet(workbook.create_sheet(sheet_title(sheet_name, taken)), widths)
    per_event = {
        event_id: _Sheet(workbook.create_sheet(sheet_title(f"{n:02d} {title}", taken)), widths)
        for n, (event_id, title) in enumerate(events or [], start=1)}
    for row in chain(sample, iterator):
        main.add(row)
        if row.event_id in per_event:
            per_event[row.event_id].add(row)
    if invitations:
        _invitation_sheet(workbook, invitations, taken)
    workbook.save(out)
    return main.count
