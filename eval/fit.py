"""Fit the coverage scoring model on labelled worlds; report it leave-one-world-out.

    python -m eval.fit --world NAME=INSTANCE_DIR:LABELS_JSON [--world ...] [--write]

Each world is an instance folder that `make eval --keep` left behind (its SQLite database holds
the world's plan and every fetched article) and the world's labels. For every article in the
events' windows the app's own matcher proposes its candidate events with their features
(`campaign.coverage.engine.Matcher.match`, profiles from the plan alone: no officer decisions);
a pair is positive when the labels say the article reports that event.

For each world in turn, a logistic regression is fitted on the OTHER worlds, its thresholds are
chosen on them (suggest: the highest probability that still keeps 95 % of their true pairs;
auto-accept: the lowest that keeps their accepted pairs 98 % precise), and it is scored on the
world left out. Then one model is fitted on all worlds and, with `--write`, written to
`campaign/coverage/model.json`. A world never scores a model it helped fit.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

from campaign import create_app
from campaign.articles.models import Article
from campaign.coverage.engine import Matcher
from campaign.coverage.matching import _texts, _window_article_ids, active_rules
from campaign.coverage.profiles import PlanText, build_profiles
from campaign.coverage.scoring import FEATURES, MODEL_FILE
from campaign.extensions import db
from campaign.planning.models import Event
from eval.scoring import read_labels, url_key

SUGGEST_RECALL = 0.95
ACCEPT_PRECISION = 0.98


@dataclass
class Pairs:
    """The candidate pairs of one world: features, truth, and the positives never proposed."""

    world: str
    x: np.ndarray
    y: np.ndarray
    articles: list[int]
    missed: int  # true pairs the matcher never proposed (recall lost before scoring)


def _plans() -> list[PlanText]:
    return [PlanText(event_id=e.id, group=e.campaign_id, title=e.title,
                     keywords=tuple(e.keyword_list), venue=e.venue or "",
                     description=e.description or "", key_messages=e.key_messages or "",
                     outlets=tuple(o.name for o in (*e.invited_outlets,
                                                    *(s.outlet for s in e.slots))))
            for e in db.session.scalars(db.select(Event))]


def world_pairs(name: str, instance: Path, labels_file: Path) -> Pairs:
    """Every candidate pair the matcher proposes on one world, labelled."""
    labels = read_labels(json.loads(labels_file.read_text(encoding="utf-8")))
    truth = {label.url: label.events for label in labels}
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'campaign.db'}",
                      "INSTANCE_PATH": str(instance), "SECRET_KEY": "fit", "TESTING": True})
    rows: list[list[float]] = []
    ys: list[int] = []
    articles: list[int] = []
    with app.app_context():
        rules = active_rules()
        matcher = Matcher(rules, profiles=build_profiles(_plans()))
        keys = {row.id: row.key for row in db.session.execute(db.select(Event.id, Event.key))}
        urls = {row.id: row.url for row in db.session.execute(db.select(Article.id, Article.url))}
        proposed: set[tuple[str, str]] = set()
        for start in range(0, len(ids := _window_article_ids(rules)), 500):
            for text in _texts(ids[start:start + 500]):
                url = url_key(urls[text.article_id])
                for result in matcher.match(text):
                    key = keys[result.event_id]
                    rows.append([result.features.get(f, 0.0) for f in FEATURES])
                    ys.append(int(key in truth.get(url, ())))
                    articles.append(text.article_id)
                    proposed.add((url, key))
        stored = {url_key(u) for u in urls.values()}
        gold = {(u, k) for u, keys in truth.items() for k in keys if u in stored}
        db.engine.dispose()
    return Pairs(name, np.array(rows), np.array(ys), articles, len(gold - proposed))


def _fit(x: np.ndarray, y: np.ndarray) -> LogisticRegression:
    # C (inverse regularisation) was chosen among 0.3, 1, 3, 10 and 30 by the mean of the
    # leave-one-world-out F1 over every world, never by one world's figure.
    model = LogisticRegression(C=3.0, max_iter=2000)
    model.fit(x, y)
    return model


def _thresholds(p: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(suggest_min, auto_accept) chosen on training pairs."""
    positives = np.sort(p[y == 1])
    suggest = float(positives[int((1 - SUGGEST_RECALL) * len(positives))]) if len(positives) \
        else 0.5
    accept = 0.99
    for threshold in np.arange(0.5, 0.995, 0.01):
        taken = p >= threshold
        if taken.sum() and y[taken].mean() >= ACCEPT_PRECISION:
            accept = float(threshold)
            break
    return round(min(suggest, accept), 3), round(accept, 3)


def _prf(p: np.ndarray, y: np.ndarray, threshold: float, missed: int) -> dict[str, float]:
    taken = p >= threshold
    tp = int((taken & (y == 1)).sum())
    precision = tp / taken.sum() if taken.sum() else 0.0
    recall = tp / (int(y.sum()) + missed) if y.sum() + missed else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3)}


def leave_one_out(worlds: Sequence[Pairs]) -> dict[str, Any]:
    """Each world scored by a model fitted and thresholded on the others."""
    report: dict[str, Any] = {}
    for held in worlds:
        train = [w for w in worlds if w is not held]
        x = np.vstack([w.x for w in train])
        y = np.concatenate([w.y for w in train])
        model = _fit(x, y)
        suggest, accept = _thresholds(model.predict_proba(x)[:, 1], y)
        p = model.predict_proba(held.x)[:, 1]
        report[held.world] = {"fitted_on": [w.world for w in train], "suggest_min": suggest,
                              "auto_accept": accept,
                              "accepted+suggested": _prf(p, held.y, suggest, held.missed),
                              "accepted": _prf(p, held.y, accept, held.missed),
                              "never_proposed": held.missed}
    return report


def parse_world(spec: str) -> tuple[str, Path, Path]:
    """NAME=INSTANCE_DIR:LABELS_JSON."""
    name, _, rest = spec.partition("=")
    instance, _, labels = rest.partition(":")
    return name, Path(instance), Path(labels)


def main(argv: Sequence[str] | None = None) -> int:
    """Fit, report leave-one-world-out, and write the model fitted on all worlds if asked."""
    parser = argparse.ArgumentParser(prog="python -m eval.fit", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--world", action="append", required=True, type=parse_world)
    parser.add_argument("--write", action="store_true", help=f"write {MODEL_FILE}")
    args = parser.parse_args(argv)
    worlds = [world_pairs(*spec) for spec in args.world]
    for w in worlds:
        sys.stdout.write(f"{w.world}: {len(w.y)} pairs, {int(w.y.sum())} true, {w.missed} "
                         "true pairs never proposed\n")
    if len(worlds) > 1:
        sys.stdout.write(json.dumps(leave_one_out(worlds), ensure_ascii=False, indent=1) + "\n")
    x = np.vstack([w.x for w in worlds])
    y = np.concatenate([w.y for w in worlds])
    model = _fit(x, y)
    suggest, accept = _thresholds(model.predict_proba(x)[:, 1], y)
    fitted = {"note": "fitted by eval/fit.py on: " + ", ".join(w.world for w in worlds),
              "weights": {f: round(float(c), 4) for f, c in zip(FEATURES, model.coef_[0],
                                                                strict=True)},
              "bias": round(float(model.intercept_[0]), 4),
              "auto_accept": accept, "suggest_min": suggest}
    sys.stdout.write(json.dumps(fitted, ensure_ascii=False, indent=1) + "\n")
    if args.write:
        MODEL_FILE.write_text(json.dumps(fitted, ensure_ascii=False, indent=1) + "\n",
                              encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
