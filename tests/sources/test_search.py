"""Article search: trigram full text for terms of three characters or more, a windowed scan
for shorter terms, the same answers on SQLite and PostgreSQL, and the filters."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from campaign.articles.search import ArticleFilters, search_articles, sqlite_has_trigram
from tests.factories import beijing


def titles(filters: ArticleFilters) -> list[str]:
    return [a.title for a in search_articles(filters).articles]


def world(make):
    paper = make.outlet(name="安徽日报", tier="provincial")
    city = make.outlet(name="合肥日报", tier="municipal")
    make.article(paper, title="劳动模范风采", body="记者走访了全省劳动模范代表。工会干部介绍情况。",
                 published_at=beijing(date(2006, 4, 27)), page_number=1, page_name="要闻")
    make.article(city, title="职工技能大赛开幕", body="来自各行业的选手参加比赛。",
                 published_at=beijing(date(2006, 4, 28)), page_number=3)
    make.article(city, title="春季植树", body="市民踊跃参加义务植树。",
                 published_at=beijing(date(2006, 3, 12)))
    return paper, city


def test_fts_table_is_kept_in_step_on_sqlite(db, make, backend):
    """On SQLite (3.34+) the trigram FTS table follows inserts and body updates."""
    if backend != "sqlite" or not sqlite_has_trigram():
        return
    article = make.article(title="庆祝五一", body="正文内容第一版")
    count = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH :q"
    assert db.session.execute(text(count), {"q": '"第一版"'}).scalar() == 1
    article.body.text = "改写后的正文"
    db.session.flush()
    assert db.session.execute(text(count), {"q": '"第一版"'}).scalar() == 0
    assert db.session.execute(text(count), {"q": '"改写后"'}).scalar() == 1


def test_three_character_term_searches_title_and_body(db, make):
    """A three-or-more character Chinese term finds it in a title and in a body, any date."""
    world(make)
    assert titles(ArticleFilters(q="劳动模范")) == ["劳动模范风采"]
    assert titles(ArticleFilters(q="各行业")) == ["职工技能大赛开幕"]
    assert titles(ArticleFilters(q="义务植树")) == ["春季植树"]
    assert titles(ArticleFilters(q="不存在的词")) == []


def test_several_terms_must_all_match(db, make):
    """Terms separated by spaces (full-width too) must all appear."""
    world(make)
    assert titles(ArticleFilters(q="劳动模范　工会干部")) == ["劳动模范风采"]
    assert titles(ArticleFilters(q="劳动模范 各行业")) == []


def test_two_character_term_uses_the_windowed_scan(db, make):
    """A two-character term matches within the day window: by default the last 92 days up to
    the newest article; a date range narrows it."""
    world(make)
    results = search_articles(ArticleFilters(q="工会"))
    assert [a.title for a in results.articles] == ["劳动模范风采"]
    assert results.window == (date(2006, 1, 27), date(2006, 4, 28))
    assert titles(ArticleFilters(q="植树")) == ["春季植树"]
    assert titles(ArticleFilters(q="植树", date_from=date(2006, 4, 1))) == []


def test_like_wildcards_are_literal(db, make):
    """A % or _ in the search words is looked for as a character, not a wildcard."""
    make.article(title="增长50%以上", body="")
    make.article(title="增长50倍", body="")
    assert titles(ArticleFilters(q="50%")) == ["增长50%以上"]


def test_filters(db, make):
    """Outlet, tier, date range, page one and reprint/original filters narrow the list."""
    paper, _city = world(make)
    assert titles(ArticleFilters(outlet_id=paper.id)) == ["劳动模范风采"]
    assert titles(ArticleFilters(tier="municipal")) == ["职工技能大赛开幕", "春季植树"]
    assert titles(ArticleFilters(date_from=date(2006, 4, 1), date_to=date(2006, 4, 27))) \
        == ["劳动模范风采"]
    assert titles(ArticleFilters(page_one=True)) == ["劳动模范风采"]
    assert titles(ArticleFilters()) == ["职工技能大赛开幕", "劳动模范风采", "春季植树"]


def test_reprint_and_original_filters(db, make):
    """"reprint" lists the copies of a group; "original" lists originals and single articles."""
    from campaign.reprints.models import ReprintGroup

    group = ReprintGroup(size=2)
    db.session.add(group)
    db.session.flush()
    make.article(title="原稿", reprint_group_id=group.id, is_original=True)
    make.article(title="转载稿", reprint_group_id=group.id, is_original=False)
    make.article(title="独家稿")
    assert titles(ArticleFilters(kind="reprint")) == ["转载稿"]
    assert sorted(titles(ArticleFilters(kind="original"))) == ["原稿", "独家稿"]


def test_pagination_newest_first(db, make):
    """Results come newest first, a page at a time, with the total."""
    outlet = make.outlet()
    for day in range(1, 8):
        make.article(outlet, title=f"四月{day}日", published_at=beijing(date(2006, 4, day)))
    first = search_articles(ArticleFilters(), per_page=3)
    assert (first.total, first.pages) == (7, 3)
    assert [a.title for a in first.articles] == ["四月7日", "四月6日", "四月5日"]
    last = search_articles(ArticleFilters(page=3), per_page=3)
    assert [a.title for a in last.articles] == ["四月1日"]


def test_filters_from_query_string():
    """The query string is read leniently; bad values are dropped, and written back the same."""
    filters = ArticleFilters.from_args({"q": " 劳模 ", "outlet": "x", "tier": "central",
                                        "from": "2006-04-01", "to": "bad", "page_one": "1",
                                        "kind": "nonsense", "page": "-3"})
    assert filters == ArticleFilters(q="劳模", tier="central", date_from=date(2006, 4, 1),
                                     page_one=True)
    assert filters.to_args(page=2) == {"q": "劳模", "tier": "central", "from": "2006-04-01",
                                       "page_one": "1", "page": "2"}
