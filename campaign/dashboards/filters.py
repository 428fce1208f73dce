"""What a dashboard is filtered on, read from (and written back to) the URL's query string, so
a view can be bookmarked and sent."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from campaign.articles.models import day_number
from campaign.core.choices import EVENT_TYPES, TIERS
from campaign.core.values import date_param, int_param

# The tiers officers break counts down by (outlets of tier "other" count in the totals only).
KPI_TIERS = ("central", "provincial", "municipal", "industry")
KINDS = ("page_one", "reprint")


@dataclass(frozen=True)
class DashboardFilters:
    """Date range, tier, outlet and event type; plus, for the drill-down list, one day,
    one event, page one only or reprints only."""

    date_from: date | None = None
    date_to: date | None = None
    tier: str = ""
    outlet_id: int | None = None
    event_type: str = ""
    # Drill-down only (set by chart clicks, not by the form).
    day: date | None = None
    event_key: str = ""
    kind: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> DashboardFilters:
        """Read the query string leniently: a value that does not parse is ignored."""
        tier, event_type, kind = args.get("tier", ""), args.get("type", ""), args.get("kind", "")
        return cls(
            date_from=date_param(args.get("from")), date_to=date_param(args.get("to")),
            tier=tier if tier in TIERS else "",
            outlet_id=int_param(args.get("outlet")),
            event_type=event_type if event_type in EVENT_TYPES else "",
            day=date_param(args.get("day")),
            event_key=(args.get("event") or "")[:80],
            kind=kind if kind in KINDS else "",
        )

    def to_args(self, **changes: Any) -> dict[str, str]:
        """The query string of these filters (empty values left out), with `changes`."""
        values = {name: getattr(self, name) for name in FIELDS} | changes
        args = {"from": values["date_from"], "to": values["date_to"], "tier": values["tier"],
                "outlet": values["outlet_id"], "type": values["event_type"],
                "day": values["day"], "event": values["event_key"], "kind": values["kind"]}
        return {k: str(v) for k, v in args.items() if v not in ("", None)}

    def without_drilldown(self) -> DashboardFilters:
        return replace(self, day=None, event_key="", kind="")

    @property
    def active(self) -> bool:
        return bool(self.to_args())

    @property
    def day_range(self) -> tuple[int | None, int | None]:
        """The first and last YYYYMMDD day numbers asked for (None: open)."""
        start, end = self.date_from, self.date_to
        if self.day is not None:
            start = max(start, self.day) if start else self.day
            end = min(end, self.day) if end else self.day
        return (day_number(start) if start else None, day_number(end) if end else None)


FIELDS = tuple(f.name for f in fields(DashboardFilters))
