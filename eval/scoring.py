"""Scoring a clippings export against a labelled world: precision, recall and F1 of (event,
article) pairs, hard negatives taken, the officer's review effort and slot instalments.

Pure functions on plain values: no Flask, no database, no network. Labels are read into
`Label` records first (`read_labels`), whatever the world's file looks like.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

POSITIVE = ("accepted", "suggested")
# Query parameters that only say where a link was found, never which page it is.
TRACKING_PARAMETERS = ("from", "utm_source", "utm_medium", "utm_campaign", "spm")

Pair = tuple[str, str]  # (event key, URL key)


@dataclass(frozen=True)
class Label:
    """One labelled article page: the events it covers (none for a negative)."""

    url: str
    events: frozenset[str]
    outlet: str = ""
    day: date | None = None
    hard_negative: bool = False
    is_reprint: bool = False


@dataclass(frozen=True)
class Prediction:
    """One row of the tracker's export: an article matched to an event, with its status."""

    event: str
    url: str
    status: str


@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1 from true positives, false positives and misses."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        """The counts and the three ratios, rounded for reading."""
        return {**asdict(self), "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


def url_key(url: str) -> str:
    """What two URLs are compared by: the percent-decoded path, without scheme, host, port,
    fragment or query — except on ``*.php`` pages, whose query names the page (its tracking
    parameters dropped, the rest sorted)."""
    parts = urlsplit(url.strip())
    path = unquote(parts.path) or "/"
    if not path.endswith(".php"):
        return path
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if k not in TRACKING_PARAMETERS)
    return f"{path}?{urlencode(query)}" if query else path


def _day(value: object) -> date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def read_label(raw: Mapping[str, Any]) -> Label:
    """A label from either format: a world's (``url``, ``event_key``, ``hard_negative``,
    ``is_reprint_of``, ``published_at``) or the demo site's (``url_path``, ``events``,
    ``kind``, ``reprint_of``, ``published``)."""
    if "events" in raw:
        events = frozenset(str(e) for e in raw["events"] or ())
    else:
        events = frozenset([str(raw["event_key"])]) if raw.get("event_key") else frozenset()
    return Label(
        url=url_key(str(raw.get("url") or raw.get("url_path") or "")),
        events=events, outlet=str(raw.get("outlet") or ""),
        day=_day(raw.get("published_at") or raw.get("published")),
        hard_negative=bool(raw.get("hard_negative")) or raw.get("kind") == "near_miss",
        is_reprint=bool(raw.get("is_reprint_of") or raw.get("reprint_of")))


def read_labels(rows: Iterable[Mapping[str, Any]]) -> list[Label]:
    """Labels of every article page of a world."""
    return [read_label(row) for row in rows]


def read_predictions(rows: Iterable[Mapping[str, Any]]) -> list[Prediction]:
    """The article rows of a ``export-clippings --format json`` list (manual clippings, which
    have no URL, are left out)."""
    return [Prediction(str(r["event"]), url_key(str(r["url"])), str(r["status"]))
            for r in rows if r.get("url")]


def gold_pairs(labels: Iterable[Label]) -> set[Pair]:
    """Every (event, URL) pair the labels call coverage."""
    return {(event, label.url) for label in labels for event in label.events}


def predicted_pairs(predictions: Iterable[Prediction],
                    statuses: Sequence[str] = POSITIVE) -> set[Pair]:
    """The (event, URL) pairs the tracker holds with one of these statuses."""
    return {(p.event, p.url) for p in predictions if p.status in statuses}


def compare(gold: set[Pair], predicted: set[Pair]) -> Scores:
    """Scores of predicted pairs against gold pairs."""
    return Scores(len(gold & predicted), len(predicted - gold), len(gold - predicted))


@dataclass
class WorldScores:
    """Pooled and per-event scores of one export, for one set of statuses."""

    pooled: Scores
    per_event: dict[str, Scores] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain values for the results file."""
        return {"pooled": self.pooled.as_dict(),
                "per_event": {k: v.as_dict() for k, v in self.per_event.items()}}


def score(labels: Sequence[Label], predictions: Sequence[Prediction], events: Sequence[str],
          statuses: Sequence[str] = POSITIVE) -> WorldScores:
    """Pooled (micro) and per-event P/R/F1 of the predictions with these statuses."""
    gold, predicted = gold_pairs(labels), predicted_pairs(predictions, statuses)
    per_event = {event: compare({g for g in gold if g[0] == event},
                                {p for p in predicted if p[0] == event}) for event in events}
    return WorldScores(compare(gold, predicted), per_event)


def hard_negatives_taken(labels: Sequence[Label], predictions: Sequence[Prediction]
                         ) -> dict[str, int]:
    """How many labelled hard negatives the tracker accepted, and suggested, for any event."""
    hard = {label.url for label in labels if label.hard_negative and not label.events}
    return {status: len({p.url for p in predictions if p.status == status and p.url in hard})
            for status in POSITIVE} | {"labelled": len(hard)}


def review_effort(labels: Sequence[Label], predictions: Sequence[Prediction]
                  ) -> dict[str, float | int | None]:
    """What the review queue costs the officer: suggestions, the true ones among them, and
    suggestions to look at per true match found there (None when none is true)."""
    gold = gold_pairs(labels)
    suggested = predicted_pairs(predictions, ("suggested",))
    true = len(suggested & gold)
    return {"suggested": len(suggested), "true_suggested": true,
            "per_true_match": round(len(suggested) / true, 2) if true else None}


@dataclass(frozen=True)
class SlotPlan:
    """An editorial slot as the tracker holds it, with the state its fulfilment check gave."""

    event: str
    outlet: str
    planned_on: date
    state: str


def instalments(labels: Sequence[Label], slots: Sequence[SlotPlan]) -> dict[str, Any]:
    """Slot instalments that ran (a labelled original of a slot event, in the slot's outlet,
    on a day) and those the tracker counts as fulfilled (a slot planned that day whose state
    is ``fulfilled``), per slot event and in total."""
    outlets: dict[str, set[str]] = {}
    for slot in slots:
        outlets.setdefault(slot.event, set()).add(slot.outlet)
    fulfilled = {(s.event, s.planned_on) for s in slots if s.state == "fulfilled"}
    per_event: dict[str, dict[str, Any]] = {}
    for event, names in sorted(outlets.items()):
        ran = sorted({label.day for label in labels if event in label.events
                      and label.outlet in names and not label.is_reprint and label.day})
        per_event[event] = {
            "planned_slots": sum(1 for s in slots if s.event == event),
            "ran": len(ran), "fulfilled": sum(1 for d in ran if (event, d) in fulfilled),
            "states": sorted(s.state for s in slots if s.event == event),
            "days_ran": [d.isoformat() for d in ran]}
    return {"per_event": per_event,
            "ran": sum(e["ran"] for e in per_event.values()),
            "fulfilled": sum(e["fulfilled"] for e in per_event.values())}


def rest_scores(labels: Sequence[Label], predictions: Sequence[Prediction],
                events: Iterable[str], decided: set[Pair]) -> Scores:
    """Pooled scores over the pairs of these events that the officer did not decide."""
    chosen = set(events)
    gold = {g for g in gold_pairs(labels) if g[0] in chosen} - decided
    predicted = {p for p in predicted_pairs(predictions) if p[0] in chosen} - decided
    return compare(gold, predicted)
