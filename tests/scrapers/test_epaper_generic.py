"""E-papers that are not Founder's: pages found by their labels, articles by the image map,
positioned boxes and title lists, a day's JSON manifest, the generic article fields, the
choice of reader per site, and a day whose pages link no article."""

from __future__ import annotations

from datetime import date

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scraper_server import LocalServer, Reply

from scrapers.discovery import propose_epaper
from scrapers.epaper import EpaperDayWalk, EpaperSkip, walk_epaper
from scrapers.epaper_fields import generic_fields, read_byline
from scrapers.epaper_generic import generic_index, generic_page
from scrapers.epaper_manifest import read_manifest
from scrapers.epaper_places import generic_label
from scrapers.fetch import Fetcher
from tests.scrapers.founder_pc import publish_pc_paper
from tests.scrapers.generic_papers import (
    DIV_PAGES,
    DIV_STORIES,
    MANIFEST_PAGES,
    MANIFEST_STORIES,
    div_article_path,
    div_day_html,
    div_day_path,
    div_page_html,
    div_page_path,
    manifest_article_html,
    manifest_article_path,
    manifest_day_html,
    manifest_day_path,
    manifest_json,
    manifest_json_path,
    publish_div_paper,
    publish_manifest_paper,
)

DAY = date(2024, 5, 12)
DIV = "/epaper/{yyyy}-{mm}-{dd}/index.html"
MANIFEST = "/news/{yyyy}{mm}{dd}/index.html"
BASE = "http://paper.test"


def _walk(server: LocalServer, fetcher: Fetcher, pattern: str,
          days: list[EpaperDayWalk] | None = None, skips: list[EpaperSkip] | None = None):
    return list(walk_epaper(fetcher, server.url(pattern), start=DAY, end=DAY,
                            on_day=days.append if days is not None else None,
                            on_skip=skips.append if skips is not None else None))


def test_div_paper_walks_each_story_once_with_its_titles_page_and_author(
        server: LocalServer, fetcher: Fetcher) -> None:
    """Pages found by their labels lead to every story once, with 引题/主题/副题 from the
    yinti/zhuti/futi divs, its page's number and name, and the author of its byline."""
    publish_div_paper(server, DAY)
    articles = _walk(server, fetcher, DIV)
    assert [a.url for a in articles] == [server.url(div_article_path(DAY, s))
                                         for s in DIV_STORIES]
    found = [(a.page_number, a.page_name, a.intro_title, a.title, a.subtitle, a.author)
             for a in articles]
    assert found == [(int(s.page[1:]), DIV_PAGES[s.page][1], s.intro, s.title, s.subtitle,
                      s.author) for s in DIV_STORIES]
    assert [a.body.split("\n")[0] for a in articles] == [s.first_line for s in DIV_STORIES]


def test_div_paper_fetches_its_pages_and_stories_only(server: LocalServer,
                                                      fetcher: Fetcher) -> None:
    """The previous issue, another day's article, the footer, the PDF and the page image
    cost no request; the unlabelled page beside the labelled ones is walked."""
    publish_div_paper(server, DAY)
    _walk(server, fetcher, DIV)
    paths = [p for p in server.paths() if p != "/robots.txt"]
    assert sorted(paths) == sorted([div_day_path(DAY),
                                    *(div_page_path(DAY, code) for code in DIV_PAGES),
                                    *(div_article_path(DAY, s) for s in DIV_STORIES)])


def test_map_areas_and_positioned_boxes_give_outlines_image_and_pdf(
        server: LocalServer, fetcher: Fetcher) -> None:
    """A story drawn by an <area> keeps its coords, one drawn by an absolutely positioned
    box its left,top,right,bottom; each keeps its page image and PDF."""
    publish_div_paper(server, DAY)
    first, _second, third = _walk(server, fetcher, DIV)
    assert first.area_coords == ("0,100,500,190",)
    assert first.page_image_size == (500, 800)
    assert third.area_coords == ("10,150,210,190",)
    assert (first.page_image_url, third.page_pdf_url) == (
        server.url("/img/2024-05-12/A01.jpg"), server.url("/pdf/2024-05-12/A02.pdf"))


def test_page_listing_sets_other_days_aside_and_keeps_list_titles() -> None:
    """On a page, another day's article goes to other_links, the footer and the page links
    nowhere; the title list gives each story's title."""
    url = BASE + div_page_path(DAY, "A01")
    listing = generic_page(div_page_html(DAY, "A01"), url, DAY)
    ours = [s for s in DIV_STORIES if s.page == "A01"]
    assert listing.article_urls == tuple(BASE + div_article_path(DAY, s) for s in ours)
    assert listing.titles == tuple((BASE + div_article_path(DAY, s), s.title) for s in ours)
    assert listing.other_links == (f"{BASE}/article/2024-05-11/9.html",)
    assert (listing.page.number, listing.page.label) == (1, "A01版：要闻")


def test_day_index_reads_labelled_pages_and_their_unlabelled_neighbour() -> None:
    """A01版：要闻 and 第A02版 综合 name their pages; 文体 in the same list is the third; the
    previous issue and 下一版 are no pages."""
    index = generic_index(div_day_html(DAY), BASE + div_day_path(DAY))
    labelled = [(p.url.rsplit("/", 1)[1], p.number, p.name, p.label) for p in index.pages]
    assert labelled[:3] == [("page_A01.html", 1, "要闻", "A01版：要闻"),
                            ("page_A02.html", 2, "综合", "A02版：综合"),
                            ("page_A03.html", 3, "文体", "")]


@pytest.mark.parametrize(("text", "expected"), [
    ("A01版", (1, "", "A01")), ("第01版：要闻", (1, "要闻", "01")),
    ("01版 要闻", (1, "要闻", "01")), ("A1 要闻", (1, "要闻", "A1")),
    ("第B3版：综 合", (3, "综 合", "B3")), ("12：理论", (12, "理论", "12")),
    ("02 要闻", (2, "要闻", "02")), ("3 名劳模获表彰", None),
    ("2024年工作报告", None), ("要闻", None), ("上一版", None),
])
def test_page_labels_are_read_from_whole_link_texts(text, expected) -> None:
    """Page labels of many systems are read; a headline or a plain word is none."""
    assert generic_label(text) == expected


def test_manifest_paper_is_read_from_its_json_without_its_page_html(
        server: LocalServer, fetcher: Fetcher) -> None:
    """A day page advertising a JSON manifest (data-src) is read from it: the stories, their
    pages' numbers and names, the page images; the page HTML is not fetched."""
    publish_manifest_paper(server, DAY)
    articles = _walk(server, fetcher, MANIFEST)
    assert [(a.url, a.page_number, a.page_name, a.intro_title, a.title, a.subtitle, a.author)
            for a in articles] == [
        (server.url(manifest_article_path(DAY, s)), int(s.page[1:]), MANIFEST_PAGES[s.page],
         s.intro, s.title, s.subtitle, s.author) for s in MANIFEST_STORIES]
    assert articles[0].page_image_url == server.url("/news/img/20240512/A01.jpg")
    assert not any(p.endswith(("/A01.html", "/A02.html")) for p in server.paths())


@pytest.mark.parametrize("broken", ["{not json", '{"pages": []}', ""])
def test_a_manifest_that_does_not_parse_falls_back_to_the_html(
        server: LocalServer, fetcher: Fetcher, broken: str) -> None:
    """A manifest that is not JSON, or lists no article, leaves the HTML pages to read: the
    same stories are found."""
    publish_manifest_paper(server, DAY, manifest=broken)
    articles = _walk(server, fetcher, MANIFEST)
    assert [a.url for a in articles] == [server.url(manifest_article_path(DAY, s))
                                         for s in MANIFEST_STORIES]
    assert [a.page_name for a in articles] == [MANIFEST_PAGES[s.page] for s in MANIFEST_STORIES]


def test_a_missing_manifest_falls_back_to_the_html(server: LocalServer,
                                                   fetcher: Fetcher) -> None:
    """A manifest that answers 404 costs nothing but the request: the HTML is read."""
    publish_manifest_paper(server, DAY)
    server.route(manifest_json_path(DAY), Reply(404, b"gone"))
    assert len(_walk(server, fetcher, MANIFEST)) == len(MANIFEST_STORIES)


def test_manifest_keeps_same_host_stories_of_the_day_only() -> None:
    """Stories of another host or another day in a manifest are left out."""
    text = ('{"list": [{"page": 1, "name": "要闻", "items": ['
            '{"title": "今日要闻一", "href": "a/1.html"},'
            '{"title": "外站文章", "href": "http://other.test/20240512/a/2.html"},'
            '{"title": "昨日文章", "href": "/news/20240511/a/3.html"}]}]}')
    (listing,) = read_manifest(text, url=BASE + manifest_day_path(DAY), issue=DAY)
    assert listing.article_urls == (f"{BASE}/news/20240512/a/1.html",)
    assert (listing.page.number, listing.page.name) == (1, "要闻")


def test_founder_site_keeps_the_founder_reader(server: LocalServer, fetcher: Fetcher) -> None:
    """Without a family given, a Founder day page is walked by the Founder reader."""
    publish_pc_paper(server, date(2023, 2, 11))
    days: list[EpaperDayWalk] = []
    found = list(walk_epaper(fetcher, server.url("/pc/layout/{yyyy}{mm}/{dd}/node_01.html"),
                             start=date(2023, 2, 11), end=date(2023, 2, 11),
                             on_day=days.append))
    assert len(found) == 3 and [d.family for d in days] == ["founder"]


def test_a_day_whose_pages_link_no_article_is_empty(server: LocalServer,
                                                    fetcher: Fetcher) -> None:
    """Pages that show their image but link no article make the day's walk `empty` (a
    problem for the caller), not a quiet day."""
    publish_div_paper(server, DAY, empty=True)
    days: list[EpaperDayWalk] = []
    assert _walk(server, fetcher, DIV, days) == []
    (walk,) = days
    assert walk.pages >= len(DIV_PAGES) and walk.article_links == 0
    assert walk.empty and not walk.unread


def test_generic_article_fields_from_headings_and_a_byline_line() -> None:
    """Without named divs, 引题/主题/副题 come from h3/h1/h2 and the author from its line."""
    story = MANIFEST_STORIES[1]
    html = (f"<html><body><h3>引题文字</h3><h1>{story.title}</h1><h2>{story.subtitle}</h2>"
            f"<p>本报记者 赵六</p><div class='content'><p>{story.first_line}</p></div>"
            "</body></html>")
    fields = generic_fields(BeautifulSoup(html, "lxml"))
    assert (fields.intro_title, fields.title, fields.subtitle, fields.author) == (
        "引题文字", story.title, story.subtitle, "记者 赵六")
    assert fields.body == story.first_line


@pytest.mark.parametrize(("line", "author"), [
    ("作者：张三", "张三"), ("本报评论员", "本报评论员"), ("记者 李四 王五", "记者 李四 王五"),
    ("作者：本报评论员", "本报评论员"), ("来源：工人日报", ""),
])
def test_byline_lines_are_read(line, author) -> None:
    """A byline line gives a person, a role and names, or the paper's signature."""
    assert read_byline(line) == author


def test_dated_day_page_of_another_system_is_proposed_as_an_epaper() -> None:
    """按网址添加: a dated day page linking labelled pages becomes an e-paper pattern with its
    pages; a dated page that advertises a manifest does too; a dated news list does not."""
    proposal = propose_epaper(div_day_html(DAY), BASE + div_day_path(DAY))
    assert proposal is not None
    assert (proposal.type, proposal.url) == ("epaper", BASE + DIV)
    assert proposal.pages == ["A01版：要闻", "A02版：综合"]
    manifest = propose_epaper(manifest_day_html(DAY), BASE + manifest_day_path(DAY))
    assert manifest is not None and manifest.url == BASE + MANIFEST
    news = "<ul>" + "".join(f"<li><a href='/a/{n}.html'>新闻标题第{n}条</a></li>"
                            for n in range(5)) + "</ul>"
    assert propose_epaper(news, f"{BASE}/news/2024-05-12/list.html") is None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abhrefmapareaulidvA01版第：要闻.json{}[]:,"
                                              "styleposition:absolute;left:1px")), max_size=300))
def test_generic_parsers_never_raise(html: str) -> None:
    """Any text given as a day page, a page, a manifest or an article is read without raising."""
    url = BASE + div_page_path(DAY, "A01")
    generic_index(html, url)
    generic_page(html, url, DAY)
    generic_page(html, url, None)
    read_manifest(html, url=url, issue=DAY)
    generic_fields(BeautifulSoup(html, "lxml"))


def test_manifest_json_of_the_test_site_lists_every_story() -> None:
    """The test site's manifest is read into its two pages with their stories and titles."""
    listings = read_manifest(manifest_json(DAY), url=BASE + manifest_day_path(DAY), issue=DAY)
    assert [(item.page.label, item.titles) for item in listings] == [
        (f"{code}版：{name}", tuple((BASE + manifest_article_path(DAY, s), s.title)
                                   for s in MANIFEST_STORIES if s.page == code))
        for code, name in MANIFEST_PAGES.items()]


def test_boxes_placed_by_percent_are_articles_without_pixel_outlines() -> None:
    """A box placed in percentages of the page image links its story, with no outline (a
    clipping is cut in pixels); a box in pixels keeps its outline; the image under the boxes
    is the page image."""
    html = ('<div class="paper"><img src="/img/A01.jpg">'
            '<a style="position:absolute;left:10%;top:5%;width:40%;height:20%" '
            'href="/article/2024-05-12/7.html"></a>'
            '<div style="position: absolute; left: 5px; top: 6px; width: 7px; height: 8px">'
            '<a href="/article/2024-05-12/8.html"></a></div></div>')
    listing = generic_page(html, BASE + div_page_path(DAY, "A01"), DAY)
    assert listing.article_urls == (f"{BASE}/article/2024-05-12/7.html",
                                    f"{BASE}/article/2024-05-12/8.html")
    assert listing.areas == ((f"{BASE}/article/2024-05-12/8.html", "5,6,12,14"),)
    assert listing.image_url == f"{BASE}/img/A01.jpg"  # the image the boxes sit over


def test_article_text_is_the_innermost_text_block() -> None:
    """When div.article wraps the titles, the byline, a date line and div.content, the body
    is div.content's paragraphs; the title comes from the class naming it, not the page
    header's plain .title."""
    html = ("<div class='title'>职工报数字版</div><div class='article'>"
            "<p class='yinti'>引题在此</p><h1 class='article-title'>主题在此标题</h1>"
            "<p class='author'>记者 李四</p><p>2024年05月12日 星期日</p>"
            "<div class='content'><p>第一段正文内容较长一些。</p><p>第二段正文内容。</p></div>"
            "</div>")
    fields = generic_fields(BeautifulSoup(html, "lxml"))
    assert (fields.intro_title, fields.title, fields.author) == ("引题在此", "主题在此标题",
                                                                 "记者 李四")
    assert fields.body == "第一段正文内容较长一些。\n第二段正文内容。"


def test_frames_of_a_day_page_are_its_pages() -> None:
    """A frameset day page without page labels gives its frames as the pages to read."""
    html = ('<frameset><frame src="left.html"><frame src="/paper/2024-05-12/p1.html">'
            '<frame src="/paper/2024-05-11/p1.html"></frameset>')
    index = generic_index(html, f"{BASE}/paper/2024-05-12/index.html")
    assert [page.url for page in index.pages] == [
        f"{BASE}/paper/2024-05-12/left.html", f"{BASE}/paper/2024-05-12/p1.html",
        f"{BASE}/paper/2024-05-12/index.html"]


def test_a_title_menu_named_like_navigation_keeps_the_issues_links() -> None:
    """Titles in a block named ``title_nav`` are articles when dated like the issue; an
    undated link in a footer is not."""
    html = ('<div class="title_nav"><ul><li><a href="/article/2024-05-12/5.html">'
            '职工之家建设再上台阶</a></li></ul></div><div class="footer">'
            '<a href="/info/contact.html">联系我们本报</a></div>')
    listing = generic_page(html, BASE + div_page_path(DAY, "A01"), DAY)
    assert listing.article_urls == (f"{BASE}/article/2024-05-12/5.html",)


def test_map_links_kept_aside_in_data_href_are_read() -> None:
    """An area whose href is "#" (a script opens the story) gives its data-href's URL."""
    html = ('<img src="/img/A01.jpg" usemap="#m"><map name="m"><area href="#" '
            'data-href="/article/2024-05-12/6.html" coords="1,2,3,4"></map>')
    listing = generic_page(html, BASE + div_page_path(DAY, "A01"), DAY)
    assert listing.areas == ((f"{BASE}/article/2024-05-12/6.html", "1,2,3,4"),)


def test_a_wrapper_named_title_is_read_by_its_headings() -> None:
    """A div.article-title holding h3/h1/h2 gives 引题, 主题 and 副题 from its headings, not
    its whole text as the title."""
    html = ("<div class='article-title'><h3>引题文字</h3><h1>主题文字在此</h1>"
            "<h2>副题文字</h2></div><div class='content'><p>正文第一段的内容。</p></div>")
    fields = generic_fields(BeautifulSoup(html, "lxml"))
    assert (fields.intro_title, fields.title, fields.subtitle) == ("引题文字", "主题文字在此",
                                                                   "副题文字")


def test_an_inline_json_manifest_is_read(server: LocalServer, fetcher: Fetcher) -> None:
    """A day page carrying its data in <script type="application/json"> is read from it, the
    manifest file not needed."""
    publish_manifest_paper(server, DAY)
    inline = manifest_day_html(DAY).replace(
        "<body>", f'<body><script type="application/json">{manifest_json(DAY)}</script>')
    server.route(manifest_day_path(DAY), Reply(body=inline.encode()))
    server.route(manifest_json_path(DAY), Reply(404, b"gone"))
    assert [a.title for a in _walk(server, fetcher, MANIFEST)] == [
        s.title for s in MANIFEST_STORIES]
    assert manifest_json_path(DAY) not in server.paths()
    assert not any(p.endswith(("/A01.html", "/A02.html")) for p in server.paths())


def test_inline_json_without_the_days_stories_is_not_a_manifest(server: LocalServer,
                                                                 fetcher: Fetcher) -> None:
    """Settings in a <script type="application/json"> (a home link and its name) do not
    replace the day's pages: the stories are still read."""
    publish_div_paper(server, DAY)
    settings_json = '{"site": {"name": "职工报首页", "url": "/index.html"}}'
    page = div_day_html(DAY).replace(
        "<body>", f'<body><script type="application/json">{settings_json}</script>')
    server.route(div_day_path(DAY), Reply(body=page.encode()))
    assert len(_walk(server, fetcher, DIV)) == len(DIV_STORIES)


def _pages_with_one_manifest(server: LocalServer) -> None:
    """A day page of two labelled pages, each page naming the day's one JSON manifest (and
    linking no story itself); the manifest lists both pages' stories."""
    day = f"{DAY:%Y%m%d}"
    server.route(manifest_day_path(DAY), Reply(body=(
        '<html><head><meta charset="utf-8"></head><body><div class="layout-nav">'
        '<a href="A01.html">A01版 要闻</a><a href="A02.html">A02版 经济</a></div>'
        "</body></html>").encode()))
    for code in MANIFEST_PAGES:
        server.route(f"/news/{day}/{code}.html", Reply(body=(
            f'<html><head><meta charset="utf-8"></head><body><p class="cur">{code}版</p>'
            f'<div id="app" data-src="{manifest_json_path(DAY)}"></div></body></html>'
        ).encode()))
    server.route(manifest_json_path(DAY), Reply(body=manifest_json(DAY).encode(),
                                                content_type="application/json"))
    for story in MANIFEST_STORIES:
        server.route(manifest_article_path(DAY, story),
                     Reply(body=manifest_article_html(story).encode()))


def test_a_manifest_every_page_names_is_fetched_once_a_day(
        server: LocalServer, fetcher: Fetcher) -> None:
    """Two pages naming the same manifest: it is fetched once, and each page takes its own
    stories from it (page numbers as the manifest says)."""
    _pages_with_one_manifest(server)
    articles = _walk(server, fetcher, MANIFEST)
    assert server.paths().count(manifest_json_path(DAY)) == 1
    assert [(a.url, a.page_number) for a in articles] == [
        (server.url(manifest_article_path(DAY, s)), int(s.page[1:])) for s in MANIFEST_STORIES]


def test_a_day_manifest_is_held_to_the_pages_limit(server: LocalServer,
                                                   fetcher: Fetcher) -> None:
    """A day read from its manifest keeps to max_pages_per_day as the HTML walk does: with a
    limit of one page, only the first page's stories are read."""
    publish_manifest_paper(server, DAY)
    articles = list(walk_epaper(fetcher, server.url(MANIFEST), start=DAY, end=DAY,
                                max_pages_per_day=1))
    assert {a.page_number for a in articles} == {1}


def test_a_page_the_manifest_does_not_list_keeps_its_own_links(
        server: LocalServer, fetcher: Fetcher) -> None:
    """A third page naming the manifest, which lists only the first two: its own story is
    read, as page 3, and no story of the manifest is given page 3's label."""
    _pages_with_one_manifest(server)
    day = f"{DAY:%Y%m%d}"
    server.route(manifest_day_path(DAY), Reply(body=(
        '<html><head><meta charset="utf-8"></head><body><div class="layout-nav">'
        '<a href="A01.html">A01版 要闻</a><a href="A02.html">A02版 经济</a>'
        '<a href="A03.html">A03版 文体</a></div></body></html>').encode()))
    server.route(f"/news/{day}/A03.html", Reply(body=(
        '<html><head><meta charset="utf-8"></head><body><p class="cur">A03版</p>'
        f'<div id="app" data-src="{manifest_json_path(DAY)}"></div>'
        '<ul class="titles"><li><a href="a/s9.html">职工篮球赛开赛</a></li></ul>'
        "</body></html>").encode()))
    server.route(f"/news/{day}/a/s9.html", Reply(body=(
        '<html><head><meta charset="utf-8"><title>职工篮球赛开赛</title></head><body>'
        '<h1>职工篮球赛开赛</h1><div id="zoom"><p>全省职工篮球赛今天开赛，来自各市的十六支'
        "队伍参赛。</p><p>比赛将持续一周。</p></div></body></html>").encode()))
    articles = _walk(server, fetcher, MANIFEST)
    pages = {a.url.rsplit("/", 1)[-1]: a.page_number for a in articles}
    assert pages.pop("s9.html") == 3
    assert set(pages.values()) == {1, 2}
