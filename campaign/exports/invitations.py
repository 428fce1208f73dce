"""Invited against reporting outlets per event, for the exports (XLSX sheet, CSV, DOCX).

An invited outlet with no enabled source is 未监测 (the tracker could not see it report), listed
apart from 邀请未报道 (monitored and silent), and the count of monitorable invitees stands next to
the target, so a reader never takes "not monitored" for "did not cover us".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from campaign.coverage.stats import EventStats, event_stats
from campaign.planning.models import Event

COLUMNS = (_l("活动"), _l("日期"), _l("邀请媒体（家）"), _l("可监测（家）"), _l("目标（家）"),
           _l("报道媒体（家）"), _l("邀请且报道"), _l("邀请未报道"), _l("未监测（没有启用的来源）"),
           _l("未邀请而报道"))
NAME_SEPARATOR = "、"


@dataclass(frozen=True)
class InvitationRow:
    """One event's invitations and who reported, by name."""

    event_title: str
    day: date
    invited: int
    monitorable: int
    target: int | None
    reporting: int
    invited_reporting: list[str]
    silent: list[str]
    unmonitored: list[str]
    uninvited_reporting: list[str]

    def cells(self) -> list[Any]:
        """The row's values in column order (names joined with 、)."""
        return [self.event_title, self.day, self.invited, self.monitorable, self.target,
                self.reporting, NAME_SEPARATOR.join(self.invited_reporting),
                NAME_SEPARATOR.join(self.silent), NAME_SEPARATOR.join(self.unmonitored),
                NAME_SEPARATOR.join(self.uninvited_reporting)]


def invitation_headers() -> list[str]:
    """The column headings in the current language."""
    return [str(c) for c in COLUMNS]


def invitation_row(event: Event, stats: EventStats | None = None) -> InvitationRow:
    """The event's row, from its accepted coverage (`coverage.stats.event_stats`)."""
    stats = stats or event_stats(event)
    uninvited = {o.id for o in stats.uninvited_reporting}
    return InvitationRow(
        event_title=event.title, day=event.start_date, invited=stats.invited,
        monitorable=stats.monitorable, target=stats.target, reporting=len(stats.reporting),
        invited_reporting=[o.name for o in stats.reporting if o.id not in uninvited],
        silent=[o.name for o in stats.invited_silent],
        unmonitored=[o.name for o in stats.invited_unmonitored],
        uninvited_reporting=[o.name for o in stats.uninvited_reporting])


def invitation_rows(events: list[Event]) -> Iterator[InvitationRow]:
    """A row for each event that invited outlets or set a target, in the given order."""
    for event in events:
        if event.invited_outlets or event.target_outlets is not None:
            yield invitation_row(event)
