"""``make eval``: the whole pipeline on every labelled world, scored against its labels.

    python -m eval.run [--world NAME ...] [--keep] [--database-url URL] [--worlds-dir DIR ...]
                       [--models DIR]

For each world (the demo, and every folder with a generate.py and a serve.py: eval/worlds/,
../shared/worlds/): generate and serve it with its own scripts, run the tracker's own commands
on a fresh instance (db upgrade, import-sources, import-campaign or demo, fetch, match,
export-clippings), score the export, read slot fulfilment through the app, run the world's own
score.py when it has one, then let a simulated officer decide the first suggestions of each
event and score the rest before and after a re-match. Prints a table per world and writes
eval/results/<world>.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from eval import report
from eval.pipeline import Instance, export, external_score, fetch_and_match, load_world
from eval.scoring import (
    Label,
    Prediction,
    SlotPlan,
    hard_negatives_taken,
    instalments,
    read_labels,
    read_predictions,
    rest_scores,
    review_effort,
    score,
)
from eval.worlds import (
    DEFAULT_WORLD_DIRS,
    ROOT,
    ServedWorld,
    StepError,
    World,
    discover,
    served,
)

RESULTS = ROOT / "eval" / "results"
OFFICER = "eval-officer"


def tracker_command() -> Path:
    """The campaign-tracker script of the Python running this harness."""
    script = Path(sys.executable).parent / "campaign-tracker"
    if not script.exists():
        raise SystemExit(f"{script} not found: install the project (make install)")
    return script


@contextlib.contextmanager
def database(url: str | None, name: str, *, keep: bool) -> Iterator[str | None]:
    """A fresh PostgreSQL database for one world (None: SQLite in the instance folder)."""
    if not url:
        yield None
        return
    import psycopg

    admin = url.replace("postgresql+psycopg://", "postgresql://", 1)
    db_name = "eval_" + re.sub(r"\W", "_", name).lower()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db_name}"')
        conn.execute(f'CREATE DATABASE "{db_name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + db_name
    finally:
        if not keep:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


def evaluate(served_world: ServedWorld, instance: Instance, first: int,
             clippings: bool = False) -> dict[str, Any]:
    """Every figure of one world (see the module's docstring)."""
    slug = load_world(instance, served_world)
    fetched = fetch_and_match(instance, slug)
    if clippings:
        return check_clippings(served_world, instance, slug)
    plan = fetched.pop("plan")
    events = [str(e["key"]) for e in plan.get("events", [])]
    labels = read_labels(served_world.labels)
    before_file = instance.folder / "export.json"
    before = read_predictions(export(instance, slug, before_file))
    slots = [SlotPlan(s["event"], s["outlet"], date.fromisoformat(s["planned_on"]), s["state"])
             for s in instance.python("slots", "--campaign", slug)]
    result: dict[str, Any] = {
        "world": served_world.world.name, "campaign": slug, "fetch": fetched,
        "labelled_articles": len(labels),
        "labelled_positives": sum(len(label.events) for label in labels),
        "matched": score(labels, before, events).as_dict(),
        "accepted_only": score(labels, before, events, ("accepted",)).as_dict(),
        "hard_negatives": hard_negatives_taken(labels, before),
        "review_effort": review_effort(labels, before),
        "slot_instalments": instalments(labels, slots),
        "slots": [s | {"planned_on": str(s["planned_on"])} for s in map(vars, slots)],
    }
    if served_world.score_script:
        result["world_scorer"] = external_score(
            served_world.score_script, served_world.labels_file, before_file,
            instance.folder / "score.json")
    result["officer"] = simulate_officer(instance, slug, served_world, labels=labels,
                                         before=before, first=first)
    result["problems"] = instance.problems
    return result


def check_clippings(served_world: ServedWorld, instance: Instance, slug: str
                    ) -> dict[str, Any]:
    """Keep the media of what was matched (`campaign-tracker media`), then compare each
    accepted e-paper piece's crop box with its image-map areas (eval/clippings.py)."""
    instance.run("media", "--limit", "100000")
    found = instance.python("clippings", "--campaign", slug,
                            "--labels", served_world.labels_file)
    return {"world": served_world.world.name, "campaign": slug, "clippings": found,
            "problems": instance.problems}


def simulate_officer(instance: Instance, slug: str, served_world: ServedWorld, *,
                     labels: Sequence[Label], before: Sequence[Prediction], first: int
                     ) -> dict[str, Any]:
    """Decide the first suggestions of every event from the labels, re-match, and score the
    undecided rest of the events that had more suggestions than that, before and after."""
    instance.run("create-user", OFFICER, "--role", "officer", "--password", "eval-only-pass-1")
    decided = instance.python("decide", "--campaign", slug, "--labels", served_world.labels_file,
                              "--user", OFFICER, "--first", str(first))
    instance.run("match", "--campaign", slug)
    after = read_predictions(export(instance, slug, instance.folder / "export.after.json"))
    rest = sorted(k for k, n in decided["suggestions"].items() if n > first)
    pairs = {(e, u) for e, u in decided["decided"]}
    return {"first": first, "decisions": decided["decisions"],
            "suggestions": decided["suggestions"], "rest_events": rest,
            # No event with more suggestions than that: there is no rest to score.
            "rest_before": rest_scores(labels, before, rest, pairs).as_dict() if rest else None,
            "rest_after": rest_scores(labels, after, rest, pairs).as_dict() if rest else None}


def run_world(world: World, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """Serve one world, evaluate it on a fresh instance, write its results file."""
    folder = workdir / f"instance-{world.name}"
    folder.mkdir(parents=True)
    instance = Instance(folder, tracker_command(), "")
    if args.models is not None:
        model = args.models / f"{world.name}.json"
        if not model.is_file():
            result = {"world": world.name, "failed": f"no model for it in {args.models} "
                      "(python -m eval.fit --models DIR writes one per world it left out)"}
            args.results.mkdir(parents=True, exist_ok=True)
            (args.results / f"{world.name}.json").write_text(
                json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            return result
        instance.model_file = model.resolve()
    try:
        with served(world, workdir, instance.tracker) as served_world, \
                database(args.database_url, world.name, keep=args.keep) as url:
            instance.base_url, instance.database_url = served_world.base_url, url
            result = evaluate(served_world, instance, args.first, args.clippings)
    except (StepError, OSError, ValueError, KeyError, subprocess.TimeoutExpired) as error:
        # One world that cannot be evaluated must not hide the others' figures.
        result = {"world": world.name, "failed": str(error), "problems": instance.problems}
    result["instance"] = str(folder) if args.keep else None
    if instance.model_file:
        try:
            note = json.loads(instance.model_file.read_text(encoding="utf-8")).get("note", "")
        except (OSError, ValueError, AttributeError):
            note = "unreadable"  # (the tracker's own start-up said why, in "failed")
        result["model"] = f"{instance.model_file} ({note})"
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / f"{world.name}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return result


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m eval.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--world", action="append", default=[], metavar="NAME",
                        help="only this world (repeatable)")
    parser.add_argument("--keep", action="store_true", help="keep the instance folders")
    parser.add_argument("--database-url", help="a PostgreSQL server to use instead of SQLite "
                        "(a fresh database per world, dropped afterwards unless --keep)")
    parser.add_argument("--worlds-dir", action="append", type=Path, metavar="DIR",
                        help="look for worlds here (repeatable; default: eval/worlds and "
                        "../shared/worlds)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where the JSON goes")
    parser.add_argument("--clippings", action="store_true",
                        help="only check the clippings: after fetching and matching, keep the "
                        "media and compare each accepted e-paper piece's crop box with its "
                        "image-map areas (within 2 %% of the page size)")
    parser.add_argument("--models", type=Path, metavar="DIR",
                        help="score each world with DIR/<world>.json (COVERAGE_MODEL_FILE), "
                        "a model fitted on the other worlds by `python -m eval.fit --models DIR`")
    parser.add_argument("--first", type=int, default=10,
                        help="suggestions per event the simulated officer decides")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Evaluate the chosen worlds; exit 1 if one of them could not be evaluated."""
    args = parse_args(argv)
    worlds = discover(args.worlds_dir or DEFAULT_WORLD_DIRS)
    if args.world:
        unknown = set(args.world) - {w.name for w in worlds}
        if unknown:
            raise SystemExit(f"unknown world(s): {', '.join(sorted(unknown))}; "
                             f"known: {', '.join(w.name for w in worlds)}")
        worlds = [w for w in worlds if w.name in args.world]
    workdir = Path(tempfile.mkdtemp(prefix="campaign-eval-"))
    failed = False
    try:
        for world in worlds:
            result = run_world(world, args, workdir)
            shown = (json.dumps(result, ensure_ascii=False, indent=1) if args.clippings
                     else report.table(result))
            sys.stdout.write(shown + "\n")
            sys.stdout.flush()
            failed |= "failed" in result
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            sys.stdout.write(f"instances kept under {workdir}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
