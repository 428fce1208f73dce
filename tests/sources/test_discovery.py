"""Proposing a source from a pasted URL: inference on HTML written here, then the preview page
against the demo news site served locally."""

from __future__ import annotations

import json
from datetime import date

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from campaign.demo_site import running
from campaign.sources.guard import AddressGuard
from campaign.sources.models import Source
from scrapers.discovery import (
    day_index_links,
    epaper_pattern,
    feed_links,
    infer_link_selector,
    infer_next_selector,
    is_feed,
    propose_epaper,
    propose_list_page,
)
from scrapers.epaper import day_url
from scrapers.listpages import parse_list_page
from tests.html import soup

LIST_URL = "http://news.example.cn/ahnews/list_1.html"
ARTICLES = [
    ("system/2006/04/25/0001.shtml", "省总工会召开宣传月新闻通气会"),
    ("system/2006/04/25/0002.shtml", "我省赴京受表彰先进代表启程"),
    ("system/2006/04/26/0003.shtml", "全省职工乒乓球比赛在淮南开赛"),
    ("system/2006/04/27/0004.shtml", "当好主力军 建功十一五动员大会召开"),
    ("system/2006/04/28/0005.shtml", "劳模座谈会在合肥举行"),
    ("system/2006/04/29/0006.shtml", "农民工入会集中行动全面展开"),
]
LIST_ITEMS = "\n".join(
    f'<li><a href="{href}" target="_blank">{title}</a><span>2006-04-{25 + i // 2:02d}</span></li>'
    for i, (href, title) in enumerate(ARTICLES))
LIST_PAGE = """<html><head><title>安徽新闻</title>
<link rel="stylesheet" href="/s.css"></head><body>
<div id="nav"><a href="/">首页</a> | <a href="/ahnews/">新闻</a> | <a href="/finance/">财经</a>
 | <a href="/travel/">旅游</a> | <a href="/map.html">网站地图</a></div>
<div class="main"><ul class="news">
%s
</ul>
<div class="pages"><a href="list_0.html">上一页</a> <a href="list_2.html">下一页</a></div></div>
<div class="side"><h3>热点排行</h3><ul>
<li><a href="/ahnews/system/2006/04/20/0901.shtml">合肥长江路改造工程进入路面施工</a></li>
<li><a href="/ahnews/system/2006/04/21/0902.shtml">芜湖港前四个月吞吐量增长两成</a></li>
<li><a href="/ahnews/system/2006/04/22/0903.shtml">明天淮北阴有小雨 江南多云转晴</a></li>
</ul></div>
<div class="foot"><a href="/about.html">关于我们</a> <a href="/contact.html">联系方式</a></div>
</body></html>""".replace("%s", LIST_ITEMS)

FOUNDER_INDEX = """<html><head><title>安徽日报数字报-第01版：要闻</title></head><body>
<div>第01版：要闻 <a href="node_2.htm">下一版</a></div>
<map name="PagePicMap"><area shape="rect" coords="1,1,9,9" href="content_21021.htm"></map>
<table id="bmdhTable">
<tr><td><a id="pageLink" href="node_1.htm">第01版：要闻</a></td></tr>
<tr><td><a id="pageLink" href="node_2.htm">第02版：要闻</a></td></tr>
<tr><td><a id="pageLink" href="node_3.htm">第03版：经济</a></td></tr>
</table>
<ul><li><a href="content_21021.htm">我省赴京受表彰先进代表启程</a></li>
<li><a href="content_21022.htm">宣传月新闻通气会召开</a></li></ul>
</body></html>"""
FOUNDER_URL = "http://epaper.ahrb.test/html/2006-04/25/node_1.htm"


def test_advertised_feed_links_are_found():
    """RSS and Atom alternates in the head are proposed, resolved; other links are not."""
    html = """<html><head>
    <link rel="alternate" type="application/rss+xml" title="要闻" href="/rss/yw.xml">
    <link rel="alternate" type="application/atom+xml" href="https://news.example.cn/atom">
    <link rel="stylesheet" type="text/css" href="/s.css">
    <link rel="alternate" hreflang="en" href="/en/">
    </head><body><a href="/rss/other.xml">RSS</a></body></html>"""
    assert feed_links(html, "http://news.example.cn/index.html") == [
        "http://news.example.cn/rss/yw.xml", "https://news.example.cn/atom"]
    assert feed_links(LIST_PAGE, LIST_URL) == []


def test_a_feed_is_recognised_by_type_or_first_element():
    """A response is a feed by its Content-Type or by starting with <rss>/<feed>."""
    rss = b'<?xml version="1.0" encoding="gb2312"?>\n<rss version="2.0"><channel/></rss>'
    assert is_feed(rss, "text/xml")
    assert is_feed(b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>', None)
    assert is_feed(b"", "application/rss+xml; charset=utf-8")
    assert not is_feed(LIST_PAGE.encode(), "text/html")


def test_founder_day_index_url_becomes_a_date_pattern():
    """A Founder day index URL gives the pattern with {yyyy} {mm} {dd}, which gives the URL
    back for its own day; other URLs give no pattern."""
    pattern = epaper_pattern(FOUNDER_URL)
    assert pattern == "http://epaper.ahrb.test/html/{yyyy}-{mm}/{dd}/node_1.htm"
    assert day_url(pattern, date(2006, 4, 25)) == FOUNDER_URL
    assert epaper_pattern("http://paper.test/html/200604/25/node_2.htm") == \
        "http://paper.test/html/{yyyy}{mm}/{dd}/node_2.htm"
    assert epaper_pattern(LIST_URL) is None
    assert epaper_pattern("http://news.test/2006-04/25/content_1.htm") is None


def test_founder_proposal_is_confirmed_by_page_links():
    """The e-paper proposal lists the issue's 版面 and page one's articles with the issue date;
    a page with a date path but no 版面 links is not an e-paper."""
    proposal = propose_epaper(FOUNDER_INDEX, FOUNDER_URL)
    assert proposal is not None
    assert proposal.type == "epaper"
    assert proposal.pages == ["第01版：要闻", "第02版：要闻", "第03版：经济"]
    assert [(i.title, i.published, i.page) for i in proposal.items] == [
        ("我省赴京受表彰先进代表启程", date(2006, 4, 25), "第01版：要闻"),
        ("宣传月新闻通气会召开", date(2006, 4, 25), "第01版：要闻")]
    plain = "<html><body><a href='content_1.htm'>一篇文章的标题</a></body></html>"
    assert propose_epaper(plain, FOUNDER_URL) is None


def test_archive_links_to_day_indexes_latest_first():
    """An archive page's links to day indexes are found, the latest issue first."""
    html = """<ul><li><a href="html/2006-04/20/node_1.htm">2006年04月20日</a></li>
    <li><a href="html/2006-05/02/node_1.htm">2006年05月02日</a></li>
    <li><a href="/about.htm">关于我们</a></li></ul>"""
    assert day_index_links(html, "http://epaper.test/index.htm") == [
        "http://epaper.test/html/2006-05/02/node_1.htm",
        "http://epaper.test/html/2006-04/20/node_1.htm"]


def test_list_selector_selects_exactly_the_article_links():
    """The inferred selector picks the main list's article links, not the navigation, the
    footer, the pagination or the sidebar's shorter list of headlines."""
    selector = infer_link_selector(LIST_PAGE, LIST_URL)
    assert selector is not None
    chosen = [a.get_text() for a in soup(LIST_PAGE).select(selector)]
    assert chosen == [title for _href, title in ARTICLES]
    page = parse_list_page(LIST_PAGE, url=LIST_URL, link_selector=selector)
    assert [item.url for item in page.links] == [
        f"http://news.example.cn/ahnews/{href}" for href, _title in ARTICLES]


def test_table_list_gets_a_selector_too():
    """Links in table cells (title cell beside a time cell) are found as well."""
    rows = "".join(f'<tr><td class="title"><a href="2006-04/{d:02d}/art_{d}.html">{t}</a></td>'
                   f'<td class="time">2006年4月{d}日</td></tr>'
                   for d, (_h, t) in enumerate(ARTICLES, start=20))
    html = (f'<html><body><div class="nav"><a href="/">合肥日报首页</a></div>'
            f'<table class="list">{rows}</table></body></html>')
    selector = infer_link_selector(html, "http://hfrb.test/news/index.html")
    assert selector is not None
    assert len(BeautifulSoup(html, "lxml").select(selector)) == len(ARTICLES)


def test_page_without_headline_list_gives_no_selector():
    """A page of short navigation links proposes no list selector."""
    links = "".join(f"<li><a href='/{n}'>{text}</a></li>"
                    for n, text in enumerate(["首页", "新闻", "财经", "旅游"]))
    html = f"<html><body><ul>{links}</ul></body></html>"
    assert infer_link_selector(html, "http://x.test/") is None
    assert propose_list_page(html, "http://x.test/") is None


def test_next_page_selector_finds_the_next_link():
    """The 下一页 link gets a selector matching it alone (not 上一页); pages without one get
    none."""
    selector = infer_next_selector(LIST_PAGE)
    assert selector is not None
    found = soup(LIST_PAGE).select(selector)
    assert [a.get_text() for a in found] == ["下一页"]
    page = parse_list_page(LIST_PAGE, url=LIST_URL, link_selector="ul.news a",
                           next_selector=selector)
    assert page.next_url == "http://news.example.cn/ahnews/list_2.html"
    assert infer_next_selector("<html><body><a href='/x'>更多</a></body></html>") is None


def test_list_proposal_previews_titles_and_dates():
    """The list-page proposal carries both selectors and the articles with their dates."""
    proposal = propose_list_page(LIST_PAGE, LIST_URL)
    assert proposal is not None
    assert set(proposal.selectors) == {"link_selector", "next_selector"}
    assert [item.title for item in proposal.items] == [t for _h, t in ARTICLES]
    assert proposal.items[0].published.date() == date(2006, 4, 25)


def test_guard_refuses_local_addresses_unless_allowed():
    """The discovery fetcher's guard refuses loopback and private hosts not in the allow list."""
    guard = AddressGuard([])
    assert guard("http://127.0.0.1:5050/") is not None
    assert guard("http://10.1.2.3/") is not None
    assert AddressGuard(["127.0.0.1:5050"])("http://127.0.0.1:5050/") is None


def test_home_page_refreshing_to_the_day_index_is_followed(app):
    """An e-paper home page that jumps to today's day index with a meta refresh is followed,
    offline through a mock transport."""
    import httpx

    from campaign.sources.probe import discover
    from scrapers.fetch import Fetcher, FetchSettings

    pages = {"/": '<html><head><meta http-equiv="refresh" content="0; URL=html/2006-04/25/'
                  'node_1.htm"></head><body></body></html>',
             "/html/2006-04/25/node_1.htm": FOUNDER_INDEX}

    def answer(request):
        body = pages.get(request.url.path)
        if body is None:
            return httpx.Response(404)
        return httpx.Response(200, text=body, headers={"content-type": "text/html"})

    fetcher = Fetcher(FetchSettings(retries=0, min_delay=0, obey_robots=False),
                      transport=httpx.MockTransport(answer))
    with app.test_request_context():
        found = discover("http://epaper.ahrb.test/", fetcher=fetcher)
    assert [(p.type, p.url) for p in found.proposals] == [
        ("epaper", "http://epaper.ahrb.test/html/{yyyy}-{mm}/{dd}/node_1.htm")]
    assert found.title == "安徽日报数字报-第01版：要闻"


# --- the preview page, against the demo site -----------------------------------------------

@pytest.fixture(scope="module")
def demo_base():
    with running() as base:
        yield base


def _proposals(html):
    page = soup(html)
    return [(str(p["data-type"]), p.select_one(".proposal-url").get_text(),
             {str(s["data-key"]): s.get_text() for s in p.select("code.selector")})
            for p in page.select("section.proposal")]


def test_preview_of_a_list_page(client, login, make, demo_base):
    """The demo portal's list page is proposed as an html source with its selectors, the
    preview lists its headlines, and the outlet named in the page title is preselected."""
    login("admin")
    outlet = make.outlet(name="中安在线")
    response = client.post("/sources/discover", data={"url": f"{demo_base}/ahnews/list_1.html"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    [(kind, url, selectors)] = _proposals(html)
    assert (kind, url) == ("html", f"{demo_base}/ahnews/list_1.html")
    assert selectors["link_selector"] == "ul.news-list li a"
    assert "next_selector" in selectors
    assert "安徽籍运动员王喆获全国青年举重锦标赛冠军" in html
    chosen = soup(html).select_one("section.proposal select[name=outlet] option[selected]")
    assert chosen["value"] == str(outlet.id)


def test_preview_of_an_epaper_day(client, login, demo_base):
    """A demo e-paper day index is proposed as an e-paper pattern with its 版面."""
    login("admin")
    response = client.post("/sources/discover",
                           data={"url": f"{demo_base}/ahrb/html/2006-04/25/node_1.htm"})
    [(kind, url, _selectors)] = _proposals(response.get_data(as_text=True))
    assert (kind, url) == ("epaper", f"{demo_base}/ahrb/html/{{yyyy}}-{{mm}}/{{dd}}/node_1.htm")
    assert "第03版：经济" in response.get_data(as_text=True)


def test_preview_of_an_epaper_archive(client, login, demo_base):
    """The e-paper's archive page (往期回顾) leads to the e-paper pattern, through its latest
    day index, rather than to a list of dates."""
    login("admin")
    response = client.post("/sources/discover", data={"url": f"{demo_base}/ahrb/"})
    [(kind, url, _selectors)] = _proposals(response.get_data(as_text=True))
    assert (kind, url) == ("epaper", f"{demo_base}/ahrb/html/{{yyyy}}-{{mm}}/{{dd}}/node_1.htm")


def test_preview_follows_an_advertised_feed(client, login, demo_base):
    """A page advertising its RSS feed is proposed as that feed, with the feed's entries."""
    login("admin")
    response = client.post("/sources/discover", data={"url": f"{demo_base}/ahgrb/"})
    proposals = _proposals(response.get_data(as_text=True))
    assert ("rss", f"{demo_base}/ahgrb/rss.xml", {}) in proposals
    assert "高温津贴发放提上日程" in response.get_data(as_text=True)


def test_fetch_error_is_shown_in_words(client, login, demo_base):
    """A page the site answers with 404 is reported in words with the status, no proposal."""
    login("admin")
    response = client.post("/sources/discover", data={"url": f"{demo_base}/nowhere.html"})
    html = response.get_data(as_text=True)
    assert _proposals(html) == []
    error = soup(html).select_one(".discovery-error").get_text()
    assert "HTTP 404" in error


def test_non_http_url_is_refused(client, login):
    """Only http and https URLs are fetched: anything else is a 422 with the reason."""
    login("admin")
    response = client.post("/sources/discover", data={"url": "file:///etc/passwd"})
    assert response.status_code == 422
    assert "http" in response.get_data(as_text=True)


def test_confirming_a_proposal_saves_the_source(client, login, make, db, demo_base):
    """The confirm form carries the proposal: saving it creates the source for the chosen
    outlet; an invalid carried URL is refused with 422."""
    login("admin")
    outlet = make.outlet(name="中安在线")
    selectors = {"link_selector": "ul.news-list li a", "next_selector": "a.next"}
    response = client.post("/sources/discover/save", data={
        "outlet": outlet.id, "type": "html", "url": f"{demo_base}/ahnews/list_1.html",
        "selectors": json.dumps(selectors)})
    assert response.status_code == 302
    source = db.session.scalar(select(Source).where(Source.outlet_id == outlet.id))
    assert source.selectors == selectors
    response = client.post("/sources/discover/save", data={
        "outlet": outlet.id, "type": "rss", "url": "gopher://x.test/feed", "selectors": "{}"})
    assert response.status_code == 422


FIRST_PAGE = """<html><body><ul class="news">%s</ul>
<div class="pages"><span>上一页</span> <a href="list_2.html">下一页</a></div></body></html>"""
SECOND_PAGE = """<html><body><ul class="news">%s</ul>
<div class="pages"><a href="list_1.html">上一页</a> <a href="list_3.html">下一页</a></div>
</body></html>"""


def test_next_selector_from_a_first_page_does_not_follow_the_previous_link_later():
    """On a first page whose 上一页 is plain text, the inferred selector still picks 下一页 on
    page 2, where a 上一页 link comes first."""
    selector = infer_next_selector(FIRST_PAGE % LIST_ITEMS)
    assert selector is not None
    page = parse_list_page(SECOND_PAGE % LIST_ITEMS, url=LIST_URL, link_selector="ul.news a",
                           next_selector=selector)
    assert page.next_url == "http://news.example.cn/ahnews/list_3.html"


def test_a_saved_selector_matching_both_links_skips_the_previous_one():
    """A stored next selector that matches 上一页 and 下一页 (``div.pages a``) follows 下一页."""
    page = parse_list_page(SECOND_PAGE % LIST_ITEMS, url=LIST_URL, link_selector="ul.news a",
                           next_selector="div.pages a")
    assert page.next_url == "http://news.example.cn/ahnews/list_3.html"
