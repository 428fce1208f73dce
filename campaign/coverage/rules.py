"""From a planned event to a matching rule: default windows by type, a suggested query, and
the `EventRule` the engine runs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from campaign.core.choices import SLOT_ARTICLE_GENRE
from campaign.coverage.engine import EventRule, SlotRule
from campaign.coverage.models import CoverageRule
from campaign.coverage.query import QueryError, keywords_query, parse
from campaign.planning.instalments import covered_days
from campaign.planning.models import Event

# (days before the event day, days after its last day) by event type. Wide on purpose: previews
# come a day or two ahead and follow-ups a week later; the scoring model weighs the day.
DEFAULT_WINDOWS: dict[str, tuple[int, int]] = {
    "press_briefing": (2, 10),
    "send_off": (2, 10),
    "rally": (2, 10),
    "broadcast": (2, 10),
    "editorial_slot": (1, 1),
    "notice": (2, 10),
    "other": (2, 10),
}

# Words that name what kind of event a title describes; a suggested query anchors on them.
TYPE_ANCHORS: dict[str, tuple[str, ...]] = {
    "press_briefing": ("新闻通气会",),
    "send_off": ("欢送",),
    "rally": ("动员大会",),
    "broadcast": ("直播",),
}



@dataclass(frozen=True)
class Window:
    before: int
    after: int


def window_of(event: Event, rule: CoverageRule | None) -> Window:
    """The event's window: the officer's days when set, else the type's default."""
    before, after = DEFAULT_WINDOWS.get(event.type, DEFAULT_WINDOWS["other"])
    if rule is not None and rule.days_before is not None:
        before = rule.days_before
    if rule is not None and rule.days_after is not None:
        after = rule.days_after
    return Window(before, after)


def suggest_query(event: Event) -> str:
    """A sensible starting query from the event's keywords, title and type.

    Keywords of three or more characters are alternatives; the type's anchor word (with
    synonyms on, 新闻通气会 also finds 发布会) is added when the title uses it.
    """
    words = [k for k in event.keyword_list if len(k) >= 2]
    anchors = [a for a in TYPE_ANCHORS.get(event.type, ()) if a not in words]
    words += [a for a in anchors if a in event.title or not words]
    if not words:
        pieces = re.split(r"[\s“”\"《》、，,：:（）()]+", event.title)
        words = [w for w in pieces if len(w) >= 3][:3]
    return keywords_query(words) if words else event.title.strip()


def query_of(event: Event, rule: CoverageRule | None) -> str:
    return (rule.query if rule is not None and rule.query.strip() else suggest_query(event))


def build_rule(event: Event, rule: CoverageRule | None,
               involved: frozenset[int] = frozenset()) -> EventRule | None:
    """The engine rule of an event, or None when the event is cancelled or its query is bad;
    `involved` are the outlets its campaign invites or plans slots in."""
    if event.status == "cancelled":
        return None
    try:
        query = parse(query_of(event, rule))
    except QueryError:
        return None
    window = window_of(event, rule)
    # A column planned as a period places a piece on each of its instalments (or on any day
    # of its period when only the period is known).
    slots = tuple(SlotRule(outlet_id=s.outlet_id, day=day,
                           genre=SLOT_ARTICLE_GENRE.get(s.genre, ""),
                           page_number=s.page_number)
                  for s in event.slots for day in covered_days(s))
    days = None
    restricted = rule is not None and bool(rule.outlets)
    outlet_ids = frozenset(o.id for o in rule.outlets) if restricted and rule else None
    if slots:
        days = frozenset(s.day + timedelta(days=d) for s in slots
                         for d in range(-window.before, window.after + 1))
        outlet_ids = outlet_ids or frozenset(s.outlet_id for s in slots)
    first = event.start_date - timedelta(days=window.before)
    last = event.end_date + timedelta(days=window.after)
    return EventRule(
        event_id=event.id, query=query, first_day=first, last_day=last,
        event_day=event.start_date, use_synonyms=rule.use_synonyms if rule else True,
        outlet_ids=outlet_ids, invited=frozenset(o.id for o in event.invited_outlets),
        involved=involved, slots=slots, days=days,
        strict=rule is not None and bool(rule.query.strip()),
    )
