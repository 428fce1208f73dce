"""安徽工人日报 RSS, 中安在线 GBK portal, 合肥日报 and 工人日报 list pages over real HTTP."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import feedparser
import pytest
from bs4 import BeautifulSoup

from campaign.demo_site import sources_for


def _by_outlet(labels, outlet):
    return [lb for lb in labels if lb["outlet"] == outlet]


def test_rss_parses_with_all_items(client, labels):
    """The RSS feed is served as rss+xml, parses with feedparser and has one item per article."""
    r = client.get("/ahgrb/rss.xml")
    assert r.headers["content-type"] == "application/rss+xml; charset=utf-8"
    feed = feedparser.parse(r.content)
    assert not feed.bozo, feed.get("bozo_exception")
    expected = _by_outlet(labels, "安徽工人日报")
    assert len(feed.entries) == len(expected) <= 200
    paths = {e.link.removeprefix(str(client.base_url).rstrip("/")) for e in feed.entries}
    assert paths == {lb["url_path"] for lb in expected}
    dates = re.findall(r"<pubDate>(.*?)</pubDate>", r.text)
    assert any(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", d) for d in dates)  # naive Beijing time
    assert any(d.endswith("+0800") for d in dates)  # RFC 822


def test_rss_article_pages_carry_page_info(client, labels):
    """安徽工人日报 article pages show the title, date and 第0N版 page."""
    col = next(lb for lb in labels if lb["outlet"] == "安徽工人日报" and lb["genre"] == "专栏")
    r = client.get(col["url_path"])
    assert r.status_code == 200
    assert col["title"] in r.text and "第01版" in r.text and "劳模风采" in r.text


def _text(resp) -> str:
    """Decode as the domain notes say: gb2312/gbk (or undeclared) pages as gb18030."""
    utf8 = "charset=utf-8" in resp.headers["content-type"]
    return resp.content.decode("utf-8" if utf8 else "gb18030")


def _walk(client, first: str, link_sel: str, next_text: str = "下一页"):
    url, pages, links = first, [], []
    while url:
        r = client.get(url)
        assert r.status_code == 200
        soup = BeautifulSoup(_text(r), "lxml")
        page_links = [urljoin(url, a["href"]) for a in soup.select(link_sel)]
        pages.append(page_links)
        links += page_links
        nxt = soup.find("a", string=next_text)
        assert next_text in _text(r)
        url = urljoin(url, nxt["href"]) if nxt else None
    return pages, links


def test_portal_lists_paginate_with_next_link(client, labels):
    """中安在线 list pages hold 20 relative links each with a date span and chain via 下一页."""
    r = client.get("/ahnews/list_1.html")
    assert r.headers["content-type"] == "text/html; charset=gbk"
    soup = BeautifulSoup(_text(r), "lxml")
    first = soup.select("ul.news-list li")[0]
    assert not first.a["href"].startswith(("/", "http"))
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", first.span.get_text())
    pages, links = _walk(client, "/ahnews/list_1.html", "ul.news-list li a")
    assert len(pages) >= 2
    assert all(len(p) == 20 for p in pages[:-1]) and 0 < len(pages[-1]) <= 20
    expected = {lb["url_path"] for lb in _by_outlet(labels, "中安在线")}
    assert set(links) == expected
    assert client.get(f"/ahnews/list_{len(pages) + 1}.html").status_code == 404


def test_portal_articles_are_gbk_with_a_non_gb2312_character(client, labels):
    """中安在线 article pages are GBK bytes (not UTF-8) and some need more than GB2312."""
    beyond_gb2312 = 0
    for lb in _by_outlet(labels, "中安在线"):
        r = client.get(lb["url_path"])
        assert r.headers["content-type"] == "text/html; charset=gbk"
        with pytest.raises(UnicodeDecodeError):
            r.content.decode("utf-8")
        text = r.content.decode("gb18030")
        assert '<meta charset="gb2312">' in text
        assert lb["title"] in text
        assert re.search(r"发布时间：\d{4}-\d\d-\d\d \d\d:\d\d\s+来源：", text)
        assert "责任编辑：" in text and "版权所有" in text and "ICP备" in text
        try:
            text.encode("gb2312")
        except UnicodeEncodeError:
            beyond_gb2312 += 1
    assert beyond_gb2312 >= 1


def test_city_paper_lists_and_mislabelled_charset(client, labels):
    """合肥日报 paginates with 下一页; pages declare gb2312 but need gb18030 to decode."""
    pages, links = _walk(client, "/hfrb/news/index.html", "table.list td.title a")
    assert len(pages) >= 2
    assert len(links) == len(_by_outlet(labels, "合肥日报"))
    r = client.get("/hfrb/news/index.html")
    assert "charset" not in r.headers["content-type"]
    assert b"charset=gb2312" in r.content


def test_reprints_credit_the_original(client, labels):
    """Every reprint page names its original outlet in a 来源： line; edits change some titles."""
    by_path = {lb["url_path"]: lb for lb in labels}
    reprints = [lb for lb in labels if lb["kind"] == "reprint"]
    assert len(reprints) >= 10
    retitled = 0
    for lb in reprints:
        orig = by_path[lb["reprint_of"]]
        assert orig["outlet"] != lb["outlet"] and orig["published"] <= lb["published"]
        text = _text(client.get(lb["url_path"]))
        assert f"来源：{orig['outlet']}" in text
        retitled += lb["title"] != orig["title"]
    assert retitled >= 5
    assert {"中安在线", "工人日报"} <= {lb["outlet"] for lb in reprints}


def test_sources_resolve_against_the_server(client, demo_base):
    """SOURCES with {base} filled (and an e-paper date) all answer 200."""
    srcs = sources_for(demo_base)
    assert {s["type"] for s in srcs} == {"epaper", "rss", "html"}
    for s in srcs:
        assert "{base}" not in s["url"] and s["url"].startswith(demo_base)
        url = s["url"].format(yyyy="2006", mm="04", dd="25")
        assert client.get(url).status_code == 200, url
        if s["type"] == "html":
            soup = BeautifulSoup(_text(client.get(url)), "lxml")
            assert soup.select(s["link_selector"])
