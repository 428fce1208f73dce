"""The figures on the dashboards against counts made here, in plain Python, from the objects
the test created; and filters in the URL changing them."""

from __future__ import annotations

from datetime import date

from tests.dashboards.conftest import World, tiles

TIERS = ("central", "provincial", "municipal", "industry")


def expected(world: World, *, tier: str = "", event: str = "", first: date | None = None,
             last: date | None = None) -> dict[str, dict[str, int]]:
    """稿件数, 媒体家数, 头版, 转载 per tier, counted from the world's objects."""
    def keep(outlet, day, key):
        return ((not tier or outlet.tier == tier) and (not event or key == event)
                and (first is None or day >= first) and (last is None or day <= last))

    articles = {a.id: a for key, a in world.accepted
                if keep(a.outlet, a.published_at.astimezone(_bj()).date(), key)}
    clips = [c for c in world.clippings
             if keep(_outlet(world, c.outlet_id), c.published_on, _key(world, c.event_id))]
    out: dict[str, dict[str, int]] = {}
    for t in TIERS:
        mine = [a for a in articles.values() if a.outlet.tier == t]
        my_clips = [c for c in clips if _outlet(world, c.outlet_id).tier == t]
        out[t] = {
            "pieces": len(mine) + len(my_clips),
            "outlets": len({a.outlet_id for a in mine} | {c.outlet_id for c in my_clips}),
            "page_one": sum(a.page_number == 1 for a in mine)
            + sum(c.page_number == 1 for c in my_clips),
            "reprints": sum(a.reprint_group_id is not None and not a.is_original for a in mine),
        }
    out[""] = {k: sum(out[t][k] for t in TIERS) for k in out["central"]}
    return out


def _bj():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Shanghai")


def _outlet(world: World, outlet_id: int):
    return next(o for o in world.outlets.values() if o.id == outlet_id)


def _key(world: World, event_id: int) -> str:
    return next(k for k, e in world.events.items() if e.id == event_id)


def assert_tiles_match(html: str, want: dict[str, dict[str, int]]) -> None:
    shown = tiles(html)
    for kpi in ("pieces", "outlets", "page_one", "reprints"):
        for tier, counts in want.items():
            assert shown[kpi][tier] == str(counts[kpi]), (kpi, tier, shown[kpi])


def test_campaign_tiles_match_independent_counts(client, login, world):
    """稿件数, 媒体家数, 头版 and 转载, in total and per tier, are what plain Python counts: an
    article accepted for two events is one piece, clippings count, suggestions do not."""
    login("leader")
    html = client.get("/campaigns/pm/dashboard").get_data(as_text=True)
    want = expected(world)
    assert want[""] == {"pieces": 7, "outlets": 6, "page_one": 4, "reprints": 2}
    assert_tiles_match(html, want)


def test_events_and_slots_tiles(client, login, world, make):
    """Held events with coverage out of held events (a future planned event is not held);
    fulfilled slots out of planned ones."""
    from datetime import time

    from campaign.coverage.matching import add_match
    from tests.factories import beijing

    paper = world.outlets["安徽日报"]
    slot_event = make.event(world.campaign, key="editorial", type="editorial_slot",
                            title="社论", status="planned", all_day=True,
                            starts_at=beijing(date(2006, 4, 30), time(0)),
                            ends_at=beijing(date(2006, 5, 1), time(0)),
                            slot={"outlet": paper, "planned_on": date(2006, 4, 30),
                                  "genre": "editorial", "page": "一版"})
    piece = make.article(paper, title="社论：致敬", page_number=1,
                         published_at=beijing(date(2006, 4, 30), time(6)))
    add_match(slot_event, piece, make.user())
    make.db.session.commit()
    login("leader")
    shown = tiles(client.get("/campaigns/pm/dashboard").get_data(as_text=True))
    # rally, briefing and the past editorial are held (over); all three have coverage
    assert shown["events"][""] == "3 / 3"
    assert shown["events"]["industry"] == "1 / 3"
    assert shown["slots"][""] == "1 / 1"
    assert shown["slots"]["provincial"] == "1 / 1"
    assert shown["slots"]["central"] == "0 / 0"


def test_tier_filter_in_the_url_changes_the_numbers(client, login, world):
    """?tier=provincial counts provincial outlets only, in the tiles and their breakdown."""
    login("leader")
    html = client.get("/campaigns/pm/dashboard?tier=provincial").get_data(as_text=True)
    want = expected(world, tier="provincial")
    assert want[""]["pieces"] == 3
    assert_tiles_match(html, want)


def test_date_and_type_filters_change_the_numbers(client, login, world):
    """A date range and an event type narrow the counts as the plain count does."""
    login("leader")
    html = client.get("/campaigns/pm/dashboard?from=2006-04-27&to=2006-04-27").get_data(
        as_text=True)
    assert_tiles_match(html, expected(world, first=date(2006, 4, 27), last=date(2006, 4, 27)))
    html = client.get("/campaigns/pm/dashboard?type=press_briefing").get_data(as_text=True)
    assert_tiles_match(html, expected(world, event="briefing"))


def test_outlet_filter_and_bad_values(client, login, world):
    """?outlet= narrows to one outlet; values that do not parse are ignored, not errors."""
    login("leader")
    outlet = world.outlets["人民日报"]
    shown = tiles(client.get(f"/campaigns/pm/dashboard?outlet={outlet.id}").get_data(
        as_text=True))
    assert shown["pieces"][""] == "1" and shown["outlets"]["central"] == "1"
    response = client.get("/campaigns/pm/dashboard?from=yesterday&tier=galactic&outlet=x")
    assert response.status_code == 200
    assert tiles(response.get_data(as_text=True))["pieces"][""] == "7"


def test_event_dashboard_tiles(client, login, world):
    """The event dashboard counts that event's pieces only."""
    login("leader")
    html = client.get("/campaigns/pm/events/rally/dashboard").get_data(as_text=True)
    want = expected(world, event="rally")
    assert want[""] == {"pieces": 5, "outlets": 5, "page_one": 3, "reprints": 2}
    assert_tiles_match(html, want)
