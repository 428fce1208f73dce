"""The articles list and the article page: what officers and leaders see, and nothing
scraped is ever rendered as HTML."""

from __future__ import annotations

from datetime import date, time

import pytest

from campaign.reprints.models import ReprintGroup
from tests.factories import beijing
from tests.html import soup


def reprint_world(db, make):
    paper = make.outlet(name="安徽日报", tier="provincial")
    city = make.outlet(name="合肥日报", tier="municipal")
    group = ReprintGroup(size=2)
    db.session.add(group)
    db.session.flush()
    original = make.article(paper, title="动员大会召开", intro_title="当好主力军 建功十一五",
                            subtitle="三十名职工获省五一劳动奖章", author="本报记者 王明",
                            editor="李华", page_number=1, page_name="要闻",
                            url="http://paper.test/content_1.htm",
                            body="第一段正文。\n\n第二段正文。",
                            reprint_group_id=group.id, is_original=True,
                            published_at=beijing(date(2006, 4, 27), time(6)))
    copy = make.article(city, title="全省动员大会召开", source_credit="来源：安徽日报",
                        reprint_group_id=group.id, is_original=False,
                        published_at=beijing(date(2006, 4, 28), time(6)))
    return original, copy


def test_list_shows_rows_for_a_leader(client, login, db, make):
    """A leader sees date, outlet, tier, page, linked title and a reprint badge per row."""
    login("leader")
    original, copy = reprint_world(db, make)
    response = client.get("/articles")
    assert response.status_code == 200
    rows = soup(response.get_data(as_text=True)).select("tr.article-row")
    assert [r["data-article"] for r in rows] == [str(copy.id), str(original.id)]
    first = [td.get_text(" ", strip=True) for td in rows[1].select("td")]
    assert first[:4] == ["2006年4月27日", "安徽日报", "省级", "第01版 要闻"]
    assert rows[1].select_one("a")["href"] == f"/articles/{original.id}"
    assert rows[0].select_one(".badge-reprint") is not None
    assert rows[1].select_one(".badge-reprint") is None


def test_list_filters_and_search_from_the_query_string(client, login, db, make):
    """The page applies the query string: search words, tier, reprints only."""
    login("officer")
    _original, copy = reprint_world(db, make)
    page = client.get("/articles?q=全省动员&tier=municipal").get_data(as_text=True)
    assert [r["data-article"] for r in soup(page).select("tr.article-row")] == [str(copy.id)]
    page = client.get("/articles?kind=reprint&from=2006-04-01&to=bad").get_data(as_text=True)
    assert [r["data-article"] for r in soup(page).select("tr.article-row")] == [str(copy.id)]
    page = client.get("/articles?q=没有这篇文章").get_data(as_text=True)
    assert "没有符合条件的文章" in page


def test_article_page_shows_everything(client, login, db, make):
    """Title with 引题/副题, outlet, page, author, editor, link to the original (noopener),
    the body as paragraphs, and the reprint group with the original first."""
    login("leader")
    original, _copy = reprint_world(db, make)
    html = soup(client.get(f"/articles/{original.id}").get_data(as_text=True))
    assert html.select_one(".article-head .intro").get_text() == "当好主力军 建功十一五"
    assert html.select_one(".article-head .subtitle").get_text() == "三十名职工获省五一劳动奖章"
    meta = html.select_one(".article-meta").get_text(" ", strip=True)
    for text in ("安徽日报", "第01版 要闻", "本报记者 王明", "李华", "2006-04-27 06:00"):
        assert text in meta
    link = html.select_one(".article-meta a")
    assert link["href"] == "http://paper.test/content_1.htm"
    assert set(link["rel"]) == {"noopener", "noreferrer"}
    paragraphs = [p.get_text() for p in html.select(".article-body p")]
    assert paragraphs == ["第一段正文。", "第二段正文。"]
    items = [li.get_text(" ", strip=True) for li in html.select(".reprint-group li")]
    assert items[0].startswith("原发 安徽日报") and items[1].startswith("转载 合肥日报")


def test_copy_page_shows_its_credit_and_group(client, login, db, make):
    """A reprint's page shows its source credit and links back to the original."""
    login("officer")
    original, copy = reprint_world(db, make)
    html = soup(client.get(f"/articles/{copy.id}").get_data(as_text=True))
    assert "来源：安徽日报" in html.select_one(".article-meta").get_text()
    assert html.select_one(f'.reprint-group a[href="/articles/{original.id}"]') is not None


def test_scraped_markup_is_shown_as_text(client, login, make):
    """A scraped title or body containing <script> is escaped, never run."""
    login("leader")
    article = make.article(title="<script>alert(1)</script>标题",
                           body="<b>正文</b><script>alert(2)</script>")
    for url in ("/articles", f"/articles/{article.id}"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;标题" in page


def test_only_web_links_become_links(client, login, make):
    """A stored URL that is not http(s) (never stored by store_articles) is shown, not linked."""
    login("leader")
    article = make.article(url="javascript:alert(1)")
    html = soup(client.get(f"/articles/{article.id}").get_data(as_text=True))
    assert html.select_one(".article-meta a") is None
    assert "javascript:alert(1)" in html.select_one(".article-meta").get_text()


def test_unknown_article_is_404(client, login):
    """An id that does not exist answers 404."""
    login("leader")
    assert client.get("/articles/999999").status_code == 404


def test_pager_keeps_the_filters(client, login, make, monkeypatch):
    """With more results than a page, the next-page link keeps the filters."""
    import campaign.articles.search as search

    monkeypatch.setattr(search, "PER_PAGE", 2)
    login("officer")
    outlet = make.outlet(tier="central")
    for day in range(1, 4):
        make.article(outlet, published_at=beijing(date(2006, 4, day)))
    html = soup(client.get("/articles?tier=central").get_data(as_text=True))
    assert html.select_one('.pager a[rel="next"]')["href"] == "/articles?tier=central&page=2"


@pytest.mark.parametrize("name", ["page", "outlet"])
def test_huge_page_or_outlet_reads_as_absent(client, login, db, make, name):
    """?page= or ?outlet= past the database's integers lists the first page, unfiltered,
    instead of a server error."""
    login("leader")
    original, copy = reprint_world(db, make)
    response = client.get("/articles", query_string={name: "99999999999999999999999"})
    assert response.status_code == 200
    rows = soup(response.get_data(as_text=True)).select("tr.article-row")
    assert [r["data-article"] for r in rows] == [str(copy.id), str(original.id)]
