"""The evaluation's two steps that need the application itself (there is no command for them):
reading each editorial slot's fulfilment, and a simulated officer who decides the first
suggestions of every event from the labels through the coverage review operations.

Run in a subprocess with the world's instance in the environment (CAMPAIGN_INSTANCE, and
DATABASE_URL for PostgreSQL); it prints JSON on standard output:

    python -m eval.officer slots  --campaign SLUG
    python -m eval.officer decide --campaign SLUG --labels labels.json --user NAME [--first 10]
    python -m eval.officer clippings --campaign SLUG --labels labels.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import select

from eval.scoring import Label, read_labels, url_key

FIRST = 10


def slot_states_of(slug: str) -> list[dict[str, Any]]:
    """Every editorial slot of the campaign with the state the tracker's fulfilment check
    gives it today (all of a past world's slots are past)."""
    from campaign.core.times import local_today
    from campaign.coverage.stats import slot_states
    from campaign.planning.operations import get_campaign

    campaign = _campaign(slug, get_campaign)
    return [{"event": event.key, "outlet": state.slot.outlet.name,
             # an instalment's own day (a column has several), else the slot's planned day
             "planned_on": (state.day or state.slot.planned_on).isoformat(),
             "state": state.state,
             "reasons": state.reasons}
            for event in campaign.events for state in slot_states(event, local_today())]


def _campaign(slug: str, get_campaign: Any) -> Any:
    campaign = get_campaign(slug)
    if campaign is None:
        raise SystemExit(f"no campaign {slug!r} in this instance")
    return campaign


def decide_first(slug: str, labels: list[Label], username: str, first: int = FIRST
                 ) -> dict[str, Any]:
    """Decide the first `first` suggestions of each event (in the review page's order) as the
    labels say: accept a true one, move a false one to the event it covers, reject the rest.
    Commits; returns the decided (event, URL) pairs and the suggestion count of each event."""
    from campaign.auth.models import User
    from campaign.coverage.matching import decide, move
    from campaign.coverage.review import event_matches
    from campaign.extensions import db
    from campaign.planning.operations import get_campaign

    campaign = _campaign(slug, get_campaign)
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise SystemExit(f"no user {username!r}")
    events = {event.key: event for event in campaign.events}
    truth = {label.url: label.events for label in labels}
    queues = {key: event_matches(event)["suggested"] for key, event in events.items()}
    decided: set[tuple[str, str]] = set()
    counts = {"accepted": 0, "rejected": 0, "moved": 0}
    for key, queue in queues.items():
        for match in queue[:first]:
            url = url_key(match.article.url)
            covers = truth.get(url, frozenset())
            decided.add((key, url))
            if key in covers:
                decide(match, "accepted", user)
                counts["accepted"] += 1
            elif other := sorted(covers & events.keys()):
                move(match, events[other[0]], user)
                decided.add((other[0], url))
                counts["moved"] += 1
            else:
                decide(match, "rejected", user)
                counts["rejected"] += 1
    db.session.commit()
    return {"suggestions": {key: len(queue) for key, queue in queues.items()},
            "decided": sorted(decided), "decisions": counts}


def main(argv: list[str] | None = None) -> int:
    """Run one step in the application's context and print its JSON."""
    parser = argparse.ArgumentParser(prog="python -m eval.officer", description=__doc__)
    parser.add_argument("step", choices=["slots", "decide", "clippings"])
    parser.add_argument("--campaign", required=True)
    parser.add_argument("--labels", type=Path)
    parser.add_argument("--user", default="eval-officer")
    parser.add_argument("--first", type=int, default=FIRST)
    args = parser.parse_args(argv)
    from campaign import create_app

    with create_app().app_context():
        if args.step == "slots":
            result: Any = slot_states_of(args.campaign)
        elif args.step == "clippings":
            from eval.clippings import check_clippings

            if args.labels is None:
                parser.error("clippings needs --labels")
            labels = read_labels(json.loads(args.labels.read_text(encoding="utf-8")))
            result = check_clippings(args.campaign, labels)
        else:
            if args.labels is None:
                parser.error("decide needs --labels")
            labels = read_labels(json.loads(args.labels.read_text(encoding="utf-8")))
            result = decide_first(args.campaign, labels, args.user, args.first)
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
