"""Matching accuracy on the demo news site: fetched over real HTTP, stored, grouped and matched
by the same code the scheduler runs, then scored against the site's label file."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from campaign.coverage.cli import clipping_rows
from campaign.coverage.demo import load_demo_rules
from campaign.coverage.matching import match_articles
from campaign.demo_site import load_labels, running
from campaign.ingest.write_phase import fetch_source
from campaign.planning.demo import DEMO_SLUG, load_demo
from campaign.planning.operations import get_campaign
from campaign.sources.importing import load_demo_sources
from campaign.sources.models import Source
from scrapers.fetch import Fetcher, FetchSettings

TARGET = 0.95


@pytest.fixture
def matched(db) -> Iterator[list[dict]]:
    """The demo campaign with every demo source fetched once and its articles matched."""
    with running() as base, Fetcher(FetchSettings(min_delay=0.0, max_per_host=4,
                                                  retries=0)) as fetcher:
        load_demo()
        load_demo_sources(base)
        load_demo_rules(get_campaign(DEMO_SLUG))
        db.session.commit()
        for source in db.session.scalars(db.select(Source).order_by(Source.id)).all():
            run = fetch_source(source, fetcher=fetcher, after_store=match_articles)
            assert run.outcome == "ok", (source.url, run.error)
            db.session.commit()
        yield clipping_rows(DEMO_SLUG)


def score(pred: set, truth: set) -> tuple[float, float]:
    hits = len(pred & truth)
    return hits / max(len(pred), 1), hits / max(len(truth), 1)


def test_demo_matching_precision_and_recall(matched):
    """Accepted + suggested matches reach 0.95 precision and recall overall on the labelled
    demo site; the per-event figures are printed."""
    labels = load_labels()
    truth = {(event, label["url_path"]) for label in labels for event in label["events"]}
    pred = {(row["event"], urlsplit(row["url"]).path) for row in matched
            if row["url"] and row["status"] in ("accepted", "suggested")}
    print(f"\n{'event':24} precision recall")
    for event in sorted({e for e, _ in truth}):
        p, r = score({x for x in pred if x[0] == event}, {x for x in truth if x[0] == event})
        print(f"{event:24} {p:9.2f} {r:6.2f}")
    precision, recall = score(pred, truth)
    print(f"{'overall':24} {precision:9.3f} {recall:6.3f}")
    assert precision >= TARGET
    assert recall >= TARGET


def test_near_misses_are_never_accepted(matched):
    """Another province's rally, last year's send-off, an unrelated 发布会 and advertorials
    share keywords with the events but are never accepted for them."""
    near = {label["url_path"] for label in load_labels() if label["kind"] == "near_miss"}
    accepted = {urlsplit(row["url"]).path for row in matched
                if row["url"] and row["status"] == "accepted"}
    assert near
    assert not near & accepted
