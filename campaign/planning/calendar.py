"""The month grid of the campaign page: weeks of days, with events laid out as bars.

A multi-day event is one bar per week it touches; bars are stacked into lanes so that no two
overlap, which is what lets a week's row show a three-day event next to a one-day one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from campaign.planning.models import Campaign, Event


@dataclass
class Bar:
    event: Event
    start_col: int  # 1..7
    span: int
    continues_before: bool
    continues_after: bool


@dataclass
class Day:
    day: date
    in_campaign: bool
    in_period: bool  # inside the official period (not only the preparation)
    in_month: bool
    is_today: bool


@dataclass
class Week:
    days: list[Day]
    lanes: list[list[Bar]] = field(default_factory=list)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _lanes(bars: list[Bar]) -> list[list[Bar]]:
    lanes: list[list[Bar]] = []
    for bar in sorted(bars, key=lambda b: (b.start_col, -b.span)):
        for lane in lanes:
            last = lane[-1]
            if last.start_col + last.span <= bar.start_col:
                lane.append(bar)
                break
        else:
            lanes.append([bar])
    return lanes


def _spans(event: Event) -> list[tuple[date, date]]:
    """The days an event shows on: its slot dates for an editorial slot (a column that runs
    on six days shows on those six days), otherwise its start to its end."""
    if event.slots:
        return [(slot.planned_on, slot.planned_on) for slot in event.slots]
    return [(event.start_date, event.end_date)]


def _bars(event: Event, start: date, end: date) -> list[Bar]:
    bars = []
    for first, last in _spans(event):
        if last < start or first > end:
            continue
        bar_start, bar_end = max(first, start), min(last, end)
        bars.append(Bar(
            event=event, start_col=(bar_start - start).days + 1,
            span=(bar_end - bar_start).days + 1,
            continues_before=first < start, continues_after=last > end,
        ))
    return bars


def build_weeks(
    campaign: Campaign, events: list[Event], *, first: date, last: date, today: date,
    month: tuple[int, int] | None = None,
) -> list[Week]:
    """Weeks (Monday first) covering `first`..`last`, each with its event bars."""
    weeks = []
    start = week_start(first)
    while start <= last:
        end = start + timedelta(days=6)
        days = [
            Day(
                day=d,
                in_campaign=campaign.first_day <= d <= campaign.ends_on,
                in_period=campaign.starts_on <= d <= campaign.ends_on,
                in_month=month is None or (d.year, d.month) == month,
                is_today=d == today,
            )
            for d in (start + timedelta(days=i) for i in range(7))
        ]
        bars = [bar for event in events for bar in _bars(event, start, end)]
        weeks.append(Week(days=days, lanes=_lanes(bars)))
        start += timedelta(days=7)
    return weeks


def campaign_months(campaign: Campaign) -> list[tuple[int, int]]:
    """The (year, month) pairs the campaign touches, preparation included."""
    months = []
    current = campaign.first_day.replace(day=1)
    while current <= campaign.ends_on:
        months.append((current.year, current.month))
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)
