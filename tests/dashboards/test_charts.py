"""Chart data: never more than 10,000 points, whatever the coverage; plotly.js served by the
app itself with cache headers."""

from __future__ import annotations

import gzip
from datetime import date

from sqlalchemy import insert

from campaign.articles.models import Article
from campaign.coverage.models import Match
from campaign.dashboards.charts import MAX_POINTS, point_count
from campaign.dashboards.pages import HEATMAP_OUTLETS
from campaign.planning.models import Outlet
from tests.dashboards.conftest import chart_specs
from tests.factories import beijing
from tests.html import soup


def test_charts_stay_under_ten_thousand_points(client, login, make, db):
    """150 outlets covering 60 events: the heatmap keeps the top outlets only, and no chart
    (nor all of them together) sends more than 10,000 points."""
    campaign = make.campaign(slug="big")
    events = [make.event(campaign, key=f"e{i}", status="held",
                         starts_at=beijing(date(2006, 4, 1 + i % 28))) for i in range(60)]
    db.session.execute(insert(Outlet), [{"name": f"媒体{i}", "tier": "municipal",
                                         "aliases": []} for i in range(150)])
    outlet_ids = list(db.session.scalars(db.select(Outlet.id).where(Outlet.name.like("媒体%"))))
    rows = [{"url": f"http://big.test/{i}", "outlet_id": outlet_ids[i % 150],
             "published_at": beijing(date(2006, 4, 1 + i % 28)),
             "day": 20060401 + i % 28, "page_number": 1 + i % 4} for i in range(3000)]
    db.session.execute(insert(Article), rows)
    ids = list(db.session.scalars(db.select(Article.id).where(Article.url.like("http://big%"))
                                  .order_by(Article.id)))
    db.session.execute(insert(Match), [
        {"event_id": events[i % 60].id, "article_id": article_id, "status": "accepted",
         "explanation": {}, "day": 20060401 + i % 28} for i, article_id in enumerate(ids)])
    db.session.commit()
    login("leader")
    specs = chart_specs(client.get("/campaigns/big/dashboard").get_data(as_text=True))
    assert set(specs) >= {"daily", "plan", "heatmap", "outlets"}
    assert len(specs["heatmap"]["data"][0]["y"]) == HEATMAP_OUTLETS
    assert all(point_count(spec) <= MAX_POINTS for spec in specs.values())
    assert sum(point_count(spec) for spec in specs.values()) <= MAX_POINTS


def test_page_loads_plotly_from_the_app(client, login, world):
    """The dashboard's scripts are the app's own: plotly.js from the app, no CDN, and no
    inline script (the chart data is a JSON block)."""
    login("leader")
    page = soup(client.get("/campaigns/pm/dashboard").get_data(as_text=True))
    sources = [s.get("src") for s in page.select("script")]
    assert any(src and src.startswith("/dashboards/plotly.min.js") for src in sources)
    assert all(src is None or src.startswith("/") for src in sources)
    inline = [s for s in page.select("script") if not s.get("src")]
    assert [s.get("type") for s in inline] == ["application/json"]


def test_plotly_js_is_served_with_cache_headers(client, login, world):
    """plotly.min.js comes from the installed plotly package, gzipped when accepted, cached
    for a year, and answers 304 to a browser that has it."""
    from importlib.resources import files

    login("leader")
    plain = client.get("/dashboards/plotly.min.js")
    assert plain.status_code == 200 and plain.mimetype == "text/javascript"
    assert plain.data == files("plotly").joinpath("package_data", "plotly.min.js").read_bytes()
    assert "max-age=31536000" in plain.headers["Cache-Control"]
    zipped = client.get("/dashboards/plotly.min.js", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == plain.data
    again = client.get("/dashboards/plotly.min.js",
                       headers={"If-None-Match": plain.headers["ETag"]})
    assert again.status_code == 304


def test_plotly_js_needs_a_login(client, world):
    """Like every page but the login, plotly.js is not served to anonymous visitors."""
    assert client.get("/dashboards/plotly.min.js").status_code == 302
