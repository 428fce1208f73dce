"""The write phase of many runs at once: one transaction for several sources, reprints grouped
across them, one after-store call, and a broken source that fails alone in a shared write."""

from __future__ import annotations

import logging
import threading
from datetime import date

from sqlalchemy import select

from campaign.articles.incoming import IncomingArticle
from campaign.articles.models import Article, ArticleBody
from campaign.core.times import utcnow
from campaign.extensions import db as _db
from campaign.ingest import write_phase
from campaign.ingest.claims import claim_sources
from campaign.ingest.collect import add_signatures
from campaign.ingest.collected import Collected
from campaign.ingest.write_phase import GroupCommit, Recording, record_many
from campaign.ingest.write_turns import write_turn
from campaign.sources.models import FetchRun, Source
from tests.factories import beijing

STORY = ("4月27日上午，全省庆祝五一国际劳动节暨当好主力军建功十一五动员大会在合肥隆重召开，"
         "省委副书记在会上发表讲话，向全省广大职工致以节日的祝贺和诚挚的问候。") * 2


def collected(*items: tuple[str, str]) -> Collected:
    """What a run collected: (url, body) items, signed as the fetch thread signs them."""
    return add_signatures(Collected(items=[
        IncomingArticle(url=url, title="动员大会", body=body,
                        published_at=beijing(date(2006, 4, 27))) for url, body in items]))


def test_record_many_writes_several_runs_and_groups_across_them(db, make):
    """Two sources recorded together: each gets its FetchRun and fetch state, their copies of
    one story form one reprint group, and the hook is called once with every article."""
    first, second = make.source(), make.source()
    calls: list[list[int]] = []
    runs = [Recording(first, collected(("http://a.test/1.htm", STORY)), utcnow()),
            Recording(second, collected(("http://b.test/1.htm", STORY),
                                        ("http://b.test/2.htm", f"另一篇报道。{STORY[::-1]}")),
                      utcnow())]
    record_many(runs, after_store=calls.append)
    assert [(r.run.outcome, r.run.new_count) for r in runs] == [("ok", 1), ("ok", 2)]
    assert first.last_new_at is not None and second.consecutive_failures == 0
    assert len(calls) == 1 and sorted(calls[0]) == sorted(
        [*runs[0].stored.article_ids, *runs[1].stored.article_ids])
    copies = [db.session.get(Article, i) for i in (runs[0].stored.article_ids[0],
                                                   runs[1].stored.article_ids[0])]
    assert copies[0].reprint_group_id is not None
    assert copies[0].reprint_group_id == copies[1].reprint_group_id


def test_signatures_made_in_the_fetch_thread_are_not_computed_again(db, make, monkeypatch):
    """The write phase stores the signature `add_signatures` made, and grouping uses it: no
    MinHash is computed while the write lock is held."""
    import campaign.reprints.signatures as signatures

    source = make.source()
    run = Recording(source, collected(("http://a.test/1.htm", STORY)), utcnow())

    def no_signing(_text: str) -> None:
        raise AssertionError("a signature was computed in the write phase")

    monkeypatch.setattr(signatures, "compute_signature", no_signing)
    record_many([run])
    body = db.session.get(ArticleBody, run.stored.article_ids[0])
    assert body.minhash == next(iter(run.collected.signatures.values()))


def test_a_broken_source_in_a_shared_write_fails_alone(tmp_path, monkeypatch, caplog,
                                                       committed_app):
    """When one source's write raises in a shared transaction, the batch is written again one
    source at a time: the good sources are stored and released, the broken one is recorded
    failed (internal_error) and released, and every waiting thread gets its report."""
    with committed_app(tmp_path) as app:
        with app.app_context():
            from campaign.planning.models import Outlet

            ids = []
            for n in range(3):
                source = Source(outlet=Outlet(name=f"报{n}"), type="rss", name=f"s{n}",
                                url=f"http://s{n}.test/feed.xml", selectors={})
                _db.session.add(source)
                _db.session.flush()
                ids.append(source.id)
            _db.session.commit()
            assert claim_sources(worker="w", limit=10) == ids
        broken = ids[2]
        real = write_phase._add_run

        def add_run(run: Recording, now):  # type: ignore[no-untyped-def]
            if run.source.id == broken and run.collected.items:  # not its failure record
                raise RuntimeError("a bug in one source's write")
            return real(run, now)

        monkeypatch.setattr(write_phase, "_add_run", add_run)
        writes = GroupCommit(worker="w")
        reports = {}

        def write(source_id: int) -> None:
            with app.app_context():
                reports[source_id] = writes.write(
                    source_id, collected((f"http://s{source_id}.test/1.htm", STORY)),
                    started_at=utcnow(), trigger="scheduled")

        threads = [threading.Thread(target=write, args=(i,)) for i in ids]
        with app.app_context(), caplog.at_level(logging.INFO), write_turn():
            # The first thread takes its own batch and waits for the write turn; the other two
            # queue behind it and are then written together.
            for thread in threads:
                thread.start()
            while writes.queued < 2:
                threading.Event().wait(0.01)
        for thread in threads:
            thread.join(timeout=30)
        assert "writing them one by one" in caplog.text
        assert {i: reports[i].outcome for i in ids} == {ids[0]: "ok", ids[1]: "ok",
                                                         broken: "failed"}
        with app.app_context():
            runs = {r.source_id: r for r in _db.session.scalars(select(FetchRun))}
            assert len(runs) == 3 and runs[broken].error.startswith("internal_error")
            assert _db.session.scalar(select(Article.id).where(Article.source_id == broken)
                                      ) is None
            assert all(s.claimed_by is None for s in _db.session.scalars(select(Source)))


def test_a_write_takes_at_most_its_share_of_articles():
    """The queue is cut into writes of at most MAX_BATCH_ITEMS articles (a source alone over
    the cap is one write of its own, never split) and at most MAX_BATCH sources, in order."""
    def queued(source_id: int, articles: int) -> write_phase.Queued:
        items = [IncomingArticle(url=f"http://s.test/{source_id}/{n}", title="t")
                 for n in range(articles)]
        return write_phase.Queued(source_id, Collected(items=items), utcnow(), "scheduled")

    cap = write_phase.MAX_BATCH_ITEMS
    queue = [queued(1, cap - 10), queued(2, 10), queued(3, 1), queued(4, cap + 50),
             queued(5, 0), *(queued(6 + n, 0) for n in range(write_phase.MAX_BATCH + 2))]
    batches = []
    while queue:
        batches.append([q.source_id for q in write_phase.next_batch(queue)])
    assert batches[:3] == [[1, 2], [3], [4]]
    assert [len(b) for b in batches[3:]] == [write_phase.MAX_BATCH, 3]
    assert sorted(i for b in batches for i in b) == list(range(1, 6 + write_phase.MAX_BATCH + 2))
