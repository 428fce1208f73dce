"""The sources pages: the list with health, the detail with fetch runs, the admin forms, and
"fetch now"."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from campaign.core.times import utcnow
from campaign.sources.models import Source
from tests.html import field_errors, soup


def _row(html, source):
    return soup(html).select_one(f"#source-{source.id}")


def test_list_shows_health_of_each_source(client, login, make):
    """Every role sees each source with its state, its error in words and its bars."""
    login("leader")
    failing = make.source(make.outlet(name="新安晚报"), consecutive_failures=2,
                          last_error_kind="timeout", last_error_message="timed out",
                          last_success_at=utcnow() - timedelta(days=1))
    fine = make.source(make.outlet(name="安徽日报"), last_success_at=utcnow(),
                       last_new_at=utcnow())
    html = client.get("/sources").get_data(as_text=True)
    bad, good = _row(html, failing), _row(html, fine)
    assert bad.select_one(".health")["data-state"] == "failing"
    assert "网站响应超时" in bad.get_text()
    assert good.select_one(".health")["data-state"] == "fine"
    assert len(good.select(".daybar")) == 14
    assert bad.select_one("td.num").get_text() == "2"
    order = [int(r["data-source"]) for r in soup(html).select("tr.source-row")]
    assert order.index(failing.id) < order.index(fine.id), "problems come first"


def test_list_costs_the_same_queries_for_many_sources(client, login, make, db, queries):
    """The sources page runs as many queries for ten sources as for two (no query per row)."""
    login("leader")
    for _ in range(2):
        source = make.source(last_success_at=utcnow())
        make.fetch_run(source, started_at=utcnow(), finished_at=utcnow(), new_count=1)
    client.get("/sources")
    with queries.counting() as two:
        client.get("/sources")
    for _ in range(8):
        source = make.source(last_success_at=utcnow())
        make.fetch_run(source, started_at=utcnow(), finished_at=utcnow(), new_count=1)
    client.get("/sources")  # after the factories' commits, as before the first count
    with queries.counting() as ten:
        assert client.get("/sources").status_code == 200
    assert two and len(ten) == len(two), (two, ten)


def test_leader_sees_no_buttons_officer_may_fetch_admin_may_edit(client, login, make):
    """Leaders get no buttons; officers get 立即抓取 only; admins also the add/import links."""
    source = make.source()
    login("leader")
    html = client.get("/sources").get_data(as_text=True)
    assert "立即抓取" not in html and "/sources/new" not in html
    client.post("/logout")
    login("officer")
    html = client.get("/sources").get_data(as_text=True)
    assert "立即抓取" in html and "/sources/new" not in html
    detail = client.get(f"/sources/{source.id}").get_data(as_text=True)
    assert f"/sources/{source.id}/edit" not in detail
    client.post("/logout")
    login("admin")
    html = client.get("/sources").get_data(as_text=True)
    assert "/sources/new" in html and "/sources/import" in html and "/sources/discover" in html


def test_fetch_now_queues_and_shows_waiting(client, login, make, db):
    """立即抓取 queues the source, flashes 已加入抓取队列, and the row shows 等待抓取 until a
    newer run lands (reloading itself meanwhile); then the row shows that run's counts."""
    login("officer")
    source = make.source(last_success_at=utcnow())
    response = client.post(f"/sources/{source.id}/fetch", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "已加入抓取队列" in html
    assert "等待抓取" in _row(html, source).get_text()
    assert soup(html).select_one('meta[http-equiv="refresh"]') is not None
    db.session.refresh(source)
    assert source.next_fetch_at is not None
    started = source.fetch_requested_at + timedelta(seconds=1)
    make.fetch_run(source, started_at=started, finished_at=started + timedelta(seconds=3),
                   new_count=7, duplicate_count=2, trigger="manual")
    page = client.get("/sources").get_data(as_text=True)
    row = _row(page, source).get_text()
    assert "等待抓取" not in row
    assert "新增 7" in row and "重复 2" in row
    assert soup(page).select_one('meta[http-equiv="refresh"]') is None


def test_detail_lists_recent_runs(client, login, make):
    """The detail page lists the source's runs, newest first, failures in words."""
    login("leader")
    source = make.source()
    now = utcnow()
    make.fetch_run(source, started_at=now - timedelta(hours=2), finished_at=now, new_count=3)
    make.fetch_run(source, started_at=now - timedelta(hours=1), finished_at=now,
                   outcome="failed", error="robots_disallowed: robots.txt disallows this URL")
    html = client.get(f"/sources/{source.id}").get_data(as_text=True)
    runs = soup(html).select("tr.run")
    assert [r["class"][1] for r in runs] == ["run-failed", "run-ok"]
    assert "robots.txt 不允许" in runs[0].get_text()
    assert client.get("/sources/99999").status_code == 404


def test_admin_creates_and_edits_a_source(client, login, make, db):
    """The admin form creates a list-page source with selectors and edits it."""
    login("admin")
    outlet = make.outlet(name="合肥日报")
    response = client.post("/sources/new", data={
        "outlet": outlet.id, "type": "html", "url": "http://hfrb.test/news/index.html",
        "link_selector": "td.title a", "next_selector": 'a[title="下一页"]',
        "interval_minutes": 60, "max_pages": 3, "timezone": "Asia/Shanghai", "enabled": "y"})
    assert response.status_code == 302
    source = db.session.scalar(select(Source).where(Source.outlet_id == outlet.id))
    assert source.selectors == {"link_selector": "td.title a", "next_selector": 'a[title="下一页"]'}
    assert source.enabled and not source.obey_robots
    form = client.get(f"/sources/{source.id}/edit").get_data(as_text=True)
    assert 'value="td.title a"' in form
    response = client.post(f"/sources/{source.id}/edit", data={
        "outlet": outlet.id, "type": "html", "url": "http://hfrb.test/news/index.html",
        "link_selector": "table.list td.title a", "interval_minutes": 120, "max_pages": 2,
        "timezone": "Asia/Shanghai", "obey_robots": "y"})
    assert response.status_code == 302
    db.session.refresh(source)
    assert source.selectors == {"link_selector": "table.list td.title a"}
    assert (source.interval_minutes, source.enabled) == (120, False)


def test_form_errors_name_the_field(client, login, make, db):
    """A non-http URL, an e-paper URL without the date pattern and a list page without a link
    selector are refused with 422 under the right field; nothing is saved."""
    login("admin")
    outlet = make.outlet()
    base = {"outlet": outlet.id, "interval_minutes": 60, "max_pages": 3,
            "timezone": "Asia/Shanghai"}
    cases = [({"type": "rss", "url": "ftp://x.test/rss.xml"}, "url", "http"),
             ({"type": "epaper", "url": "http://x.test/html/2006-04/25/node_1.htm"}, "url",
              "{yyyy}"),
             ({"type": "html", "url": "http://x.test/list.html"}, "link_selector", "选择器"),
             ({"type": "rss", "url": "http://x.test/rss", "timezone": "Mars/Base"}, "timezone",
              "Mars")]
    for data, field, words in cases:
        response = client.post("/sources/new", data={**base, **data})
        assert response.status_code == 422, data
        assert words in " ".join(field_errors(response.get_data(as_text=True))[field])
    assert db.session.scalars(select(Source)).all() == []


def test_admin_disables_enables_and_deletes(client, login, make, db):
    """Toggle switches a source off and on again; delete removes it with its runs."""
    login("admin")
    source = make.source()
    make.fetch_run(source)
    assert client.post(f"/sources/{source.id}/toggle").status_code == 302
    db.session.refresh(source)
    assert not source.enabled
    client.post(f"/sources/{source.id}/toggle")
    db.session.refresh(source)
    assert source.enabled
    assert client.post(f"/sources/{source.id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(Source, source.id) is None


def test_officer_cannot_change_sources(client, login, make):
    """Officers may not open the source forms nor delete; leaders may not even fetch."""
    source = make.source()
    login("officer")
    assert client.get("/sources/new").status_code == 403
    assert client.post(f"/sources/{source.id}/delete").status_code == 403
    assert client.post(f"/sources/{source.id}/toggle").status_code == 403
    client.post("/logout")
    login("leader")
    assert client.post(f"/sources/{source.id}/fetch").status_code == 403
