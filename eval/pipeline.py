"""The tracker's own commands on a fresh instance: migrate, import the plan and the sources,
fetch over HTTP, match, export. When a step refuses a world's input, the harness does what an
officer could do with the same commands and notes what failed (those are product bugs)."""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from eval.worlds import ROOT, ServedWorld, StepError, run_quiet

FETCH_MIN_DELAY = "0.01"  # the local server is ours: politeness would only slow the run
WINDOW_AFTER = timedelta(days=7)  # follow-ups are fetched a week past the last event
CREATE_OUTLETS = "--create-outlets"
OUTSIDE_PERIOD = "活动期间"
MAX_REPAIRS = 12


@dataclass
class Instance:
    """One instance folder (SQLite, or a PostgreSQL database) and what went wrong on it."""

    folder: Path
    tracker: Path
    base_url: str
    database_url: str | None = None
    model_file: Path | None = None  # COVERAGE_MODEL_FILE: a model this world did not help fit
    problems: list[str] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        """The environment every command of this instance runs with."""
        env = os.environ | {
            "CAMPAIGN_INSTANCE": str(self.folder),
            "SOURCE_ALLOW_HOSTS": f"127.0.0.1:{urlsplit(self.base_url).port or 80}",
            "FETCH_MIN_DELAY": FETCH_MIN_DELAY, "DEMO_SITE_URL": self.base_url,
            "PYTHONPATH": str(ROOT), "FLASK_DEBUG": "0"}
        env.pop("DATABASE_URL", None)
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        env.pop("COVERAGE_MODEL_FILE", None)
        if self.model_file:
            env["COVERAGE_MODEL_FILE"] = str(self.model_file)
        return env

    def run(self, *args: str | Path, timeout: float = 1800) -> str:
        """Run ``campaign-tracker ARGS`` on this instance; its standard output."""
        return run_quiet([self.tracker, *args], env=self.env(), timeout=timeout)

    def python(self, *args: str | Path) -> Any:
        """Run ``python -m eval.officer ARGS`` on this instance; its JSON answer."""
        return json.loads(run_quiet([sys.executable, "-m", "eval.officer", *args],
                                    env=self.env(), cwd=ROOT))


def load_world(instance: Instance, world: ServedWorld) -> str:
    """Migrate, then load the world's plan and sources; the campaign's slug."""
    instance.run("db", "upgrade")
    if world.campaign_file is None:
        from campaign.planning.demo import DEMO_SLUG

        instance.run("demo")
        return DEMO_SLUG
    assert world.sources_file is not None
    instance.run("import-sources", world.sources_file)
    import_plan(instance, world.campaign_file)
    return str(json.loads(world.campaign_file.read_text(encoding="utf-8"))["slug"])


def import_plan(instance: Instance, campaign_file: Path) -> None:
    """``import-campaign``; on a refusal, repair as an officer would and try again.

    Outlets missing from the directory: the officer first loads the province's outlet directory,
    then imports with ``--create-outlets`` for those still missing (the one flag the importer's
    message names). Events outside the campaign's period: the period is widened.
    """
    path, flags, loaded_directory = campaign_file, [], False
    for _attempt in range(MAX_REPAIRS):
        try:
            instance.run("import-campaign", path, *flags)
        except StepError as error:
            message = error.output.splitlines()[-1] if error.output else str(error)
            instance.problems.append(f"import-campaign refused {path.name}: {message}")
            if CREATE_OUTLETS in error.output and not loaded_directory:
                instance.run("load-outlets")
                instance.problems.append("  officer's repair: campaign-tracker load-outlets")
                loaded_directory = True
            elif CREATE_OUTLETS in error.output and CREATE_OUTLETS not in flags:
                flags.append(CREATE_OUTLETS)
                instance.problems.append(f"  officer's repair: import-campaign {CREATE_OUTLETS}")
            elif OUTSIDE_PERIOD in error.output:
                path = _widen_period(path, instance.folder / "campaign.officer.json")
                instance.problems.append("  officer's repair: the campaign's period widened "
                                         f"to hold every event ({path})")
            else:
                raise
        else:
            return
    raise StepError("import-campaign", 1, "\n".join(instance.problems))


def _event_days(event: dict[str, Any]) -> list[date]:
    return [date.fromisoformat(str(event[key])[:10]) for key in ("starts_at", "ends_at")
            if event.get(key)]


def _widen_period(source: Path, target: Path) -> Path:
    plan = json.loads(source.read_text(encoding="utf-8"))
    days = [d for event in plan.get("events", []) for d in _event_days(event)]
    if days:
        first = min([date.fromisoformat(plan["starts_on"]), *days])
        plan["starts_on"] = first.isoformat()
        plan["ends_on"] = max([date.fromisoformat(plan["ends_on"]), *days]).isoformat()
        planning = plan.get("planning_starts_on")
        if planning and date.fromisoformat(planning) > first:
            plan["planning_starts_on"] = first.isoformat()
    target.write_text(json.dumps(plan, ensure_ascii=False, indent=1), encoding="utf-8")
    return target


def fetch_window(plan: dict[str, Any]) -> tuple[date, date]:
    """The days to fetch: from the start of planning to a week after the last event."""
    days = [d for event in plan.get("events", []) for d in _event_days(event)]
    first = date.fromisoformat(plan.get("planning_starts_on") or plan["starts_on"])
    last = max([date.fromisoformat(plan["ends_on"]), *days])
    return min([first, *days]), last + WINDOW_AFTER


def fetch_and_match(instance: Instance, slug: str) -> dict[str, Any]:
    """Fetch every source over the campaign's window, then match; what the fetch reported."""
    plan = json.loads(instance.run("export-campaign", slug))
    since, until = fetch_window(plan)
    output = instance.run("fetch", "--all", "--since", since.isoformat(),
                          "--until", until.isoformat())
    sources = [line.strip() for line in output.splitlines() if line.startswith(" ")]
    for line in sources:
        if " ok " not in line or re.search(r"new\s+0\s", line):
            instance.problems.append(f"fetch: {' '.join(line.split())}")
    instance.run("match", "--campaign", slug)
    # The fetch's summary line ("N sources, M new articles"; a media pass may report after it).
    summary = next((line.strip() for line in reversed(output.splitlines())
                    if re.match(r"\d+ sources?,", line.strip())), "")
    return {"since": since.isoformat(), "until": until.isoformat(), "sources": sources,
            "summary": summary, "plan": plan}


def export(instance: Instance, slug: str, path: Path) -> list[dict[str, Any]]:
    """The clipping list as ``export-clippings --format json`` writes it (every status)."""
    instance.run("export-clippings", "--campaign", slug, "--format", "json", "-o", path)
    rows: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return rows


def external_score(script: Path, labels: Path, export_file: Path, out: Path) -> dict[str, Any]:
    """The world's own scorer on an export: its per-article and accepted-only figures."""
    run_quiet([sys.executable, script, "--labels", labels, "--export", export_file,
               "--json", out], cwd=script.parent)
    matching = json.loads(out.read_text(encoding="utf-8")).get("matching", {})
    return {key: {k: matching[key][k] for k in ("tp", "fp", "fn", "precision", "recall", "f1")
                  if k in matching[key]}
            for key in ("per_article", "per_story", "accepted_only") if key in matching}
