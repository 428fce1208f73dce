"""Fetching one source: feeds, list pages and e-papers into articles, FetchRuns and fetch state."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from campaign.articles.models import Article
from campaign.core.times import utcnow
from campaign.ingest.claims import claim_sources, release
from campaign.ingest.epaper_days import days_to_walk, walked_days
from campaign.ingest.health import fetch_status
from campaign.ingest.write_phase import fetch_source
from campaign.sources.models import FetchRun, Source
from scrapers.fetch import Fetcher, FetchSettings
from tests.scrapers.scraper_server import Reply

BODY = "全省职工技能大赛今天在合肥开幕，来自各行业的八百多名选手参加比赛。" * 4
ARTICLE_SELECTORS = {"article_title": "h1", "article_body": "div.content"}


def rss(items: list[tuple[str, str, str]]) -> bytes:
    """An RSS 2.0 feed of (url, title, description) items."""
    entries = "".join(
        f"<item><title>{title}</title><link>{url}</link><description>{text}</description>"
        f"<pubDate>Thu, 27 Apr 2006 09:00:00 +0800</pubDate></item>"
        for url, title, text in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>测试</title>'
            f"{entries}</channel></rss>").encode()


def article_page(title: str) -> bytes:
    """An article page the source's article_* selectors read."""
    return (f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
            f"<div class='date'>2006-04-27 09:00</div>"
            f"<div class='content'><p>{BODY}</p><p>{title}。</p></div></body></html>").encode()


def list_page(links: list[tuple[str, str]]) -> bytes:
    """A list page (栏目页) of (path, title) links."""
    rows = "".join(f"<li><a href='{path}'>{title}</a><span class='date'>2006-04-27</span></li>"
                   for path, title in links)
    return f"<html><body><ul class='news'>{rows}</ul></body></html>".encode()



def add_source(db, make, **kw) -> Source:
    """A source of a new outlet, committed to the test's transaction."""
    defaults = {"type": "rss", "name": "", "selectors": ARTICLE_SELECTORS, "interval_minutes": 60}
    source = Source(outlet=make.outlet(), **{**defaults, **kw})
    db.session.add(source)
    db.session.commit()
    return source


def articles(db, source: Source) -> list[Article]:
    return list(db.session.scalars(select(Article).where(Article.source_id == source.id)))


def test_rss_with_bodies_is_stored_and_recorded(db, make, server, fetcher):
    """A feed with full bodies stores its entries and records the run and the fetch state."""
    server.route("/rss.xml", Reply(body=rss([(server.url(f"/a{n}.html"), f"标题{n}",
                                                  f"{BODY}第{n}篇") for n in range(3)]),
                                   content_type="application/rss+xml", headers={"ETag": '"v1"'}))
    source = add_source(db, make, url=server.url("/rss.xml"))
    run = fetch_source(source, fetcher=fetcher)
    assert (run.outcome, run.new_count, run.trigger) == ("ok", 3, "scheduled")
    assert run.finished_at >= run.started_at
    assert len(articles(db, source)) == 3
    assert server.paths() == ["/robots.txt", "/rss.xml"]  # bodies were in the feed
    assert source.etag == '"v1"' and source.content_hash
    assert source.last_success_at and source.last_new_at and source.items_seen == 3
    assert source.consecutive_failures == 0 and source.last_error_kind is None


def test_rss_second_fetch_is_conditional(db, make, server, fetcher):
    """The next fetch sends If-None-Match; a 304 is recorded as not_modified, nothing stored."""
    def feed(seen):
        if seen.headers.get("if-none-match") == '"v1"':
            return Reply(304, b"")
        return Reply(body=rss([(server.url("/a.html"), "标题", BODY)]), headers={"ETag": '"v1"'},
                     content_type="application/rss+xml")

    server.route("/rss.xml", feed)
    source = add_source(db, make, url=server.url("/rss.xml"))
    fetch_source(source, fetcher=fetcher)
    run = fetch_source(source, fetcher=fetcher)
    assert (run.outcome, run.new_count) == ("not_modified", 0)
    assert source.consecutive_failures == 0


def test_rss_teasers_fetch_article_pages_once(db, make, server, fetcher):
    """Entries without a usable body get their page fetched and extracted; a URL already stored
    is not fetched again."""
    items = [(server.url(f"/a{n}.html"), f"标题{n}", "摘要…") for n in range(3)]
    server.route("/rss.xml", Reply(body=rss(items[:2]), content_type="application/rss+xml"))
    for n in range(3):
        server.route(f"/a{n}.html", Reply(body=article_page(f"职工技能大赛第{n}场")))
    source = add_source(db, make, url=server.url("/rss.xml"))
    run = fetch_source(source, fetcher=fetcher)
    assert run.new_count == 2
    stored = sorted(articles(db, source), key=lambda a: a.url)
    assert stored[0].title == "职工技能大赛第0场" and "八百多名选手" in stored[0].body.text
    server.route("/rss.xml", Reply(body=rss(items), content_type="application/rss+xml"))
    server.requests.clear()
    run = fetch_source(source, fetcher=fetcher)
    assert (run.new_count, run.duplicate_count) == (1, 2)
    assert server.paths() == ["/rss.xml", "/a2.html"]


def test_html_list_fetches_new_articles_only(db, make, server, fetcher):
    """A list source crawls its list and fetches the articles not stored yet."""
    links = [(f"/news/{n}.html", f"新闻{n}") for n in range(3)]
    server.route("/list.html", Reply(body=list_page(links)))
    for path, title in links:
        server.route(path, Reply(body=article_page(title)))
    source = add_source(db, make, type="html", url=server.url("/list.html"),
                        selectors={"link_selector": "ul.news li a", **ARTICLE_SELECTORS})
    assert fetch_source(source, fetcher=fetcher).new_count == 3
    links.append(("/news/9.html", "新闻9"))
    server.route("/list.html", Reply(body=list_page(links)))
    server.route("/news/9.html", Reply(body=article_page("新闻9")))
    server.requests.clear()
    run = fetch_source(source, fetcher=fetcher, trigger="manual")
    assert (run.new_count, run.duplicate_count, run.trigger) == (1, 3, "manual")
    assert server.paths() == ["/list.html", "/news/9.html"]


def test_html_without_link_selector_fails_clearly(db, make, fetcher):
    """A list source without a link selector fails as a configuration error, without raising."""
    source = add_source(db, make, type="html", url="http://127.0.0.1:9/list.html", selectors={})
    run = fetch_source(source, fetcher=fetcher)
    assert run.outcome == "failed" and source.last_error_kind == "config_error"


def test_server_error_fails_and_backs_off(db, make, server, fetcher):
    """A 500 is a failed run; the source counts the failure, shows the error and backs off."""
    server.route("/rss.xml", Reply(500, b"oops"))
    source = add_source(db, make, url=server.url("/rss.xml"))
    claim_sources(worker="w", limit=1)
    db.session.refresh(source)
    started = utcnow()
    for failures in (1, 2):
        run = fetch_source(source, fetcher=fetcher)
        assert run.outcome == "failed" and "http_error" in run.error
        assert source.consecutive_failures == failures
    release(source, worker="w", started_at=started)
    assert source.last_error_kind == "http_error" and "500" in source.last_error_message
    wait = source.next_fetch_at - utcnow()
    assert timedelta(minutes=239) < wait <= timedelta(minutes=240)  # 60 min × 2²


def test_garbage_feed_is_a_parse_error(db, make, server, fetcher):
    """Bytes that are no feed fail the run as a parse error."""
    server.route("/rss.xml", Reply(body=b"\x00\xff<<garbage", content_type="application/xml"))
    source = add_source(db, make, url=server.url("/rss.xml"))
    run = fetch_source(source, fetcher=fetcher)
    assert run.outcome == "failed" and source.last_error_kind == "parse_error"


def test_a_failed_article_page_makes_the_run_partial(db, make, server, fetcher):
    """One dead article page: the others are stored, the run is partial, and the feed's
    validators are not kept, so the next run reads the feed again to retry the page."""
    items = [(server.url(f"/a{n}.html"), f"标题{n}", "摘要") for n in range(2)]
    server.route("/rss.xml", Reply(body=rss(items), content_type="application/rss+xml",
                                   headers={"ETag": '"v1"'}))
    server.route("/a0.html", Reply(body=article_page("好的文章")))
    server.route("/a1.html", Reply(503, b"busy"))
    source = add_source(db, make, url=server.url("/rss.xml"))
    run = fetch_source(source, fetcher=fetcher)
    assert (run.outcome, run.new_count) == ("partial", 1)
    assert source.etag is None and source.consecutive_failures == 0
    assert source.last_error_kind == "article_failed"


def test_after_store_gets_the_stored_ids(db, make, server, fetcher):
    """The job's after_store hook (coverage matching) is called with the stored article ids."""
    server.route("/rss.xml", Reply(body=rss([(server.url("/a.html"), "标题", BODY)]),
                                   content_type="application/rss+xml"))
    source = add_source(db, make, url=server.url("/rss.xml"))
    seen: list[list[int]] = []
    fetch_source(source, fetcher=fetcher, after_store=seen.append)
    assert seen == [[a.id for a in articles(db, source)]]


def test_epaper_walks_campaign_days_once(db, make):
    """An e-paper source walks a past campaign's days (the 2006 demo), keeps page numbers and
    titles, remembers the days, and afterwards only walks the recent days."""
    from campaign.demo_site import running

    make.campaign()  # 2006-04-25 … 05-25, preparation from 04-01
    # Some 600 pages from the demo site, which draws its page images as it goes: on a loaded
    # machine one may take longer than the suite's 2-second fetcher allows (a "partial" run).
    patient = FetchSettings(min_delay=0, retries=0, read_timeout=30, connect_timeout=5,
                            trust_env=False)
    with running() as base, Fetcher(patient) as fetcher:
        source = add_source(db, make, type="epaper", selectors={},
                            url=f"{base}/ahrb/html/{{yyyy}}-{{mm}}/{{dd}}/node_1.htm")
        run = fetch_source(source, fetcher=fetcher)
    assert (run.outcome, run.new_count) == ("ok", 134)
    stored = articles(db, source)
    assert any(a.page_number == 1 for a in stored) and any(a.intro_title for a in stored)
    walked = walked_days(source.id)
    assert date(2006, 4, 27) in walked and date(2006, 3, 25) in walked
    today = date.today()
    assert days_to_walk(source, today=today) == [today - timedelta(days=n) for n in range(3)]


def test_days_to_walk_backfills_a_period(db, make):
    """With since/until the days of that period are walked too, oldest first after the recent."""
    source = add_source(db, make, type="epaper", url="http://127.0.0.1:9/{yyyy}{mm}{dd}.htm")
    today = date(2026, 1, 10)
    days = days_to_walk(source, today=today, since=date(2025, 12, 30), until=date(2026, 1, 2))
    assert days[:3] == [date(2026, 1, 10), date(2026, 1, 9), date(2026, 1, 8)]
    assert days[3:] == [date(2025, 12, 30), date(2025, 12, 31), date(2026, 1, 1),
                        date(2026, 1, 2)]


def test_fetch_status_reports_request_claim_and_last_run(db, make, server, fetcher):
    """fetch_status shows a pending request, then the run in flight, then the last run."""
    from campaign.sources.operations import request_fetch

    server.route("/rss.xml", Reply(body=rss([(server.url("/a.html"), "标题", BODY)]),
                                   content_type="application/rss+xml"))
    source = add_source(db, make, url=server.url("/rss.xml"), next_fetch_at=utcnow() + timedelta(
        hours=1))
    request_fetch(source)
    status = fetch_status(source)
    assert status["requested_at"] and not status["running"] and status["last_run"] is None
    started = utcnow()
    assert claim_sources(worker="w", limit=5) == [source.id]
    db.session.refresh(source)  # the claim was written with a bulk UPDATE
    assert fetch_status(source)["running"]
    fetch_source(source, fetcher=fetcher, trigger="manual")
    release(source, worker="w", started_at=started)
    status = fetch_status(source)
    assert status["requested_at"] is None and not status["running"]
    assert status["last_run"]["outcome"] == "ok" and status["last_run"]["new"] == 1
    assert db.session.scalar(select(func.count()).select_from(FetchRun)
                             .where(FetchRun.source_id == source.id)) == 1


def test_campaign_backlog_is_walked_a_bit_per_run(db, make):
    """A long campaign's unwalked days are spread over runs; a period asked for is walked whole."""
    from campaign.ingest.epaper_days import MAX_DAYS_PER_RUN

    make.campaign(starts_on=date(2020, 1, 1), ends_on=date(2020, 12, 31),
                  planning_starts_on=None)
    source = add_source(db, make, type="epaper", url="http://127.0.0.1:9/{yyyy}{mm}{dd}.htm")
    today = date(2021, 6, 1)
    days = days_to_walk(source, today=today)
    assert len(days) == 3 + MAX_DAYS_PER_RUN and days[3] == date(2019, 12, 25)
    asked = days_to_walk(source, today=today, since=date(2018, 1, 1), until=date(2018, 12, 31))
    assert len(asked) == 3 + 365 and asked[3] == date(2018, 1, 1)


def test_a_failing_after_store_hook_keeps_the_articles(db, make, server, fetcher):
    """If the after_store hook raises, the articles stay stored and the run notes the error."""
    server.route("/rss.xml", Reply(body=rss([(server.url("/a.html"), "标题", BODY)]),
                                   content_type="application/rss+xml"))
    source = add_source(db, make, url=server.url("/rss.xml"))

    def broken(ids: list[int]) -> None:
        raise RuntimeError("matching broke")

    run = fetch_source(source, fetcher=fetcher, after_store=broken)
    assert run.outcome == "ok" and "matching broke" in run.error
    assert len(articles(db, source)) == 1
