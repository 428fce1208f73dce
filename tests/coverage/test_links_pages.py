"""Coverage by link in pages: the paste form (all links at once without links.js, one by one
as JSON with it), the form by hand, 归入活动 from an article page and search results."""

from __future__ import annotations

from sqlalchemy import func, select

from campaign.articles.models import Article
from campaign.coverage.models import Match
from tests.html import soup
from tests.scrapers.scraper_server import Reply, serving
from tests.scrapers.test_links import wechat_page

LINKS = "/campaigns/pm/links"
JSON = {"Accept": "application/json"}
VERIFY = b"<html><body><h2>\xe7\x8e\xaf\xe5\xa2\x83\xe5\xbc\x82\xe5\xb8\xb8</h2></body></html>"


def setup_world(make):
    campaign = make.campaign(slug="pm")
    event = make.event(campaign, key="rally", title="动员大会")
    union = make.outlet(name="江淮工会", aliases=["江淮职工之声"])
    return campaign, event, union


def accepted(db, event):
    return db.session.scalars(select(Match).where(Match.event_id == event.id,
                                                  Match.status == "accepted")).all()


def test_paste_many_links_without_script(client, login, make, db):
    """The form fetches every link: a WeChat article stored and attached, a verification page
    shown with its form by hand, a bad link with its message."""
    _campaign, event, union = setup_world(make)
    login("officer")
    with serving() as server:
        server.route("/s/a", Reply(body=wechat_page().encode()))
        server.route("/verify", Reply(body=VERIFY))
        text = f"{server.url('/s/a')}\n{server.url('/verify')}\nftp://x.test/1"
        response = client.post(LINKS, data={"event": "rally", "links": text})
    assert response.status_code == 200
    page = soup(response.get_data(as_text=True))
    assert [r["data-status"] for r in page.select("tr.link-row")] == [
        "stored", "unreadable", "invalid"]
    assert page.select("tr.link-row")[1].select_one("form.by-hand input[name=url]")["value"] \
        .endswith("/verify")
    [match] = accepted(db, event)
    assert match.article.outlet_id == union.id and match.article.title == "职工技能竞赛启动"


def test_paste_refuses_without_event_or_links(client, login, make, db):
    """No event or no links: 422 with a message, nothing stored."""
    setup_world(make)
    login("officer")
    for data in ({"event": "", "links": "http://a.test/1"}, {"event": "rally", "links": " "}):
        response = client.post(LINKS, data=data)
        assert response.status_code == 422
        assert soup(response.get_data(as_text=True)).select_one("#links-error").get_text()
    assert db.session.scalar(select(func.count()).select_from(Article)) == 0


def test_one_link_as_json(client, login, make, db):
    """links.js posts one link and gets its outcome; a stored link comes back as attached."""
    _campaign, event, _union = setup_world(make)
    article = make.article(make.outlet(), url="http://paper.test/a/1.htm", title="已存文章")
    db.session.commit()
    login("officer")
    response = client.post(f"{LINKS}/one", data={"event": "rally",
                                                 "url": "http://paper.test/a/1.htm#top"},
                           headers=JSON)
    assert response.json["status"] == "attached" and response.json["title"] == "已存文章"
    assert [m.article_id for m in accepted(db, event)] == [article.id]
    refused = client.post(f"{LINKS}/one", data={"event": "nope", "url": "http://x.test/"},
                          headers=JSON)
    assert refused.status_code == 422 and refused.json["ok"] is False


def test_by_hand_keeps_the_link(client, login, make, db):
    """Title, outlet and date typed by hand store an article under the link and attach it;
    the redirect goes back to the paste page of that event."""
    _campaign, event, union = setup_world(make)
    login("officer")
    response = client.post(f"{LINKS}/manual", data={
        "event": "rally", "url": "https://mp.weixin.qq.com/s/xyz", "title": "手工标题",
        "outlet_id": union.id, "date": "2006-04-27"})
    assert response.status_code == 302 and response.location.endswith(f"{LINKS}?event=rally")
    [match] = accepted(db, event)
    assert (match.article.url, match.article.title, match.article.day) == (
        "https://mp.weixin.qq.com/s/xyz", "手工标题", 20060427)


def test_by_hand_refuses_missing_fields(client, login, make, db):
    """A form by hand without title, outlet or a real date: 422, nothing stored."""
    _campaign, _event, union = setup_world(make)
    login("officer")
    for missing in ({"title": ""}, {"outlet_id": ""}, {"date": "4月27日"},
                    {"url": "javascript:alert(1)"}):
        data = {"event": "rally", "url": "https://mp.weixin.qq.com/s/xyz", "title": "标题",
                "outlet_id": union.id, "date": "2006-04-27", **missing}
        assert client.post(f"{LINKS}/manual", data=data).status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Article)) == 0


def test_attach_from_the_article_page_and_search(client, login, make, db):
    """归入活动 on an article page attaches it; ticked search results attach together; no
    event chosen changes nothing."""
    _campaign, event, _union = setup_world(make)
    outlet = make.outlet()
    first, second = (make.article(outlet, title=f"文章甲{n}") for n in (1, 2))
    db.session.commit()
    login("officer")
    page = soup(client.get(f"/articles/{first.id}").get_data(as_text=True))
    assert page.select_one(f"form.attach-form select[name=event_id] option[value='{event.id}']")
    response = client.post("/articles/attach", data={"article_ids": [first.id],
                                                     "event_id": event.id,
                                                     "next": f"/articles/{first.id}"})
    assert response.status_code == 302 and response.location.endswith(f"/articles/{first.id}")
    results = soup(client.get("/articles?q=文章甲").get_data(as_text=True))
    assert len(results.select("input[name=article_ids][form=attach-form]")) == 2
    client.post("/articles/attach", data={"article_ids": [first.id, second.id], "event_id": ""})
    assert {m.article_id for m in accepted(db, event)} == {first.id}
    client.post("/articles/attach", data={"article_ids": [first.id, second.id],
                                          "event_id": event.id})
    assert {m.article_id for m in accepted(db, event)} == {first.id, second.id}


def test_leader_sees_no_attach_and_cannot_post(client, login, make, db):
    """A leader gets no 归入活动 form and a 403 on the endpoints."""
    setup_world(make)
    article = make.article(make.outlet())
    db.session.commit()
    login("leader")
    page = soup(client.get(f"/articles/{article.id}").get_data(as_text=True))
    assert page.select_one("form.attach-form") is None
    assert client.post("/articles/attach", data={"article_ids": [article.id]}).status_code == 403
    assert client.post(LINKS, data={"event": "rally", "links": "http://a.test/"}).status_code \
        == 403
