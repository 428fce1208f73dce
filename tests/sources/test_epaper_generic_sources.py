"""E-paper sources of systems that are not Founder's, end to end: stored from a div-based
paper and from a JSON-manifest paper; a day whose pages link no article is a problem in the
run, on the sources page and in words, never a quiet "ok, 0 new"; 按网址添加 proposes such a
paper from its dated day page."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from campaign.articles.models import Article
from campaign.extensions import db as database
from campaign.ingest.epaper_days import unread_days, walked_days
from campaign.ingest.health import source_health
from campaign.ingest.write_phase import fetch_source
from campaign.planning.models import Outlet
from campaign.sources.models import Source
from campaign.sources.probe import discover
from tests.scrapers.generic_papers import (
    DIV_STORIES,
    MANIFEST_STORIES,
    div_article_path,
    div_day_path,
    manifest_article_path,
    publish_div_paper,
    publish_manifest_paper,
)

DAY = date(2024, 5, 12)
DIV = "/epaper/{yyyy}-{mm}-{dd}/index.html"


def _source(db, make, server, pattern: str = DIV) -> Source:
    source = Source(outlet=make.outlet(), type="epaper", name="", selectors={},
                    url=server.url(pattern))
    db.session.add(source)
    db.session.flush()
    return source


def _stored(db, source: Source) -> list[Article]:
    return list(db.session.scalars(select(Article).where(Article.source_id == source.id)
                                   .order_by(Article.url)))


def test_div_paper_day_is_stored_with_titles_pages_authors_and_genre(db, make, server,
                                                                     fetcher):
    """A div-based paper's day stores each story with its 引题/主题/副题, page and author;
    the commentator's piece gets 评论员文章; the day counts as walked."""
    publish_div_paper(server, DAY)
    source = _source(db, make, server)
    run = fetch_source(source, fetcher=fetcher, since=DAY, until=DAY)
    assert (run.outcome, run.new_count) == ("ok", len(DIV_STORIES))
    stored = {a.url: (a.intro_title, a.title, a.subtitle, a.page_number, a.author, a.genre)
              for a in _stored(db, source)}
    assert stored[server.url(div_article_path(DAY, DIV_STORIES[0]))] == (
        "劳动创造幸福", "全省职工技能大赛开幕", "三十个工种同台竞技", 1, "张三", "")
    assert stored[server.url(div_article_path(DAY, DIV_STORIES[1]))][-1] == "评论员文章"
    assert DAY in walked_days(source.id)


def test_manifest_paper_day_is_stored(db, make, server, fetcher):
    """A paper drawn from a day's JSON manifest stores the stories the manifest lists."""
    publish_manifest_paper(server, DAY)
    source = _source(db, make, server, "/news/{yyyy}{mm}{dd}/index.html")
    run = fetch_source(source, fetcher=fetcher, since=DAY, until=DAY)
    assert (run.outcome, run.new_count) == ("ok", len(MANIFEST_STORIES))
    assert [a.url for a in _stored(db, source)] == sorted(
        server.url(manifest_article_path(DAY, s)) for s in MANIFEST_STORIES)


def test_day_without_article_links_is_a_problem_not_a_quiet_ok(db, make, server, fetcher):
    """Pages linking no article: the run is partial with epaper_empty and the day, the day is
    not walked; the next run fails and the source is failing with the day in words."""
    publish_div_paper(server, DAY, empty=True)
    source = _source(db, make, server)
    first = fetch_source(source, fetcher=fetcher, since=DAY, until=DAY)
    assert (first.outcome, first.error, first.new_count) == (
        "partial", "epaper_empty: 2024-05-12", 0)
    assert DAY not in walked_days(source.id) and unread_days(source.id) == {DAY: 1}
    second = fetch_source(source, fetcher=fetcher)
    assert (second.outcome, second.error) == ("failed", "epaper_empty: 2024-05-12")
    health = source_health(source)
    assert health.state == "failing"
    assert "没有找到任何文章链接（2024-05-12）" in health.error


def test_todays_pages_without_article_links_are_an_issue_not_out_yet(db, make, server,
                                                                     fetcher):
    """Today's pages linking no article yet (an issue being published): no problem, the day
    neither walked nor counted unread, so the next run walks it again."""
    from campaign.ingest.epaper_days import today_for

    source = _source(db, make, server)
    today = today_for(source)
    publish_div_paper(server, today, empty=True)
    run = fetch_source(source, fetcher=fetcher, since=today, until=today)
    assert (run.outcome, run.error, run.new_count) == ("ok", None, 0)
    assert today not in walked_days(source.id) and unread_days(source.id) == {}


def test_sources_page_shows_a_day_without_article_links(db, make, server, fetcher, client,
                                                        login):
    """The sources page names the day whose pages linked no article, after its first run."""
    publish_div_paper(server, DAY, empty=True)
    source = _source(db, make, server)
    fetch_source(source, fetcher=fetcher, since=DAY, until=DAY)
    db.session.commit()
    login("leader")
    html = client.get("/sources").get_data(as_text=True)
    assert "电子报有版面，版面上却没有找到任何文章链接（2024-05-12）" in html


def test_pasted_day_page_of_another_system_is_proposed(app, server, fetcher):
    """按网址添加 with a div paper's dated day page proposes an e-paper with its pattern."""
    publish_div_paper(server, DAY)
    with app.test_request_context():
        found = discover(server.url(div_day_path(DAY)), fetcher=fetcher)
    assert [(p.type, p.url) for p in found.proposals] == [("epaper", server.url(DIV))]
    assert found.proposals[0].pages == ["A01版：要闻", "A02版：综合"]


def test_fetch_summary_line_names_the_day_without_article_links(tmp_path, server,
                                                                committed_app):
    """`campaign-tracker fetch` prints the source as partial with the empty day, not "ok"."""
    publish_div_paper(server, DAY, empty=True)
    with committed_app(tmp_path) as app:
        with app.app_context():
            source = Source(outlet=Outlet(name="职工报"), type="epaper", name="职工报",
                            url=server.url(DIV), selectors={})
            database.session.add(source)
            database.session.commit()
            source_id = source.id
        result = app.test_cli_runner().invoke(args=[
            "fetch", "--source", str(source_id), "--since", "2024-05-12", "--until",
            "2024-05-12"])
    assert result.exit_code == 0, result.output
    line = next(row for row in result.output.splitlines() if "职工报" in row)
    assert "partial" in line and "new    0" in line
    assert "epaper_empty: 2024-05-12" in result.output
