"""The 安徽日报 Founder-style e-paper over real HTTP."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup


def _soup(resp) -> BeautifulSoup:
    return BeautifulSoup(resp.content, "lxml")


def test_day_index_lists_pages_and_rally_on_page_one(client, labels):
    """The 2006-04-28 day index lists ≥4 pages; page one has the rally story with 引题/主题."""
    r = client.get("/ahrb/html/2006-04/28/node_1.htm")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">' in r.text
    soup = _soup(r)
    pages = [a.get_text() for a in soup.select("a#pageLink")]
    assert len(pages) >= 4
    assert pages[0] == "第01版：要闻"
    rally = next(
        lb for lb in labels
        if lb["outlet"] == "安徽日报" and lb["published"] == "2006-04-28"
        and "rally" in lb["events"] and lb["page"] == 1 and lb["genre"] == "消息"
    )
    href = rally["url_path"].rsplit("/", 1)[1]
    link = soup.find("a", href=href)
    assert link is not None and link.find("div", id=re.compile(r"^mp\d+$"))
    assert soup.find("area", href=href) is not None
    page = client.get(rally["url_path"])
    assert page.status_code == 200
    cells = [td.get_text(strip=True) for td in _soup(page).find_all("td")]
    assert "庆祝“五一”国际劳动节120周年" in cells  # 引题
    assert rally["title"] in cells  # 主题
    assert "<nodename>第01版：要闻</nodename>" in page.text
    assert "<date>2006-04-28</date>" in page.text
    assert "<founder-content><P>" in page.text


def test_every_edition_has_four_pages_with_articles(client):
    """Each day 2006-04-20..05-20 serves four 版面, each listing at least one article."""
    for day in ("2006-04/20", "2006-05/03", "2006-05/20"):
        soup = _soup(client.get(f"/ahrb/html/{day}/node_1.htm"))
        links = [a["href"] for a in soup.select("a#pageLink")]
        assert links == ["node_1.htm", "node_2.htm", "node_3.htm", "node_4.htm"]
        for node in links:
            page = _soup(client.get(f"/ahrb/html/{day}/{node}"))
            assert page.select("#main-ed-articlenav-list li a[href^=content_]")


def test_feature_pages_are_named_zhuanti(client):
    """The 整版 feature days run on 第04版：专题."""
    for day in ("02", "03", "04"):
        soup = _soup(client.get(f"/ahrb/html/2006-05/{day}/node_4.htm"))
        assert "第04版：专题" in [a.get_text() for a in soup.select("a#pageLink")]


def test_missing_days_and_pages_are_404(client):
    """Days outside the archive, impossible dates, absent pages and unknown ids are real 404s."""
    for path in (
        "/ahrb/html/2006-04/19/node_1.htm",
        "/ahrb/html/2006-05/21/node_1.htm",
        "/ahrb/html/2006-02/30/node_1.htm",
        "/ahrb/html/2006-04/28/node_9.htm",
        "/ahrb/html/2006-04/28/content_1.htm",
    ):
        assert client.get(path).status_code == 404, path


def test_content_ids_belong_to_their_day(client, labels):
    """An article id requested under another day's folder is a 404, like the real site."""
    lb = next(lb for lb in labels if lb["outlet"] == "安徽日报" and lb["published"] == "2006-04-28")
    wrong = lb["url_path"].replace("/28/", "/27/")
    assert client.get(wrong).status_code == 404
