"""Article extraction on invented Chinese news pages (fixtures in data/articles)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scrapers.extract import ArticleSelectors, ExtractedArticle, extract_article

ARTICLES = Path(__file__).parent / "data" / "articles"
BEIJING = timedelta(hours=8)
NAV_JUNK = ("首页", "网站地图", "版权所有", "ICP备", "相关新闻", "热门推荐", "分享到", "工会驿站")


def load(name: str) -> bytes:
    return (ARTICLES / name).read_bytes()


def assert_beijing(value: datetime | None, expected: str) -> None:
    assert value is not None
    assert value.utcoffset() == BEIJING
    assert value.isoformat() == expected


def test_portal_article_metadata_and_body() -> None:
    """A portal page yields title, date, author, editor, source and a multi-paragraph body."""
    article = extract_article(load("portal.html"), "http://www.example.cn/news/1.html")
    assert isinstance(article, ExtractedArticle)
    assert article.title == "江川市总工会启动“春风送岗位”专项行动"
    assert_beijing(article.published_at, "2024-03-15T09:30:12+08:00")
    assert article.author == "王五"
    assert article.editor == "李四"
    assert article.source == "江川日报"
    assert article.method == "trafilatura"
    assert len(article.paragraphs) == 4
    assert article.paragraphs[0].startswith("本报讯（记者 张三）3月14日")
    assert article.paragraphs[-1].endswith("职工刘女士说。")


def test_portal_article_leaks_no_navigation() -> None:
    """Menus, related links and the footer of a portal page stay out of the body."""
    text = extract_article(load("portal.html"), "http://www.example.cn/news/1.html").text
    for junk in NAV_JUNK:
        assert junk not in text


def test_gbk_bytes_decoded_with_content_type() -> None:
    """GBK bytes with a Content-Type header decode correctly, GBK-only characters included."""
    article = extract_article(
        load("gbk.html"),
        "http://www.example.cn/help/2.html",
        headers={"Content-Type": "text/html; charset=GBK"},
    )
    assert article.title == "困难职工帮扶中心开展“金秋助学”"
    assert "镕、喆等生僻字" in article.text
    assert "\ufffd" not in article.text
    assert_beijing(article.published_at, "2023-08-28T10:05:00+08:00")
    assert article.source == "江川市总工会"


def test_short_brief_is_kept() -> None:
    """A brief under 200 characters is still extracted, with a meta date read as Beijing time."""
    article = extract_article(load("brief.html"), "http://www.example.cn/news/3.html")
    assert article.title == "快讯：全市职工技能大赛开幕"
    assert len(article.text) < 200
    assert article.text.startswith("4月1日，江川市第十届职工职业技能大赛")
    assert "首页" not in article.text
    assert_beijing(article.published_at, "2024-04-02T08:15:00+08:00")


def test_per_source_selectors() -> None:
    """Per-source CSS selectors (as a mapping) drive title, body, date, author and source."""
    selectors = {
        "title": ".x-title",
        "body": ".x-text",
        "date": ".x-time",
        "author": ".x-writer",
        "source": ".x-from",
    }
    url = "http://www.example.cn/c/4"
    article = extract_article(load("selectors.html"), url, selectors=selectors)
    assert article.method == "selectors"
    assert article.title == "一线职工谈“安全生产月”"
    assert article.paragraphs == [
        "六月是全国“安全生产月”。连日来，江川市多家企业工会组织职工开展隐患排查和应急演练。",
        "“每一次演练都是对安全意识的再强化。”某化工企业班组长周八说，车间今年已整改隐患十四处。",
    ]
    assert_beijing(article.published_at, "2024-06-03T14:20:00+08:00")
    assert article.author == "陈七"
    assert article.source == "江川职工报"


def test_selectors_that_match_nothing_fall_back_to_generic() -> None:
    """A body selector that matches nothing falls back to the generic extractor."""
    article = extract_article(
        load("portal.html"), "http://www.example.cn/news/1.html",
        selectors=ArticleSelectors(body="div.no-such-class"),
    )  # fmt: skip
    assert article.method == "trafilatura"
    assert "春风送岗位" in article.text


def test_unknown_selector_key_is_rejected() -> None:
    """A misspelt selector key raises instead of being silently ignored."""
    with pytest.raises(ValueError, match="bodyy"):
        extract_article(load("portal.html"), "http://x.example/", selectors={"bodyy": "div"})


def test_reprint_source_line_with_trailing_junk() -> None:
    """A dated line "来源：新华社 作者：钱九 点击数：1024" gives source 新华社, author 钱九."""
    article = extract_article(load("reprint.html"), "http://www.example.cn/news/5.html")
    assert article.title == "全国总工会部署新就业形态劳动者权益保障工作"
    assert article.source == "新华社"
    assert article.author == "钱九"
    assert article.editor == "孙十"
    assert_beijing(article.published_at, "2024-05-20T16:45:00+08:00")
    assert article.text.startswith("新华社北京5月20日电")


def test_epaper_page_number_and_name() -> None:
    """An e-paper page yields its page ("第01版：要闻"), headline, reporter and printed date."""
    article = extract_article(load("epaper.html"), "http://paper.example.cn/html/content_1.htm")
    assert article.page_number == "01"
    assert article.page_name == "要闻"
    assert article.title == "劳动创造幸福 奋斗成就梦想"
    assert article.author == "吴十一"
    assert_beijing(article.published_at, "2024-05-01T00:00:00+08:00")
    assert len(article.paragraphs) == 3
    assert "往期回顾" not in article.text


def test_text_input_and_a1_page() -> None:
    """A str page is accepted as is, and an "A1版" marker gives page number A1."""
    page = (
        "<html><head><title>短讯_某报</title></head><body><h1>某市举行职工运动会</h1>"
        "<p>A1版：头版</p><p>发布时间：2024年9月1日 8:00</p>"
        "<p>8月31日，某市第五届职工运动会开幕，三千余名职工参加了十二个项目的比赛。</p>"
        "</body></html>"
    )
    article = extract_article(page, "http://x.example/1")
    assert article.page_number == "A1"
    assert article.page_name == "头版"
    assert_beijing(article.published_at, "2024-09-01T08:00:00+08:00")
    assert "职工运动会开幕" in article.text


def test_empty_page() -> None:
    """An empty body gives an empty article rather than an exception."""
    article = extract_article(b"", "http://x.example/empty")
    assert article.text == ""
    assert article.method == "none"
    assert article.title is None


def test_table_layout_falls_back_to_readability() -> None:
    """An old table-layout GB2312 page whose trafilatura result leaks menus uses readability."""
    article = extract_article(
        load("table_layout_gb2312.html"),
        "http://www.example.gov.cn/dt/1.htm",
        headers={"Content-Type": "text/html"},
    )
    assert article.method == "readability"
    assert article.title == "江川县总工会召开第三次代表大会"
    assert_beijing(article.published_at, "2009-11-03T00:00:00+08:00")
    assert article.paragraphs[0].startswith("11月2日，江川县总工会第三次代表大会")
    assert len(article.paragraphs) == 4
    for junk in ("网站首页", "通知公告", "版权所有", "发布日期", "浏览次数"):
        assert junk not in article.text


def test_one_sentence_story_is_not_dropped() -> None:
    """A one-sentence story that both extractors skip is still found, without the menus."""
    links = "".join(
        f'<li><a href="/n/{i}.html">职工文化节系列活动报道之{i}</a></li>' for i in range(30)
    )
    page = (
        "<html><head><title>简讯：职工书屋揭牌_江川工会网</title></head><body>"
        '<div class="nav"><a href="/">首页</a> <a href="/a">工会要闻</a></div>'
        f"<ul>{links}</ul><h1>简讯：职工书屋揭牌</h1>"
        '<div class="info">2024-06-01 10:00 来源：江川工会网</div>'
        "<div><p>职工书屋揭牌，藏书三千册。</p></div>"
        '<div class="foot">版权所有 江川市总工会</div></body></html>'
    )
    article = extract_article(page, "http://x.example/2")
    assert article.text == "职工书屋揭牌，藏书三千册。"
    assert article.method == "densest-block"
    assert article.title == "简讯：职工书屋揭牌"
    assert article.source == "江川工会网"


@pytest.mark.parametrize(
    ("credit_line", "source", "author", "editor"),
    [
        ("2006-04-25 10:05 来源：新华网 作者：王五", "新华网", "王五", None),
        ("来源：人民日报　2024年05月10日", "人民日报", None, None),
        ("来源: 工人日报|编辑: 张三", "工人日报", None, "张三"),
        ("【来源：中工网】【责任编辑：李四】", "中工网", None, "李四"),
        ("图片来源：视觉中国", None, None, None),
        ("文/赵六 编辑/钱七", None, "赵六", "钱七"),
    ],
)
def test_credit_line_variants(
    credit_line: str, source: str | None, author: str | None, editor: str | None
) -> None:
    """Credit lines give the outlet, author and editor without the junk sharing the line."""
    page = (
        "<html><head><title>职工之家建设现场会召开_江川工会网</title></head><body>"
        f"<h1>职工之家建设现场会召开</h1><div>{credit_line}</div>"
        "<p>近日，全市职工之家建设现场会召开，与会人员参观了三家企业的职工之家，"
        "听取了基层工会关于阵地建设、服务职工和民主管理等方面的经验介绍。</p>"
        "</body></html>"
    )
    article = extract_article(page, "http://x.example/3")
    assert (article.source, article.author, article.editor) == (source, author, editor)


_TAGS = st.sampled_from(["p", "div", "h1", "title", "meta", "a", "br", "td", "article", "script"])
_PIECES = st.one_of(
    st.text(alphabet="工会职工来源：编辑记者第01版2024-05-01 <>&;/\"'", max_size=30),
    _TAGS.map(lambda tag: f"<{tag}>"),
    _TAGS.map(lambda tag: f"</{tag}>"),
)


@settings(max_examples=60, deadline=None)
@given(pieces=st.lists(_PIECES, max_size=40), as_bytes=st.booleans())
def test_never_raises_on_arbitrary_markup(pieces: list[str], as_bytes: bool) -> None:
    """Arbitrary tag soup, as text or GB18030 bytes, yields an article instead of an error."""
    markup = "".join(pieces)
    page: str | bytes = markup.encode("gb18030") if as_bytes else markup
    article = extract_article(page, "http://x.example/fuzz")
    assert isinstance(article.text, str)
    assert article.published_at is None or article.published_at.utcoffset() == BEIJING


def _stream_page(*, story_in_article: bool) -> str:
    story = (
        "<p>江川市总工会近日启动职工心理健康关爱行动，在全市设立二十个职工心理服务站，"
        "为一线职工提供免费心理咨询和减压讲座。</p>"
        "<p>活动将持续到年底，市总工会还将组织心理咨询师走进企业车间和建筑工地。</p>"
    )
    others = "".join(
        f"<li><h3><a href='/n/{i}.html'>另一则新闻{i}</a></h3>"
        f"<p>这是信息流里另一则新闻的摘要第{i}条，"
        "内容涉及职工疗休养、技能竞赛和劳模表彰等多个方面，篇幅与正文相当。</p></li>"
        for i in range(6)
    )
    card = "<article><p>广告：职工专属优惠卡限时申领，详情请点击。</p></article>"
    main = f"<article><h1>江川启动职工心理关爱行动</h1>{story}</article>"
    body = main if story_in_article else f"<h1>江川启动职工心理关爱行动</h1><div>{story}</div>"
    aside = "" if story_in_article else card
    return (
        "<html><head><title>江川启动职工心理关爱行动_江川工会网</title></head><body>"
        f"<div class='main'>{body}{aside}</div>"
        f"<div class='stream'><ul>{others}</ul></div></body></html>"
    )


def test_single_article_element_keeps_neighbouring_stories_out() -> None:
    """When the page's one <article> holds the story, summaries of other stories stay out."""
    article = extract_article(_stream_page(story_in_article=True), "http://x.example/4")
    assert "职工心理服务站" in article.text
    assert "信息流" not in article.text


def test_lone_article_card_does_not_replace_the_story() -> None:
    """A lone <article> that is just a sidebar card does not replace the real story."""
    article = extract_article(_stream_page(story_in_article=False), "http://x.example/5")
    assert "职工心理服务站" in article.text


@pytest.mark.parametrize("opening", ["记者了解到，", "记者日前获悉，", "记者注意到，",
                                     "记者透露，"])
def test_reporting_verb_after_jizhe_is_no_author(opening: str) -> None:
    """记者了解到 (获悉, 注意到, 透露) starts a sentence: no author is made of the verb."""
    page = f"""<html><head><meta charset="utf-8"><title>职工书屋建设提速</title></head><body>
    <h1>职工书屋建设提速</h1><div class="content"><p>{opening}今年全省新建职工书屋两百家，
    覆盖一线职工十余万人。</p><p>各级工会将继续加大投入，让更多职工就近读书学习。</p></div>
    </body></html>"""
    article = extract_article(page.encode(), "http://news.example.cn/a/1.html")
    assert article.author is None
