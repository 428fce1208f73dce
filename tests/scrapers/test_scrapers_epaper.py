"""E-paper walks over a local Founder-style site, plus a second made-up family."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bs4 import BeautifulSoup
from scraper_server import LocalServer, Reply

from scrapers.epaper import (
    FOUNDER,
    ArticleFields,
    EpaperFamily,
    EpaperSkip,
    parse_day_index,
    parse_epaper_article,
    parse_page,
    walk_epaper,
)
from scrapers.fetch import Fetcher

BJ = ZoneInfo("Asia/Shanghai")
PAGES = {1: "要闻", 2: "工会"}
GB = "text/html"  # Founder servers often send no charset; the <meta> says gb2312


def _nav() -> str:
    return "".join(
        f'<a id="pageLink" href="node_{n}.htm">第{n:02d}版：{name}</a><br>'
        for n, name in PAGES.items()
    )


def _founder_page(day: date, number: int) -> bytes:
    ids = [day.day * 100 + number * 10 + k for k in (1, 2)]
    areas = "".join(f'<area shape="rect" coords="0,0,9,9" href="content_{i}.htm">' for i in ids)
    titles = "".join(f'<li><a href="content_{i}.htm">第{i}号稿件</a></li>' for i in ids)
    html = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
    </head><body><table><tr><td>第{number:02d}版：{PAGES[number]}</td></tr></table>
    <map name="PagePicMap">{areas}</map><div>{_nav()}</div><ul>{titles}</ul></body></html>"""
    return html.encode("gb18030")


def _founder_article(day: date, article_id: int, *, enp: bool) -> bytes:
    number = article_id // 10 % 10
    stamp = f"{day:%Y-%m-%d}"
    prop = (
        f"<!--enpproperty <articleid>{article_id}</articleid><date>{stamp}</date>"
        f"<author>记者 林镕</author><title>第{article_id}号稿件</title><keyword>工会</keyword>"
        f"<subtitle>副题{article_id}</subtitle><introtitle>引题{article_id}</introtitle>"
        f"<siteid>1</siteid><nodeid>{number}</nodeid><nodename>{PAGES[number]}</nodename>"
        "<nodesearchname></nodesearchname>/enpproperty-->"
        if enp
        else ""
    )
    html = f"""<html><head><meta charset="gb2312">{prop}</head><body>
    <table><tr><td>第{number:02d}版：{PAGES[number]}</td></tr></table>
    <table><tr><td class="font01">引题{article_id}</td></tr>
    <tr><td class="font02"><founder-title>第{article_id}号稿件</founder-title></td></tr>
    <tr><td class="font01">副题{article_id}</td></tr></table>
    <founder-content><P>　　本报讯 全市职工踊跃参加第{article_id}号活动。</P>
    <P>　　活动持续到月底。𠀀</P></founder-content></body></html>"""
    return html.encode("gb18030")


def _publish(server: LocalServer, day: date) -> None:
    base = f"/html/{day:%Y-%m}/{day:%d}/"
    for number in PAGES:
        page = Reply(body=_founder_page(day, number), content_type=GB)
        server.route(f"{base}node_{number}.htm", page)
        for k in (1, 2):
            article_id = day.day * 100 + number * 10 + k
            body = _founder_article(day, article_id, enp=k == 1)
            server.route(f"{base}content_{article_id}.htm", Reply(body=body, content_type=GB))


def test_founder_walk_over_three_days_skips_missing_day(
    server: LocalServer, fetcher: Fetcher
) -> None:
    """A 4-day walk yields every article of the 3 published days and reports the missing one."""
    for day in (25, 26, 27):
        _publish(server, date(2006, 4, day))
    skipped: list[EpaperSkip] = []
    articles = list(
        walk_epaper(
            fetcher,
            server.url("/html/{yyyy}-{mm}/{dd}/node_1.htm"),
            start=date(2006, 4, 24),
            end=date(2006, 4, 27),
            on_skip=skipped.append,
        )
    )
    assert [(skip.issue_date, skip.what, skip.status) for skip in skipped] == [
        (date(2006, 4, 24), "day", 404)
    ]
    assert len(articles) == 12
    first = articles[0]
    assert first.issue_date == date(2006, 4, 25)
    assert (first.page_number, first.page_name, first.page_label) == (1, "要闻", "第01版：要闻")
    titles = (first.intro_title, first.title, first.subtitle)
    assert titles == ("引题2511", "第2511号稿件", "副题2511")
    assert first.author == "记者 林镕"
    assert first.published_at == datetime(2006, 4, 25, tzinfo=BJ)
    assert first.body == "本报讯 全市职工踊跃参加第2511号活动。\n活动持续到月底。𠀀"
    assert first.day_url == server.url("/html/2006-04/25/node_1.htm")
    assert first.page_url == server.url("/html/2006-04/25/node_1.htm")
    on_page_two = [a for a in articles if a.issue_date == date(2006, 4, 27) and a.page_number == 2]
    names = [a.url.rsplit("/", 1)[1] for a in on_page_two]
    assert names == ["content_2721.htm", "content_2722.htm"]
    assert {a.page_name for a in on_page_two} == {"工会"}


def test_article_without_enpproperty_uses_visible_markup() -> None:
    """Without the enpproperty comment, 引题/主题/副题 come from the table rows."""
    html = _founder_article(date(2006, 4, 25), 2512, enp=False).decode("gb18030")
    article = parse_epaper_article(
        html, url="http://paper.example/html/2006-04/25/content_2512.htm"
    )
    assert article.issue_date == date(2006, 4, 25)
    assert (article.intro_title, article.title, article.subtitle) == (
        "引题2512",
        "第2512号稿件",
        "副题2512",
    )
    assert (article.page_number, article.page_name) == (1, "要闻")
    assert article.author == ""
    assert article.page_url is None


def test_day_index_and_page_listing() -> None:
    """The day index lists numbered, named pages; a page lists its articles once each."""
    html = _founder_page(date(2006, 4, 25), 2).decode("gb18030")
    url = "http://paper.example/html/2006-04/25/node_2.htm"
    pages = parse_day_index(html, url=url)
    assert [(p.number, p.name, p.url.rsplit("/", 1)[1]) for p in pages] == [
        (1, "要闻", "node_1.htm"),
        (2, "工会", "node_2.htm"),
    ]
    listing = parse_page(html, url=url, family=FOUNDER)
    assert listing.page.label == "第02版：工会"
    assert [u.rsplit("/", 1)[1] for u in listing.article_urls] == [
        "content_2521.htm",
        "content_2522.htm",
    ]


def _layout_b_fields(soup: BeautifulSoup) -> ArticleFields:
    """Layout B keeps titles in h-tags and the text in div.text."""

    def text(selector: str) -> str:
        node = soup.select_one(selector)
        return node.get_text(strip=True) if node else ""

    paragraphs = [p.get_text(strip=True) for p in soup.select("div.text p")]
    return ArticleFields(
        intro_title=text("h2.kicker"), title=text("h1"), subtitle=text("h3"),
        author=text("p.byline"), date_text=text("time"), page_label=text("span.pg"),
        body="\n".join(paragraphs),
    )  # fmt: skip


LAYOUT_B = EpaperFamily(
    name="layout-b",
    page_link=re.compile(r"/page-\d+\.html$"),
    article_link=re.compile(r"/art-\d+\.html$"),
    parse_fields=_layout_b_fields,
    page_label=re.compile(r"([A-Z]\d+)版\s*(\S*)"),
)


def test_second_family_is_a_small_addition(server: LocalServer, fetcher: Fetcher) -> None:
    """A made-up layout B with other URLs and markup walks through the same code."""
    server.route(
        "/b/20060425/index.html", Reply(body='<a href="page-1.html">A1版 头版</a>'.encode())
    )
    server.route(
        "/b/20060425/page-1.html",
        Reply(body='<span>A1版 头版</span><a href="art-7.html">稿件</a>'.encode()),
    )
    article = """<span class="pg">A1版 头版</span><h2 class="kicker">喜迎五一</h2>
    <h1>劳动者之歌晚会举行</h1><h3>千名职工登台献艺</h3><p class="byline">特约记者 周雯</p>
    <time>2006-04-25 20:30</time><div class="text"><p>晚会在工人文化宫举行。</p></div>"""
    server.route("/b/20060425/art-7.html", Reply(body=article.encode()))
    (found,) = walk_epaper(
        fetcher,
        server.url("/b/{yyyy}{mm}{dd}/index.html"),
        start=date(2006, 4, 25),
        end=date(2006, 4, 25),
        family=LAYOUT_B,
    )
    assert (found.page_number, found.page_name, found.page_label) == (1, "头版", "A1版 头版")
    assert (found.intro_title, found.title, found.subtitle) == (
        "喜迎五一",
        "劳动者之歌晚会举行",
        "千名职工登台献艺",
    )
    assert found.author == "特约记者 周雯"
    assert found.published_at == datetime(2006, 4, 25, 20, 30, tzinfo=BJ)
    assert found.body == "晚会在工人文化宫举行。"


def test_meta_refresh_day_entry_and_founder_author(server: LocalServer, fetcher: Fetcher) -> None:
    """A day entry page that meta-refreshes to node_1 is followed; <founder-author> is read."""
    day = date(2006, 4, 25)
    _publish(server, day)
    refresh = '<meta http-equiv="refresh" content="0; URL=node_1.htm">'
    server.route("/html/2006-04/25/index.htm", Reply(body=refresh.encode()))
    no_enp = _founder_article(day, 2512, enp=False).replace(
        b"<founder-content>",
        "<founder-author>通讯员 王芳</founder-author><founder-content>".encode("gb18030"),
    )
    server.route("/html/2006-04/25/content_2512.htm", Reply(body=no_enp, content_type=GB))
    articles = list(
        walk_epaper(fetcher, server.url("/html/{yyyy}-{mm}/{dd}/index.htm"), start=day, end=day)
    )
    assert len(articles) == 4
    by_id = {a.url.rsplit("_", 1)[1]: a for a in articles}
    assert by_id["2512.htm"].author == "通讯员 王芳"
    assert by_id["2512.htm"].subtitle == "副题2512"
