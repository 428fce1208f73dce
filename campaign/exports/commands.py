"""The clipping list written to a file (or stdout) for `campaign-tracker export-clippings`."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from campaign.exports.csvfile import csv_chunks
from campaign.exports.docx import write_compilation
from campaign.exports.filters import parse_filter
from campaign.exports.invitations import invitation_rows
from campaign.exports.rows import ClippingRow, campaign_events, iter_clipping_rows
from campaign.exports.xlsx import write_xlsx
from campaign.planning.operations import get_campaign


def export_clipping_list(slug: str, event_key: str | None, fmt: str, status: str,
                         output: Path | None, *, per_event_sheets: bool = False) -> int:
    """Write the list as csv, xlsx or docx; returns the number of rows. LookupError when the
    campaign or event does not exist."""
    campaign = get_campaign(slug)
    if campaign is None:
        raise LookupError(f"no campaign {slug}")
    try:
        selected = parse_filter(campaign, {"event": event_key or "", "status": status})
    except ValueError as error:
        raise LookupError(str(error)) from error
    rows = iter_clipping_rows(selected)
    if fmt == "csv":
        return _write_csv(rows, output)
    assert output is not None  # the command insists on -o for binary formats
    if fmt == "xlsx":
        events = None
        if per_event_sheets:
            events = [(e.id, e.title) for e in campaign_events(campaign, selected)]
        invitations = list(invitation_rows(campaign_events(campaign, selected)))
        return write_xlsx(rows, output, events=events, invitations=invitations)
    return write_compilation(campaign, campaign_events(campaign, selected), rows, output)


def _write_csv(rows: Iterator[ClippingRow], output: Path | None) -> int:
    count = 0

    def counted() -> Iterator[ClippingRow]:
        nonlocal count
        for row in rows:
            count += 1
            yield row

    if output is None:
        for chunk in csv_chunks(counted()):
            sys.stdout.write(chunk)
        return count
    # newline="" keeps the CSV's own CRLF line ends.
    with output.open("w", encoding="utf-8", newline="") as out:
        for chunk in csv_chunks(counted()):
            out.write(chunk)
    return count
