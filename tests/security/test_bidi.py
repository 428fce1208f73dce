"""Bidi controls (U+202A-202E, U+2066-2069) reverse the text around them wherever a title is
shown; they are dropped at extraction (feeds, list pages, article pages) and again at store,
and from outlet names."""

from __future__ import annotations

from sqlalchemy import select

from campaign.articles.incoming import IncomingArticle
from campaign.articles.models import Article
from campaign.planning.outlets import save_outlet
from scrapers.extract import extract_article
from scrapers.feeds import parse_feed
from scrapers.listpages import parse_list_page

CONTROLS = "".join(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
TITLE = f"职工{CONTROLS}技能大赛开幕"
CLEAN = "职工技能大赛开幕"


def test_feed_titles_and_authors_lose_bidi_controls():
    """parse_feed drops every bidi control from an item's title and author."""
    body = (f"<rss version='2.0'><channel><item><title>{TITLE}</title>"
            f"<link>http://a.example/1.html</link><author>记者{CONTROLS}张三</author>"
            f"</item></channel></rss>").encode()
    entry = parse_feed(body).entries[0]
    assert (entry.title, entry.author) == (CLEAN, "记者张三")


def test_list_page_and_article_titles_lose_bidi_controls():
    """A list page's link text and an article page's headline come without bidi controls."""
    page = parse_list_page(f'<ul><li><a href="/1.html">{TITLE}</a></li></ul>',
                           url="http://a.example/", link_selector="ul a")
    assert page.links[0].title == CLEAN
    text = "全省职工技能大赛今天开幕。" * 10
    article = extract_article(f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1>"
                              f"<div><p>{text}</p></div></body></html>", "http://a.example/1.html")
    assert article.title == CLEAN


def test_store_drops_bidi_controls_from_every_text_field(db, make):
    """Whatever produced the item, the stored title, author, credit and body hold no bidi
    control."""
    from campaign.articles.store import store_articles

    item = IncomingArticle(url="http://a.example/1.html", title=TITLE, author=f"张{CONTROLS}三",
                           source_credit=f"来源{CONTROLS}", body=f"正文{CONTROLS}内容" * 20)
    store_articles(make.outlet(), [item])
    article = db.session.scalars(select(Article)).one()
    assert (article.title, article.author, article.source_credit) == (CLEAN, "张三", "来源")
    assert not set(CONTROLS) & set(article.body.text)


def test_outlet_names_lose_bidi_controls(db):
    """An outlet saved with bidi controls in its name and aliases is stored without them."""
    outlet = save_outlet(None, name=f"安徽{CONTROLS}日报", tier="provincial", kind="newspaper",
                         aliases=[f"皖{CONTROLS}报"])
    assert (outlet.name, outlet.aliases) == ("安徽日报", ["皖报"])
