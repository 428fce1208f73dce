"""The ground-truth labels: schema, agreement with the data, and the campaign's coverage shape."""

from __future__ import annotations

import collections

from campaign.demo_site import LABELS_PATH
from campaign.demo_site.articles import all_articles, build_labels
from campaign.demo_site.labels import dumps
from campaign.demo_site.model import EVENT_KEYS, KINDS
from scrapers.genre import GENRES

COVERING = ("coverage", "slot", "reprint")

# event -> (outlet, date, page, genre) of each planned slot piece
SLOTS = {
    "editorial-ahrb": [("安徽日报", "2006-04-30", 1, "社论")],
    "commentary-ahgrb": [("安徽工人日报", "2006-04-30", 1, "评论员文章")],
    "column-model-workers": [
        ("安徽工人日报", d, 1, "专栏")
        for d in ("2006-04-21", "2006-04-24", "2006-04-26", "2006-04-28", "2006-05-08")
    ] + [("安徽工人日报", "2006-05-10", 2, "专栏")],  # the deliberate "partial": ran on page 2
    "feature-laomo": [("安徽日报", "2006-05-02", 4, "专题/整版")],
    "feature-fengxian": [("安徽日报", "2006-05-03", 4, "专题/整版")],
    "feature-mingong": [("安徽日报", "2006-05-04", 4, "专题/整版")],
}


def test_labels_file_matches_the_data(labels):
    """The committed labels.json is exactly what the article data produces (one source of truth)."""
    assert labels == build_labels()
    assert LABELS_PATH.read_text(encoding="utf-8") == dumps()


def test_label_schema(labels):
    """Every label has the documented keys and values from the fixed vocabularies."""
    paths = {lb["url_path"] for lb in labels}
    assert len(paths) == len(labels)
    for lb in labels:
        assert set(lb) == {"url_path", "outlet", "title", "published", "events", "kind",
                           "reprint_of", "page", "genre", "near_miss_of"}
        assert lb["kind"] in KINDS and lb["genre"] in GENRES
        assert set(lb["events"]) <= set(EVENT_KEYS)
        assert bool(lb["events"]) == (lb["kind"] in COVERING), lb
        assert (lb["reprint_of"] is not None) == (lb["kind"] == "reprint")
        assert lb["reprint_of"] is None or lb["reprint_of"] in paths
        assert bool(lb["near_miss_of"]) == (lb["kind"] == "near_miss")
        assert lb["page"] is None or lb["page"] >= 1


def test_enough_articles_of_realistic_length():
    """At least 120 Chinese articles, each 150–900 characters, with some short briefs."""
    arts = all_articles()
    assert len(arts) >= 120
    lengths = [len(a.text) for a in arts]
    assert all(150 <= n <= 900 for n in lengths)
    assert sum(n < 200 for n in lengths) >= 10
    assert sum(n > 400 for n in lengths) >= 10


def test_every_event_covered_by_several_outlets(labels):
    """Each event has ≥3 covering articles from ≥2 outlets."""
    for key in EVENT_KEYS:
        hits = [lb for lb in labels if key in lb["events"] and lb["kind"] in COVERING]
        assert len(hits) >= 3, key
        assert len({lb["outlet"] for lb in hits}) >= 2, key


def test_slot_pieces_ran_at_their_planned_place(labels):
    """Each editorial slot piece is labelled 'slot' at its planned outlet, date, page and genre."""
    for event, planned in SLOTS.items():
        slots = {(lb["outlet"], lb["published"], lb["page"], lb["genre"])
                 for lb in labels if lb["kind"] == "slot" and event in lb["events"]}
        assert set(planned) <= slots, event
    assert {lb["kind"] for lb in labels if lb["kind"] == "slot"} == {"slot"}


def test_page_one_coverage_on_campaign_days(labels):
    """Leaders' question: the rally made page one of both provincial dailies on 4-28."""
    front = {(lb["outlet"], lb["published"]) for lb in labels
             if "rally" in lb["events"] and lb["page"] == 1 and lb["kind"] == "coverage"}
    assert {("安徽日报", "2006-04-28"), ("安徽工人日报", "2006-04-28")} <= front


def test_near_misses_for_the_confusable_events(labels):
    """Near misses (keywords without the event) exist for rally, send-off and press-briefing."""
    near = collections.Counter(
        key for lb in labels if lb["kind"] == "near_miss" for key in lb["near_miss_of"]
    )
    for key in ("rally", "send-off", "press-briefing"):
        assert near[key] >= 2, key
    assert all(not lb["events"] for lb in labels if lb["kind"] in ("near_miss", "unrelated"))


def test_coverage_windows(labels):
    """Coverage follows the timeline: notice early April, rally previews 4-26 and follow-ups."""
    def dates(event):
        return sorted(lb["published"] for lb in labels
                      if event in lb["events"] and lb["kind"] != "reprint")

    assert dates("notice")[0] >= "2006-04-06" and dates("notice")[-1] <= "2006-04-09"
    rally = dates("rally")
    assert rally[0] == "2006-04-26" and rally[-1] == "2006-05-01"
    hotline = dates("hotline-broadcast")
    assert hotline[0] == "2006-05-12" and hotline[-1] == "2006-05-15"
