"""The table printed for one world's results (the JSON file holds the same figures)."""

from __future__ import annotations

from typing import Any


def _prf(s: dict[str, Any]) -> str:
    return (f"P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}"
            f"   (tp {s['tp']} fp {s['fp']} fn {s['fn']})")


def _events(result: dict[str, Any]) -> list[str]:
    matched, accepted = result["matched"]["per_event"], result["accepted_only"]["per_event"]
    lines = [(f"  {'event':<22}{'gold':>5}{'tp':>4}{'fp':>4}{'fn':>4}   P      R      F1"
             f"     | accepted only P/R/F1")]
    for key, s in matched.items():
        a = accepted[key]
        lines.append(f"  {key:<22}{s['tp'] + s['fn']:>5}{s['tp']:>4}{s['fp']:>4}{s['fn']:>4}"
                     f"   {s['precision']:.3f}  {s['recall']:.3f}  {s['f1']:.3f}"
                     f"  | {a['precision']:.3f} {a['recall']:.3f} {a['f1']:.3f}")
    return lines


def _world_scorer(result: dict[str, Any]) -> list[str]:
    theirs = result.get("world_scorer")
    if not theirs:
        return []
    lines = []
    for mine_key, their_key in (("matched", "per_article"), ("accepted_only", "accepted_only")):
        if their_key not in theirs:
            continue
        mine, other = result[mine_key]["pooled"], theirs[their_key]
        agree = all(mine[k] == other[k] for k in ("tp", "fp", "fn"))
        lines.append(f"  score.py {their_key:<13} {_prf(other)}   "
                     f"{'agrees' if agree else 'DISAGREES'} with ours")
    if "per_story" in theirs:
        lines.append(f"  score.py per_story     {_prf(theirs['per_story'])}")
    return lines


def _slots(result: dict[str, Any]) -> list[str]:
    inst = result["slot_instalments"]
    lines = [(f"  slot instalments: {inst['ran']} ran, {inst['fulfilled']} fulfilled "
             "by the tracker's slot check")]
    for key, e in inst["per_event"].items():
        lines.append(f"    {key:<20} planned slots {e['planned_slots']} "
                     f"({', '.join(e['states'])}), ran {e['ran']}, fulfilled {e['fulfilled']}")
    return lines


def _officer(result: dict[str, Any]) -> list[str]:
    o = result["officer"]
    d = o["decisions"]
    lines = [(f"  simulated officer: first {o['first']} suggestions of each event decided "
              f"(accepted {d['accepted']}, rejected {d['rejected']}, moved {d['moved']})")]
    if not o["rest_events"]:
        return [*lines, (f"    the rest: none (no event had more than {o['first']} "
                        "suggestions, so every suggestion was decided)")]
    return [*lines,
            (f"    the rest ({len(o['rest_events'])} events with more than {o['first']} "
             f"suggestions: {', '.join(o['rest_events'])})"),
            f"    before the decisions: {_prf(o['rest_before'])}",
            f"    after, re-matched:    {_prf(o['rest_after'])}"]


def table(result: dict[str, Any]) -> str:
    """One world's figures as text."""
    head = f"== {result['world']}"
    if "failed" in result:
        return "\n".join([head + "  FAILED: " + result["failed"], *result.get("problems", [])])
    fetch, hard, effort = result["fetch"], result["hard_negatives"], result["review_effort"]
    lines = [(f"{head}  (campaign {result['campaign']}; {result['labelled_articles']} labelled "
             f"articles, {result['labelled_positives']} event positives; fetched "
             f"{fetch['since']} … {fetch['until']}: {fetch['summary']})"),
             f"  scoring model: {result.get('model', 'campaign/coverage/model.json')}",
             f"  accepted + suggested  {_prf(result['matched']['pooled'])}",
             f"  accepted only         {_prf(result['accepted_only']['pooled'])}",
             *_world_scorer(result), *_events(result), *_slots(result),
             (f"  hard negatives: {hard['accepted']} accepted, {hard['suggested']} suggested "
             f"(of {hard['labelled']} labelled)"),
             (f"  review effort: {effort['suggested']} suggestions, {effort['true_suggested']} "
             f"true: {effort['per_true_match']} to look at per true match"),
             *_officer(result)]
    if result.get("problems"):
        lines += ["  problems (product bugs for other issues):",
                  *(f"    {p}" for p in result["problems"])]
    return "\n".join(lines)
