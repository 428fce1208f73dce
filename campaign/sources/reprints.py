"""Reprint groups: copies of one story across outlets, found after storing.

Two passes over the articles just stored. Exact copies share the body fingerprint. Edited and
abridged copies are found with MinHash over 5-character shingles of the normalised text: each
article's signature is kept in `ArticleBody.minhash`, so a later run compares new articles with
those stored earlier. Candidates come from an LSH index (banding) over the signatures of the
articles within `WINDOW_DAYS` days; each candidate pair is then verified on the estimated
Jaccard similarity, or on containment (an abridged copy is mostly inside the full story), so
two different reports of one event that share boilerplate stay apart. Articles of one outlet
are never reprints of each other. The original is the member the others credit
("来源：安徽日报"), else the earliest published.

A signature is stored as the shingle count (4 bytes, little-endian) then `NUM_PERM` 32-bit
minimum hashes.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
from sqlalchemy import delete, func, select, update

from campaign.extensions import db
from campaign.planning.models import Outlet
from campaign.sources.models import Article, ArticleBody, ReprintGroup
from campaign.sources.store import normalise_body

log = logging.getLogger(__name__)

SHINGLE = 5
NUM_PERM = 128
# A pair at Jaccard s becomes a candidate with probability 1-(1-s^3)^42: 99.6 % at 0.5, 97 % at
# 0.43 (an abridged copy, verified on containment), 29 % at 0.2 (verification rejects those).
BANDS, ROWS = 42, 3
JACCARD_THRESHOLD = 0.5
CONTAINMENT_THRESHOLD = 0.8
MIN_SHINGLES = 40  # shorter texts (captions, briefs) are too short to call copies
WINDOW_DAYS = 7
CHUNK = 900

_PRIME = (1 << 61) - 1
_MAX_HASH = np.uint64((1 << 32) - 1)
_rng = np.random.RandomState(1)  # fixed: signatures stored today must match tomorrow's
_A = _rng.randint(1, 1 << 32, size=NUM_PERM, dtype=np.uint64)
_B = _rng.randint(0, 1 << 32, size=NUM_PERM, dtype=np.uint64)
_SHINGLE_BASE = np.uint64(1_000_003)
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                 0x27D4EB2F165667C5, 0xFF51AFD7ED558CCD], dtype=np.uint64)
_CREDIT_PREFIX = re.compile(r"^\s*(?:稿件)?(?:来源|来自|转载自|转自|摘自|据)\s*[:：]?\s*")


@dataclass(frozen=True, slots=True)
class Signature:
    """The MinHash of an article's shingles and how many shingles there were."""

    size: int
    hashes: np.ndarray

    def to_bytes(self) -> bytes:
        """The stored form: the count, then the hashes."""
        return self.size.to_bytes(4, "little") + self.hashes.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, raw: bytes) -> Signature:
        """Read a signature written by `to_bytes`."""
        return cls(int.from_bytes(raw[:4], "little"), np.frombuffer(raw[4:], dtype="<u4"))


def shingles(text: str) -> set[str]:
    """The 5-character shingles of the normalised text (the whole text when shorter)."""
    normal = normalise_body(text)
    if len(normal) <= SHINGLE:
        return {normal} if normal else set()
    return {normal[i:i + SHINGLE] for i in range(len(normal) - SHINGLE + 1)}


def signature(text: str) -> Signature:
    """The MinHash signature of `text`: NUM_PERM universal hashes over a polynomial hash of
    each 5-character shingle of the normalised text (vectorised; no Python loop per shingle)."""
    normal = normalise_body(text)
    codes = np.frombuffer(normal.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    if len(codes) == 0:
        return Signature(0, np.full(NUM_PERM, _MAX_HASH, dtype=np.uint32))
    count = max(len(codes) - SHINGLE + 1, 1)
    rolled = np.zeros(count, dtype=np.uint64)
    for offset in range(min(SHINGLE, len(codes))):
        rolled = rolled * _SHINGLE_BASE + codes[offset:offset + count]  # wraps: a hash
    values = np.unique((rolled ^ (rolled >> np.uint64(32))) & _MAX_HASH)
    mixed = (np.outer(values, _A) + _B) % np.uint64(_PRIME) & _MAX_HASH
    return Signature(len(values), mixed.min(axis=0).astype(np.uint32))


def similar(a: Signature, b: Signature) -> bool:
    """True when the estimated Jaccard similarity, or the estimated containment of the smaller
    text in the larger, reaches its threshold."""
    if min(a.size, b.size) < MIN_SHINGLES:
        return False
    jaccard = float(np.count_nonzero(a.hashes == b.hashes)) / NUM_PERM
    if jaccard >= JACCARD_THRESHOLD:
        return True
    # |A∩B| = J·(|A|+|B|)/(1+J); containment is that over the smaller set.
    containment = jaccard * (a.size + b.size) / ((1 + jaccard) * min(a.size, b.size))
    return containment >= CONTAINMENT_THRESHOLD and jaccard > 0.2


@dataclass
class _Member:
    id: int
    outlet_id: int
    day: int | None
    group_id: int | None
    signature: Signature | None = None
    keys: np.ndarray | None = None  # LSH band keys of the signature


class _SignatureCache:
    """Signatures and their band keys by body fingerprint, kept between runs in a process.

    The fingerprint is a hash of the normalised text and the signature a function of it, so an
    entry is never stale; a run then reads only the window's small article rows, and signature
    bytes for fingerprints it has not met yet.
    """

    def __init__(self, limit: int = 60_000) -> None:  # about 1 kB an entry
        self.limit = limit
        self.entries: dict[str, tuple[Signature, np.ndarray]] = {}

    def get(self, fingerprint: str) -> tuple[Signature, np.ndarray] | None:
        return self.entries.get(fingerprint)

    def put(self, fingerprint: str, sig: Signature) -> tuple[Signature, np.ndarray]:
        if len(self.entries) >= self.limit:
            self.entries.clear()  # crude, but bounded; a refill costs one query per window
        entry = (sig, _band_keys(sig.hashes[np.newaxis, :])[0])
        if fingerprint:
            self.entries[fingerprint] = entry
        return entry


_cache = _SignatureCache()


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
    if not ids:
        return GroupingResult()
    targets = _load_targets(ids)
    pool = _load_window(targets)
    links = _UnionFind()
    _link_exact_copies(targets, links)
    _link_similar(targets, pool, links)
    result = _apply_groups(links)
    log.info("reprints: %d groups created, %d changed, %d articles grouped",
             result.groups_created, result.groups_changed, result.articles_grouped)
    return result


def _chunked(values: Sequence[int], size: int = CHUNK) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _load_targets(ids: Sequence[int]) -> dict[int, _Member]:
    """The articles to group, with a signature each (computed and stored where missing)."""
    targets: dict[int, _Member] = {}
    missing: list[int] = []
    for part in _chunked(ids):
        rows = db.session.execute(
            select(Article.id, Article.outlet_id, Article.day, Article.reprint_group_id,
                   Article.fingerprint, ArticleBody.minhash)
            .join(ArticleBody, ArticleBody.article_id == Article.id)
            .where(Article.id.in_(part))).all()
        for article_id, outlet_id, day, group_id, fingerprint, raw in rows:
            member = _Member(article_id, outlet_id, day, group_id)
            if raw:
                entry = _cache.get(fingerprint) or _cache.put(fingerprint,
                                                              Signature.from_bytes(raw))
                member.signature, member.keys = entry
            else:
                missing.append(article_id)
            targets[article_id] = member
    _compute_signatures(targets, missing)
    return targets


def _compute_signatures(targets: dict[int, _Member], missing: Sequence[int]) -> None:
    for part in _chunked(list(missing)):
        rows = db.session.execute(
            select(ArticleBody.article_id, ArticleBody.text, Article.fingerprint)
            .join(Article, Article.id == ArticleBody.article_id)
            .where(ArticleBody.article_id.in_(part))).all()
        updates = []
        for article_id, text, fingerprint in rows:
            sig = signature(text)
            targets[article_id].signature, targets[article_id].keys = _cache.put(fingerprint, sig)
            updates.append({"article_id": article_id, "minhash": sig.to_bytes()})
        if updates:
            db.session.execute(update(ArticleBody), updates)
    _expire(ArticleBody, set(missing), ["minhash"])


def _expire(model: type, ids: set[int], attributes: list[str]) -> None:
    """Bulk updates by primary key bypass the session: expire the copies it holds."""
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, model):
            key = obj.article_id if model is ArticleBody else obj.id
            if key in ids:
                db.session.expire(obj, attributes)


def _ordinal(day: int | None) -> int | None:
    if day is None:
        return None
    return date(day // 10000, day // 100 % 100, day % 100).toordinal()


def _day_int(ordinal: int) -> int:
    value = date.fromordinal(ordinal)
    return value.year * 10000 + value.month * 100 + value.day


def _load_window(targets: dict[int, _Member]) -> dict[int, _Member]:
    """Articles stored earlier within WINDOW_DAYS of the targets' days, with signatures.

    Reads the window's article rows (no bodies), then signature bytes only for fingerprints
    the cache lacks. Articles without a stored signature (never grouped yet) are left out:
    their own run will compare them with this one's.
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
    for part in _chunked(unknown):
        for fingerprint, raw in db.session.execute(
                select(Article.fingerprint, ArticleBody.minhash)
                .join(ArticleBody, ArticleBody.article_id == Article.id)
                .where(Article.id.in_(part), ArticleBody.minhash.is_not(None))):
            _cache.put(fingerprint, Signature.from_bytes(raw))
    return _sharing_a_band(targets, rows)


def _sharing_a_band(targets: dict[int, _Member], rows: list[Any]) -> dict[int, _Member]:
    """The window's articles that share at least one LSH band key with some target: a sorted
    search over all keys at once, so only the few candidates become `_Member`s."""
    wanted = [m.keys for m in targets.values() if m.keys is not None and _long_enough(m)]
    entries = [(row, _cache.get(row[4])) for row in rows]
    entries = [(row, e) for row, e in entries if e is not None and e[0].size >= MIN_SHINGLES]
    if not wanted or not entries:
        return {}
    target_keys = np.unique(np.concatenate(wanted))
    keys = np.stack([e[1] for _, e in entries])
    found = np.minimum(np.searchsorted(target_keys, keys), len(target_keys) - 1)
    hits = np.nonzero((target_keys[found] == keys).any(axis=1))[0]
    pool: dict[int, _Member] = {}
    for index in hits:
        (article_id, outlet_id, day, group_id, _fingerprint), entry = entries[int(index)]
        pool[article_id] = _Member(article_id, outlet_id, day, group_id, *entry)
    return pool


def _link_exact_copies(targets: dict[int, _Member], links: _UnionFind) -> None:
    """Identical bodies in other outlets, whatever their day (one query per chunk)."""
    for article_id, member in targets.items():
        links.outlets[article_id] = member.outlet_id
    wanted = {fp for article_id, fp in _fingerprints_chunked(list(targets))
              if fp and _long_enough(targets[article_id])}
    by_print: dict[str, list[int]] = defaultdict(list)
    for part in _chunked_strings(sorted(wanted)):
        for article_id, outlet_id, fp in db.session.execute(
                select(Article.id, Article.outlet_id, Article.fingerprint)
                .where(Article.fingerprint.in_(part))):
            by_print[fp].append(article_id)
            links.outlets[article_id] = outlet_id
    for members in by_print.values():
        first = members[0]
        others = [m for m in members if links.outlets[m] != links.outlets[first]]
        if not others:
            continue  # one outlet only: not a reprint
        for member in members[1:]:
            links.union(member, first if links.outlets[member] != links.outlets[first]
                        else others[0])


def _fingerprints_chunked(ids: Sequence[int]) -> list[tuple[int, str]]:
    rows: list[tuple[int, str]] = []
    for part in _chunked(ids):
        rows += [tuple(r) for r in db.session.execute(
            select(Article.id, Article.fingerprint).where(Article.id.in_(part)))]
    return rows


def _chunked_strings(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def _long_enough(member: _Member) -> bool:
    return member.signature is not None and member.signature.size >= MIN_SHINGLES


def _band_keys(signatures: np.ndarray) -> np.ndarray:
    """One 64-bit key per (article, band): the band's ROWS hashes and its index, mixed."""
    bands = signatures[:, :BANDS * ROWS].astype(np.uint64).reshape(len(signatures), BANDS, ROWS)
    keys = np.arange(BANDS, dtype=np.uint64) * _MIX[0]
    for row in range(ROWS):
        keys = (keys ^ bands[:, :, row]) * _MIX[row + 1]  # wraps: a hash, not arithmetic
    return keys


def _link_similar(targets: dict[int, _Member], pool: dict[int, _Member],
                  links: _UnionFind) -> None:
    """LSH banding over targets and window; verify each candidate pair, link the similar.

    The pool holds only window articles sharing a band with a target (`_sharing_a_band`),
    so a run over a few new articles costs little however many the window holds.
    """
    everyone = {**pool, **targets}
    members = [m for m in everyone.values() if m.day is not None and _long_enough(m)]
    if len(members) < 2:
        return
    keys = np.stack([m.keys for m in members])  # type: ignore[arg-type]
    buckets: dict[int, list[int]] = defaultdict(list)
    for index, key in enumerate(keys.ravel().tolist()):
        buckets[key].append(index // BANDS)
    checked: set[tuple[int, int]] = set()
    for bucket in buckets.values():
        for i, first in enumerate(bucket):
            for second in bucket[i + 1:]:
                _check_pair(members[first], members[second], targets, checked, links)


def _check_pair(first: _Member, second: _Member, targets: dict[int, _Member],
                checked: set[tuple[int, int]], links: _UnionFind) -> None:
    if first.id not in targets and second.id not in targets:
        return  # both stored before: an earlier run decided
    if first.outlet_id == second.outlet_id:
        return
    pair = (min(first.id, second.id), max(first.id, second.id))
    if pair in checked:
        return
    checked.add(pair)
    days_apart = abs(_ordinal(first.day) - _ordinal(second.day))  # type: ignore[operator]
    if days_apart > WINDOW_DAYS:
        return
    if similar(first.signature, second.signature):  # type: ignore[arg-type]
        links.outlets[first.id], links.outlets[second.id] = first.outlet_id, second.outlet_id
        links.union(first.id, second.id)


class _UnionFind:
    """Connected articles (and the outlet of each, to refuse same-outlet links)."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.outlets: dict[int, int] = {}

    def find(self, x: int) -> int:
        root = self.parent.setdefault(x, x)
        while root != self.parent[root]:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def components(self) -> list[list[int]]:
        found: dict[int, list[int]] = defaultdict(list)
        for x in list(self.parent):
            found[self.find(x)].append(x)
        return [c for c in found.values() if len(c) > 1]


@dataclass
class _Row:
    id: int
    outlet_id: int
    group_id: int | None
    published_at: datetime | None
    credit: str


def _apply_groups(links: _UnionFind) -> GroupingResult:
    """Turn linked components into groups: join existing groups (the lowest id survives), add
    their earlier members, then set sizes and originals with bulk updates."""
    result = GroupingResult()
    components = links.components()
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
        original = _original([rows[i] for i in member_ids], outlets)
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


def _load_rows(ids: set[int]) -> dict[int, _Row]:
    rows: dict[int, _Row] = {}
    for part in _chunked(sorted(ids)):
        for r in db.session.execute(
                select(Article.id, Article.outlet_id, Article.reprint_group_id,
                       Article.published_at, Article.source_credit)
                .where(Article.id.in_(part))):
            rows[r[0]] = _Row(*r)
    return rows


def _group_members(group_ids: set[int], known: set[int]) -> dict[int, _Row]:
    """Members of the touched groups not linked in this run (stored and grouped before)."""
    if not group_ids:
        return {}
    found = db.session.execute(
        select(Article.id, Article.outlet_id, Article.reprint_group_id, Article.published_at,
               Article.source_credit).where(Article.reprint_group_id.in_(group_ids))).all()
    return {r[0]: _Row(*r) for r in found if r[0] not in known}


def _merge_components(components: list[list[int]], rows: dict[int, _Row],
                      ) -> list[tuple[int | None, list[int]]]:
    """Components that share an existing group become one; each gets its surviving group id."""
    merger = _UnionFind()
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


def _original(members: list[_Row], all_outlets: dict[int, Outlet]) -> int:
    """The member the others credit as their source, else the earliest published."""
    outlets = {m.outlet_id: all_outlets[m.outlet_id] for m in members}
    credited = set()
    for member in members:
        credit = _CREDIT_PREFIX.sub("", member.credit or "").strip()
        if not credit:
            continue
        for outlet_id, outlet in outlets.items():
            names = [outlet.name, *outlet.alias_list]
            if outlet_id != member.outlet_id and any(n and n in credit for n in names):
                credited.add(outlet_id)
    pool = [m for m in members if m.outlet_id in credited] or members
    return min(pool, key=_published_key).id


def _published_key(row: _Row) -> tuple[datetime, int]:
    return (row.published_at or datetime.max.replace(tzinfo=UTC), row.id)


def group_count() -> int:
    """How many reprint groups are stored (for logs and the benchmark)."""
    return int(db.session.scalar(select(func.count()).select_from(ReprintGroup)) or 0)
