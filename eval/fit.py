"""Fit the coverage scoring model on labelled worlds; report it leave-one-world-out.

    python -m eval.fit --world NAME=INSTANCE_DIR:LABELS_JSON [--world ...] [--write]
                       [--models DIR]

Each world is an instance folder that `make eval --keep` left behind (its SQLite database holds
the world's plan and every fetched article) and the world's labels. For every article in the
events' windows the app's own matcher proposes its candidate events with their features
(`campaign.coverage.engine.Matcher.match`, profiles from the plan alone: no officer decisions);
a pair is positive when the labels say the article reports that event.

Each world is then matched again after a simulated officer decided the first 10 suggestions of
each event from the labels (accepted pieces teach their event's profile, rejected ones its
counter-profile); those pairs, the decided ones left out, are fitted too, so the weights learn
what decisions change.

For each world in turn, a logistic regression is fitted on the OTHER worlds, its thresholds are
chosen on them (suggest: the highest probability that still keeps 95 % of their true pairs;
auto-accept: the lowest that keeps their accepted pairs 98 % precise), and it is scored on the
world left out (with `--models DIR`, each such model is written to DIR/<world>.json, so that
`python -m eval.run --models DIR` runs the whole pipeline — reprints and story suggestions
included — on each world with a model it did not help fit). Then one model is fitted on all
worlds and, with `--write`, written to `campaign/coverage/model.json`. A world never scores
a model it helped fit.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

from campaign import create_app
from campaign.articles.models import Article
from campaign.coverage.engine import ArticleText, Matcher, may_auto_accept, may_keep
from campaign.coverage.matching import (
    LEAD,
    _texts,
    _window_article_ids,
    active_rules,
    plan_text,
)
from campaign.coverage.profiles import PlanText, build_profiles
from campaign.coverage.scoring import FEATURES, MODEL_FILE
from campaign.extensions import db
from campaign.planning.models import Event
from eval.scoring import read_labels, url_key

SUGGEST_RECALL = 0.95
FIRST = 10  # suggestions per event the simulated officer decides, as `make eval` does
ACCEPT_PRECISION = 0.98


@dataclass
class Pairs:
    """The candidate pairs of one world: features, truth, and the positives never proposed;
    `x_fit`/`y_fit` add the pairs seen again after the simulated officer's decisions."""

    world: str
    x: np.ndarray
    y: np.ndarray
    missed: int  # true pairs the matcher never proposed (recall lost before scoring)
    x_fit: np.ndarray
    y_fit: np.ndarray
    acceptable: np.ndarray  # pairs of `x` the app may accept unreviewed (`may_auto_accept`)
    keepable: np.ndarray  # pairs of `x` the app keeps at all (`may_keep`)


def _plans() -> list[PlanText]:
    return [plan_text(e) for e in
            db.session.scalars(db.select(Event).where(Event.status != "cancelled"))]


def world_pairs(name: str, instance: Path, labels_file: Path) -> Pairs:
    """Every candidate pair the matcher proposes on one world, labelled: first from the plan
    alone (what the leave-one-world-out scores use), then again after a simulated officer
    decided each event's first suggestions (so decisions' effects are fitted too)."""
    labels = read_labels(json.loads(labels_file.read_text(encoding="utf-8")))
    truth = {label.url: label.events for label in labels}
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'campaign.db'}",
                      "INSTANCE_PATH": str(instance), "SECRET_KEY": "fit", "TESTING": True})
    with app.app_context():
        rules = active_rules()
        keys = {row.id: row.key for row in db.session.execute(db.select(Event.id, Event.key))}
        urls = {row.id: row.url for row in db.session.execute(db.select(Article.id, Article.url))}
        ids = _window_article_ids(rules)
        texts = [text for start in range(0, len(ids), 500)
                 for text in _texts(ids[start:start + 500])]
        plans = _plans()
        first = _pairs(Matcher(rules, profiles=build_profiles(plans)), texts, keys, urls, truth)
        decided = _officer_decisions(first.results, keys, urls, truth)
        taught = _pairs(Matcher(rules, profiles=build_profiles(_taught(plans, decided, texts))),
                        texts, keys, urls, truth, skip=set(decided))
        stored = {url_key(u) for u in urls.values()}
        gold = {(u, k) for u, found in truth.items() for k in found if u in stored}
        db.engine.dispose()
    return Pairs(name, first.x, first.y, len(gold - first.proposed),
                 np.vstack([first.x, taught.x]) if len(taught.y) else first.x,
                 np.concatenate([first.y, taught.y]), first.acceptable, first.keepable)


@dataclass
class _Proposed:
    x: np.ndarray
    y: np.ndarray
    proposed: set[tuple[str, str]]
    results: list[tuple[int, int, float, bool]]  # (article, event, probability, true)
    acceptable: np.ndarray
    keepable: np.ndarray


def _pairs(matcher: Matcher, texts: list[ArticleText], keys: dict[int, str],
           urls: dict[int, str], truth: dict[str, frozenset[str]], *,
           skip: set[tuple[int, int]] | None = None) -> _Proposed:
    rows: list[list[float]] = []
    ys: list[int] = []
    proposed: set[tuple[str, str]] = set()
    results: list[tuple[int, int, float, bool]] = []
    acceptable: list[bool] = []
    keepable: list[bool] = []
    for text in texts:
        url = url_key(urls[text.article_id])
        for result in matcher.match(text):
            if skip and (text.article_id, result.event_id) in skip:
                continue
            true = keys[result.event_id] in truth.get(url, ())
            rows.append([result.features.get(f, 0.0) for f in FEATURES])
            ys.append(int(true))
            acceptable.append(may_auto_accept(result.explanation))
            keepable.append(may_keep(result.explanation))
            proposed.add((url, keys[result.event_id]))
            results.append((text.article_id, result.event_id, result.score, true))
    return _Proposed(np.array(rows).reshape(-1, len(FEATURES)), np.array(ys, dtype=int),
                     proposed, results, np.array(acceptable, dtype=bool),
                     np.array(keepable, dtype=bool))


def _officer_decisions(results: list[tuple[int, int, float, bool]], keys: dict[int, str],
                       urls: dict[int, str], truth: dict[str, frozenset[str]]
                       ) -> dict[tuple[int, int], bool]:
    """The first FIRST suggestions of each event (highest probability first), decided as the
    labels say: (article, event) -> accepted."""
    by_event: dict[int, list[tuple[float, int, bool]]] = {}
    for article, event, probability, true in results:
        by_event.setdefault(event, []).append((probability, article, true))
    return {(article, event): true for event, found in by_event.items()
            for _p, article, true in sorted(found, reverse=True)[:FIRST]}


def _taught(plans: list[PlanText], decided: dict[tuple[int, int], bool],
            texts: list[ArticleText]) -> list[PlanText]:
    """The plans with the decided pieces' headlines and leads as accepted or rejected."""
    heads = {t.article_id: f"{t.title} {t.body[:LEAD]}" for t in texts}
    accepted: dict[int, list[str]] = {}
    rejected: dict[int, list[str]] = {}
    for (article, event), true in decided.items():
        (accepted if true else rejected).setdefault(event, []).append(heads[article])
    return [replace(plan, accepted=tuple(accepted.get(plan.event_id, ())),
                    rejected=tuple(rejected.get(plan.event_id, ()))) for plan in plans]


def _fit(x: np.ndarray, y: np.ndarray) -> LogisticRegression:
    # C (inverse regularisation) was chosen among 0.3, 1, 3, 10 and 30 by the mean of the
    # leave-one-world-out F1 over every world, never by one world's figure.
    model = LogisticRegression(C=3.0, max_iter=2000)
    model.fit(x, y)
    return model


def _thresholds(p: np.ndarray, y: np.ndarray, acceptable: np.ndarray | None = None
                ) -> tuple[float, float]:
    """(suggest_min, auto_accept) chosen on training pairs."""
    acceptable = np.ones(len(p), dtype=bool) if acceptable is None else acceptable
    positives = np.sort(p[y == 1])
    suggest = float(positives[int((1 - SUGGEST_RECALL) * len(positives))]) if len(positives) \
        else 0.5
    accept = 0.99
    for threshold in np.arange(0.5, 0.995, 0.01):
        taken = (p >= threshold) & acceptable
        if taken.sum() and y[taken].mean() >= ACCEPT_PRECISION:
            accept = float(threshold)
            break
    return round(min(suggest, accept), 3), round(accept, 3)


def _prf(p: np.ndarray, y: np.ndarray, threshold: float, missed: int,
         acceptable: np.ndarray | None = None) -> dict[str, float]:
    taken = p >= threshold
    if acceptable is not None:
        taken &= acceptable
    tp = int((taken & (y == 1)).sum())
    precision = tp / taken.sum() if taken.sum() else 0.0
    recall = tp / (int(y.sum()) + missed) if y.sum() + missed else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3)}


def _kept(model: LogisticRegression, x: np.ndarray, keepable: np.ndarray) -> np.ndarray:
    """The model's probabilities, 0 for the pairs the app never keeps (as the engine does)."""
    return np.where(keepable, model.predict_proba(x)[:, 1], 0.0)


def model_json(model: LogisticRegression, worlds: Sequence[str], suggest: float,
               accept: float) -> dict[str, Any]:
    """A fitted model as `model.json` (and COVERAGE_MODEL_FILE) hold it."""
    return {"note": "fitted by eval/fit.py on: " + ", ".join(worlds),
            "weights": {f: round(float(c), 4) for f, c in zip(FEATURES, model.coef_[0],
                                                              strict=True)},
            "bias": round(float(model.intercept_[0]), 4),
            "auto_accept": accept, "suggest_min": suggest}


def leave_one_out(worlds: Sequence[Pairs], models: Path | None = None) -> dict[str, Any]:
    """Each world scored by a model fitted and thresholded on the others; with `models`, each
    of those models is written there as <world>.json (for `eval.run --models`)."""
    report: dict[str, Any] = {}
    for held in worlds:
        train = [w for w in worlds if w is not held]
        model = _fit(np.vstack([w.x_fit for w in train]), np.concatenate([w.y_fit for w in train]))
        x = np.vstack([w.x for w in train])
        y = np.concatenate([w.y for w in train])
        ok = np.concatenate([w.acceptable for w in train])
        kept = np.concatenate([w.keepable for w in train])
        suggest, accept = _thresholds(_kept(model, x, kept), y, ok)
        p = _kept(model, held.x, held.keepable)
        if models is not None:
            models.mkdir(parents=True, exist_ok=True)
            (models / f"{held.world}.json").write_text(json.dumps(
                model_json(model, [w.world for w in train], suggest, accept),
                ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        report[held.world] = {"fitted_on": [w.world for w in train], "suggest_min": suggest,
                              "auto_accept": accept,
                              "accepted+suggested": _prf(p, held.y, suggest, held.missed),
                              "accepted": _prf(p, held.y, accept, held.missed,
                                               held.acceptable),
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
    parser.add_argument("--models", type=Path, metavar="DIR",
                        help="write each leave-one-world-out model to DIR/<world>.json, for "
                        "`python -m eval.run --models DIR` (the whole pipeline on each world "
                        "with a model that world did not help fit)")
    args = parser.parse_args(argv)
    worlds = [world_pairs(*spec) for spec in args.world]
    for w in worlds:
        sys.stdout.write(f"{w.world}: {len(w.y)} pairs, {int(w.y.sum())} true, {w.missed} "
                         "true pairs never proposed\n")
    if args.models is not None and len(worlds) < 2:
        sys.stderr.write("--models needs at least two worlds (each model is fitted on the "
                         "others)\n")
        return 2
    if len(worlds) > 1:
        report = leave_one_out(worlds, args.models)
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    model = _fit(np.vstack([w.x_fit for w in worlds]), np.concatenate([w.y_fit for w in worlds]))
    x = np.vstack([w.x for w in worlds])
    y = np.concatenate([w.y for w in worlds])
    ok = np.concatenate([w.acceptable for w in worlds])
    kept = np.concatenate([w.keepable for w in worlds])
    suggest, accept = _thresholds(_kept(model, x, kept), y, ok)
    fitted = model_json(model, [w.world for w in worlds], suggest, accept)
    sys.stdout.write(json.dumps(fitted, ensure_ascii=False, indent=1) + "\n")
    if args.write:
        MODEL_FILE.write_text(json.dumps(fitted, ensure_ascii=False, indent=1) + "\n",
                              encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
