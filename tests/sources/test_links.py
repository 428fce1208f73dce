"""Coverage by link: links fetched from a local server through the guarded fetch path, read,
stored as articles of the right outlet and attached to an event; stored links attached without
a fetch; unreadable pages and unknown outlets reported for the form by hand."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from campaign.articles.models import Article
from campaign.coverage.models import Match
from campaign.ingest.links import (
    ATTACHED,
    FAILED,
    INVALID,
    NO_OUTLET,
    STORED,
    UNREADABLE,
    add_link,
    add_link_by_hand,
    split_links,
)
from tests.scrapers.scraper_server import Reply
from tests.scrapers.test_links import BODY, wechat_page

NEWS = f"""<html><head><title>职工技能竞赛启动</title>
<meta property="og:site_name" content="江淮新闻网"></head><body>
<h1>职工技能竞赛启动</h1><div class="info">2006-04-27 10:05</div>
<div class="article"><p>{BODY}</p><p>{BODY}</p></div></body></html>"""
VERIFY = "<html><body><h2>环境异常</h2><p>完成验证后即可继续访问</p></body></html>"


@pytest.fixture
def links_world(make, server):
    """A campaign event, an outlet with a source on the local server's site and a WeChat-named
    outlet (the tests' config allows the local server, see tests/conftest.py)."""
    campaign = make.campaign(slug="links")
    event = make.event(campaign, key="rally")
    paper = make.outlet(name="江淮日报")
    source = make.source(paper, url=server.url("/rss.xml"))
    union = make.outlet(name="江淮工会", aliases=["江淮职工之声"])
    server.route("/news/1.html", Reply(body=NEWS.encode()))
    server.route("/s/wechat", Reply(body=wechat_page().encode()))
    server.route("/verify", Reply(body=VERIFY.encode()))
    return {"event": event, "paper": paper, "union": union, "user": make.user(),
            "source": source}


def matches_of(db, event):
    return db.session.scalars(select(Match).where(Match.event_id == event.id)).all()


def test_news_link_stored_under_its_sites_outlet_and_attached(db, server, links_world):
    """A page on an outlet's site becomes that outlet's article, accepted for the event."""
    w = links_world
    outcome = add_link(w["event"], server.url("/news/1.html"), w["user"])
    db.session.commit()
    assert outcome.status == STORED
    article = outcome.article
    assert (article.title, article.outlet_id) == ("职工技能竞赛启动", w["paper"].id)
    assert article.published_at.date() == date(2006, 4, 27)
    [match] = matches_of(db, w["event"])
    assert (match.article_id, match.status) == (article.id, "accepted")


def test_stored_link_is_attached_without_a_fetch(db, server, links_world, make):
    """A link already stored (tracking parameters aside) is attached, and the server is not
    asked again."""
    w = links_world
    add_link(w["event"], server.url("/news/1.html"), w["user"])
    other = make.event(w["event"].campaign, key="briefing")
    asked = len(server.requests)
    outcome = add_link(other, server.url("/news/1.html") + "?utm_source=wx", w["user"])
    db.session.commit()
    assert outcome.status == ATTACHED and len(server.requests) == asked
    assert [m.status for m in matches_of(db, other)] == ["accepted"]
    assert db.session.scalar(select(func.count()).select_from(Article)) == 1


def test_wechat_link_outlet_from_the_account_name(db, server, links_world):
    """A WeChat article's account (an alias here) names its outlet."""
    w = links_world
    w["source"].url = "http://elsewhere.test/rss.xml"  # not the server's site now
    outcome = add_link(w["event"], server.url("/s/wechat"), w["user"])
    assert outcome.status == STORED and outcome.article.outlet_id == w["union"].id
    assert outcome.article.author == "周立"


def test_a_source_on_another_port_of_the_address_does_not_claim_the_link(db, server,
                                                                         links_world):
    """On an address without a registered domain (an IP, an intranet name) each port is a
    server of its own: a source on another port of 127.0.0.1 does not make the link its
    outlet's, and the account name decides."""
    w = links_world
    w["source"].url = "http://127.0.0.1:9/rss.xml"  # the same address, another port
    outcome = add_link(w["event"], server.url("/s/wechat"), w["user"])
    assert outcome.status == STORED and outcome.article.outlet_id == w["union"].id


def test_a_link_with_an_explicit_port_or_user_is_still_on_its_sources_site(db, server,
                                                                            links_world):
    """A named site's links count as the site whatever port or user their address spells out
    (https://jianghuai.com.cn:443/… is on the site of a source at www.jianghuai.com.cn)."""
    from campaign.ingest.links import outlet_of_site

    w = links_world
    w["source"].url = "https://www.jianghuai.com.cn/rss.xml"
    db.session.flush()
    for url in ("https://jianghuai.com.cn:443/news/1.html",
                "http://editor@news.jianghuai.com.cn/a.html"):
        assert outlet_of_site(url) == w["paper"], url


def test_unknown_outlet_is_reported_unless_chosen(db, server, links_world, make):
    """A page no outlet is known for is not stored; with an outlet chosen it is."""
    w = links_world
    w["source"].url = "http://elsewhere.test/rss.xml"
    outcome = add_link(w["event"], server.url("/news/1.html"), w["user"])
    assert outcome.status == NO_OUTLET and outcome.reading.title == "职工技能竞赛启动"
    assert db.session.scalar(select(func.count()).select_from(Article)) == 0
    chosen = make.outlet(name="江淮新闻网络")
    outcome = add_link(w["event"], server.url("/news/1.html"), w["user"], outlet=chosen)
    assert outcome.status == STORED and outcome.article.outlet_id == chosen.id


def test_verification_page_then_by_hand_keeps_the_link(db, server, links_world):
    """A verification page stores nothing; typed by hand, the link is kept as the article's
    URL and pasting it again attaches that article."""
    w = links_world
    url = server.url("/verify")
    outcome = add_link(w["event"], url, w["user"])
    assert outcome.status == UNREADABLE and "验证" in outcome.message
    assert db.session.scalar(select(func.count()).select_from(Article)) == 0
    by_hand = add_link_by_hand(w["event"], url, w["user"], title="职工技能竞赛启动",
                               outlet=w["union"], day=date(2006, 4, 28))
    db.session.commit()
    assert by_hand.article.url == url and by_hand.article.outlet_id == w["union"].id
    assert by_hand.article.day == 20060428
    assert add_link(w["event"], url, w["user"]).status == ATTACHED


def test_the_guard_applies(db, app, server, links_world, monkeypatch):
    """Without the local server allowed, the link is refused by the address guard and nothing
    is stored."""
    monkeypatch.setitem(app.config, "SOURCE_ALLOW_HOSTS", [])
    w = links_world
    outcome = add_link(w["event"], server.url("/news/1.html"), w["user"])
    assert outcome.status == FAILED and server.requests == []
    assert db.session.scalar(select(func.count()).select_from(Article)) == 0


def test_bad_links_refused(links_world):
    """A link that is not http(s) is refused with a message."""
    w = links_world
    for url in ("javascript:alert(1)", "ftp://x.test/a", "not a link"):
        outcome = add_link(w["event"], url, w["user"])
        assert outcome.status == INVALID and outcome.message


def test_split_links():
    """One link a line or space-separated, blanks and repeats dropped."""
    assert split_links(" http://a.test/1 \n\nhttp://b.test/2 http://a.test/1\n") == [
        "http://a.test/1", "http://b.test/2"]


def test_add_links_command(app, db, server, links_world, make):
    """add-links reads links from standard input, attaches what it can and lists the rest
    (exit 1); a link given twice is fetched once."""
    from campaign.ingest.cli import add_links_command

    admin = make.user(role="admin")
    news, verify = server.url("/news/1.html"), server.url("/verify")
    result = app.test_cli_runner().invoke(
        add_links_command, ["--campaign", "links", "--event", "rally", "--user", admin.username,
                            "-"], input=f"{news}\n{verify}\n{news}\n")
    assert result.exit_code == 1, result.output
    assert "1 of 2 links attached to rally" in result.output
    assert f"{verify}\tunreadable" in result.output
    assert [m.article.url for m in matches_of(db, links_world["event"])] == [news]
    assert server.paths().count("/news/1.html") == 1


def test_add_links_command_refuses_unknown_targets(app, links_world):
    """An unknown campaign, event or outlet stops the command before any fetch."""
    from campaign.ingest.cli import add_links_command

    runner = app.test_cli_runner()
    for args in (["--campaign", "nope", "--event", "rally"],
                 ["--campaign", "links", "--event", "nope"],
                 ["--campaign", "links", "--event", "rally", "--outlet", "无此媒体"]):
        result = runner.invoke(add_links_command, [*args, "-"], input="http://a.test/\n")
        assert result.exit_code != 0 and "no " in result.output
