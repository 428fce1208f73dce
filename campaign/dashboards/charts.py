"""Plotly figure specs (plain JSON-ready dicts) built from the aggregates in `queries`.

Every text that reaches a figure is HTML-escaped: plotly renders a few tags in hover text and
tick labels, and titles come from scraped pages. Every clickable point carries in `customdata`
the local URL of the pieces behind it; `dashboards.js` navigates there on click.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from markupsafe import escape

from campaign.articles.models import day_from_number, day_number
from campaign.core.choices import TIERS
from campaign.dashboards.queries import OutletTotal, ReprintGroupReach
from campaign.planning.models import Event

MAX_POINTS = 10_000
TIER_COLOURS = {"central": "#c8102e", "provincial": "#1f6feb", "municipal": "#2da44e",
                "industry": "#bf8700", "other": "#8c959f"}
# A URL for the pieces behind a point, from a few filter overrides.
LinkFor = Callable[..., str]


def text(value: object, limit: int | None = None) -> str:
    """`value` as escaped text for a figure, cut to `limit` characters."""
    raw = str(value)
    if limit is not None and len(raw) > limit:
        raw = raw[: limit - 1] + "…"
    return str(escape(raw))


def point_count(figure: dict[str, Any]) -> int:
    """How many data points a figure sends (heatmap cells count one each)."""
    total = 0
    for trace in figure["data"]:
        if "z" in trace:
            total += sum(len(row) for row in trace["z"])
        else:
            total += len(trace.get("x") or trace.get("y") or [])
    return total


def count_axis(largest: float, **axis: Any) -> dict[str, Any]:
    """An axis of counts: from zero, whole numbers only (a tick per unit when they are few)."""
    axis = {"rangemode": "tozero", "tickformat": "d", **axis}
    if largest <= 8:
        axis["dtick"] = 1
    return axis


def _figure(data: list[dict[str, Any]], **layout: Any) -> dict[str, Any]:
    figure = {"data": data, "layout": {"barmode": "group", **layout}}
    if point_count(figure) > MAX_POINTS:  # the builders cap their input; this is the guard
        raise ValueError("a dashboard chart may not send more than 10,000 points")
    return figure


def daily_chart(rows: list[tuple[int, str, int]], events: list[Event],
                link: LinkFor, event_link: Callable[[Event], str]) -> dict[str, Any]:
    """Pieces per day, stacked by tier, with each event marked on its day."""
    rows = rows[: MAX_POINTS - len(events) - 1]
    totals: dict[int, int] = {}
    traces = []
    for tier in TIERS:
        mine = [(d, n) for d, t, n in rows if t == tier]
        for d, n in mine:
            totals[d] = totals.get(d, 0) + n
        if not mine:
            continue
        days = [day_from_number(d).isoformat() for d, _ in mine]
        traces.append({
            "type": "bar", "name": text(TIERS[tier]), "x": days, "y": [n for _, n in mine],
            "marker": {"color": TIER_COLOURS[tier]},
            "customdata": [link(day=d, tier=tier) for d in days],
            "hovertemplate": "%{x|%Y-%m-%d} %{fullData.name}: %{y}<extra></extra>",
        })
    top = max(totals.values(), default=1) * 1.12 + 0.5
    traces.append(_event_markers(events, top, event_link))
    shapes = [{"type": "line", "xref": "x", "yref": "paper", "x0": e.start_date.isoformat(),
               "x1": e.start_date.isoformat(), "y0": 0, "y1": 1,
               "line": {"color": "#8c959f", "width": 1, "dash": "dot"}} for e in events]
    return _figure(traces, barmode="stack", shapes=shapes, legend={"traceorder": "normal"},
                   xaxis={"type": "date", "tickformat": "%m-%d"},
                   yaxis=count_axis(top, title={"text": text(_l("稿件数"))}))


def _event_markers(events: list[Event], y: float,
                   event_link: Callable[[Event], str]) -> dict[str, Any]:
    return {
        "type": "scatter", "mode": "markers", "name": text(_l("各项活动")),
        "x": [e.start_date.isoformat() for e in events], "y": [y] * len(events),
        "marker": {"symbol": "triangle-down", "size": 11, "color": "#57606a"},
        "text": [text(e.title, 40) for e in events],
        "customdata": [event_link(e) for e in events],
        "hovertemplate": "%{x|%m-%d} %{text}<extra></extra>",
    }


def plan_chart(events: list[Event], invited: dict[int, int], reporting: dict[int, int],
               link: LinkFor, event_link: Callable[[Event], str]) -> dict[str, Any]:
    """Target, invited and reporting outlets per event, as grouped horizontal bars (event
    names read across, on a phone too)."""
    events = [e for e in events if e.target_outlets or invited.get(e.id) or reporting.get(e.id)]
    events = list(reversed(events[: MAX_POINTS // 3]))  # the first event at the top
    names = [text(e.short_title, 12) for e in events]
    series = [
        (_l("报道媒体"), [reporting.get(e.id, 0) for e in events], "#c8102e",
         [link(event=e.key) for e in events]),
        (_l("邀请媒体"), [invited.get(e.id, 0) for e in events], "#8c959f",
         [event_link(e) for e in events]),
        (_l("目标家数"), [e.target_outlets or 0 for e in events], "#d0d7de",
         [event_link(e) for e in events]),
    ]
    traces = [{"type": "bar", "orientation": "h", "name": text(name), "y": names, "x": values,
               "marker": {"color": colour}, "customdata": urls,
               "hovertemplate": "%{y}<br>%{fullData.name}: %{x}<extra></extra>"}
              for name, values, colour, urls in series]
    largest = max((v for _, values, _, _ in series for v in values), default=0)
    return _figure(traces, legend={"traceorder": "reversed"},
                   yaxis={"type": "category", "automargin": True},
                   xaxis=count_axis(largest, title={"text": text(_l("媒体家数"))}),
                   height=max(260, 54 * len(events) + 110))


def heatmap_chart(outlets: list[OutletTotal], events: list[Event],
                  counts: dict[tuple[int, int], int], link: LinkFor) -> dict[str, Any]:
    """Pieces per outlet (rows: the top outlets) and event (columns: events with coverage)."""
    events = [e for e in events if any((o.id, e.id) in counts for o in outlets)]
    events = events[: MAX_POINTS // max(len(outlets), 1)]
    outlets = list(reversed(outlets))  # the biggest at the top
    # No pieces: an empty cell (nothing to click), not a zero.
    z = [[counts.get((o.id, e.id)) for e in events] for o in outlets]
    urls = [[link(outlet=str(o.id), event=e.key) for e in events] for o in outlets]
    trace = {"type": "heatmap", "x": [text(e.short_title, 14) for e in events],
             "y": [text(o.name, 10) for o in outlets], "z": z, "customdata": urls,
             "colorscale": [[0, "#f6f8fa"], [0.0001, "#ffe1e1"], [1, "#9e0c24"]],
             "xgap": 1, "ygap": 1, "showscale": False, "hoverongaps": False,
             "zmin": 0, "texttemplate": "%{z}",
             "hovertemplate": "%{y} · %{x}: %{z}<extra></extra>"}
    return _figure([trace], xaxis={"type": "category", "automargin": True, "side": "top"},
                   yaxis={"type": "category", "automargin": True},
                   height=max(260, 26 * len(outlets) + 120))


def top_outlets_chart(outlets: list[OutletTotal], link: LinkFor) -> dict[str, Any]:
    """The outlets with the most pieces, as horizontal bars coloured by tier."""
    outlets = list(reversed(outlets))
    trace = {"type": "bar", "orientation": "h", "x": [o.pieces for o in outlets],
             "y": [text(o.name, 10) for o in outlets],
             "marker": {"color": [TIER_COLOURS.get(o.tier, "#8c959f") for o in outlets]},
             "text": [text(TIERS.get(o.tier, o.tier)) for o in outlets],
             "customdata": [link(outlet=str(o.id)) for o in outlets],
             "hovertemplate": "%{y} (%{text}): %{x}<extra></extra>", "textposition": "none"}
    return _figure([trace], showlegend=False,
                   xaxis=count_axis(max((o.pieces for o in outlets), default=0),
                                    title={"text": text(_l("稿件数"))}),
                   yaxis={"type": "category", "automargin": True},
                   height=max(200, 24 * len(outlets) + 90))


def reprint_chart(groups: list[ReprintGroupReach],
                  article_link: Callable[[int], str]) -> dict[str, Any]:
    """How far each story spread: outlets reached per reprint group, the original named first
    (inside the bar, so long titles take no axis room on a phone)."""
    groups = list(reversed(groups))
    labels, hovers, links = [], [], []
    for g in groups:
        original = g.original
        head = original.outlet if original else "?"
        labels.append(text(f"{head}：{g.title}", 24))
        names = "、".join(dict.fromkeys(m.outlet for m in g.reprints))
        hovers.append(f"{text(g.title, 40)}<br>{text(_l('原发'))}：{text(head)}"
                      f"<br>{text(_l('转载'))}：{text(names, 120)}")
        links.append(article_link((original or g.members[0]).article_id))
    trace = {"type": "bar", "orientation": "h", "x": [g.outlet_count for g in groups],
             "y": [str(g.group_id) for g in groups], "text": labels, "hovertext": hovers,
             "customdata": links, "textposition": "inside", "insidetextanchor": "start",
             "marker": {"color": "#79b8ff"}, "textfont": {"color": "#1f2328"},
             "hovertemplate": "%{hovertext}<extra></extra>"}
    return _figure([trace], showlegend=False,
                   xaxis=count_axis(max((g.outlet_count for g in groups), default=0),
                                    title={"text": text(_l("媒体家数"))}),
                   yaxis={"type": "category", "showticklabels": False},
                   height=max(150, 34 * len(groups) + 80))


RELATIVE_DAYS = range(-2, 8)


def relative_day_chart(rows: list[tuple[int, str, int]], event_day: date,
                       link: LinkFor) -> tuple[dict[str, Any], int]:
    """Pieces per day from D-2 to D+7 around the event's day, stacked by tier; and how many
    pieces fell outside those days."""
    offsets = {day_number(event_day + timedelta(days=k)): k for k in RELATIVE_DAYS}
    labels = [f"D{k:+d}" if k else "D" for k in RELATIVE_DAYS]
    outside = sum(n for d, _, n in rows if d not in offsets)
    traces: list[dict[str, Any]] = []
    for tier in TIERS:
        values = dict.fromkeys(RELATIVE_DAYS, 0)
        for d, t, n in rows:
            if t == tier and d in offsets:
                values[offsets[d]] += n
        if not any(values.values()):
            continue
        days = [(event_day + timedelta(days=k)).isoformat() for k in RELATIVE_DAYS]
        traces.append({"type": "bar", "name": text(TIERS[tier]), "x": labels,
                       "y": list(values.values()), "marker": {"color": TIER_COLOURS[tier]},
                       "customdata": [link(day=d, tier=tier) for d in days],
                       "hovertemplate": "%{x}: %{y}<extra>%{fullData.name}</extra>"})
    largest = max((sum(t["y"][i] for t in traces) for i in range(len(labels))), default=0)
    figure = _figure(traces, barmode="stack", xaxis={"type": "category"},
                     legend={"traceorder": "normal"},
                     yaxis=count_axis(largest, title={"text": text(_l("稿件数"))}))
    return figure, outside


# A multi-date column's chart runs from two days before its first date to a week after its
# last, and no longer than a campaign with its preparation and follow-up.
MAX_DATED_DAYS = 1100


def dated_day_chart(rows: list[tuple[int, str, int]], planned: list[date],
                    link: LinkFor) -> tuple[dict[str, Any], int]:
    """Pieces per date for an event planned on several dates (a column, a series): every
    date from two days before the first to a week after the last, stacked by tier, planned
    dates marked with a star; and how many pieces fell outside those days."""
    first = planned[0] - timedelta(days=2)
    last = min(planned[-1] + timedelta(days=7), first + timedelta(days=MAX_DATED_DAYS - 1))
    days = [first + timedelta(days=k) for k in range((last - first).days + 1)]
    index = {day_number(d): i for i, d in enumerate(days)}
    marked = set(planned)
    labels = [f"{d.month}-{d.day}{'★' if d in marked else ''}" for d in days]
    outside = sum(n for d, _, n in rows if d not in index)
    traces: list[dict[str, Any]] = []
    for tier in TIERS:
        values = [0] * len(days)
        for d, t, n in rows:
            if t == tier and d in index:
                values[index[d]] += n
        if any(values):
            traces.append({"type": "bar", "name": text(TIERS[tier]), "x": labels, "y": values,
                           "marker": {"color": TIER_COLOURS[tier]},
                           "customdata": [link(day=d.isoformat(), tier=tier) for d in days],
                           "hovertemplate": "%{x}: %{y}<extra>%{fullData.name}</extra>"})
    largest = max((sum(t["y"][i] for t in traces) for i in range(len(labels))), default=0)
    figure = _figure(traces, barmode="stack", xaxis={"type": "category"},
                     legend={"traceorder": "normal"},
                     yaxis=count_axis(largest, title={"text": text(_l("稿件数"))}))
    return figure, outside


def invited_chart(invited: int, invited_reporting: int, uninvited_reporting: int,
                  target: int | None, link: str) -> dict[str, Any]:
    """Invited outlets against reporting ones (and the target, when set)."""
    labels = [_l("邀请媒体"), _l("邀请且报道"), _l("未邀请而报道")]
    values = [invited, invited_reporting, uninvited_reporting]
    colours = ["#8c959f", "#c8102e", "#1f6feb"]
    if target is not None:
        labels.insert(0, _l("目标家数"))
        values.insert(0, target)
        colours.insert(0, "#d0d7de")
    trace = {"type": "bar", "x": [text(label) for label in labels], "y": values,
             "marker": {"color": colours}, "customdata": [link] * len(values),
             "hovertemplate": "%{x}: %{y}<extra></extra>"}
    return _figure([trace], showlegend=False, xaxis={"type": "category"},
                   yaxis=count_axis(max(values), title={"text": text(_l("媒体家数"))}))

