"""One bad item does not silence a source: an RSS title with a character reference beyond
U+10FFFF, a list-page or e-paper link `http://[::1`, an e-paper story its parser raises on, and
a Big5 feed with one stray byte. The bad item is
skipped and counted (the count and the charset warning reach the source's page, in Chinese),
the rest is stored."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import select

from campaign.articles.models import Article
from campaign.extensions import db
from campaign.ingest.scheduler import make_poller
from campaign.ingest.write_phase import fetch_source
from campaign.planning.models import Outlet
from campaign.sources.models import FetchRun, Source
from scrapers.epaper import FOUNDER, parse_page, read_day_index, walk_epaper
from scrapers.feeds import parse_feed
from scrapers.fetch import Fetcher, FetchSettings
from scrapers.listpages import parse_list_page
from tests.factories import Factories
from tests.plugins.apps import BODY, add_source
from tests.scrapers.founder_pc import layout_path, page_html, publish_pc_paper
from tests.scrapers.scraper_server import Reply

RSS = "application/rss+xml"
EPAPER_DAY = date(2023, 2, 11)
BIG5_BODY = "全省職工技能大賽今天在合肥開幕，來自各行業的八百多名選手參加比賽。" * 4
BIG5_TITLES = ["職工技能大賽在合肥開幕", "省總工會慰問一線職工", "勞動模範表彰大會隆重舉行",
               "工會幹部培訓班結業", "農民工權益保障座談會"]


def rss_with_bad_title(base: str) -> bytes:
    """Five good items and one whose title holds `&#x110000;` (beyond Unicode)."""
    good = "".join(f"<item><title>好新闻{n}</title><link>{base}/rss/{n}.html</link>"
                   f"<description>{BODY}{n}</description></item>" for n in range(5))
    bad = (f"<item><title>坏标题 &#x110000; 在此</title><link>{base}/rss/bad.html</link>"
           f"<description>{BODY}坏</description></item>")
    return f"<rss version='2.0'><channel><title>工人报</title>{bad}{good}</channel></rss>".encode()


def list_with_bad_link(base: str) -> bytes:
    """A list page of five good links and one `http://[::1` link."""
    rows = "".join(f'<li><a href="{base}/news/{n}.html">列表新闻{n}</a></li>' for n in range(5))
    return (f'<html><body><ul class="list"><li><a href="http://[::1/x.html">坏链接</a></li>'
            f"{rows}</ul></body></html>").encode()


def big5_feed_with_a_stray_byte(base: str) -> bytes:
    """A Big5 feed of titles (its charset declared in the Content-Type only) with one byte
    that is not Big5 after the channel title: there, detection reads the whole body as
    GB18030 (every title mojibake) unless the declared charset is kept."""
    items = "".join(f"<item><title>{t}</title><link>{base}/big5/{n}.html</link></item>"
                    for n, t in enumerate(BIG5_TITLES))
    body = f'<rss version="2.0"><channel><title>工人報</title>{items}</channel></rss>'.encode(
        "big5")
    spot = body.index(b"</title>") + len(b"</title>")
    return body[:spot] + b"\x85" + body[spot:]


def test_parse_feed_skips_an_item_beyond_unicode_and_keeps_the_rest():
    """Regression: `&#x110000;` in one title made feedparser raise `chr() arg not in range`
    and the feed gave nothing; now that item is skipped and counted, the five others kept."""
    feed = parse_feed(rss_with_bad_title("http://a.example"), url="http://a.example/rss.xml")
    assert [entry.title for entry in feed.entries] == [f"好新闻{n}" for n in range(5)]
    assert feed.skipped == 1
    assert feed.title == "工人报"


def test_parse_list_page_skips_an_unparsable_link_and_keeps_the_rest():
    """Regression: one `http://[::1` link raised `Invalid IPv6 URL`; now it is skipped and
    counted, and the five good links are kept."""
    page = parse_list_page(list_with_bad_link("http://a.example").decode(),
                           url="http://a.example/list.html", link_selector="ul.list a")
    assert [link.title for link in page.links] == [f"列表新闻{n}" for n in range(5)]
    assert page.skipped == 1


def test_a_stray_byte_in_a_big5_feed_keeps_the_titles_and_warns():
    """One stray byte in a Big5 feed: the titles are read as Big5 (not GB18030 mojibake) and
    the feed carries a charset warning naming Big5 (before, detection chose GB18030)."""
    feed = parse_feed(big5_feed_with_a_stray_byte("http://a.example"),
                      headers={"Content-Type": "application/rss+xml; charset=big5"})
    assert [entry.title for entry in feed.entries] == BIG5_TITLES
    assert feed.charset_warning == "charset:big5hkscs:1"


def test_bad_items_are_skipped_counted_and_shown_on_the_source_page(tmp_path, server,
                                                                   committed_app):
    """Through the scheduler's poller: the feed with a bad title and the list page with a bad
    link each store their five good articles, their runs count one skipped item, and the
    Big5 feed stores its titles right with a warning; the source page says so in Chinese."""
    server.route("/rss.xml", Reply(body=rss_with_bad_title(server.url("")), content_type=RSS))
    server.route("/list.html", Reply(body=list_with_bad_link(server.url(""))))
    for n in range(5):
        server.route(f"/news/{n}.html", Reply(body=(
            f"<html><head><title>列表新闻{n}</title></head><body><h1>列表新闻{n}</h1>"
            f"<div class='content'><p>{BODY}{n}</p></div></body></html>").encode()))
    for n, title in enumerate(BIG5_TITLES):
        server.route(f"/big5/{n}.html", Reply(body=(
            f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
            f"<div class='content'><p>{BIG5_BODY}{n}</p></div></body></html>").encode()))
    server.route("/big5.xml", Reply(body=big5_feed_with_a_stray_byte(server.url("")),
                                    content_type="application/rss+xml; charset=big5"))
    with committed_app(tmp_path) as app:
        with app.app_context():
            rss = add_source(server.url("/rss.xml"), "坏标题报")
            big5 = add_source(server.url("/big5.xml"), "繁体报")
            listing = Source(outlet=Outlet(name="列表报"), type="html", name="列表报",
                             url=server.url("/list.html"), selectors={"link_selector": "ul.list a"})
            db.session.add(listing)
            db.session.commit()
            html = listing.id
        poller = make_poller(app, match=False)
        list(poller.run_pass())
        poller.stop()
        poller.fetcher.close()
        with app.app_context():
            runs = {run.source_id: run for run in db.session.scalars(select(FetchRun))}
            assert (runs[rss].skipped_count, runs[rss].new_count) == (1, 5), runs[rss].error
            assert (runs[html].skipped_count, runs[html].new_count) == (1, 5), runs[html].error
            assert runs[big5].warning == "charset:big5hkscs:1"
            titles = set(db.session.scalars(select(Article.title)))
        assert set(BIG5_TITLES) <= titles
        assert {f"好新闻{n}" for n in range(5)} | {f"列表新闻{n}" for n in range(5)} <= titles
        client = app.test_client()
        with app.app_context():
            Factories(db).user(username="viewer", role="leader", password="pw-viewer-1")
        response = client.post("/login", data={"username": "viewer", "password": "pw-viewer-1"})
        assert response.status_code == 302
        page = client.get(f"/sources/{rss}").get_data(as_text=True)
        assert "1 条内容无法读取，已跳过，其余已保存" in page
        page = client.get(f"/sources/{big5}").get_data(as_text=True)
        assert "不符合网站声明的编码 big5hkscs" in page


BAD_STORY = "http://[::1/pc/content/202302/11/content_1199.html"
BAD_PAGE = "http://[::1/pc/layout/202302/11/node_09.html"


def epaper_page_with_bad_links(day: date) -> str:
    """Page 1 of the made-up newer-layout paper with one story link and one page link that
    are not URLs (`http://[::1…`), among its good links."""
    bad = f'<li><a href="{BAD_STORY}">坏链接</a></li><li><a href="{BAD_PAGE}">第09版：坏</a></li>'
    return page_html(day, 1).replace('<ul class="news-list">', f'<ul class="news-list">{bad}')


def test_epaper_page_and_index_skip_an_unparsable_link_and_keep_the_rest():
    """Regression of point 3 for e-papers: an article link and a page link `http://[::1…` on a
    page are each skipped and counted; the page's good stories and pages are kept."""
    url = f"http://a.example{layout_path(EPAPER_DAY, 1)}"
    html = epaper_page_with_bad_links(EPAPER_DAY)
    listing = parse_page(html, url=url)
    assert [link.rsplit("/", 1)[1] for link in listing.article_urls] == [
        "content_1101.html", "content_1102.html"]
    assert listing.skipped == 1
    index = read_day_index(html, url=url)
    assert {page.number for page in index.pages} == {1, 2}  # (and the previous issue's 1)
    assert index.skipped == 1


def _fields_or_raise(soup):
    """The Founder fields, except that a story titled 百名劳模走进车间 makes it raise (a
    family's parser choking on one hostile story)."""
    if "百名劳模走进车间" in soup.get_text():
        raise ValueError("a story the parser chokes on")
    return FOUNDER.parse_fields(soup)


def test_epaper_walk_skips_a_story_its_parser_raises_on_and_counts_it(server):
    """A story the family's parser raises on no longer fails its day: it is left out and
    counted with the bad links in the day's `skipped`, the other stories yielded."""
    publish_pc_paper(server, EPAPER_DAY)
    server.route(layout_path(EPAPER_DAY, 1),
                 Reply(body=epaper_page_with_bad_links(EPAPER_DAY).encode()))
    family = replace(FOUNDER, parse_fields=_fields_or_raise)
    walks = []
    settings = FetchSettings(min_delay=0, retries=0, read_timeout=2, trust_env=False)
    with Fetcher(settings) as fetcher:
        stories = list(walk_epaper(fetcher, server.url("/pc/layout/{yyyy}{mm}/{dd}/node_01.html"),
                                   start=EPAPER_DAY, end=EPAPER_DAY, family=family,
                                   on_day=walks.append))
    assert [story.title for story in stories] == ["全省职工技能竞赛启动",
                                                  "困难职工帮扶资金发放到位"]
    assert [walk.skipped for walk in walks] == [3]  # a story link, a page link, a story


def test_epaper_bad_links_are_counted_on_the_run_and_the_source_page(db, make, server, client,
                                                                     login):
    """Through a fetch run: an e-paper day with a story link and a page link that are not
    URLs stores its three stories, the run counts two skipped items, and the source's page
    says so in Chinese."""
    publish_pc_paper(server, EPAPER_DAY)
    server.route(layout_path(EPAPER_DAY, 1),
                 Reply(body=epaper_page_with_bad_links(EPAPER_DAY).encode()))
    source = Source(outlet=make.outlet(), type="epaper", name="", selectors={},
                    url=server.url("/pc/layout/{yyyy}{mm}/{dd}/node_01.html"))
    db.session.add(source)
    db.session.flush()
    settings = FetchSettings(min_delay=0, retries=0, read_timeout=2, trust_env=False)
    with Fetcher(settings) as fetcher:
        run = fetch_source(source, fetcher=fetcher, since=EPAPER_DAY, until=EPAPER_DAY)
    assert (run.outcome, run.new_count, run.skipped_count) == ("ok", 3, 2)
    db.session.commit()
    login("leader")
    page = client.get(f"/sources/{source.id}").get_data(as_text=True)
    assert "2 条内容无法读取，已跳过，其余已保存" in page
