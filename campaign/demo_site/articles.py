"""The assembled demo world: all articles with ids, reprints resolved, and the labels built from
them. This module is the single source of truth for the served pages and ``labels.json``."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from . import data_ahgrb, data_ahnews, data_ahrb, data_filler, data_grrb, data_hfrb
from .model import _ID_BASE, OUTLETS, Article


@functools.cache
def all_articles() -> tuple[Article, ...]:
    """Every article of the demo, ordered by outlet, date, page and id."""
    originals: list[Article] = [
        *data_ahrb.ARTICLES, *data_ahgrb.ARTICLES, *data_ahnews.ARTICLES,
        *data_hfrb.ARTICLES, *data_grrb.ARTICLES,
    ]
    by_key: dict[str, Article] = {}
    for a in originals:
        if a.key:
            if a.key in by_key:
                raise ValueError(f"duplicate article key {a.key}")
            by_key[a.key] = a
    pending = (*data_ahnews.REPRINTS, *data_hfrb.REPRINTS, *data_grrb.REPRINTS)
    reprints = [r.resolve(by_key) for r in pending]
    everything = originals + reprints + data_filler.filler(originals)
    order = {name: i for i, name in enumerate(OUTLETS)}
    ranked = sorted(
        enumerate(everything),
        key=lambda ia: (order[ia[1].outlet], ia[1].date, ia[1].page or 0, ia[1].time, ia[0]),
    )
    counters = dict.fromkeys(OUTLETS, 0)
    result: list[Article] = []
    for _, a in ranked:
        counters[a.outlet] += 1
        a.id = _ID_BASE[a.outlet] + counters[a.outlet] * (7 if a.outlet == "ahnews" else 1)
        result.append(a)
    return tuple(result)


@functools.cache
def by_path() -> dict[str, Article]:
    return {a.url_path: a for a in all_articles()}


def by_key(key: str) -> Article:
    for a in all_articles():
        if a.key == key and a.kind != "reprint":
            return a
    raise KeyError(key)


def for_outlet(outlet: str) -> list[Article]:
    return [a for a in all_articles() if a.outlet == outlet]


def epaper_day(day: dt.date) -> dict[int, list[Article]]:
    """安徽日报 articles of one edition grouped by page number."""
    pages: dict[int, list[Article]] = {}
    for a in all_articles():
        if a.outlet == "ahrb" and a.date == day:
            pages.setdefault(a.page or 1, []).append(a)
    return dict(sorted(pages.items()))


def build_labels() -> list[dict[str, Any]]:
    """One label per article, in the format documented in the package docstring."""
    keyed = {a.key: a for a in all_articles() if a.key and a.kind != "reprint"}
    labels = []
    for a in all_articles():
        labels.append({
            "url_path": a.url_path,
            "outlet": a.outlet_name,
            "title": a.title,
            "published": a.date.isoformat(),
            "events": list(a.events),
            "kind": a.kind,
            "reprint_of": keyed[a.reprint_of].url_path if a.reprint_of else None,
            "page": a.page,
            "genre": a.genre,
            "near_miss_of": list(a.near_miss_of),
        })
    return labels
