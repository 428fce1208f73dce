"""What each dashboard chart shows, against the world's pieces counted by hand: the daily
bars by tier with the events marked, plan against actual, the heatmap, the top outlets, and
the event dashboard's reprint groups."""

from __future__ import annotations

from tests.dashboards.conftest import chart_specs


def specs_of(client, login, url):
    login("leader")
    return chart_specs(client.get(url).get_data(as_text=True))


def test_daily_bars_by_tier_and_events_marked(client, login, world):
    """Pieces per day stacked by tier (the clipping included, the article of two events once),
    each event marked on its day by a marker and a dotted line."""
    daily = specs_of(client, login, "/campaigns/pm/dashboard")["daily"]
    bars = {}
    for trace in daily["data"]:
        if trace["type"] == "bar":
            for day, n in zip(trace["x"], trace["y"], strict=True):
                bars[day, trace["name"]] = n
    assert bars == {("2006-04-25", "省级"): 1, ("2006-04-27", "省级"): 2,
                    ("2006-04-27", "中央"): 1, ("2006-04-28", "中央"): 1,
                    ("2006-04-28", "市级"): 1, ("2006-04-28", "行业"): 1}
    markers = next(t for t in daily["data"] if t["type"] == "scatter")
    assert {"2006-04-25", "2006-04-27"} <= set(markers["x"])
    assert {s["x0"] for s in daily["layout"]["shapes"]} == set(markers["x"])


def test_plan_against_actual_per_event(client, login, world):
    """Per event: the reporting outlets (the clipping's outlet too), the invited, the target;
    an event with none of the three is left out."""
    plan = specs_of(client, login, "/campaigns/pm/dashboard")["plan"]
    series = {t["name"]: dict(zip(t["y"], t["x"], strict=True)) for t in plan["data"]}
    rally, briefing = world.events["rally"].short_title, world.events["briefing"].short_title
    assert series["报道媒体"] == {rally: 5, briefing: 3}
    assert series["邀请媒体"] == {rally: 3, briefing: 0}
    assert series["目标家数"] == {rally: 4, briefing: 0}


def test_heatmap_and_top_outlets(client, login, world):
    """The heatmap counts each event's pieces per outlet (an article of two events in both
    columns); the top outlets count each piece once, the biggest first."""
    specs = specs_of(client, login, "/campaigns/pm/dashboard")
    heat = specs["heatmap"]["data"][0]
    cells = {(y, x): z for y, row in zip(heat["y"], heat["z"], strict=True)
             for x, z in zip(heat["x"], row, strict=True) if z is not None}
    assert sum(cells.values()) == 8  # rally 5 + briefing 3
    assert [z for (y, _), z in cells.items() if y == "人民日报"] == [1, 1]
    top = specs["outlets"]["data"][0]
    totals = dict(zip(top["y"], top["x"], strict=True))
    assert sum(totals.values()) == 7 and top["y"][-1] == "新安晚报" and totals["新安晚报"] == 2


def test_event_dashboard_shows_its_reprint_group(client, login, world):
    """The rally's dashboard charts its reprint group: three outlets, the original named
    first."""
    reprints = specs_of(client, login, "/campaigns/pm/events/rally/dashboard")["reprints"]
    trace = reprints["data"][0]
    assert trace["x"] == [3] and trace["text"][0].startswith("安徽日报")
