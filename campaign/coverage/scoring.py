"""Calibrated scoring: the evidence that an article reports an event, combined by a model.

Each (article, event) pair that could be coverage gets a handful of features: how much of the
event's profile its headline, lead and body carry, whether the officer's keywords and query are
there, how the day falls against the event's, whether the outlet was invited, whether the piece
sits in a planned slot (outlet, day, page, genre), and whether this event is the one the article
resembles most. A logistic model turns them into the probability that the pair is true coverage.
Its weights are not set by hand: `eval/fit.py` fits them on labelled news worlds and writes
`model.json` beside this file, with the thresholds chosen from the fitted model (see README).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from campaign.coverage.organs import ORGAN_CHARS, organs_in, other_body
from campaign.coverage.places import SCOPE_CHARS, Places, placed_elsewhere, places_of
from campaign.coverage.profiles import EventProfile
from campaign.coverage.textnorm import NATIONAL, bigrams, fold

MODEL_FILE = Path(__file__).with_name("model.json")
LEAD_CHARS = 200
# Words a preview (预告) uses for what is still to come: printed before the event, such a piece
# announces it rather than only resembling it.
AHEAD_WORDS = ("明天", "明日", "后天", "将于", "将在", "即将", "拟于", "定于", "届时")

FEATURES: tuple[str, ...] = (
    "title_cover", "title_prec", "lead_cover", "body_cover", "kw_title", "kw_body", "query",
    "head_name", "head_venue", "best", "nearest", "margin", "rejected", "other_body",
    "elsewhere", "national", "day_before", "ahead", "day_0", "day_1", "day_2_3", "day_4_7",
    "day_far", "invited", "page_one", "slot_place", "slot_outlet_day", "slot_genre",
    "slot_named", "other_slot",
)


@dataclass(frozen=True)
class ArticleGrams:
    """An article's folded text, cut once into the parts the features read."""

    title: str
    lead: str
    body: str
    title_grams: frozenset[str]
    lead_grams: frozenset[str]
    body_grams: frozenset[str]
    places: Places  # where its headline and lead place it
    head: str  # its headline and the start of its lead, which say who acted
    organs: frozenset[str]  # the bodies (not unions) named there
    head_grams: frozenset[str]


def article_grams(title: str, body: str) -> ArticleGrams:
    """Fold an article's headline (引题, 主题, 副题 together) and body once."""
    folded_title, folded_body = fold(title), fold(body)
    lead = folded_body[:LEAD_CHARS]
    head = folded_title + lead[:ORGAN_CHARS]
    return ArticleGrams(folded_title, lead, folded_body, frozenset(bigrams(folded_title)),
                        frozenset(bigrams(lead)), frozenset(bigrams(folded_body)),
                        places_of(folded_title + lead[:SCOPE_CHARS]), head, organs_in(head),
                        frozenset(bigrams(head)))


def cover(grams: frozenset[str], weights: Mapping[str, float]) -> float:
    """The share of a profile's weight that these bigrams carry."""
    total = sum(weights.values())
    if not total or not grams:
        return 0.0
    if len(grams) < len(weights):
        return sum(weights.get(gram, 0.0) for gram in grams) / total
    return sum(weight for gram, weight in weights.items() if gram in grams) / total


def precision(grams: frozenset[str], weights: Mapping[str, float]) -> float:
    """The share of these bigrams that belong to the profile (is the headline about it?)."""
    return sum(gram in weights for gram in grams) / len(grams) if grams else 0.0


def text_features(article: ArticleGrams, profile: EventProfile) -> dict[str, float]:
    """The textual evidence of one pair."""
    keywords = profile.keywords
    return {
        "title_cover": cover(article.title_grams, profile.weights),
        "title_prec": precision(article.title_grams, profile.weights),
        "lead_cover": cover(article.lead_grams, profile.weights),
        "body_cover": cover(article.body_grams, profile.weights),
        "kw_title": _share_in(keywords, article.title),
        "kw_body": _share_in(keywords, article.title + article.body),
        "rejected": cover(article.title_grams | article.lead_grams, profile.rejected),
        "head_name": cover(article.head_grams, profile.names),
        "head_venue": cover(article.head_grams, profile.venue),
        "announces": float(any(word in article.head for word in AHEAD_WORDS)),
        "other_body": float(other_body(article.head, article.organs, profile.organs)),
        **_scope(article, profile),
    }


def _scope(article: ArticleGrams, profile: EventProfile) -> dict[str, float]:
    """Whether the piece's headline or lead places it in another province than the campaign's
    outlets are at home in, or at national level when the plan is not. A home city there, or
    the outlet speaking of its own province or city (我省), keeps it at home (workers of the
    capital heading to another province are news from home)."""
    # A national plan's events take place anywhere: no province is elsewhere for them.
    elsewhere = not profile.national and placed_elsewhere(article.places, profile.home)
    national = not profile.national and any(word in article.title for word in NATIONAL)
    return {"elsewhere": float(elsewhere), "national": float(national)}


def resemblance(features: Mapping[str, float]) -> float:
    """One number for "how much does the article resemble the event" (to rank events)."""
    return (features["title_cover"] + 0.5 * features["lead_cover"]
            + 0.5 * features["body_cover"] + 0.5 * features["kw_title"])


def day_features(offset: int) -> dict[str, float]:
    """The day of the piece against the event's day (negative: before it)."""
    return {"day_before": float(offset < 0), "day_0": float(offset == 0),
            "day_1": float(offset == 1), "day_2_3": float(2 <= offset <= 3),
            "day_4_7": float(4 <= offset <= 7), "day_far": float(offset > 7)}


def _share_in(keywords: tuple[str, ...], text: str) -> float:
    return sum(k in text for k in keywords) / len(keywords) if keywords else 0.0


@dataclass(frozen=True)
class Model:
    """A fitted logistic model and the thresholds chosen with it."""

    weights: Mapping[str, float]
    bias: float
    auto_accept: float
    suggest_min: float

    def probability(self, features: Mapping[str, float]) -> float:
        """P(the pair is true coverage | its features)."""
        z = self.bias + sum(self.weights.get(name, 0.0) * value
                            for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


def model_problem(path: Path) -> str | None:
    """Why a model file cannot score this matcher (its weights must name exactly FEATURES: an
    older model would weigh a new feature 0 without a word), or None."""
    try:
        weights = json.loads(path.read_text(encoding="utf-8"))["weights"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        return f"not a model file ({error})"
    if not isinstance(weights, dict) or set(weights) != set(FEATURES):
        names = set(weights) if isinstance(weights, dict) else set()
        return (f"its weights must name exactly the matcher's features: missing "
                f"{sorted(set(FEATURES) - names)}, unknown {sorted(names - set(FEATURES))}")
    return None


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_FILE) -> Model:
    """The model shipped with the app (fitted by `eval/fit.py`)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return Model(weights={k: float(v) for k, v in data["weights"].items()},
                 bias=float(data["bias"]), auto_accept=float(data["auto_accept"]),
                 suggest_min=float(data["suggest_min"]))
