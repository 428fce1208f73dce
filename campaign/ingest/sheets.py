"""Clipping lists as offices keep them (Excel/WPS): read, mapped to the tracker's fields,
checked row by row, then imported — all rows or none.

Files: XLSX (openpyxl) and the older .xls of Excel 97-2003 and WPS (xlrd), merged cells taking
their range's value in both; CSV in UTF-8 (with or without a BOM) or GBK/GB18030.
The header is the first of the top rows that names at least two known columns, so a title row
above it ("2006年宣传月报道目录") is skipped. 序号 is ignored. Dates may be real dates,
"2006-04-25", "2006年4月25日", "2006/4/25" or without a year ("4月25日", "4-25": the campaign's
year). A row with a link is fetched as a pasted link (`campaign.ingest.links`); when the page
cannot be read, the row's own title, outlet and date are stored under the link. A row without a
link becomes a manual clipping. Functions flush; the caller commits.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _

from campaign.auth.models import User
from campaign.coverage.clippings import ClippingDateError, check_published_on, new_clipping
from campaign.extensions import db
from campaign.ingest.links import FetchedLink, add_link_by_hand, attach_link, fetch_link
from campaign.planning.models import Campaign, Event, Outlet
from campaign.planning.outlets import find_outlet

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
HEADER_SCAN = 10
# An .xls file is an OLE2 compound document: it starts with these eight bytes.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The tracker's fields and the column names offices give them.
FIELDS: dict[str, tuple[str, ...]] = {
    "date": ("日期", "刊发日期", "发布日期", "刊播日期", "时间", "发稿日期"),
    "outlet": ("媒体", "媒体名称", "刊发媒体", "媒体单位", "报刊名称", "媒体/平台"),
    "page": ("版面", "版次", "版位"),
    "title": ("标题", "稿件标题", "题目", "文章标题", "新闻标题"),
    "url": ("链接", "网址", "原文链接", "url", "链接地址"),
    "genre": ("体裁",),
    "note": ("备注", "说明"),
    "event": ("关联活动", "活动"),
    "skip": ("序号", "编号", "作者", "级别"),
}
REQUIRED = ("date", "outlet", "title")
_FULL = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_SHORT = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


class SheetError(ValueError):
    """A file that cannot be read as a clipping list at all."""


@dataclass
class Sheet:
    """A clipping list read: its header (as typed), its rows below it, the guessed mapping
    (column index → field) and how many rows above the header were skipped."""

    header: list[str]
    rows: list[list[str | date]]
    mapping: dict[int, str]
    skipped: int = 0


@dataclass
class SheetRow:
    """One row checked: what it will be, or its errors (row numbers as in the file)."""

    number: int
    day: date | None = None
    outlet: Outlet | None = None
    title: str = ""
    url: str = ""
    page: str = ""
    genre: str = ""
    note: str = ""
    event: Event | None = None
    errors: list[str] = field(default_factory=list)


def read_sheet(data: bytes, filename: str) -> Sheet:
    """The rows of an uploaded XLSX or CSV file, with the header found and mapped."""
    name = filename.lower()
    if len(data) > MAX_BYTES:
        raise SheetError(_("文件超过 5 MB。"))
    if name.endswith(".xls") or data.startswith(OLE2_MAGIC):
        cells = _xls_rows(data)
    elif name.endswith(".xlsx") or data.startswith(b"PK\x03\x04"):
        cells = _xlsx_rows(data)
    elif name.endswith((".csv", ".txt")):
        cells = _csv_rows(data)
    else:
        raise SheetError(_("只接受 .xlsx、.xls 或 .csv 文件。"))
    return _with_header(cells)


def _xlsx_rows(data: bytes) -> list[list[str | date]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), data_only=True).worksheets[0]
    except Exception as error:  # a damaged file: openpyxl raises many kinds
        raise SheetError(_("无法读取该 Excel 文件。")) from error
    values = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:  # every cell of a merged range shows its value
        top = values[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, min(merged.max_row, len(values))):
            for c in range(merged.min_col - 1, min(merged.max_col, len(values[r]))):
                values[r][c] = top
    return values


def _xls_rows(data: bytes) -> list[list[str | date]]:
    """The first sheet of an Excel 97-2003 file; date cells as dates (by the book's date mode)."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
        sheet = book.sheet_by_index(0)
        values = [[_xls_cell(cell, book.datemode) for cell in sheet.row(r)]
                  for r in range(sheet.nrows)]
    except Exception as error:  # a damaged or disguised file: xlrd raises many kinds
        raise SheetError(_("无法读取该 Excel 文件。")) from error
    for top, bottom, left, right in sheet.merged_cells:  # half-open ranges
        for r in range(top, min(bottom, len(values))):
            for c in range(left, min(right, len(values[r]))):
                values[r][c] = values[top][left]
    return values


def _xls_cell(cell: Any, datemode: int) -> str | date:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return _cell(xlrd.xldate_as_datetime(cell.value, datemode))
        except (ValueError, OverflowError):
            return str(cell.value)
    if cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_BOOLEAN):
        return ""
    return _cell(cell.value)


def _cell(value: Any) -> str | date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else " ".join(str(value).split())


def _csv_rows(data: bytes) -> list[list[str | date]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as error:
            raise SheetError(_("无法识别 CSV 文件的编码（应为 UTF-8 或 GBK）。")) from error
    return [[" ".join(c.split()) for c in row] for row in csv.reader(io.StringIO(text))]


def _field_of(name: str) -> str | None:
    key = name.strip().lower().replace(" ", "")
    return next((f for f, names in FIELDS.items() if key in names), None)


def _with_header(cells: list[list[str | date]]) -> Sheet:
    for index, row in enumerate(cells[:HEADER_SCAN]):
        named = {i: _field_of(str(v)) for i, v in enumerate(row) if isinstance(v, str) and v}
        known = {i: f for i, f in named.items() if f}
        if len({f for f in known.values() if f != "skip"}) >= 2:
            header = [str(v) for v in row]
            rows = [r for r in cells[index + 1:] if any(str(v).strip() for v in r)]
            if len(rows) > MAX_ROWS:
                raise SheetError(_("一次最多导入 %(n)d 行。", n=MAX_ROWS))
            # A column merged across the header (a second 标题) keeps only its first mapping.
            mapping: dict[int, str] = {}
            for i, f in known.items():
                if f != "skip" and f not in mapping.values():
                    mapping[i] = f
            return Sheet(header, rows, mapping, skipped=index)
    raise SheetError(_("前 %(n)d 行中找不到表头（如 日期、媒体、标题）。", n=HEADER_SCAN))


def remap(sheet: Sheet, mapping: dict[int, str], name: str, field_name: str
          ) -> dict[int, str] | None:
    """`mapping` with the column headed `name` given the field `field_name` instead of
    another column ("skip" leaves the column out); None when the sheet has no such column or
    the tracker no such field."""
    if field_name not in FIELDS or name not in sheet.header:
        return None
    index = sheet.header.index(name)
    changed = {i: f for i, f in mapping.items() if i != index and f != field_name}
    if field_name != "skip":
        changed[index] = field_name
    return changed


def parse_day(value: str | date, year: int) -> date | None:
    """A row's date: a real date, 2006-04-25 / 2006年4月25日 / 2006/4/25, or 4月25日 / 4-25 in
    ``year``; None when it is none of these."""
    if isinstance(value, date):
        return value
    text = value.strip()
    found = _FULL.search(text)
    parts = (int(found[1]), int(found[2]), int(found[3])) if found else None
    if parts is None:
        short = _SHORT.match(text)
        parts = (year, int(short[1]), int(short[2])) if short else None
    try:
        return date(*parts) if parts else None
    except ValueError:
        return None


def check_rows(sheet: Sheet, mapping: dict[int, str], campaign: Campaign,
               event: Event | None) -> list[SheetRow]:
    """Every row read through ``mapping`` and checked; rows with errors say each one."""
    missing = [f for f in REQUIRED if f not in mapping.values()]
    if missing or (event is None and "event" not in mapping.values()):
        raise SheetError(_("请为日期、媒体和标题各选一列，并选择活动（或活动列）。"))
    return [_check(number, row, mapping, campaign, event)
            for number, row in enumerate(sheet.rows, start=sheet.skipped + 2)]


def _value(row: list[str | date], mapping: dict[int, str], name: str) -> str | date:
    index = next((i for i, f in mapping.items() if f == name), None)
    return row[index] if index is not None and index < len(row) else ""


def _check(number: int, row: list[str | date], mapping: dict[int, str], campaign: Campaign,
           event: Event | None) -> SheetRow:
    def text(name: str) -> str:
        return str(_value(row, mapping, name)).strip()

    checked = SheetRow(number, title=text("title"), url=text("url"), page=text("page"),
                       genre=text("genre"), note=text("note"), event=event)
    if "event" in mapping.values() and text("event"):
        checked.event = next((e for e in campaign.events
                              if text("event") in (e.key, e.title)), None)
        if checked.event is None:
            checked.errors.append(_("没有名为“%(name)s”的活动", name=text("event")))
    checked.day = parse_day(_value(row, mapping, "date"), campaign.starts_on.year)
    if checked.day is None:
        checked.errors.append(_("日期无法识别：%(value)s", value=text("date") or "—"))
    elif checked.event is not None:
        try:
            check_published_on(checked.event, checked.day)
        except ClippingDateError as error:
            checked.errors.append(str(error))
    checked.outlet = find_outlet(text("outlet")) if text("outlet") else None
    if checked.outlet is None:
        checked.errors.append(_("媒体不在名录中：%(name)s", name=text("outlet") or "—"))
    if not checked.title:
        checked.errors.append(_("缺少标题"))
    if checked.url and not re.match(r"(?i)^https?://\S+$", checked.url):
        checked.errors.append(_("链接须以 http:// 或 https:// 开头"))
    if checked.event is None and not checked.errors:
        checked.errors.append(_("请选择活动"))
    return checked


def import_rows(rows: list[SheetRow], user: User) -> dict[str, int]:
    """Write checked rows (none may have errors): links fetched as pasted links (stored by hand
    from the row when the page cannot be read), the others as manual clippings, in the current
    transaction. Counts by what became of them."""
    _refuse_errors(rows)
    return write_rows(rows, fetch_row_links(rows), user)


def fetch_row_links(rows: list[SheetRow]) -> list[FetchedLink | None]:
    """The network half of `import_rows` (reads only): each row's link fetched and read, None
    for a row without a link."""
    _refuse_errors(rows)
    return [fetch_link(row.event, row.url, outlet=row.outlet)
            if row.url and row.event is not None else None for row in rows]


def write_rows(rows: list[SheetRow], fetched: list[FetchedLink | None],
               user: User) -> dict[str, int]:
    """The write half of `import_rows`, with what `fetch_row_links` learned of the links."""
    _refuse_errors(rows)
    counts = {"linked": 0, "by_hand": 0, "clippings": 0}
    for row, link in zip(rows, fetched, strict=True):
        assert row.event is not None and row.outlet is not None and row.day is not None
        if row.url and link is not None:
            outcome = attach_link(row.event, link, user)
            if outcome.done:
                counts["linked"] += 1
                continue
            add_link_by_hand(row.event, row.url, user, title=row.title, outlet=row.outlet,
                             day=row.day)
            counts["by_hand"] += 1
        else:
            new_clipping(row.event, outlet=row.outlet, published_on=row.day, title=row.title,
                         page=row.page, genre=_genre(row.genre), note=row.note, user=user)
            counts["clippings"] += 1
    db.session.flush()  # the clippings at once (row by row, 2,000 took a second of write lock)
    return counts


def _refuse_errors(rows: list[SheetRow]) -> None:
    if any(row.errors for row in rows):
        raise SheetError(_("有错误的行，未导入任何内容。"))


def _genre(text: str) -> str:
    from campaign.core.choices import ARTICLE_GENRES

    return text if text in ARTICLE_GENRES else ""
