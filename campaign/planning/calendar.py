"""The month grid of the campaign page: weeks of days, with events laid out as bars.

A multi-day event is one bar per week it touches; bars are stacked into lanes so that no two
overlap, which is what lets a week's row show a three-day event next to a one-day one.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, timedelta

from campaign.planning.instalments import instalment_dates, period_end
from campaign.planning.models import Campaign, EditorialSlot, Event
from campaign.planning.rules import MAX_FOLLOW_UP_DAYS, MAX_PERIOD_DAYS, MAX_PREPARATION_DAYS

# Enough weeks for the longest campaign the forms accept (its preparation and its period, each
# starting mid-week); a row saved before the dates were checked gets no more than these.
MAX_WEEKS = (MAX_PREPARATION_DAYS + MAX_PERIOD_DAYS + MAX_FOLLOW_UP_DAYS) // 7 + 2
MAX_MONTHS = (MAX_PREPARATION_DAYS + MAX_PERIOD_DAYS + MAX_FOLLOW_UP_DAYS) // 28 + 2
# 31 December 9999 is a Friday: the week after the last whole one would leave Python's dates.
LAST_WHOLE_WEEK_END = date.max - timedelta(days=date.max.weekday() + 1)


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
        return [span for slot in event.slots for span in _slot_spans(slot)]
    return [(event.start_date, event.end_date)]


def _slot_spans(slot: EditorialSlot) -> list[tuple[date, date]]:
    """Each instalment's day, or the whole period of a column known only by its period."""
    days = instalment_dates(slot)
    if days is None:
        return [(slot.planned_on, period_end(slot))]
    return [(day, day) for day in days]


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
    """Weeks (Monday first) covering `first`..`last`, each with its event bars; never more
    than MAX_WEEKS of them, and none past the last whole week Python's dates can hold."""
    start = week_start(first)
    count = min(_weeks_spanned(first, min(last, LAST_WHOLE_WEEK_END)), MAX_WEEKS)
    weeks = []
    for n in range(max(count, 0)):
        week = start + timedelta(days=7 * n)
        days = [_day(campaign, week + timedelta(days=i), today=today, month=month)
                for i in range(7)]
        end = week + timedelta(days=6)
        bars = [bar for event in events for bar in _bars(event, week, end)]
        weeks.append(Week(days=days, lanes=_lanes(bars)))
    return weeks


def too_long_for_calendar(first: date, last: date) -> bool:
    """True when `first`..`last` needs more weeks than build_weeks lays out (a campaign saved
    before its dates were checked, with a mistyped year)."""
    return _weeks_spanned(first, last) > MAX_WEEKS


def _weeks_spanned(first: date, last: date) -> int:
    """How many Monday-first weeks `first`..`last` touches (0 or fewer when it is empty)."""
    return (last - week_start(first)).days // 7 + 1


def _day(campaign: Campaign, d: date, *, today: date, month: tuple[int, int] | None) -> Day:
    return Day(
        day=d,
        in_campaign=campaign.first_day <= d <= campaign.last_day,
        in_period=campaign.starts_on <= d <= campaign.ends_on,
        in_month=month is None or (d.year, d.month) == month,
        is_today=d == today,
    )


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def campaign_months(campaign: Campaign) -> list[tuple[int, int]]:
    """The (year, month) pairs the campaign touches, preparation included (at most
    MAX_MONTHS of them)."""
    months: list[tuple[int, int]] = []
    current = (campaign.first_day.year, campaign.first_day.month)
    while current <= (campaign.last_day.year, campaign.last_day.month) and len(months) < MAX_MONTHS:
        months.append(current)
        current = _next_month(*current)
    return months


def in_campaign_months(campaign: Campaign, year: int, month: int) -> bool:
    """True when (year, month) is one of the months the campaign touches."""
    first = campaign.first_day
    return (first.year, first.month) <= (year, month) <= (campaign.last_day.year,
                                                           campaign.last_day.month)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])
