"""The days a slot planned as a period runs: its instalments.

A slot is one day, or a period (first day and `ends_on`), with a weekday rhythm or a count:
- a rhythm: every one of those weekdays in the period (the first `expected` of them when a
  count is given, and then the period may stay open);
- a count without a rhythm or end: that many days in a row from the first day;
- only a period: None, any day of it ("every instalment found counts").
A rhythm with neither end nor count runs until the event's last day (when the event is
longer than the slot's first day) or else the campaign's. A period planned without a rhythm
takes the one its event's description states in words (每周二、周五).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.planning.models import EditorialSlot

WEEKDAY_LABELS = {1: _l("周一"), 2: _l("周二"), 3: _l("周三"), 4: _l("周四"), 5: _l("周五"),
                  6: _l("周六"), 7: _l("周日")}
_ENGLISH_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                     "sunday")
# "二" (周二, 星期二 once the prefix is gone), "tue" or "tuesday".
_WEEKDAY_WORDS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7,
                  **{name: n for n, name in enumerate(_ENGLISH_WEEKDAYS, start=1)},
                  **{name[:3]: n for n, name in enumerate(_ENGLISH_WEEKDAYS, start=1)}}
_WEEKDAY_PREFIX = re.compile(r"^(?:周|星期|礼拜)")


def parse_weekday(value: object) -> int:
    """An ISO weekday (1 = Monday) from 2, "2", "tue", "Tuesday", "周二", "星期二" or "二";
    ValueError for anything else."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = _WEEKDAY_PREFIX.sub("", str(value).strip().lower())
        number = int(text) if text.isdigit() else _WEEKDAY_WORDS.get(text, 0)
    if not 1 <= number <= 7:
        raise ValueError(str(value))
    return number


# "每周二、周五", "每星期二和五", "逢周三": the rhythm officers write into a column's description.
_DAY = "[一二三四五六日天]"
_RHYTHM = re.compile(rf"(?:每周|每星期|每逢周|逢周|每逢星期)({_DAY}(?:\s*[、和及与,，/]\s*"
                     rf"(?:周|星期)?{_DAY})*)")


def rhythm_in_text(text: str) -> list[int]:
    """The weekdays of a rhythm written in words ("自6月起每周二、周五刊出" → [2, 5])."""
    found: set[int] = set()
    for match in _RHYTHM.finditer(text or ""):
        found.update(_WEEKDAY_WORDS[day] for day in re.findall(_DAY, match.group(1)))
    return sorted(found)


def slot_rhythm(slot: EditorialSlot) -> list[int]:
    """The slot's weekdays: as planned, or — for a column planned as a period with neither
    rhythm nor count — the rhythm its event's description states in words."""
    if slot.weekday_numbers or slot.expected or not slot.ends_on:
        return slot.weekday_numbers
    return rhythm_in_text(slot.event.description or "")


def weekdays_text(numbers: list[int]) -> str:
    """The rhythm as it is stored: sorted ISO numbers, "2,5"."""
    return ",".join(str(n) for n in sorted(set(numbers)))


def open_end(slot: EditorialSlot) -> date:
    """Where a rhythm with neither end nor count stops: the event's last day when the event
    runs past the slot's first day, else the campaign's."""
    event_end = slot.event.end_date
    return event_end if event_end > slot.planned_on else slot.event.campaign.ends_on


def period_end(slot: EditorialSlot) -> date:
    """The last day the slot may run (its first day when it is a single day)."""
    if slot.ends_on:
        return slot.ends_on
    if slot_rhythm(slot) and not slot.expected:
        return open_end(slot)
    days = instalment_dates(slot)
    return days[-1] if days else slot.planned_on


def instalment_dates(slot: EditorialSlot) -> list[date] | None:
    """The days the slot is expected to run, or None when only its period is known."""
    rhythm = slot_rhythm(slot)
    fallback = open_end(slot) if rhythm and not (slot.ends_on or slot.expected) else None
    return plan_days(slot.planned_on, ends_on=slot.ends_on, weekdays=rhythm,
                     count=slot.expected, open_end=fallback)


def plan_days(first: date, *, ends_on: date | None, weekdays: list[int], count: int | None,
              open_end: date | None = None) -> list[date] | None:
    """`instalment_dates` of a plan not yet saved (`open_end` ends an open rhythm)."""
    if weekdays:
        last = ends_on or (None if count else open_end or first)
        return _rhythm_days(first, last, weekdays, count)
    if ends_on:
        return None
    return [first + timedelta(days=i) for i in range(count or 1)]


def _rhythm_days(first: date, last: date | None, rhythm: list[int],
                 count: int | None) -> list[date]:
    days: list[date] = []
    day = first
    # With a count and no end the days run on until the count is reached; a count is at most
    # a campaign's length, so the loop ends.
    while (last is None or day <= last) and (count is None or len(days) < count):
        if day.isoweekday() in rhythm:
            days.append(day)
        day += timedelta(days=1)
    return days


def covered_days(slot: EditorialSlot) -> list[date]:
    """Every day a piece may count for the slot: its instalments, or each day of its period."""
    days = instalment_dates(slot)
    if days is not None:
        return days
    last = period_end(slot)
    return [slot.planned_on + timedelta(days=i) for i in range((last - slot.planned_on).days + 1)]


def plan_in_words(slot: EditorialSlot) -> str:
    """"2011-08-12 至 2011-09-09 · 每周二、周五 · 共 9 期"; a single day says nothing more."""
    if not slot.recurring:
        return ""
    parts = [_("%(first)s 至 %(last)s", first=slot.planned_on.isoformat(),
               last=period_end(slot).isoformat())]
    if (rhythm := slot_rhythm(slot)):
        parts.append(_("每%(days)s", days=_("、").join(
            str(WEEKDAY_LABELS[n]) for n in rhythm)))
        if not slot.weekday_numbers:
            parts.append(_("（按活动说明）"))
    days = instalment_dates(slot)
    if days is not None:
        parts.append(_("共 %(n)d 期", n=len(days)))
    else:
        parts.append(_("计划 %(n)d 期", n=slot.expected or 1))
    return " · ".join(parts)


def init_app(app: Flask) -> None:
    """Offer the plan of a slot, in words and in days, to the templates."""
    app.jinja_env.globals.update(slot_plan_in_words=plan_in_words,
                                 planned_instalments=planned_instalments)


def planned_instalments(slots: list[EditorialSlot]) -> int:
    """How many pieces the slots of an event plan in all."""
    return sum(expected_count(slot) for slot in slots)


def expected_count(slot: EditorialSlot) -> int:
    """How many instalments the plan asks for."""
    days = instalment_dates(slot)
    return len(days) if days is not None else (slot.expected or 1)
