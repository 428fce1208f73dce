"""The clipping list as CSV: UTF-8 with a BOM, so Excel and WPS open the Chinese correctly."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date

from campaign.exports.columns import cells, headers, neutralise
from campaign.exports.invitations import InvitationRow, invitation_headers
from campaign.exports.rows import ClippingRow

BOM = "\ufeff"
# Rows written to the buffer before it is handed on as one chunk.
CHUNK_ROWS = 500


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))


def csv_chunks(rows: Iterable[ClippingRow]) -> Iterator[str]:
    """The CSV text in chunks (BOM and header first), for a streamed response or a file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers())
    yield BOM + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for count, row in enumerate(rows, start=1):
        writer.writerow([_text(v) for v in cells(row)])
        if count % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def invitation_csv(rows: Iterable[InvitationRow]) -> str:
    """Invited against reporting outlets per event (邀请未报道 and 未监测 apart) as CSV text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(invitation_headers())
    writer.writerows([_text(v) for v in row.cells()] for row in rows)
    return BOM + buffer.getvalue()
