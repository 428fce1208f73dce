"""Storing articles once: canonical URLs, idempotent upserts, e-paper duplicates, bulk writes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from campaign.articles.incoming import IncomingArticle
from campaign.articles.models import Article, ArticleBody, ArticleUrl
from campaign.articles.store import beijing_day, body_fingerprint, store_articles
from campaign.articles.urls import canonical_url
from tests.factories import beijing

BODY = ("全省职工技能大赛今天在合肥开幕。来自各行业的八百多名选手参加比赛。\n"
        "省总工会负责同志出席开幕式并讲话。")


def incoming(n: int = 1, **kw) -> IncomingArticle:
    defaults = {"url": f"http://paper.test/html/2006-04/27/content_{n}.htm",
                "title": f"职工技能大赛开幕{n}", "body": f"{BODY}第{n}篇。",
                "published_at": beijing(date(2006, 4, 27))}
    return IncomingArticle(**{**defaults, **kw})


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(("raw", "expected"), [
    ("HTTP://News.Example.COM:80/a/B.html?utm_source=wx&id=3&spm=a.b#top",
     "http://news.example.com/a/B.html?id=3"),
    ("https://www.ahwang.cn:443/news/1.html?from=timeline&isappinstalled=0",
     "https://www.ahwang.cn/news/1.html"),
    ("https://x.cn?b=2&a=1&share_token=zz", "https://x.cn/?a=1&b=2"),
    ("http://x.cn:8080/p?id=%D6%D0", "http://x.cn:8080/p?id=%D6%D0"),
    ("  http://x.cn/Path/Case.htm  ", "http://x.cn/Path/Case.htm"),
])
def test_canonical_url(raw, expected):
    """Fragments, tracking parameters and default ports go; host is lower-cased, the path and
    GBK-encoded query values are kept as written."""
    assert canonical_url(raw) == expected


def test_fingerprint_ignores_whitespace_and_punctuation():
    """Two bodies differing only in spaces, line breaks and full/half-width punctuation match."""
    assert body_fingerprint("职工，技能 大赛。\n开幕！") == body_fingerprint("职工,技能大赛.开幕!")
    assert body_fingerprint("") == ""


def test_beijing_day_of_a_utc_evening():
    """17:00 UTC on 26 April is already 27 April in Beijing; no time, no day."""
    assert beijing_day(datetime(2006, 4, 26, 17, 0, tzinfo=UTC)) == 20060427
    assert beijing_day(datetime(2006, 4, 26, 15, 59, tzinfo=UTC)) == 20060426
    assert beijing_day(None) is None


def test_store_is_idempotent(db, make):
    """The same items stored twice: the second run finds only duplicates, row counts unchanged."""
    outlet = make.outlet()
    items = [incoming(n) for n in range(5)]
    first = store_articles(outlet, items)
    assert (first.new, first.updated, first.duplicate) == (5, 0, 0)
    counts = [count(db, m) for m in (Article, ArticleBody, ArticleUrl)]
    second = store_articles(outlet, items)
    assert (second.new, second.updated, second.duplicate) == (0, 0, 5)
    assert second.article_ids == first.article_ids
    assert [count(db, m) for m in (Article, ArticleBody, ArticleUrl)] == counts == [5, 5, 5]


def test_stored_fields(db, make):
    """Canonical URL, Beijing day, fingerprint, body and page fields land in their columns."""
    outlet = make.outlet()
    result = store_articles(outlet, [incoming(url="HTTP://Paper.test/a.htm?utm_medium=x#p",
                                              page_number=1, page_name="要闻",
                                              subtitle="副题", source_credit="来源：新华社")])
    article = db.session.get(Article, result.article_ids[0])
    assert article.url == "http://paper.test/a.htm"
    assert article.day == 20060427
    assert article.fingerprint == body_fingerprint(BODY + "第1篇。")
    assert article.body.text.startswith("全省职工")
    assert (article.page_number, article.page_name, article.subtitle) == (1, "要闻", "副题")
    assert article.published_at.utcoffset().total_seconds() == 0


def test_genre_is_read_from_the_marks_when_the_source_gives_none(db, make):
    """An item without a genre gets the one its dateline or signature marks (消息, 社论); a
    genre the source gives is kept."""
    outlet = make.outlet()
    items = [IncomingArticle(url="http://news.test/g1.htm", title="大会召开",
                             body="本报讯 全省职工代表齐聚一堂。"),
             IncomingArticle(url="http://news.test/g2.htm", title="向劳动者致敬",
                             author="本报社论", body="明天，我们将迎来节日。"),
             IncomingArticle(url="http://news.test/g3.htm", title="劳模风采", genre="专栏",
                             body="本报讯 一位劳模的故事。")]
    ids = store_articles(outlet, items).article_ids
    genres = [db.session.get(Article, i).genre for i in ids]
    assert genres == ["消息", "社论", "专栏"]


def test_changed_title_counts_as_updated(db, make):
    """A changed title is written and counted as updated; a tracking-parameter variant of the
    URL finds the same article."""
    outlet = make.outlet()
    first = store_articles(outlet, [incoming(1)])
    again = incoming(1, title="职工技能大赛隆重开幕",
                     url="http://paper.test/html/2006-04/27/content_1.htm?utm_source=rss")
    second = store_articles(outlet, [again])
    assert (second.new, second.updated, second.duplicate) == (0, 1, 0)
    assert second.article_ids == first.article_ids
    assert db.session.get(Article, first.article_ids[0]).title == "职工技能大赛隆重开幕"


def test_empty_fields_never_blank_stored_values(db, make):
    """A later reading without page numbers (a feed) keeps what the e-paper said."""
    outlet = make.outlet()
    first = store_articles(outlet, [incoming(1, page_number=1, page_name="要闻")])
    second = store_articles(outlet, [incoming(1)])
    assert second.duplicate == 1
    assert db.session.get(Article, first.article_ids[0]).page_number == 1


def test_epaper_article_under_two_urls_is_stored_once(db, make):
    """Same outlet, same day, same body under two URLs (two pages of one issue): one article,
    both URLs remembered — within one call and across calls."""
    outlet = make.outlet()
    a = incoming(1, url="http://paper.test/html/2006-04/27/content_11.htm", page_number=1)
    b = incoming(1, url="http://paper.test/html/2006-04/27/content_92.htm", page_number=4)
    result = store_articles(outlet, [a, b])
    assert (result.new, len(result.article_ids)) == (1, 1)
    c = incoming(1, url="http://paper.test/html/2006-04/27/content_93.htm")
    later = store_articles(outlet, [c])
    assert later.article_ids == result.article_ids and later.new == 0
    assert count(db, Article) == 1
    assert count(db, ArticleUrl) == 3


def test_same_body_in_another_outlet_is_another_article(db, make):
    """The e-paper rule is per outlet: the same text in two outlets is two articles."""
    items = [incoming(1)]
    store_articles(make.outlet(), items)
    other = store_articles(make.outlet(), [incoming(1, url="http://other.test/1.htm")])
    assert other.new == 1
    assert count(db, Article) == 2


def test_bulk_insert_issues_a_bounded_number_of_statements(db, make, queries):
    """500 new items are written with a handful of statements, not one (or three) per row."""
    outlet = make.outlet()
    items = [incoming(n) for n in range(500)]
    with queries.counting() as seen:
        result = store_articles(outlet, items)
    assert result.new == 500
    assert len(seen) <= 15, seen
    with queries.counting() as seen:
        again = store_articles(outlet, items)
    assert again.duplicate == 500
    assert len(seen) <= 10, seen


def test_non_http_urls_are_refused(db, make):
    """javascript:, data: and relative links are not stored (they would become an href)."""
    outlet = make.outlet()
    result = store_articles(outlet, [incoming(1, url="javascript:alert(1)"),
                                     incoming(2, url="data:text/html,<b>x</b>"),
                                     incoming(3, url="/relative/3.htm"), incoming(4)])
    assert result.new == 1
    assert count(db, Article) == 1


def test_store_does_not_commit(db, make):
    """store_articles flushes only: rolling back the session leaves nothing behind."""
    outlet = make.outlet()
    store_articles(outlet, [incoming(1)])
    db.session.rollback()
    assert count(db, Article) == 0


def test_concurrent_store_falls_back_to_update(db, make, monkeypatch):
    """When another process stores the same URL between our lookup and our insert, the unique
    constraint fires, the chunk rolls back to its savepoint and the retry updates that row."""
    import campaign.articles.store as store

    outlet = make.outlet()
    other = store.store_articles(outlet, [incoming(1)])  # the other process got there first
    real, calls = store._load_known, []

    def stale_lookup(state, chunk):
        if not calls:  # our first lookup ran before the other process committed
            calls.append(1)
            return
        real(state, chunk)

    monkeypatch.setattr(store, "_load_known", stale_lookup)
    result = store.store_articles(outlet, [incoming(1, title="改过的标题")])
    assert (result.new, result.updated) == (0, 1)
    assert result.article_ids == other.article_ids
    assert count(db, Article) == 1


def test_store_many_counts_each_delivery_as_if_stored_one_after_another(db, make):
    """Deliveries stored together get the counts and ids they would get stored in turn: an
    article a later delivery of another outlet carries again is updated (or a duplicate)
    there, and an item repeated within one delivery is still one new article."""
    from campaign.articles.store import Delivery, store_many

    first, second = make.outlet(), make.outlet()
    repeated = incoming(1)
    results = store_many([
        Delivery(first.id, None, [repeated, incoming(2), repeated]),
        Delivery(second.id, None, [incoming(2, title="改过的标题"), incoming(3)]),
        Delivery(first.id, None, [incoming(1)]),
    ])
    counts = [(r.new, r.updated, r.duplicate) for r in results]
    assert counts == [(2, 0, 0), (1, 1, 0), (0, 0, 1)]
    assert results[1].article_ids[0] == results[0].article_ids[1]  # the same article 2
    assert results[2].article_ids == results[0].article_ids[:1]
    assert count(db, Article) == 3
    article = db.session.get(Article, results[0].article_ids[1])
    assert (article.outlet_id, article.title) == (first.id, "改过的标题")


def test_signatures_given_are_stored_with_the_bodies(db, make):
    """MinHash bytes computed before the write phase are stored with new and changed bodies,
    keyed by the body's fingerprint; a body without one is left for grouping to sign."""
    from campaign.reprints.signatures import compute_signature

    outlet = make.outlet()
    item, unsigned = incoming(1), incoming(2)
    signed = {body_fingerprint(item.body): compute_signature(item.body).to_bytes()}
    ids = store_articles(outlet, [item, unsigned], signatures=signed).article_ids
    bodies = {b.article_id: b.minhash for b in db.session.scalars(select(ArticleBody))}
    assert bodies[ids[0]] == signed[body_fingerprint(item.body)] and bodies[ids[1]] is None
    edited = incoming(2, body=f"{BODY}改写的第2篇。")
    edited_bytes = compute_signature(edited.body).to_bytes()
    store_articles(outlet, [edited], signatures={body_fingerprint(edited.body): edited_bytes})
    db.session.expire_all()
    assert db.session.get(ArticleBody, ids[1]).minhash == edited_bytes


def test_feed_items_with_one_description_but_distinct_titles_stay_apart(db, make):
    """Eleven feed items with distinct titles and links but the same description (and day)
    are eleven articles, each keeping its title; the same body under two URLs with the same
    title (punctuation aside) is still one article."""
    outlet = make.outlet()
    items = [incoming(n, title=f"第{n}条不同的标题", body=BODY) for n in range(11)]
    result = store_articles(outlet, items)
    assert result.new == 11 and len(set(result.article_ids)) == 11
    assert {a.title for a in db.session.scalars(select(Article))} == {
        f"第{n}条不同的标题" for n in range(11)}
    again = store_articles(outlet, [incoming(20, title="第0条不同的标题！", body=BODY)])
    assert again.new == 0 and again.article_ids == [result.article_ids[0]]
