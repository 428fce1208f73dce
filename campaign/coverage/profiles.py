"""Event profiles: what an event's coverage is likely to say, as weighted character bigrams.

A profile is built from everything the plan already says — the title, the keywords, the venue,
the description and the key messages — and from what officers decided since: the titles and
leads of accepted coverage add their words (the numbers, names and places the first reports
carry), rejected pieces form a profile of their own that counts against look-alikes. A bigram
that every event of a campaign shares (the campaign's own name, 工会, 职工) says little about
which event a piece reports, so each bigram is weighted by how few of the campaign's events
use it.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from campaign.coverage.organs import organs_in
from campaign.coverage.places import home_provinces_in
from campaign.coverage.textnorm import (
    NATIONAL,
    bigram_weight,
    bigrams,
    fold,
    fold_term,
)

# How strongly each part of a plan speaks for its event.
FIELD_WEIGHTS: Mapping[str, float] = {
    "title": 3.0, "keywords": 3.0, "venue": 2.0, "description": 1.0, "key_messages": 1.0,
}
ACCEPTED_WEIGHT = 2.0  # a bigram in every accepted piece; fewer pieces, proportionally less


@dataclass(frozen=True)
class PlanText:
    """What an event's plan says, and the texts of coverage officers accepted or rejected."""

    event_id: int
    group: int  # events weighed against one another: those of one campaign
    title: str
    keywords: tuple[str, ...] = ()
    venue: str = ""
    description: str = ""
    key_messages: str = ""
    accepted: tuple[str, ...] = ()
    rejected: tuple[str, ...] = ()
    # Names that tell which province the campaign is at home in: the names and regions of the
    # outlets the event involves (invited, or its slot's), the campaign's name.
    outlets: tuple[str, ...] = ()


@dataclass(frozen=True)
class EventProfile:
    """An event's weighted bigrams (and of its rejected look-alikes), its folded keywords."""

    event_id: int
    weights: Mapping[str, float]
    keywords: tuple[str, ...]
    rejected: Mapping[str, float] = field(default_factory=dict)
    home: frozenset[str] = frozenset()  # the provinces the campaign's outlets are named after
    national: bool = False  # the plan itself speaks of national bodies or scope
    organs: frozenset[str] = frozenset()  # the bodies its campaign's plan names (co-organisers)
    # What names the event: its title's and its venue's bigrams, weighed by how few of the
    # campaign's events share them.
    names: Mapping[str, float] = field(default_factory=dict)
    venue: Mapping[str, float] = field(default_factory=dict)

    @property
    def total(self) -> float:
        """The weight of the whole profile (what a text covering all of it would score)."""
        return sum(self.weights.values())


def _plan_fields(plan: PlanText) -> dict[str, set[str]]:
    return {
        "title": bigrams(fold(plan.title)),
        "keywords": set().union(*(bigrams(fold_term(k)) for k in plan.keywords)),
        "venue": bigrams(fold(plan.venue)),
        "description": bigrams(fold(plan.description)),
        "key_messages": bigrams(fold(plan.key_messages)),
    }


def _spread(fields: Iterable[dict[str, set[str]]]) -> Counter[str]:
    """In how many events' plans each bigram occurs."""
    counts: Counter[str] = Counter()
    for event_fields in fields:
        counts.update(set().union(*event_fields.values()))
    return counts


def _share(texts: Sequence[str]) -> dict[str, float]:
    """Each bigram of `texts` with the share of the texts that contain it."""
    if not texts:
        return {}
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(bigrams(fold(text)))
    return {gram: n / len(texts) for gram, n in counts.items()}


def build_profiles(plans: Sequence[PlanText]) -> dict[int, EventProfile]:
    """The profile of each planned event, its bigrams weighed within its group."""
    by_group: dict[int, list[PlanText]] = defaultdict(list)
    for plan in plans:
        by_group[plan.group].append(plan)
    profiles: dict[int, EventProfile] = {}
    for members in by_group.values():
        fields = {plan.event_id: _plan_fields(plan) for plan in members}
        spread = _spread(fields.values())
        scale = math.log(1 + len(members))
        home = home_of(members)
        organs = organs_of(members)
        for plan in members:
            profile = _profile(plan, fields[plan.event_id], spread, len(members), scale)
            plan_text = fold(" ".join((plan.title, *plan.keywords, plan.venue, plan.description,
                                       plan.key_messages)))
            # An event the plan itself places somewhere (a visit to another province) is at
            # home there too.
            profiles[plan.event_id] = replace(
                profile, home=home | home_provinces_in(plan_text),
                national=any(word in plan_text for word in NATIONAL), organs=organs)
    return profiles


def home_of(plans: Iterable[PlanText]) -> frozenset[str]:
    """The provinces a campaign is at home in: those its plans' outlets (names, regions) and
    its own name speak for."""
    return frozenset().union(*(home_provinces_in(fold(name)) for plan in plans
                               for name in plan.outlets))


def organs_of(plans: Iterable[PlanText]) -> frozenset[str]:
    """The bodies a campaign's plans name anywhere (its co-organisers, the hosts of its
    events): a piece naming them is not another body's activity."""
    return frozenset().union(*(organs_in(fold(text)) for plan in plans
                               for text in (plan.title, plan.venue, plan.description,
                                            plan.key_messages, *plan.outlets)))


def _rarity(gram: str, spread: Counter[str], events: int, scale: float) -> float:
    """1 for a bigram of one event only, less the more events of the group share it."""
    return math.log(1 + events / max(spread[gram], 1)) / scale if scale else 1.0


def _profile(plan: PlanText, fields: dict[str, set[str]], spread: Counter[str], events: int,
             scale: float) -> EventProfile:
    weights: dict[str, float] = {}
    for name, grams in fields.items():
        for gram in grams:
            weight = FIELD_WEIGHTS[name] * bigram_weight(gram) * _rarity(gram, spread, events,
                                                                         scale)
            weights[gram] = max(weights.get(gram, 0.0), weight)
    for gram, share in _share(plan.accepted).items():
        weights[gram] = weights.get(gram, 0.0) + ACCEPTED_WEIGHT * share * bigram_weight(gram)
    rejected = {gram: share * bigram_weight(gram) for gram, share in _share(plan.rejected).items()
                if gram not in weights}
    names, venue = ({gram: bigram_weight(gram) * _rarity(gram, spread, events, scale)
                     for gram in fields[name]} for name in ("title", "venue"))
    return EventProfile(
        event_id=plan.event_id,
        weights={gram: weight for gram, weight in weights.items() if weight > 0},
        keywords=tuple(k for k in (fold_term(k) for k in plan.keywords) if k),
        rejected={gram: weight for gram, weight in rejected.items() if weight > 0},
        names={gram: weight for gram, weight in names.items() if weight > 0},
        venue={gram: weight for gram, weight in venue.items() if weight > 0},
    )
