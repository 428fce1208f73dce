"""The newer Founder layout (pc/layout pages, pc/content articles), page labels with and
without 第, image-map duplicates, footer links, nowLayout and bylines printed in the text."""

from __future__ import annotations

from datetime import date

import pytest
from bs4 import BeautifulSoup
from scraper_server import LocalServer, Reply

from scrapers.bylines import body_byline
from scrapers.epaper import (
    EpaperDayWalk,
    parse_day_index,
    parse_epaper_article,
    parse_page,
    walk_epaper,
)
from scrapers.epaper_markup import founder_fields, split_label
from scrapers.fetch import Fetcher, FetchSettings
from tests.scrapers.founder_pc import (
    STORIES,
    article_html,
    content_path,
    layout_path,
    page_html,
    publish_pc_paper,
)

DAY = date(2023, 2, 11)
PATTERN = "/pc/layout/{yyyy}{mm}/{dd}/node_01.html"


def _walk(server: LocalServer, fetcher: Fetcher, days: list[EpaperDayWalk] | None = None):
    return list(walk_epaper(fetcher, server.url(PATTERN), start=DAY, end=DAY,
                            on_day=days.append if days is not None else None))


def test_newer_layout_walks_every_article_with_titles_pages_and_bylines(
    server: LocalServer, fetcher: Fetcher
) -> None:
    """pc/layout pages lead to pc/content articles: each story once, with its titles, page
    number and name (综 合 kept whole) and the author of its printed byline."""
    publish_pc_paper(server, DAY)
    articles = _walk(server, fetcher)
    assert [a.url for a in articles] == [server.url(content_path(DAY, s)) for s in STORIES]
    found = [(a.page_number, a.page_name, a.intro_title, a.title, a.subtitle, a.author)
             for a in articles]
    assert found == [(s.page, {1: "要闻", 2: "综 合"}[s.page], s.intro, s.title, s.subtitle,
                      s.author) for s in STORIES]
    assert articles[0].body.startswith("（记者 张三 通讯员 李四）全省职工技能竞赛今天启动。")


def test_newer_layout_fetches_each_story_once_and_no_other_day(
    server: LocalServer, fetcher: Fetcher
) -> None:
    """The image map's ?div=0 / ?div=-1 links, the title list, the previous issue and the
    footer's content_N links cost no extra request."""
    publish_pc_paper(server, DAY)
    _walk(server, fetcher)
    paths = [p for p in server.paths() if p != "/robots.txt"]
    assert sorted(paths) == sorted([layout_path(DAY, 1), layout_path(DAY, 2),
                                    *(content_path(DAY, s) for s in STORIES)])
    assert all(seen.query == "" for seen in server.requests)


def test_a_days_stories_are_fetched_at_once_and_yielded_in_page_order(
    server: LocalServer
) -> None:
    """With concurrency 3 the day's three stories (0.3 s each, the first the slowest) are in
    flight together, and come out in page order, as a walk one at a time gives them."""
    publish_pc_paper(server, DAY)
    for n, story in enumerate(STORIES):
        server.route(content_path(DAY, story),
                     Reply(body=article_html(story).encode(), delay=0.3 + 0.1 * (2 - n)))
    settings = FetchSettings(min_delay=0, retries=0, read_timeout=5, trust_env=False,
                             max_per_host=3)
    with Fetcher(settings) as fetcher:
        alone = list(walk_epaper(fetcher, server.url(PATTERN), start=DAY, end=DAY))
        server.max_in_flight = 0
        together = list(walk_epaper(fetcher, server.url(PATTERN), start=DAY, end=DAY,
                                    concurrency=3))
    assert server.max_in_flight == 3
    assert together == alone
    assert [a.url for a in together] == [server.url(content_path(DAY, s)) for s in STORIES]


def test_page_listing_keeps_image_pdf_and_areas_and_sets_footer_links_aside() -> None:
    """A page's listing has its page image, its own PDF, each story's two outlines, and the
    footer's article-like links apart from the issue's articles."""
    base = "http://paper.test"
    html = page_html(DAY, 2)
    listing = parse_page(html, url=base + layout_path(DAY, 2))
    assert (listing.page.number, listing.page.name, listing.page.label) == (2, "综 合",
                                                                           "第02版：综 合")
    story = STORIES[2]
    assert listing.article_urls == (base + content_path(DAY, story),)
    assert listing.image_url == f"{base}/pc/pic/202302/11/page_02.jpg"
    assert listing.pdf_url == f"{base}/pc/pdf/202302/11/page_02.pdf"
    assert listing.areas == ((base + content_path(DAY, story), "3,0,3,9"),
                             (base + content_path(DAY, story), "3,0,3,8"))
    assert sorted(listing.other_links) == [f"{base}/pc/content/201901/01/content_1.html",
                                           f"{base}/pc/content/about/content_9.html"]


def test_walked_article_carries_page_image_and_its_outlines(
    server: LocalServer, fetcher: Fetcher
) -> None:
    """A walked article keeps its page's image and PDF URLs and its image-map coords."""
    publish_pc_paper(server, DAY)
    first = _walk(server, fetcher)[0]
    assert first.page_image_url == server.url("/pc/pic/202302/11/page_01.jpg")
    assert first.page_pdf_url == server.url("/pc/pdf/202302/11/page_01.pdf")
    assert first.area_coords == ("1,0,1,9", "1,0,1,8")


def test_day_index_reads_labels_with_and_without_di() -> None:
    """01版：要闻 and 第02版：综 合 both name their pages; the previous issue is a page of
    another day, left for the walker to drop."""
    url = "http://paper.test" + layout_path(DAY, 1)
    pages = parse_day_index(page_html(DAY, 1), url=url)
    ours = [(p.number, p.name, p.label) for p in pages if "/11/" in p.url]
    assert ours == [(1, "要闻", "01版：要闻"), (2, "综 合", "第02版：综 合")]


@pytest.mark.parametrize(("label", "expected"), [
    ("第01版：要闻", (1, "要闻")),
    ("01版：要闻", (1, "要闻")),
    ("A03版：经济", (3, "经济")),
    ("第02版：综　合", (2, "综 合")),
    ("第05版：要 闻 2023年2月11日", (5, "要 闻")),
    ("第04版", (4, "")),
])
def test_page_label_forms(label: str, expected: tuple[int, str]) -> None:
    """Labels with or without 第, with a padded name or none, all split."""
    assert split_label(label) == expected


def test_now_layout_with_a_bare_number_gives_the_page_number() -> None:
    """<p id="nowLayout">02</p> numbers an article's page 2, though its menu says 01版."""
    html = """<select><option>01版：要闻</option></select><p id="nowLayout">02</p>
    <h1>职工书屋建设提速</h1><div id="ozoom"><p>正文。</p></div>"""
    article = parse_epaper_article(html, url="http://paper.test/pc/content/202302/11/content_5.html")
    assert (article.page_number, article.page_name, article.page_label) == (2, "", "第02版")


def test_number_without_di_needs_a_colon() -> None:
    """Without 第 a number before 版 is a label only when a colon follows (共12版 is not)."""
    assert split_label("本期共12版，欢迎订阅") is None


def test_standalone_article_reads_its_page_from_now_layout() -> None:
    """Parsed alone, a newer-layout article takes its page from <p id="nowLayout">, not from
    the page menu printed before it, and its date from the URL."""
    story = STORIES[2]
    article = parse_epaper_article(article_html(story),
                                   url="http://paper.test" + content_path(DAY, story))
    assert (article.issue_date, article.page_number, article.page_name) == (DAY, 2, "综 合")
    assert article.title == story.title and article.author == ""


@pytest.mark.parametrize(("text", "author"), [
    ("（记者 张三 通讯员 李四）全省职工技能竞赛今天启动。", "记者 张三 通讯员 李四"),
    ("本报讯（记者　赵六）昨天，", "记者 赵六"),
    ("本报合肥2月10日讯（通讯员 孙七 记者 周八）", "通讯员 孙七 记者 周八"),
    ("本报记者 王五 报道\n全省各级工会", "记者 王五"),
    ("正文第一段。\n（记者 张三）", "记者 张三"),
])
def test_body_byline_is_the_author(text: str, author: str) -> None:
    """A byline at the top of the text, in brackets or as 本报记者 X 报道, gives the author."""
    assert body_byline(text) == author


@pytest.mark.parametrize("text", [
    "记者了解到，今年全省新建职工书屋两百家。",
    "（记者注意到）车间里一片繁忙。",
    "本报讯 记者日前获悉，帮扶资金已到位。",
    "（记者从省总工会获悉）",
    "本报记者 透露 报道",
    "全省职工技能竞赛今天启动。\n各级工会积极参与。\n（记者 张三）",
])
def test_reporting_verbs_and_late_bylines_are_no_author(text: str) -> None:
    """了解到, 注意到, 获悉, 透露 after 记者 are no names; a byline after two paragraphs is
    not read."""
    assert body_byline(text) == ""


def test_enpproperty_author_with_a_reporting_verb_falls_back_to_the_byline() -> None:
    """An author field 记者了解到 is replaced by the byline printed in the text."""
    html = """<html><head><!--enpproperty <author>记者了解到</author><title>标题</title>
    /enpproperty--></head><body><founder-content><p>（记者 张三）正文。</p></founder-content>
    </body></html>"""
    assert founder_fields(BeautifulSoup(html, "lxml")).author == "记者 张三"


@pytest.mark.parametrize(("line", "author"), [
    ("本报评论员", "本报评论员"),
    ("本报记者 钱九", "记者 钱九"),
    ("记者了解到", ""),
])
def test_visible_byline_line_gives_the_author_or_the_signature(line: str, author: str) -> None:
    """A newer-layout article's <p class="author"> line gives its author: a commentator's
    signature as printed (it tells the genre), a reporter's name read from a byline, and
    nothing from a reporting verb."""
    html = f"""<html><body><div class="newsdetatit"><h1>让学习成为习惯</h1></div>
    <div class="newsdetatext"><p class="author">{line}</p></div>
    <div id="ozoom"><p>学习是职工成长的阶梯。</p></div></body></html>"""
    assert founder_fields(BeautifulSoup(html, "lxml")).author == author


def test_signature_in_a_table_row_of_the_older_layout_is_the_author() -> None:
    """An older-layout article that prints 本报评论员 only in a table row of its own (no
    founder-author, no enpproperty author) is signed by it, so its genre can be told, and the
    row is no 副题; a menu entry 评论, or the signature of another block of the page, is no
    signature of this article."""
    html = """<html><body><table><tr><td><a href="#">评论</a></td></tr>
    <tr><td class="font02"><founder-title>让学习成为习惯</founder-title></td></tr>
    <tr><td class="font03">本报评论员</td></tr>
    <tr><td><founder-content><p>学习是职工成长的阶梯。</p></founder-content></td></tr>
    </table></body></html>"""
    fields = founder_fields(BeautifulSoup(html, "lxml"))
    assert (fields.author, fields.subtitle) == ("本报评论员", "")
    unsigned = html.replace("本报评论员", "")
    assert founder_fields(BeautifulSoup(unsigned, "lxml")).author == ""
    elsewhere = unsigned.replace("</table>", "</table><div><p>本报评论员</p></div>")
    assert founder_fields(BeautifulSoup(elsewhere, "lxml")).author == ""


def test_day_walk_reports_pages_whose_articles_cannot_be_read(
    server: LocalServer, fetcher: Fetcher
) -> None:
    """on_day says how many article links a day's pages held and how many were read: a day
    whose stories all fail is unread, a readable day is not."""
    publish_pc_paper(server, DAY, readable=False)
    days: list[EpaperDayWalk] = []
    assert _walk(server, fetcher, days) == []
    (walk,) = days
    assert (walk.pages, walk.articles, walk.unread) == (2, 0, True)
    assert walk.article_links == 5  # three stories and the two footer links
    publish_pc_paper(server, DAY)
    days.clear()
    _walk(server, fetcher, days)
    assert (days[0].articles, days[0].unread) == (3, False)


def test_older_layout_folds_div_links_and_reads_body_bylines(
    server: LocalServer, fetcher: Fetcher
) -> None:
    """On the older layout too, a story linked as ?div=0 and ?div=-1 is fetched once, a label
    without 第 names the page, and the byline in the text is the author."""
    from scraper_server import Reply

    base = "/html/2006-04/25/"
    page = """<p>01版：要闻</p><map name="PagePicMap">
    <area coords="1,1,5,5" href="content_7.htm?div=0">
    <area coords="5,5,9,9" href="content_7.htm?div=-1">
    </map><a href="node_1.htm">01版：要闻</a>"""
    story = """<table><tr><td>喜迎五一</td></tr>
    <tr><td><founder-title>劳模报告会举行</founder-title></td></tr><tr><td>千名职工到场</td></tr></table>
    <founder-content><p>本报讯（记者 赵六）劳模报告会昨天举行。</p></founder-content>"""
    server.route(base + "node_1.htm", Reply(body=page.encode()))
    server.route(base + "content_7.htm", Reply(body=story.encode()))
    (found,) = walk_epaper(fetcher, server.url("/html/{yyyy}-{mm}/{dd}/node_1.htm"),
                           start=date(2006, 4, 25), end=date(2006, 4, 25))
    assert found.url == server.url(base + "content_7.htm")
    assert (found.page_number, found.page_name, found.author) == (1, "要闻", "记者 赵六")
    assert (found.intro_title, found.title, found.subtitle) == ("喜迎五一", "劳模报告会举行",
                                                                "千名职工到场")
    assert server.paths().count(base + "content_7.htm") == 1


@pytest.mark.parametrize(("markup", "credit"), [
    (('<div class="newsdetatext"><span class="source">来源：江城工人网</span></div>'
      "<div id=\"ozoom\"><p>学习是职工成长的阶梯。</p></div>"), "江城工人网"),
    ("<div id=\"ozoom\"><p>学习是职工成长的阶梯。</p><p>（来源：新华社）</p></div>", "新华社"),
    ("<div id=\"ozoom\"><p>本报讯 据新华社消息，图片来源于网络的说法不实。</p></div>", ""),
])
def test_visible_source_credit_is_read(markup: str, credit: str) -> None:
    """A 来源 credit printed on an e-paper article (a labelled line in its header, or closing
    the story) names the outlet the piece came from; a sentence merely mentioning 来源 does
    not."""
    html = f"""<html><body><div class="newsdetatit"><h1>让学习成为习惯</h1></div>
    {markup}</body></html>"""
    assert founder_fields(BeautifulSoup(html, "lxml")).source == credit
