"""The clipping list written to a file (or stdout) for `campaign-tracker export-clippings`."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from campaign.exports.csvfile import csv_chunks
from campaign.exports.docx import write_compilation
from campaign.exports.filters import parse_filter
from campaign.exports.invitations import invitation_rows
from campaign.exports.rows import (
    ClippingRow,
    campaign_events,
    count_clipping_rows,
    iter_clipping_rows,
)
from campaign.exports.xlsx import write_xlsx
from campaign.planning.operations import get_campaign

Report = Callable[[int, int | None], None]
REPORT_EVERY = 200  # rows between two progress reports


class ProgressBar:
    """A click progress bar on standard error fed by a job's (done, total) reports, closed
    with a line saying how many rows were written (what a log keeps when it is no terminal)."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.shown = 0
        self.total: int | None = None

    def __call__(self, done: int, total: int | None) -> None:
        if self.bar is None:
            self.total = total
            self.bar = click.progressbar(length=total or 0, label="rows", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def close(self) -> None:
        """End the bar and say how far it got."""
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            click.echo(f"{self.shown} of {self.total} rows written", err=True)
        self.bar, self.shown, self.total = None, 0, None


def counted(rows: Iterable[ClippingRow], total: int | None, report: Report
            ) -> Iterator[ClippingRow]:
    """`rows`, reporting (rows taken, total) to `report` as the writer takes them."""
    report(0, total)
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % REPORT_EVERY == 0:
            report(done, total)
    report(done, total)


def export_clipping_list(slug: str, event_key: str | None, fmt: str, status: str,
                         output: Path | None, *, per_event_sheets: bool = False,
                         report: Report | None = None) -> int:
    """Write the list as csv, xlsx or docx, telling `report` how far it is; returns the
    number of rows. LookupError when the campaign or event does not exist."""
    campaign = get_campaign(slug)
    if campaign is None:
        raise LookupError(f"no campaign {slug}")
    try:
        selected = parse_filter(campaign, {"event": event_key or "", "status": status})
    except ValueError as error:
        raise LookupError(str(error)) from error
    rows = iter_clipping_rows(selected)
    if report is not None:
        rows = counted(rows, count_clipping_rows(selected), report)
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
