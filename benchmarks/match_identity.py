"""Whether the matching engine still gives exactly the results of a git ref's engine.

The inputs — bench_match's generated rules and articles (200 events, and 2,000 for the second
half of that benchmark), plus, for each `--instance` folder (`python -m eval.run --keep` leaves
them), its active rules, their profiles and the texts of the articles in their windows — are
pickled once. Then the ref's `campaign` package (`git archive`) and this checkout's each match
them in a child process of their own, under the same hash seeds (a set's order, and so a float
sum's last bit, follows the seed), and every article's results are compared: event ids, scores,
features and explanations, exactly. Any difference is printed; the exit status is 1 then.

    .venv/bin/python benchmarks/match_identity.py [--ref main] [--articles 3000] \\
        [--instance DIR ...]
"""

from __future__ import annotations

import argparse
import os
import pickle
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ("0", "1")

Results = dict[tuple[str, int], list[tuple[Any, ...]]]


def bench_cases(articles: int) -> list[tuple[str, list[Any], dict[int, Any] | None, list[Any]]]:
    """bench_match's data: its 200-event pass and its 20/2,000-event passes."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench_match as bench

    rng = random.Random(2006)
    rules = bench.make_rules(rng, 200)
    cases = [("bench-200", rules, None, bench.make_articles(rng, articles, rules))]
    for count in (20, 2000):
        rules_n = bench.make_rules(random.Random(count), count)
        sample = bench.make_articles(random.Random(1), max(500, articles // 4), rules_n)
        cases.append((f"bench-{count}", rules_n, None, sample))
    return cases


# A small alphabet, so terms, bigrams and keywords hit often: simplified and traditional
# characters, a character outside the BMP (two UTF-16 units), Latin letters, digits, punctuation.
# 你丁 holds the bytes of ŏ astride its two characters (UTF-16): a scan must not find it there.
ALPHABET = "工会职工劳模動員大会宣传月省市北京全国𠀀𠮷AbC1２，。 “”的了ŏ你丁"


def _text(rng: random.Random, size: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(size))


def _query(rng: random.Random) -> Any:
    from campaign.coverage.query import And, Not, Or, Term

    words = [Term(_text(rng, rng.choice((1, 2, 2, 3)))) for _ in range(rng.randint(1, 4))]
    shape = rng.randrange(4)
    if shape == 0:
        return words[0]
    if shape == 1:
        return Or(tuple(words))
    if shape == 2:
        return And((Or(tuple(words)), Not(Term(_text(rng, 2)))))
    return And(tuple(words[:2]))


def edge_case() -> tuple[str, list[Any], dict[int, Any] | None, list[Any]]:
    """Edge cases the generated benchmark never meets: NOT, AND, one-character terms and
    texts, keywords across the headline's end, short and empty bodies, characters outside the
    BMP, plan profiles larger than a body (with accepted and rejected pieces), slots, outlets."""
    from datetime import date, timedelta

    from campaign.coverage.engine import ArticleText, EventRule, SlotRule
    from campaign.coverage.profiles import PlanText, build_profiles

    rng = random.Random(14)
    start = date(2011, 5, 1)
    rules, plans = [], []
    for event_id in range(60):
        day = start + timedelta(days=rng.randrange(10))
        slot = SlotRule(rng.randint(1, 3), day, rng.choice(("", "社论")), rng.choice((None, 1)))
        slots = ((slot,)
                 if rng.random() < 0.2 else ())
        rules.append(EventRule(event_id, _query(rng), day - timedelta(days=2),
                               day + timedelta(days=6), day, use_synonyms=rng.random() < 0.5,
                               outlet_ids=frozenset({1, 2}) if rng.random() < 0.2 else None,
                               invited=frozenset({rng.randint(1, 3)}), slots=slots,
                               strict=rng.random() < 0.3))
        if event_id % 2:
            plans.append(PlanText(
                event_id, event_id % 3, _text(rng, 8), tuple(_text(rng, rng.randint(1, 4))
                                                             for _ in range(rng.randint(0, 3))),
                _text(rng, 4), _text(rng, rng.choice((10, 400))), _text(rng, 30),
                accepted=tuple(_text(rng, 40) for _ in range(rng.randint(0, 2))),
                rejected=tuple(_text(rng, 40) for _ in range(rng.randint(0, 2))),
                outlets=(("北京日报", "河北工人报", "")[event_id % 3],)))
    texts = [ArticleText(i, _text(rng, rng.choice((0, 1, 6, 20))),
                         _text(rng, rng.choice((0, 1, 3, 50, 150, 900))),
                         start + timedelta(days=rng.randrange(14)), rng.randint(1, 3),
                         rng.choice((None, 1, 2)), rng.choice(("", "社论")))
             for i in range(1500)]
    return ("edge", rules, build_profiles(plans), texts)


def instance_case(folder: Path) -> tuple[str, list[Any], dict[int, Any] | None, list[Any]]:
    """A kept eval instance: its active rules, their profiles, the texts in their windows."""
    from campaign import create_app
    from campaign.coverage.matching import (
        _texts,
        _window_article_ids,
        active_rules,
        profiles_for,
    )
    from campaign.extensions import db

    database = next(folder.rglob("campaign.db"), None)
    uri = os.environ.get("IDENTITY_DATABASE_URL") or f"sqlite:///{database}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "INSTANCE_PATH": str(folder),
                      "SECRET_KEY": "identity", "TESTING": True})
    with app.app_context():
        rules = active_rules()
        profiles = profiles_for([rule.event_id for rule in rules])
        texts = _texts(_window_article_ids(rules))
        db.engine.dispose()
    return (folder.name, rules, profiles, texts)


def worker(inputs: Path, output: Path) -> None:
    """Match every case's articles with whichever `campaign` package is on the path."""
    from campaign.coverage.engine import Matcher

    results: Results = {}
    for name, rules, profiles, texts in pickle.loads(inputs.read_bytes()):
        matcher = Matcher(rules, profiles=profiles)
        for text in texts:
            results[(name, text.article_id)] = sorted(
                (r.event_id, r.score, r.features, r.explanation.as_dict())
                for r in matcher.match(text))
    output.write_bytes(pickle.dumps(results))


def run(tree: Path, inputs: Path, output: Path, seed: str) -> Results:
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONHASHSEED": seed}
    subprocess.run([sys.executable, __file__, "--worker", str(inputs), str(output)],
                   env=env, check=True)
    results: Results = pickle.loads(output.read_bytes())
    return results


def tally(results: Results, case: str) -> str:
    lists = [found for (name, _article), found in results.items() if name == case]
    return f"{len(lists)} articles, {sum(map(len, lists))} pairs"


def differences(old: Results, new: Results) -> list[str]:
    found = []
    for key in sorted(old.keys() | new.keys()):
        if old.get(key) != new.get(key):
            found.append(f"{key}: ref {old.get(key)!r}\n    now {new.get(key)!r}")
    return found


def old_tree(ref: str, into: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "campaign"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ref", default="main")
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--instance", action="append", type=Path, default=[])
    parser.add_argument("--worker", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return 0
    with tempfile.TemporaryDirectory(prefix="match-identity-") as temp:
        work = Path(temp)
        cases = [*bench_cases(args.articles), edge_case(),
                 *(instance_case(f) for f in args.instance)]
        inputs = work / "inputs.pkl"
        inputs.write_bytes(pickle.dumps(cases))
        old = old_tree(args.ref, work)
        found: list[str] = []
        for seed in SEEDS:
            before = run(old, inputs, work / "old.pkl", seed)
            after = run(ROOT, inputs, work / "new.pkl", seed)
            found += [f"seed {seed} {line}" for line in differences(before, after)]
            for name in (case[0] for case in cases):
                print(f"hash seed {seed}, {name}: {tally(before, name)} from {args.ref}, "
                      f"{tally(after, name)} now")
    for line in found[:20]:
        print(line)
    names = ", ".join(case[0] for case in cases)
    print(f"{len(found)} articles differ ({names})" if found
          else f"identical to {args.ref} ({names})")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
