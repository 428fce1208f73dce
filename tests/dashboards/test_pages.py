"""Dashboard pages for every role, with no coverage, a little, and the demo campaign; the
drill-down list behind chart points; what a new campaign is told to do next."""

from __future__ import annotations

import re
from datetime import date, time
from urllib.parse import parse_qs, urlsplit

import pytest

from campaign.coverage.matching import add_match
from campaign.planning.demo import DEMO_SLUG, load_demo
from campaign.planning.operations import get_campaign
from tests.dashboards.conftest import build_world, chart_specs, tiles
from tests.factories import beijing
from tests.html import soup

PAGES = ["/campaigns/{slug}/dashboard", "/campaigns/{slug}/events/{key}/dashboard",
         "/campaigns/{slug}/dashboard/pieces"]


def empty_world(make, db):
    campaign = make.campaign(slug="pm")
    make.event(campaign, key="rally")
    return "pm", "rally"


def small_world(make, db):
    build_world(make, db)
    return "pm", "rally"


def demo_world(make, db):
    """The demo campaign, with accepted coverage of its rally in a few demo outlets."""
    from campaign.planning.models import Outlet

    load_demo()
    campaign = get_campaign(DEMO_SLUG)
    rally = next(e for e in campaign.events if e.key == "rally")
    officer = make.user()
    for i, name in enumerate(("安徽日报", "新华社", "合肥日报", "安徽工人日报")):
        outlet = db.session.scalar(db.select(Outlet).where(Outlet.name == name))
        add_match(rally, make.article(outlet, page_number=i + 1,
                                      published_at=beijing(date(2006, 4, 27 + i % 2))), officer)
    db.session.commit()
    return DEMO_SLUG, "rally"


WORLDS = {"empty": empty_world, "small": small_world, "demo": demo_world}


@pytest.mark.parametrize("world_name", list(WORLDS))
@pytest.mark.parametrize("role", ["anonymous", "leader", "officer", "admin"])
def test_every_page_for_every_role(client, login, make, db, role, world_name):
    """Anonymous visitors are sent to the login page; leaders, officers and admins see each
    dashboard page, whatever the data."""
    slug, key = WORLDS[world_name](make, db)
    if role != "anonymous":
        login(role)
    for pattern in PAGES:
        response = client.get(pattern.format(slug=slug, key=key))
        if role == "anonymous":
            assert response.status_code == 302 and "/login" in response.headers["Location"]
        else:
            assert response.status_code == 200, (pattern, response.status_code)


def test_unknown_campaign_or_event_is_404(client, login, make):
    """A slug or event key that does not exist answers 404."""
    login("leader")
    make.campaign(slug="pm")
    assert client.get("/campaigns/nope/dashboard").status_code == 404
    assert client.get("/campaigns/pm/events/nope/dashboard").status_code == 404


def test_new_campaign_says_what_to_do_next(client, login, make, db):
    """With no accepted coverage an officer is shown the next steps (sources, fetch, review
    queue) and no chart; a leader is told coverage will show once officers have reviewed it."""
    empty_world(make, db)
    login("officer")
    html = client.get("/campaigns/pm/dashboard").get_data(as_text=True)
    steps = soup(html).select_one("#next-steps")
    assert steps is not None
    hrefs = {a["href"] for a in steps.select("a")}
    assert "/sources" in hrefs and "/campaigns/pm/review" in hrefs
    assert chart_specs(html) == {} and not soup(html).select(".chart")


def test_leader_sees_no_edit_links(client, login, world):
    """A leader's dashboard has no form that writes and no link to an edit page."""
    login("leader")
    for url in ("/campaigns/pm/dashboard", "/campaigns/pm/events/rally/dashboard",
                "/campaigns/pm/dashboard/pieces"):
        page = soup(client.get(url).get_data(as_text=True))
        main = page.select_one("main")
        assert not main.select("form[method=post]")
        assert not [a for a in main.select("a[href]") if "/edit" in a["href"]
                    or "/review" in a["href"]]


def test_dashboards_only_read(client, login, world):
    """A leader's POST to a dashboard is refused; the routes accept no write at all."""
    login("leader")
    assert client.post("/campaigns/pm/dashboard").status_code == 403
    client.post("/logout")
    login("officer")
    assert client.post("/campaigns/pm/dashboard").status_code == 405


def test_chart_points_link_to_the_pieces_behind_them(client, login, world):
    """Each bar of the daily chart links to the drill-down list, and that list holds exactly
    as many pieces as the bar says."""
    login("leader")
    specs = chart_specs(client.get("/campaigns/pm/dashboard").get_data(as_text=True))
    bars = [t for t in specs["daily"]["data"] if t["type"] == "bar"]
    assert bars
    for trace in bars:
        for value, url in zip(trace["y"], trace["customdata"], strict=True):
            assert url.startswith("/campaigns/pm/dashboard/pieces?")
            page = soup(client.get(url).get_data(as_text=True))
            assert len(page.select("tr.piece-row")) == value, url


def test_drilldown_filters(client, login, world):
    """The list behind a point honours day, tier, outlet, event, page one and reprints."""
    login("leader")

    def rows(query: str) -> int:
        page = soup(client.get(f"/campaigns/pm/dashboard/pieces?{query}").get_data(
            as_text=True))
        return len(page.select("tr.piece-row"))

    # one row per piece: the article accepted for two events is one row naming both
    assert rows("") == 7
    assert rows("kind=page_one") == 4
    assert rows("kind=reprint") == 2
    assert rows("day=2006-04-28") == 3
    assert rows("event=briefing") == 3
    assert rows(f"outlet={world.outlets['新安晚报'].id}") == 2
    assert rows("tier=central&event=rally") == 2


def test_heatmap_and_outlet_links_carry_the_filters(client, login, world):
    """Chart links keep the page's filters and add the point's own (outlet, event)."""
    login("leader")
    specs = chart_specs(client.get("/campaigns/pm/dashboard?tier=central").get_data(
        as_text=True))
    heat = specs["heatmap"]["data"][0]
    url = heat["customdata"][0][0]
    args = parse_qs(urlsplit(url).query)
    assert args["tier"] == ["central"] and "outlet" in args and "event" in args


def test_scraped_titles_are_escaped(client, login, world):
    """A title with markup is shown as text on the page and escaped in the chart data."""
    login("leader")
    html = client.get("/campaigns/pm/dashboard").get_data(as_text=True)
    assert "<b>合肥</b>" not in html
    specs = chart_specs(html)
    hover = " ".join(specs["reprints"]["data"][0]["hovertext"])
    assert "<b>合肥" not in hover
    pieces = client.get("/campaigns/pm/dashboard/pieces").get_data(as_text=True)
    assert "&lt;b&gt;合肥&lt;/b&gt;热议大会" in pieces


def test_reprint_reach_names_the_original_first(client, login, world):
    """The reprint table names the original outlet, then the outlets that reprinted it."""
    login("leader")
    page = soup(client.get("/campaigns/pm/dashboard").get_data(as_text=True))
    row = page.select_one("tr.reprint-group")
    cells = row.select("td")
    assert cells[1].get_text(strip=True) == "安徽日报"
    assert {t.get_text() for t in cells[2].select(".tag")} == {"工人日报", "合肥日报"}
    assert cells[3].get_text(strip=True) == "3"


def test_event_dashboard_shows_days_invited_and_list(client, login, world):
    """The event dashboard has D-2…D+7 bars, invited against reporting outlets, and its
    coverage list with outlet, tier, page and genre."""
    login("leader")
    html = client.get("/campaigns/pm/events/rally/dashboard").get_data(as_text=True)
    specs = chart_specs(html)
    labels = specs["days"]["data"][0]["x"]
    assert labels[0] == "D-2" and labels[2] == "D" and labels[-1] == "D+7"
    per_label: dict[str, int] = {}
    for trace in specs["days"]["data"]:
        for label, value in zip(trace["x"], trace["y"], strict=True):
            per_label[label] = per_label.get(label, 0) + value
    assert per_label["D"] == 3 and per_label["D+1"] == 2  # incl. the clipping on the day
    invited = specs["invited"]["data"][0]
    assert invited["y"] == [4, 3, 3, 2]  # target, invited, invited & reporting, uninvited
    page = soup(html)
    assert len(page.select("#section-pieces tr.piece-row")) == 5
    assert {t.get_text() for t in page.select("#invited-silent .tag")} == set()


def test_event_slot_status_is_shown(client, login, make, db):
    """An editorial-slot event's dashboard shows each slot's state."""
    campaign = make.campaign(slug="pm")
    paper = make.outlet(name="安徽日报")
    make.event(campaign, key="editorial", type="editorial_slot", all_day=True, title="社论",
               starts_at=beijing(date(2006, 4, 30), time(0)),
               ends_at=beijing(date(2006, 5, 1), time(0)),
               slot={"outlet": paper, "planned_on": date(2006, 4, 30), "genre": "editorial",
                     "page": "一版"})
    login("leader")
    page = soup(client.get("/campaigns/pm/events/editorial/dashboard").get_data(as_text=True))
    assert page.select_one("tr.slot-row")["data-state"] == "missed"


def test_filter_form_is_a_get_form_that_round_trips(client, login, world):
    """The filter form is a GET form whose fields show the filters of the URL."""
    login("leader")
    page = soup(client.get("/campaigns/pm/dashboard?tier=municipal&from=2006-04-26").get_data(
        as_text=True))
    form = page.select_one("form.dash-filters")
    assert form["method"] == "get"
    assert form.select_one("select[name=tier] option[selected]")["value"] == "municipal"
    assert form.select_one("input[name=from]")["value"] == "2006-04-26"
    assert tiles(str(page))["pieces"][""] == "1"


def test_campaign_and_event_pages_link_to_their_dashboards(client, login, world):
    """A leader finds the dashboard from the campaign page and from each event page."""
    login("leader")
    page = soup(client.get("/campaigns/pm").get_data(as_text=True))
    assert page.select_one("#dashboard-link")["href"] == "/campaigns/pm/dashboard"
    page = soup(client.get("/campaigns/pm/events/rally").get_data(as_text=True))
    assert page.select_one("#dashboard-link")["href"] == "/campaigns/pm/events/rally/dashboard"


def test_drilldown_list_is_paged_newest_first(client, login, world, monkeypatch):
    """The drill-down list shows a page of pieces at a time, newest first, with links to the
    pages before and after; a page past the end goes to the last one."""
    from campaign.dashboards import views

    monkeypatch.setattr(views, "PIECE_LIST_ROWS", 3)
    login("leader")
    seen: list[str] = []
    for number in (1, 2, 3):
        page = soup(client.get(f"/campaigns/pm/dashboard/pieces?page={number}").get_data(
            as_text=True))
        rows = page.select("tr.piece-row")
        assert len(rows) == (3 if number < 3 else 1)  # 7 pieces
        seen += [row.get_text(" ", strip=True) for row in rows]
        pager = page.select_one("nav.pager")
        assert bool(pager.select_one("a[rel=prev]")) == (number > 1)
        assert bool(pager.select_one("a[rel=next]")) == (number < 3)
    assert len(set(seen)) == 7
    days = [re.search(r"2006-04-\d\d", text).group() for text in seen]
    assert days == sorted(days, reverse=True)
    past = client.get("/campaigns/pm/dashboard/pieces?page=9")
    assert past.status_code == 302
    assert urlsplit(past.location).path == "/campaigns/pm/dashboard/pieces"
    assert parse_qs(urlsplit(past.location).query) == {"page": ["3"]}  # the last, not the first
    past = client.get("/campaigns/pm/dashboard/pieces?page=9&tier=central")  # 2 pieces: 1 page
    assert past.status_code == 302
    assert parse_qs(urlsplit(past.location).query) == {"page": ["1"], "tier": ["central"]}


def test_genres_in_the_coverage_list_follow_the_language(client, login, world):
    """The event dashboard's coverage list names a piece's genre in the reader's language:
    "News report" in English, not the stored 消息."""
    login("leader")
    client.post("/language", data={"locale": "en"})
    english = soup(client.get("/campaigns/pm/events/rally/dashboard").get_data(as_text=True))
    cells = {td.get_text() for td in english.select("#section-pieces tr.piece-row td")}
    assert "消息" not in cells and "News report" in cells


def test_multi_date_column_charts_all_its_dates(client, login, make, db):
    """A twice-weekly column from 2 to 12 May charts every date from 30 April to 19 May, its
    four planned dates starred, with the pieces of its first and last instalments counted (the
    last is far outside D-2…D+7 of its first day)."""
    from tests.plugins.worlds import accept

    campaign = make.campaign(slug="pm")
    paper = make.outlet(name="安徽工人日报", tier="provincial")
    column = make.event(campaign, key="column", type="editorial_slot", all_day=True,
                        title="劳模风采", starts_at=beijing(date(2006, 5, 2), time(0)),
                        ends_at=beijing(date(2006, 5, 13), time(0)),
                        slot={"outlet": paper, "planned_on": date(2006, 5, 2), "genre": "column",
                              "ends_on": date(2006, 5, 12), "weekdays": "2,5"})
    for day in (2, 12):
        accept(db, column, make.article(paper, published_at=beijing(date(2006, 5, day),
                                                                    time(8)), title=f"劳模{day}"))
    login("leader")
    html = client.get("/campaigns/pm/events/column/dashboard").get_data(as_text=True)
    trace = chart_specs(html)["days"]["data"][0]
    assert trace["x"][0] == "4-30" and trace["x"][-1] == "5-19"
    assert [label for label in trace["x"] if "★" in label] == ["5-2★", "5-5★", "5-9★", "5-12★"]
    counts = dict(zip(trace["x"], trace["y"], strict=True))
    assert counts["5-2★"] == 1 and counts["5-12★"] == 1 and sum(trace["y"]) == 2
    assert "不在 D-2 至 D+7" not in html
