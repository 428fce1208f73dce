"""E-paper sources end to end on the newer Founder layout: stored with titles, pages and
bylines; a day whose pages link articles that cannot be read is retried, and fails the source
(in words on the sources page) from its second walk."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from campaign.articles.models import Article
from campaign.ingest.epaper_days import unread_days, walked_days
from campaign.ingest.health import source_health
from campaign.ingest.write_phase import fetch_source
from campaign.sources.models import Source
from tests.scrapers.founder_pc import STORIES, content_path, publish_pc_paper

DAY = date(2023, 2, 11)


def _source(db, make, server) -> Source:
    source = Source(outlet=make.outlet(), type="epaper", name="", selectors={},
                    url=server.url("/pc/layout/{yyyy}{mm}/{dd}/node_01.html"))
    db.session.add(source)
    db.session.flush()
    return source


def _stored(db, source: Source) -> list[Article]:
    return list(db.session.scalars(select(Article).where(Article.source_id == source.id)
                                   .order_by(Article.url)))


def test_newer_layout_day_is_stored_with_titles_pages_and_authors(db, make, server, fetcher):
    """A backfilled pc/layout day stores each story once with its 引题/主题/副题, page number,
    page name and byline author, and the day counts as walked."""
    publish_pc_paper(server, DAY)
    source = _source(db, make, server)
    run = fetch_source(source, fetcher=fetcher, since=DAY, until=DAY)
    assert (run.outcome, run.new_count) == ("ok", 3)
    stored = [(a.url, a.intro_title, a.title, a.subtitle, a.page_number, a.page_name, a.author)
              for a in _stored(db, source)]
    assert stored == [(server.url(content_path(DAY, s)), s.intro, s.title, s.subtitle, s.page,
                       {1: "要闻", 2: "综 合"}[s.page], s.author) for s in STORIES]
    assert DAY in walked_days(source.id)


def test_epaper_story_keeps_its_source_credit(db, make, server, fetcher):
    """The 来源 credit printed in an e-paper story's header is stored as its source credit
    (what tells a reprint's origin); stories without one store none."""
    publish_pc_paper(server, DAY)
    source = _source(db, make, server)
    fetch_source(source, fetcher=fetcher, since=DAY, until=DAY)
    stored = {a.url: a.source_credit for a in _stored(db, source)}
    assert stored == {server.url(content_path(DAY, s)): s.credit for s in STORIES}


def test_unread_day_is_retried_and_fails_from_the_second_walk(db, make, server, fetcher):
    """Pages linking stories none of which can be read: the first run is partial and the day
    is not walked; the next run walks it again and fails, the source is failing with the day
    in words; once the stories can be read, the day is stored and the source fine."""
    publish_pc_paper(server, DAY, readable=False)
    source = _source(db, make, server)
    first = fetch_source(source, fetcher=fetcher, since=DAY, until=DAY)
    assert (first.outcome, first.error) == ("partial", "epaper_unread: 2023-02-11")
    assert DAY not in walked_days(source.id) and unread_days(source.id) == {DAY: 1}
    assert source.consecutive_failures == 0

    second = fetch_source(source, fetcher=fetcher)  # no period asked: the day is retried
    assert second.outcome == "failed" and unread_days(source.id) == {DAY: 2}
    health = source_health(source)
    assert health.state == "failing"
    assert "一篇也没有读到（2023-02-11）" in health.error

    publish_pc_paper(server, DAY)
    third = fetch_source(source, fetcher=fetcher)
    assert (third.outcome, third.new_count) == ("ok", 3)
    assert DAY in walked_days(source.id) and unread_days(source.id) == {}
    assert source_health(source).state != "failing"


def test_sources_page_shows_an_unread_epaper_as_failing(db, make, server, fetcher, client,
                                                        login):
    """The sources page names the unread day of a failing e-paper source."""
    publish_pc_paper(server, DAY, readable=False)
    source = _source(db, make, server)
    fetch_source(source, fetcher=fetcher, since=DAY, until=DAY)
    fetch_source(source, fetcher=fetcher)
    db.session.commit()
    login("leader")
    html = client.get("/sources").get_data(as_text=True)
    assert "电子报版面上有文章，却一篇也没有读到（2023-02-11）" in html


def test_stories_failing_for_a_passing_reason_are_no_unread_day(db, make, server, fetcher):
    """Stories that answer 503 make the run partial for that reason, not an unread day."""
    from tests.scrapers.scraper_server import Reply

    publish_pc_paper(server, DAY)
    for story in STORIES:
        server.route(content_path(DAY, story), Reply(503, b"busy"))
    source = _source(db, make, server)
    run = fetch_source(source, fetcher=fetcher, since=DAY, until=DAY)
    assert run.outcome == "partial" and run.error.startswith("http_error")
    assert unread_days(source.id) == {} and DAY not in walked_days(source.id)
