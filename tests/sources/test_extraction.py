"""Reading fetched pages: a source's pages fetched several at a time within the host's limit,
read in extraction processes (EXTRACT_PROCESSES), and a page that breaks the parser, kills
its worker or hangs skipped and counted while the pass goes on."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from campaign.articles.models import Article
from campaign.extensions import db as _db
from campaign.ingest import extraction
from campaign.ingest.collect import collect
from campaign.ingest.epaper_days import collect_epaper
from campaign.ingest.extraction import ReadInProcesses, ReadInThread
from campaign.ingest.pool import ProcessPool, WorkerDiedError
from campaign.ingest.scheduler import Poller
from campaign.ingest.write_phase import fetch_source
from campaign.planning.models import Outlet
from campaign.sources.models import FetchRun, Source
from scrapers.fetch import Fetcher, FetchSettings
from tests.scrapers.founder_pc import STORIES, content_path, publish_pc_paper
from tests.scrapers.scraper_server import LocalServer, Reply
from tests.sources import page_tasks
from tests.sources.test_fetching import add_source, article_page, list_page

PAPER_DAY = date(2023, 2, 11)


def fast_fetcher(per_host: int) -> Fetcher:
    """A fetcher with no politeness delay, `per_host` requests in flight to one host."""
    return Fetcher(FetchSettings(min_delay=0, retries=0, read_timeout=5, connect_timeout=2,
                                 trust_env=False, max_per_host=per_host))


def serve_list(server: LocalServer, count: int, *, delay: float = 0.0) -> list[str]:
    """A list page at /list.html linking `count` article pages answered after `delay`;
    returns their URLs in list order."""
    links = [(f"/news/{n}.html", f"职工技能大赛第{n}场") for n in range(count)]
    server.route("/list.html", Reply(body=list_page(links)))
    for link, title in links:
        server.route(link, Reply(body=article_page(title), delay=delay))
    return [server.url(link) for link, _ in links]


def html_source(url: str) -> dict[str, object]:
    return {"type": "html", "url": url, "obey_robots": False,
            "selectors": {"link_selector": "ul.news a", "article_title": "h1",
                          "article_body": "div.content"}}


@pytest.mark.parametrize("per_host", [1, 3])
def test_a_lists_pages_are_fetched_as_many_at_a_time_as_the_host_allows(
        db, make, server, per_host):
    """Six article pages that each take 0.3 s are fetched `FETCH_MAX_PER_HOST` at a time:
    the server sees exactly that many requests in flight, never more."""
    serve_list(server, 6, delay=0.3)
    source = add_source(db, make, **html_source(server.url("/list.html")))
    with fast_fetcher(per_host) as fetcher:
        collected = collect(source, fetcher=fetcher)
    assert len(collected.items) == 6
    assert server.max_in_flight == per_host


def test_pages_fetched_at_once_are_kept_in_list_order(db, make, server):
    """Pages that finish in reverse order (the first is the slowest) are added in the list's
    order, so a run does not depend on which answer came first."""
    urls = serve_list(server, 4)
    for n, url in enumerate(urls):
        server.route(url.removeprefix(server.url("")), Reply(
            body=article_page(f"职工技能大赛第{n}场"), delay=0.1 * (4 - n)))
    source = add_source(db, make, **html_source(server.url("/list.html")))
    with fast_fetcher(4) as fetcher:
        collected = collect(source, fetcher=fetcher)
    assert [item.url for item in collected.items] == urls
    assert [item.title for item in collected.items] == [f"职工技能大赛第{n}场" for n in range(4)]


def test_reading_in_processes_gives_what_reading_in_the_thread_gives(db, make, server):
    """The same list read by two extraction processes and by the fetch thread gives the same
    articles, bodies and signatures."""
    serve_list(server, 5)
    source = add_source(db, make, **html_source(server.url("/list.html")))
    reader = ReadInProcesses(2)
    try:
        with fast_fetcher(2) as fetcher:
            pooled = collect(source, fetcher=fetcher, pages=reader)
            alone = collect(source, fetcher=fetcher, pages=ReadInThread())
    finally:
        reader.close()
    assert len(pooled.items) == 5
    assert pooled.items == alone.items
    assert pooled.signatures == alone.signatures


def dying_poller(app, reader) -> Poller:
    return Poller(app, fetcher=fast_fetcher(2), workers=2, pages=reader)


def test_a_page_that_kills_its_worker_is_skipped_and_counted(tmp_path, server, committed_app):
    """A page whose reading ends its worker process is skipped and counted on the run, which
    is partial; the other pages are stored, the worker is replaced and the pass goes on."""
    serve_list(server, 4)
    server.route("/list.html", Reply(body=list_page(
        [(f"/news/{n}.html", f"职工技能大赛第{n}场") for n in (0, 1)] + [("/crash.html", "坏页")]
        + [(f"/news/{n}.html", f"职工技能大赛第{n}场") for n in (2, 3)])))
    server.route("/crash.html", Reply(body=article_page("坏页")))
    reader = ReadInProcesses(2, task=page_tasks.dying_read)
    with committed_app(tmp_path) as app:
        with app.app_context():
            _db.session.add(Source(outlet=Outlet(name="测试报"), name="list",
                                   **html_source(server.url("/list.html"))))
            _db.session.commit()
        engine = dying_poller(app, reader)
        (report,) = engine.run_pass()
        alive = len(reader.pool.pids())
        engine.stop()
        with app.app_context():
            run = _db.session.scalars(select(FetchRun)).one()
            stored = _db.session.scalars(select(Article.title).order_by(Article.id)).all()
    assert report.outcome == "partial"
    assert (run.skipped_count, run.error.split(":")[0]) == (1, "parse_error")
    assert stored == [f"职工技能大赛第{n}场" for n in range(4)]
    assert reader.pool.died == 1 and alive == 2


def test_a_page_that_breaks_the_parser_is_skipped_and_counted(db, make, server, monkeypatch):
    """A page whose extraction raises is skipped and counted; the run is partial and the
    other pages are stored (the fetch thread's reader)."""
    urls = serve_list(server, 3)
    real = extraction.extract_article

    def breaking(body, url, **kwargs):
        if url == urls[1]:
            raise RecursionError("maximum recursion depth exceeded")
        return real(body, url, **kwargs)

    monkeypatch.setattr(extraction, "extract_article", breaking)
    source = add_source(db, make, **html_source(server.url("/list.html")))
    with fast_fetcher(2) as fetcher:
        run = fetch_source(source, fetcher=fetcher)
    assert (run.outcome, run.new_count, run.skipped_count) == ("partial", 2, 1)
    assert run.error == f"parse_error: {urls[1]}: RecursionError: maximum recursion depth exceeded"


def test_a_page_that_hangs_its_worker_is_given_up(db, make, server):
    """A page still being read after the timeout has its worker killed and is skipped; the
    next pages are read by the worker started in its place."""
    serve_list(server, 2)
    server.route("/list.html", Reply(body=list_page(
        [("/hang.html", "慢页"), ("/news/0.html", "职工技能大赛第0场"),
         ("/news/1.html", "职工技能大赛第1场")])))
    server.route("/hang.html", Reply(body=article_page("慢页")))
    source = add_source(db, make, **html_source(server.url("/list.html")))
    reader = ReadInProcesses(1, timeout=1.0, task=page_tasks.hanging_read)
    try:
        with fast_fetcher(1) as fetcher:
            collected = collect(source, fetcher=fetcher, pages=reader)
    finally:
        reader.close()
    assert [item.title for item in collected.items] == ["职工技能大赛第0场", "职工技能大赛第1场"]
    assert (collected.skipped, collected.error_kind) == (1, "parse_error")
    assert reader.pool.timed_out == 1


class DyingOnAStory(ReadInProcesses):
    """Reads e-paper stories in workers; the story numbered 1103 kills its worker."""

    def call(self, fn, /, *args, **kwargs):
        if str(kwargs.get("url", "")).endswith("content_1103.html"):
            return self.pool.call(page_tasks.die)
        return super().call(fn, *args, **kwargs)


def test_epaper_stories_are_read_in_workers_and_a_crash_skips_one(db, make, server):
    """An e-paper day's stories are parsed in the extraction processes, as in the thread;
    a story that kills its worker is left out and counted, the other stories kept."""
    publish_pc_paper(server, PAPER_DAY)
    source = add_source(db, make, type="epaper", selectors={}, obey_robots=False,
                        url=server.url("/pc/layout/{yyyy}{mm}/{dd}/node_01.html"))
    reader = DyingOnAStory(2)
    try:
        with fast_fetcher(3) as fetcher:
            alone = collect_epaper(source, fetcher=fetcher, since=PAPER_DAY, until=PAPER_DAY)
            pooled = collect_epaper(source, fetcher=fetcher, since=PAPER_DAY, until=PAPER_DAY,
                                    pages=reader)
    finally:
        reader.close()
    assert [item.url for item in alone.items] == [server.url(content_path(PAPER_DAY, s))
                                                  for s in STORIES]
    assert pooled.items == [item for item in alone.items
                            if not item.url.endswith("content_1103.html")]
    assert pooled.skipped == alone.skipped + 1
    assert reader.pool.died == 1


def test_a_workers_exception_is_raised_to_the_caller_and_the_worker_kept() -> None:
    """An exception raised in a worker comes back as itself; the worker is not lost."""
    pool = ProcessPool(1)
    try:
        first = pool.call(page_tasks.worker_pid)
        with pytest.raises(LookupError, match="no such page"):
            pool.call(page_tasks.fail, "no such page")
        assert pool.call(page_tasks.worker_pid) == first
    finally:
        pool.close()
    assert pool.died == 0 and pool.started == 1


def test_a_dead_worker_is_replaced() -> None:
    """A worker that dies raises WorkerDiedError for its call; another takes its place."""
    pool = ProcessPool(1)
    try:
        first = pool.call(page_tasks.worker_pid)
        with pytest.raises(WorkerDiedError):
            pool.call(page_tasks.die)
        second = pool.call(page_tasks.worker_pid)
    finally:
        pool.close()
    assert second != first and pool.died == 1 and pool.started == 2


def test_closing_the_pool_ends_its_workers() -> None:
    """close() ends every worker process."""
    pool = ProcessPool(2)
    pool.call(page_tasks.worker_pid)
    workers = [w.process for w in pool._workers]
    pool.close()
    assert [w.is_alive() for w in workers] == [False, False]


def test_bodies_without_a_signature_are_signed_in_a_worker_as_in_the_thread() -> None:
    """Feed bodies (no page read them) are signed by an extraction process (the pool starts
    for that call), with the same signatures the fetch thread computes."""
    from campaign.articles.incoming import IncomingArticle
    from campaign.ingest.collect import add_signatures
    from campaign.ingest.collected import Collected

    story = "全省职工技能大赛今天在合肥开幕，八百多名选手参加比赛。" * 3

    def items() -> list[IncomingArticle]:
        return [IncomingArticle(url=f"http://paper.test/{n}.html", title=f"标题{n}",
                                body=f"第{n}篇：{story}") for n in range(3)]

    reader = ReadInProcesses(1)
    try:
        pooled = add_signatures(Collected(items=items()), reader)
        started = reader.pool.started
    finally:
        reader.close()
    alone = add_signatures(Collected(items=items()))
    assert len(pooled.signatures) == 3 and pooled.signatures == alone.signatures
    assert started == 1
