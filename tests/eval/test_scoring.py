"""The evaluation's scoring: URL keys, pair scores, hard negatives, review effort, slot
instalments and the simulated officer's rest."""

from __future__ import annotations

from datetime import date

from eval.scoring import (
    Label,
    Prediction,
    SlotPlan,
    hard_negatives_taken,
    instalments,
    read_label,
    rest_scores,
    review_effort,
    score,
    url_key,
)

A, B, C, D = "/a/1.html", "/a/2.html", "/a/3.html", "/a/4.html"
LABELS = [Label(A, frozenset({"rally"})), Label(B, frozenset({"rally"})),
          Label(C, frozenset({"briefing"})), Label(D, frozenset(), hard_negative=True)]


def test_url_key_drops_host_query_and_fragment() -> None:
    """Two links to one page compare equal whatever their host, port, query or fragment."""
    assert url_key("http://127.0.0.1:8000/news/%E6%96%B0.html?from=rss#top") == "/news/新.html"


def test_url_key_keeps_the_query_of_php_pages() -> None:
    """On a .php page the query names the page: kept (sorted), tracking parameters dropped."""
    assert url_key("http://h/show.php?id=7&from=rss") == "/show.php?id=7"
    assert url_key("/list.php?page=2&cid=7") == url_key("http://x/list.php?cid=7&page=2")
    assert url_key("/show.php?id=7") != url_key("/show.php?id=8")


def test_read_label_reads_the_demo_sites_format() -> None:
    """A demo-site label (url_path, events, kind near_miss, reprint_of) reads like a world's."""
    label = read_label({"url_path": "/x.htm", "outlet": "安徽日报", "published": "2006-04-27",
                        "events": ["rally"], "kind": "near_miss", "reprint_of": "/y.htm"})
    assert label == Label("/x.htm", frozenset({"rally"}), "安徽日报", date(2006, 4, 27),
                          hard_negative=True, is_reprint=True)


def test_score_counts_pairs_per_event_and_pooled() -> None:
    """A match to the wrong event is a false positive and a miss; rejected ones do not count."""
    predictions = [Prediction("rally", A, "accepted"), Prediction("rally", C, "suggested"),
                   Prediction("rally", B, "rejected")]
    result = score(LABELS, predictions, ["rally", "briefing"])
    assert (result.pooled.tp, result.pooled.fp, result.pooled.fn) == (1, 1, 2)
    assert (result.per_event["briefing"].tp, result.per_event["briefing"].fn) == (0, 1)
    assert round(result.per_event["rally"].f1, 3) == 0.5


def test_accepted_only_leaves_suggestions_out() -> None:
    """Scoring accepted matches only ignores suggested ones."""
    predictions = [Prediction("rally", A, "accepted"), Prediction("rally", B, "suggested")]
    assert score(LABELS, predictions, ["rally"], ("accepted",)).pooled.tp == 1


def test_hard_negatives_taken_by_status() -> None:
    """A labelled hard negative matched to any event is counted under its status."""
    taken = hard_negatives_taken(LABELS, [Prediction("rally", D, "accepted"),
                                          Prediction("rally", A, "accepted")])
    assert taken == {"accepted": 1, "suggested": 0, "labelled": 1}


def test_review_effort_is_suggestions_per_true_suggestion() -> None:
    """Four suggestions of which two are true cost two looks per true match."""
    predictions = [Prediction("rally", u, "suggested") for u in (A, B, C, D)]
    assert review_effort(LABELS, predictions) == {"suggested": 4, "true_suggested": 2,
                                                  "per_true_match": 2.0}


def test_instalments_ran_and_fulfilled() -> None:
    """An instalment ran on each labelled day in the slot's outlet (reprints and other outlets
    aside); it is fulfilled only where a slot planned that day is fulfilled."""
    labels = [Label(f"/c/{d}", frozenset({"column"}), "晚报", date(2007, 6, d)) for d in (4, 7)]
    labels += [Label("/c/r", frozenset({"column"}), "晚报", date(2007, 6, 11), is_reprint=True),
               Label("/c/o", frozenset({"column"}), "网站", date(2007, 6, 14))]
    slots = [SlotPlan("column", "晚报", date(2007, 6, 4), "fulfilled")]
    result = instalments(labels, slots)
    assert (result["ran"], result["fulfilled"]) == (2, 1)
    assert result["per_event"]["column"]["days_ran"] == ["2007-06-04", "2007-06-07"]


def test_rest_scores_leave_decided_pairs_and_other_events_out() -> None:
    """The rest is scored on the chosen events without the pairs the officer decided."""
    predictions = [Prediction("rally", A, "accepted"), Prediction("rally", D, "suggested"),
                   Prediction("briefing", C, "suggested")]
    rest = rest_scores(LABELS, predictions, ["rally"], {("rally", D)})
    assert (rest.tp, rest.fp, rest.fn) == (1, 0, 1)
