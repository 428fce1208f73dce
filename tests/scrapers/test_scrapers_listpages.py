"""List pages: selectors, nearby dates, duplicates and 下一页 pagination."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from scraper_server import LocalServer, Reply

from scrapers.fetch import Fetcher
from scrapers.listpages import StopReason, crawl_list, parse_list_page

BJ = ZoneInfo("Asia/Shanghai")


def _page(items: list[tuple[str, str, str]], next_href: str | None) -> bytes:
    rows = "\n".join(
        f'<li><a href="{href}" title="{title}">{title}</a><span class="d">{day}</span></li>'
        for href, title, day in items
    )
    pager = f'<a href="{next_href}">下一页</a>' if next_href else "<span>下一页</span>"
    html = f"""<html><head><meta charset="gbk"><title>工会要闻</title></head><body>
    <div class="nav"><a href="/">首页</a><a href="javascript:void(0)">收藏</a></div>
    <ul class="news">{rows}
    <li><a href="mailto:editor@union.example">联系我们</a></li></ul>
    <div class="pager"><a href="index.htm">首页</a>{pager}</div></body></html>"""
    return html.encode("gbk")


def test_three_pages_with_relative_urls_and_a_duplicate(
    server: LocalServer, fetcher: Fetcher
) -> None:
    """下一页 is followed over 3 GBK pages; relative links resolve; duplicates are dropped."""
    server.route(
        "/news/index.htm",
        Reply(
            body=_page(
                [("2006/0425/a1.htm", "省总工会召开主席办公会", "2006-04-25"),
                 ("./2006/0424/a2.htm", "职工医疗互助活动启动", "2006-04-24")],
                "index_1.htm",
            ),
            content_type="text/html",
        ),
    )  # fmt: skip
    server.route(
        "/news/index_1.htm",
        Reply(
            body=_page(
                [("/news/2006/0424/a2.htm", "职工医疗互助活动启动", "2006-04-24"),
                 ("2006/0423/a3.htm", "女职工权益保护专项检查", "2006-04-23")],
                "/news/index_2.htm",
            ),
            content_type="text/html",
        ),
    )  # fmt: skip
    server.route(
        "/news/index_2.htm",
        Reply(
            body=_page([("../news/2006/0420/a4.htm", "工会干部培训班结业", "2006-04-20")], None),
            content_type="text/html",
        ),
    )
    result = crawl_list(fetcher, server.url("/news/index.htm"), link_selector="ul.news li a")
    assert result.stop_reason is StopReason.LAST_PAGE
    assert result.pages == tuple(
        server.url(p) for p in ("/news/index.htm", "/news/index_1.htm", "/news/index_2.htm")
    )
    assert [item.url for item in result.items] == [
        server.url("/news/2006/0425/a1.htm"),
        server.url("/news/2006/0424/a2.htm"),
        server.url("/news/2006/0423/a3.htm"),
        server.url("/news/2006/0420/a4.htm"),
    ]
    assert result.items[0].title == "省总工会召开主席办公会"
    assert result.items[0].published_at == datetime(2006, 4, 25, tzinfo=BJ)


def test_pagination_loop_and_page_limit(server: LocalServer, fetcher: Fetcher) -> None:
    """A 下一页 pointing back to page 1 is a loop; max_pages cuts a long list short."""
    server.route("/l/1.htm", Reply(body=_page([("a.htm", "甲", "2006-04-25")], "2.htm")))
    server.route("/l/2.htm", Reply(body=_page([("b.htm", "乙", "2006-04-24")], "1.htm")))
    looped = crawl_list(fetcher, server.url("/l/1.htm"), link_selector="ul.news a")
    assert looped.stop_reason is StopReason.LOOP
    assert len(looped.items) == 2
    limited = crawl_list(fetcher, server.url("/l/1.htm"), link_selector="ul.news a", max_pages=1)
    assert limited.stop_reason is StopReason.PAGE_LIMIT
    assert limited.pages == (server.url("/l/1.htm"),)


def test_stop_before_and_fetch_failure(server: LocalServer, fetcher: Fetcher) -> None:
    """stop_before ends the crawl at a page of old links; a missing page ends it as failed."""
    server.route("/s/1.htm", Reply(body=_page([("n.htm", "新", "2006-04-25")], "2.htm")))
    server.route("/s/2.htm", Reply(body=_page([("o.htm", "旧", "2006-03-01")], "3.htm")))
    cutoff = datetime(2006, 4, 1, tzinfo=BJ)
    old = crawl_list(fetcher, server.url("/s/1.htm"), link_selector="ul.news a", stop_before=cutoff)
    assert old.stop_reason is StopReason.OLDER_THAN_STOP
    assert [item.title for item in old.items] == ["新"]
    failed = crawl_list(fetcher, server.url("/s/1.htm"), link_selector="ul.news a", max_pages=9)
    assert failed.stop_reason is StopReason.FETCH_FAILED
    assert failed.failure is not None and failed.failure.status == 404


def test_selectors_relative_to_the_item() -> None:
    """Item selectors pick the title and date inside each list item; truncated text uses title=."""
    html = """<table class="list">
      <tr><td class="t">
          <a href="/a/1.htm" title="全总发布职工队伍状况调查报告">全总发布职工…</a></td>
          <td class="when">2006年4月25日</td></tr>
      <tr><td class="t"><a href="/a/2.htm">职工之家建设经验交流</a></td>
          <td class="when"><time datetime="2006-04-24T09:30:00+08:00">昨天</time></td></tr>
    </table><a class="pg" href="?page=2">更多</a>"""
    page = parse_list_page(
        html,
        url="http://union.example/list.htm",
        link_selector="table.list tr",
        date_selector="td.when",
        next_selector="a.pg",
    )
    assert [item.title for item in page.links] == [
        "全总发布职工队伍状况调查报告",
        "职工之家建设经验交流",
    ]
    assert page.links[0].published_at == datetime(2006, 4, 25, tzinfo=BJ)
    assert page.links[1].published_at == datetime(2006, 4, 24, 9, 30, tzinfo=BJ)
    assert page.next_url == "http://union.example/list.htm?page=2"


def test_dates_next_to_links_and_bracketed_next() -> None:
    """Dates in text beside a link are found without selectors; 【下一页】 and <base> work."""
    html = """<head><base href="http://union.example/sub/"></head>
    <div class="box"><a href="x.htm">技能竞赛</a> (04-25 10:05)<br>
    <a href="y.htm">法律援助</a> (04-24 08:00)</div>
    <a href="p2.htm">【下一页】</a>"""
    now = datetime(2006, 5, 1, tzinfo=BJ)
    page = parse_list_page(html, url="http://union.example/", link_selector="div.box a", now=now)
    assert [item.url for item in page.links] == [
        "http://union.example/sub/x.htm",
        "http://union.example/sub/y.htm",
    ]
    assert page.links[1].published_at == datetime(2006, 4, 24, 8, 0, tzinfo=BJ)
    assert page.next_url == "http://union.example/sub/p2.htm"
