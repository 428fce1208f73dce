"""Headlines and datelines as real Chinese sites print them (pages written for the tests)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from scrapers.extract import extract_article
from scrapers.extract_meta import extract_date, strip_site_suffix
from scrapers.extract_text import parse_document

BJ = ZoneInfo("Asia/Shanghai")
STORY = (
    "<p>近日，江川市职工书屋揭牌仪式在市工人文化宫举行，首批藏书三千册向全市职工免费开放，"
    "市总工会负责人介绍了书屋的借阅办法和今后的建设计划。</p>"
) * 3


def _page(head: str, body: str) -> str:
    story = f'<div class="content">{STORY}</div>'
    return f"<html><head>{head}</head><body>{body}{story}</body></html>"


def test_og_title_cut_at_a_quote_gives_way_to_title_and_h1() -> None:
    """An og:title cut at an unescaped ASCII quote loses to the <title> and <h1> it prefixes."""
    headline = '全省劳动模范"大国工匠"进校园活动启动'
    page = _page(
        f'<meta property="og:title" content="{headline}"><title>{headline}_江川工会网</title>',
        f"<h1>{headline}</h1>",
    )
    assert extract_article(page, "http://x.example/1").title == headline


def test_og_title_cut_at_a_quote_gives_way_to_h1_without_title() -> None:
    """With no <title>, an <h1> that continues a cut og:title after a quote is the headline."""
    headline = "全省劳动模范'大国工匠'进校园活动启动"
    page = _page(f"<meta property='og:title' content='{headline}'>", f"<h1>{headline}</h1>")
    assert extract_article(page, "http://x.example/1").title == headline


def test_og_title_that_is_a_shorter_headline_still_wins() -> None:
    """An og:title that is a prefix of the <title> but not cut at a quote is still preferred."""
    page = _page(
        '<meta property="og:title" content="职工书屋揭牌">'
        "<title>职工书屋揭牌 江川市首家职工书屋对外开放_江川工会网</title>",
        "<h1>职工书屋揭牌</h1>",
    )
    assert extract_article(page, "http://x.example/2").title == "职工书屋揭牌"


@pytest.mark.parametrize(
    ("title", "headline"),
    [
        ("职工书屋揭牌仪式举行 江川日报", "职工书屋揭牌仪式举行"),
        ("职工书屋揭牌仪式举行 中安在线 www.anhuinews.com", "职工书屋揭牌仪式举行"),
        ("职工书屋揭牌仪式举行 江川工会网", "职工书屋揭牌仪式举行"),
        ("书屋揭牌 - 江川市总工会网站", "书屋揭牌"),
    ],
)
def test_site_names_after_a_space_or_dash_are_dropped(title: str, headline: str) -> None:
    """A site name after a plain space or a dash goes, even when longer than the headline."""
    assert strip_site_suffix(title) == headline


def test_spaces_inside_a_headline_stay() -> None:
    """Words separated by spaces inside a headline are not taken for a site name."""
    assert strip_site_suffix("劳模 工匠 进校园") == "劳模 工匠 进校园"


def test_site_name_is_dropped_from_a_title_without_h1() -> None:
    """With no headline element, the <title> loses its space-separated site name."""
    page = _page("<title>职工书屋揭牌仪式举行 江川日报</title>", "")
    assert extract_article(page, "http://x.example/3").title == "职工书屋揭牌仪式举行"


def test_unlabelled_dateline_under_the_headline() -> None:
    """A bare 2005年05月13日14:15 under the <h1> beats a dated related link nearer the body."""
    page = _page(
        "<title>职工书屋揭牌仪式举行</title>",
        "<h1>职工书屋揭牌仪式举行</h1><div>2005年05月13日14:15</div>"
        '<div>相关：<a href="/old">去年书屋建设回顾 2004年12月01日</a></div>',
    )
    published = extract_article(page, "http://x.example/4").published_at
    assert published == datetime(2005, 5, 13, 14, 15, tzinfo=BJ)


def test_dateline_is_looked_for_only_in_the_five_lines_under_the_headline() -> None:
    """A date six lines under the headline is not read as its dateline."""
    tree = parse_document("<html><body><p>x</p></body></html>")
    assert tree is not None
    lines = ["职工书屋揭牌仪式举行", "一", "二", "三", "四", "五", "2005年05月13日14:15"]
    assert extract_date(tree, lines, tz="Asia/Shanghai", title=lines[0]) == (None, None)
    near = [*lines[:5], lines[-1]]
    found, where = extract_date(tree, near, tz="Asia/Shanghai", title=lines[0])
    assert (found, where) == (datetime(2005, 5, 13, 14, 15, tzinfo=BJ), "under the headline")


def test_a_dated_line_with_other_words_is_not_the_dateline() -> None:
    """Only a date printed alone is a dateline: 相关文章于 2004年12月01日 发布 is not."""
    tree = parse_document("<html><body><p>x</p></body></html>")
    assert tree is not None
    lines = [
        "职工书屋揭牌仪式举行",
        "相关文章于 2004年12月01日 发布",
        "2005年05月13日 星期五 14:15",
    ]
    found, _ = extract_date(tree, lines, tz="Asia/Shanghai", title=lines[0])
    assert found == datetime(2005, 5, 13, 14, 15, tzinfo=BJ)


def test_headline_with_a_dash_subtitle_is_kept_whole_when_h1_is_the_title() -> None:
    """A headline whose "——" introduces its own subtitle stays whole when the <h1> prints
    exactly the <title>: the part after the dash is no site name."""
    headline = "从“读书少”到“爱读书”——江川市职工书屋建设一年综述"
    page = _page(f"<title>{headline}</title>", f'<h1 class="title">{headline}</h1>')
    assert extract_article(page, "http://x.example/1").title == headline
