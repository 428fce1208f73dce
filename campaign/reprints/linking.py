"""Reprint groups: copies of one story across outlets, found after storing.

Two passes over the articles just stored. Exact copies share the body fingerprint. Edited and
abridged copies are found with MinHash over 5-character shingles of the normalised text
(datasketch, see `campaign.reprints.signatures`): each article's signature is kept in
`ArticleBody.minhash`, so a later run compares new articles with those stored earlier; a stored
signature that does not load (an older format) is computed again from the text. Candidates
come from an LSH index (banding) over the signatures, limited to the articles within
`WINDOW_DAYS` days; each candidate pair is then verified on the estimated Jaccard similarity,
or on containment (an abridged copy is mostly inside the full story), so two different reports
of one event that share boilerplate stay apart. Articles of one outlet are never reprints of
each other. The original is the member the others credit ("来源：安徽日报"), else the earliest
published.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete, func, select, update

from campaign.articles.models import Article, ArticleBody, day_from_number, day_number
from campaign.core.chunks import chunks
from campaign.extensions import db
from campaign.planning.models import Outlet
from campaign.reprints.grouping import GroupRow, Links, original_of, split_changed_groups
from campaign.reprints.models import ReprintGroup
from campaign.reprints.signatures import (
    MIN_SHINGLES,
    Signature,
    compute_signatures,
    fill_index,
    read_signature,
    similar,
)
from campaign.reprints.signatures import index as _cache

log = logging.getLogger(__name__)

WINDOW_DAYS = 7
CHUNK = 900



@dataclass
class _Member:
    id: int
    outlet_id: int
    day: int | None
    group_id: int | None
    fingerprint: str = ""
    signature: Signature | None = None
    candidates: set[str] = field(default_factory=set)  # fingerprints sharing an LSH band


@dataclass
class GroupingResult:
    """How many groups a run created, changed, and how many articles it placed in groups."""

    groups_created: int = 0
    groups_changed: int = 0
    articles_grouped: int = 0


def group_reprints(article_ids: Iterable[int]) -> GroupingResult:
    """Put each of `article_ids` into the reprint group of its copies (stored now or before),
    merging groups a new article bridges, and keep sizes and originals right. Flushes."""
    ids = sorted(set(article_ids))
    split_changed_groups(db.session)  # groups a member left when its text changed
    if not ids:
        return GroupingResult()
    targets = _load_targets(ids)
    pool = _load_window(targets)
    copies = _exact_copies(targets)
    members = [*targets.values(), *pool.values(), *(m for ms in copies.values() for m in ms)]
    links = Links(_group_outlets({m.group_id for m in members if m.group_id}))
    for member in members:
        links.place(member.id, member.outlet_id, member.group_id)
    _link_exact_copies(copies, links)
    _link_similar(targets, pool, links)
    result = _apply_groups(links, set(targets))
    log.info("reprints: %d groups created, %d changed, %d articles grouped",
             result.groups_created, result.groups_changed, result.articles_grouped)
    return result


def _load_targets(ids: Sequence[int]) -> dict[int, _Member]:
    """The articles to group, with a signature each (computed and stored where missing or
    unreadable)."""
    targets: dict[int, _Member] = {}
    missing: list[int] = []
    for part in chunks(ids, CHUNK):
        rows = db.session.execute(
            select(Article.id, Article.outlet_id, Article.day, Article.reprint_group_id,
                   Article.fingerprint, ArticleBody.minhash)
            .join(ArticleBody, ArticleBody.article_id == Article.id)
            .where(Article.id.in_(part))).all()
        for article_id, outlet_id, day, group_id, fingerprint, raw in rows:
            member = _Member(article_id, outlet_id, day, group_id, fingerprint)
            if raw:  # a hit by fingerprint spares reading the bytes
                member.signature = _cache.get(fingerprint)
                if member.signature is None and (sig := read_signature(raw)) is not None:
                    member.signature = _cache.put(fingerprint, sig)
            if member.signature is None:
                missing.append(article_id)
            targets[article_id] = member
    for article_id, sig in compute_signatures(missing).items():
        targets[article_id].signature = sig
    return targets


def _expire(model: type[Any], ids: set[int], attributes: list[str]) -> None:
    """Bulk updates by primary key bypass the session: expire the copies it holds."""
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, model) and obj.id in ids:
            db.session.expire(obj, attributes)


def _ordinal(day: int | None) -> int | None:
    if day is None:
        return None
    return day_from_number(day).toordinal()


def _day_int(ordinal: int) -> int:
    return day_number(date.fromordinal(ordinal))


def _load_window(targets: dict[int, _Member]) -> dict[int, _Member]:
    """Articles stored earlier within WINDOW_DAYS of the targets' days that share an LSH band
    with some target.

    Reads the window's article rows (no bodies), then signature bytes only for fingerprints
    the index lacks (recomputing those that do not load). Articles without a stored signature
    (never grouped yet) are left out: their own run will compare them with this one's.
    """
    ordinals = [o for o in (_ordinal(m.day) for m in targets.values()) if o is not None]
    if not ordinals:
        return {}
    low, high = _day_int(min(ordinals) - WINDOW_DAYS), _day_int(max(ordinals) + WINDOW_DAYS)
    rows = [r for r in db.session.execute(
        select(Article.id, Article.outlet_id, Article.day, Article.reprint_group_id,
               Article.fingerprint)
        .where(Article.day.between(low, high), Article.fingerprint != "")).all()
        if r[0] not in targets]
    unknown = sorted({r[0] for r in rows if _cache.get(r[4]) is None})
    _cache.make_room({r[4] for r in rows} | {m.fingerprint for m in targets.values()},
                     len(unknown))
    fill_index(unknown)
    for member in targets.values():
        if member.day is not None and _long_enough(member):
            member.candidates = _cache.candidates(member.signature)  # type: ignore[arg-type]
    wanted = set().union(*(m.candidates for m in targets.values()))
    pool: dict[int, _Member] = {}
    for article_id, outlet_id, day, group_id, fingerprint in rows:
        if fingerprint in wanted and (sig := _cache.get(fingerprint)) is not None:
            pool[article_id] = _Member(article_id, outlet_id, day, group_id, fingerprint, sig)
    return pool


def _exact_copies(targets: dict[int, _Member]) -> dict[str, list[_Member]]:
    """The stored articles with the body of a target, by fingerprint (one query per chunk),
    whatever their day."""
    wanted = {fp for article_id, fp in _fingerprints_chunked(list(targets))
              if fp and _long_enough(targets[article_id])}
    by_print: dict[str, list[_Member]] = defaultdict(list)
    for part in chunks(sorted(wanted), CHUNK):
        for article_id, outlet_id, day, group_id, fp in db.session.execute(
                select(Article.id, Article.outlet_id, Article.day, Article.reprint_group_id,
                       Article.fingerprint)
                .where(Article.fingerprint.in_(part)).order_by(Article.id)):
            by_print[fp].append(targets.get(article_id)
                                or _Member(article_id, outlet_id, day, group_id, fp))
    return by_print


def _link_exact_copies(copies: dict[str, list[_Member]], links: Links) -> None:
    """Identical bodies in other outlets are copies (one article an outlet per group)."""
    for members in copies.values():
        for member in members[1:]:
            if member.outlet_id != members[0].outlet_id:
                links.union(member.id, members[0].id)
            else:
                for other in members:
                    if other.outlet_id != member.outlet_id and links.union(member.id, other.id):
                        break


def _fingerprints_chunked(ids: Sequence[int]) -> list[tuple[int, str]]:
    rows: list[tuple[int, str]] = []
    for part in chunks(ids, CHUNK):
        rows += [(article_id, fingerprint) for article_id, fingerprint in db.session.execute(
            select(Article.id, Article.fingerprint).where(Article.id.in_(part)))]
    return rows


def _long_enough(member: _Member) -> bool:
    return member.signature is not None and member.signature.size >= MIN_SHINGLES


def _link_similar(targets: dict[int, _Member], pool: dict[int, _Member],
                  links: Links) -> None:
    """Verify each target against the targets and window articles sharing an LSH band with it
    (`_load_window`), and link the similar, the most similar pairs first (a group takes one
    article an outlet, so the closest copy wins): a run over a few new articles costs little
    however many the window holds."""
    by_print: dict[str, list[_Member]] = defaultdict(list)
    for member in [*pool.values(), *targets.values()]:
        if member.day is not None and _long_enough(member):
            by_print[member.fingerprint].append(member)
    checked: set[tuple[int, int]] = set()
    pairs: list[tuple[float, int, int]] = []
    for target in targets.values():
        for fingerprint in sorted(target.candidates):
            for other in by_print.get(fingerprint, ()):
                pair = _check_pair(target, other, targets, checked)
                if pair is not None:
                    pairs.append(pair)
    for _, first, second in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        links.union(first, second)


def _check_pair(first: _Member, second: _Member, targets: dict[int, _Member],
                checked: set[tuple[int, int]]) -> tuple[float, int, int] | None:
    """(estimated similarity, ids) of two copies of one story, else None."""
    if first.id not in targets and second.id not in targets:
        return None  # both stored before: an earlier run decided
    if first.id == second.id or first.outlet_id == second.outlet_id:
        return None
    pair = (min(first.id, second.id), max(first.id, second.id))
    if pair in checked:
        return None
    checked.add(pair)
    days_apart = abs(_ordinal(first.day) - _ordinal(second.day))  # type: ignore[operator]
    if days_apart > WINDOW_DAYS:
        return None
    a, b = first.signature, second.signature
    if not similar(a, b):  # type: ignore[arg-type]
        return None
    return (a.minhash.jaccard(b.minhash), *pair)  # type: ignore[union-attr]


def _group_outlets(group_ids: set[int]) -> dict[int, set[int]]:
    """The outlets of each group's members."""
    found: dict[int, set[int]] = defaultdict(set)
    for part in chunks(sorted(group_ids), CHUNK):
        for group_id, outlet_id in db.session.execute(
                select(Article.reprint_group_id, Article.outlet_id)
                .where(Article.reprint_group_id.in_(part))):
            if group_id is not None:  # (it is: the query asks for these groups)
                found[group_id].add(outlet_id)
    return found


def _apply_groups(links: Links, targets: set[int]) -> GroupingResult:
    """Turn linked components that hold an article of this run into groups: join existing
    groups (the lowest id survives), add their earlier members, then set sizes and originals
    with bulk updates."""
    result = GroupingResult()
    components = [c for c in links.components()
                  if not targets.isdisjoint(c) and sum(1 for x in c if x > 0) > 1]
    if not components:
        return result
    rows = _load_rows({x for c in components for x in c})
    group_ids = {r.group_id for r in rows.values() if r.group_id is not None}
    earlier = _group_members(group_ids, set(rows))
    rows.update(earlier)
    merged = _merge_components(components, rows)
    new_groups = [ReprintGroup(size=0) for members in merged if members[0] is None]
    db.session.add_all(new_groups)
    db.session.flush()
    fresh = iter(new_groups)
    outlets = {o.id: o for o in db.session.scalars(select(Outlet))}
    article_updates, group_updates, kept = [], [], set()
    for group_id, member_ids in merged:
        gid = group_id if group_id is not None else next(fresh).id
        kept.add(gid)
        original = original_of([rows[i] for i in member_ids], outlets)
        article_updates += [{"id": i, "reprint_group_id": gid, "is_original": i == original}
                            for i in member_ids]
        group_updates.append({"id": gid, "size": len(member_ids)})
    db.session.execute(update(Article), article_updates)
    db.session.execute(update(ReprintGroup), group_updates)
    emptied = group_ids - kept
    if emptied:
        db.session.execute(delete(ReprintGroup).where(ReprintGroup.id.in_(emptied)))
    _expire(Article, {u["id"] for u in article_updates}, ["reprint_group_id", "is_original"])
    _expire_groups(kept | emptied)
    result.groups_created = len(new_groups)
    result.groups_changed = len(kept) - len(new_groups)
    result.articles_grouped = len(article_updates)
    return result


def _expire_groups(ids: set[int]) -> None:
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, ReprintGroup) and obj.id in ids:
            db.session.expire(obj)


def _load_rows(ids: set[int]) -> dict[int, GroupRow]:
    rows: dict[int, GroupRow] = {}
    for part in chunks(sorted(ids), CHUNK):
        for r in db.session.execute(
                select(Article.id, Article.outlet_id, Article.reprint_group_id,
                       Article.published_at, Article.source_credit)
                .where(Article.id.in_(part))):
            rows[r[0]] = GroupRow(*r)
    return rows


def _group_members(group_ids: set[int], known: set[int]) -> dict[int, GroupRow]:
    """Members of the touched groups not linked in this run (stored and grouped before)."""
    if not group_ids:
        return {}
    found = db.session.execute(
        select(Article.id, Article.outlet_id, Article.reprint_group_id, Article.published_at,
               Article.source_credit).where(Article.reprint_group_id.in_(group_ids))).all()
    return {r[0]: GroupRow(*r) for r in found if r[0] not in known}


def _merge_components(components: list[list[int]], rows: dict[int, GroupRow],
                      ) -> list[tuple[int | None, list[int]]]:
    """Components that share an existing group become one; each gets its surviving group id."""
    merger = Links()
    for component in components:
        for x in component:
            merger.union(component[0], x)
    for row in rows.values():
        if row.group_id is not None:
            merger.union(row.id, -row.group_id)  # negative: the group itself as a node
    merged = []
    for component in merger.components():
        groups = sorted(-x for x in component if x < 0)
        members = sorted(x for x in component if x > 0)
        merged.append((groups[0] if groups else None, members))
    return merged


def group_count() -> int:
    """How many reprint groups are stored (for logs and the benchmark)."""
    return int(db.session.scalar(select(func.count()).select_from(ReprintGroup)) or 0)
