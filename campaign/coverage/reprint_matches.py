"""Reprints carry their story's event: when one member of a reprint group covers an event,
the other outlets' copies cover it too, even when their own text or outlet would not match
(a commentator article reprinted a day later by a central paper, under another title).

A derived match says which article it follows (`explanation["reprint_of"]`); it is withdrawn
when no member matches the event any more, and, like every automatic match, it never
overrides an officer's decision.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from campaign.articles.models import Article, day_from_number
from campaign.core.chunks import chunks
from campaign.coverage.engine import EventRule, is_subject
from campaign.coverage.models import Match
from campaign.coverage.withdrawals import Withdrawals
from campaign.extensions import db

# Copies appear days after the original; they count within this many days after the window.
REPRINT_LAG_DAYS = 10
REPRINT_FACTOR = 0.9
CHUNK = 500  # reprint groups (or articles) per statement


@dataclass(frozen=True)
class _Member:
    id: int
    group: int
    outlet: int
    day: int | None


def _is_derived(match: Match) -> bool:
    return bool((match.explanation or {}).get("reprint_of"))


def _in_reach(rule: EventRule, day: int | None) -> bool:
    if day is None:
        return False
    when = day_from_number(day)
    return rule.first_day <= when <= rule.last_day + timedelta(days=REPRINT_LAG_DAYS)


def propagate(article_ids: Sequence[int], rules: Sequence[EventRule], threshold: float,
              floor: float = 0.0) -> tuple[int, int]:
    """Derive matches across the reprint groups of these articles; (created, withdrawn)."""
    groups = {g for part in chunks(article_ids, CHUNK) for g in db.session.scalars(
        select(Article.reprint_group_id).where(Article.id.in_(part))) if g is not None}
    return propagate_groups(groups, rules, threshold, floor)


def propagate_groups(group_ids: Iterable[int], rules: Sequence[EventRule], threshold: float,
                     floor: float = 0.0) -> tuple[int, int]:
    """Derive matches across these reprint groups, a chunk of groups at a time (each group is
    settled on its own, so chunks change nothing but the size of statements);
    (created, withdrawn)."""
    if not rules:
        return 0, 0
    by_rule = {rule.event_id: rule for rule in rules}
    created, gone = 0, Withdrawals()
    for part in chunks(sorted(group_ids), CHUNK):
        created += _propagate_chunk(part, by_rule, (threshold, floor), gone)
    return created, gone.done()


def _propagate_chunk(group_ids: list[int], by_rule: dict[int, EventRule],
                     scores: tuple[float, float], gone: Withdrawals) -> int:
    members = [_Member(r.id, r.reprint_group_id, r.outlet_id, r.day) for r in db.session.execute(
        select(Article.id, Article.reprint_group_id, Article.outlet_id, Article.day)
        .where(Article.reprint_group_id.in_(group_ids)))]
    # The members' matches, joined rather than listed (a group can be large), of these rules.
    matches = {(m.event_id, m.article_id): m for m in db.session.scalars(
        select(Match).join(Article, Article.id == Match.article_id)
        .where(Article.reprint_group_id.in_(group_ids))) if m.event_id in by_rule}
    by_group: dict[int, list[_Member]] = defaultdict(list)
    for member in members:
        by_group[member.group].append(member)
    created = 0
    for group in by_group.values():
        c, withdrawn = _propagate_group(group, by_rule, matches, scores)
        created += c
        gone.add(withdrawn)
    db.session.flush()
    return created


def _sources(group: list[_Member], event_id: int, matches: dict[tuple[int, int], Match]
             ) -> list[Match]:
    found = [matches.get((event_id, m.id)) for m in group]
    return [m for m in found if m is not None and m.status != "rejected" and not _is_derived(m)]


def _subjects(group: list[_Member], rules: dict[int, EventRule],
              matches: dict[tuple[int, int], Match]) -> set[int]:
    """The events the story itself reports: named in a member's headline or slot."""
    return {event_id for event_id in rules for m in _sources(group, event_id, matches)
            if is_subject(m.explanation or {})}


def _drop_context(group: list[_Member], subjects: set[int],
                  matches: dict[tuple[int, int], Match]) -> list[Match]:
    """Undecided matches of members to events the story only mentions below a headline (taken
    out of `matches`, to be withdrawn)."""
    dropped = []
    for member in group:
        for event_id in {e for e, a in matches if a == member.id} - subjects:
            match = matches[(event_id, member.id)]
            if match.decided or not match.auto or is_subject(match.explanation or {}):
                continue
            del matches[(event_id, member.id)]
            dropped.append(match)
    return dropped


def _propagate_group(group: list[_Member], rules: dict[int, EventRule],
                     matches: dict[tuple[int, int], Match], scores: tuple[float, float]
                     ) -> tuple[int, list[Match]]:
    """Settle one group: (matches created, matches to withdraw)."""
    threshold, floor = scores
    created = 0
    subjects = _subjects(group, rules, matches)
    withdrawn = _drop_context(group, subjects, matches) if subjects else []
    for event_id, rule in rules.items():
        if subjects and event_id not in subjects:
            continue
        sources = _sources(group, event_id, matches)
        best = max(sources, key=lambda m: m.score, default=None)
        if best is not None and best.score * REPRINT_FACTOR < floor:
            best = None
        for member in group:
            match = matches.get((event_id, member.id))
            if match is not None and (match.decided or not _is_derived(match)):
                continue
            if best is None or not _in_reach(rule, member.day) or best.article_id == member.id:
                if match is not None:  # a derived match whose source is gone
                    del matches[(event_id, member.id)]
                    withdrawn.append(match)
                continue
            score = round(best.score * REPRINT_FACTOR, 3)
            if match is None:
                match = Match(event_id=event_id, article_id=member.id, auto=True,
                              day=member.day)
                db.session.add(match)
                matches[(event_id, member.id)] = match
                created += 1
            match.score = score
            # A copy is accepted unreviewed only after a piece of its story was.
            accepted = score >= threshold and best.status == "accepted"
            match.status = "accepted" if accepted else "suggested"
            match.explanation = {**(best.explanation or {}), "reprint_of": best.article_id,
                                 "title_terms": [], "lead_terms": [], "body_terms": []}
    return created, withdrawn
