"""People in bylines: names kept, reporting verbs, outlets and link lists dropped."""

from __future__ import annotations

import pytest

from scrapers.bylines import clean_author, person_names
from scrapers.extract import extract_article


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("张三", ["张三"]),
        ("张三 李四", ["张三", "李四"]),
        ("张三、欧阳明华，王五", ["张三", "欧阳明华", "王五"]),
        ("记者 陈立 通讯员 周岚 报道", ["陈立", "周岚"]),
        ("陈立报道", ["陈立"]),
        ("阿不都·热合曼", ["阿不都·热合曼"]),
        ("张三 张三", ["张三"]),
    ],
)
def test_names_are_kept_in_order(byline: str, names: list[str]) -> None:
    """2–4 Han-character names and · names come back in order, roles and repeats removed."""
    assert person_names(byline) == names


@pytest.mark.parametrize(
    "byline", ["了解到", "注意到", "近日获悉", "获悉", "透露了", "表示", "指出", "从中得知"]
)
def test_reporting_verbs_are_not_names(byline: str) -> None:
    """What follows 记者 in 记者了解到 / 记者近日获悉 is grammar, never a person."""
    assert person_names(byline) == []


@pytest.mark.parametrize(
    "byline", ["新浪科技", "参考消息", "江川日报", "工人日报", "中工网", "新华社", "江川电视台",
               "财经频道", "江川在线", "江川市总工会", "江川市人社局"],
)  # fmt: skip
def test_outlets_and_organisations_are_not_names(byline: str) -> None:
    """Outlet and organisation names (ending in 报, 网, 社, 科技, 消息, 工会 ...) are dropped."""
    assert person_names(byline) == []


def test_a_byline_of_mostly_links_is_a_navigation_list() -> None:
    """Three or more items, mostly link texts on the page, give no author; linked names do."""
    links = frozenset({"首页", "要闻", "评论", "图片"})
    assert clean_author("首页 要闻 评论 图片", link_texts=links) is None
    assert clean_author("首页 要闻", link_texts=links, line="首页 要闻 评论") is None
    assert clean_author("张三", link_texts=frozenset({"张三"})) == "张三"
    assert clean_author("张三 李四 王五", link_texts=frozenset({"张三"})) == "张三、李四、王五"


def _page(byline: str, *, head: str = "", nav: str = "") -> str:
    return (
        f"<html><head><title>职工书屋揭牌仪式举行_江川工会网</title>{head}</head><body>{nav}"
        f"<h1>职工书屋揭牌仪式举行</h1><div>{byline}</div>"
        "<p>近日，江川市职工书屋揭牌仪式在市工人文化宫举行，首批藏书三千册向全市职工免费开放，"
        "市总工会负责人介绍了书屋的借阅办法和今后的建设计划。</p></body></html>"
    )


@pytest.mark.parametrize(
    ("byline", "author"),
    [
        ("（记者了解到，书屋由市总工会出资建设。）", None),
        ("记者注意到 书屋全天开放", None),
        ("记者获悉 本报记者 陈立", "陈立"),
        ("作者：新浪科技", None),
        ("作者：参考消息", None),
        ("记者 陈立 周岚", "陈立、周岚"),
    ],
)
def test_article_author_is_a_person(byline: str, author: str | None) -> None:
    """An article's author is never a reporting verb or an outlet, and real names survive."""
    assert extract_article(_page(byline), "http://x.example/1").author == author


def test_meta_author_outlet_is_not_an_author() -> None:
    """A ``<meta name=author>`` holding an outlet name (参考消息) gives no author."""
    page = _page("", head='<meta name="author" content="参考消息">')
    assert extract_article(page, "http://x.example/2").author is None


def test_author_label_on_a_navigation_list_is_not_an_author() -> None:
    """作者： followed by the page's own navigation links gives no author."""
    nav = '<div>作者：<a href="/">首页</a> <a href="/y">要闻</a> <a href="/p">评论</a></div>'
    assert extract_article(_page("", nav=nav), "http://x.example/3").author is None
