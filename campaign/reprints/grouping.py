"""The pieces of reprint grouping shared by linking new copies (`linking`) and splitting a
group whose member's text changed (`split_changed_groups`): linked components that never hold
two articles of one outlet, and the choice of a group's original."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select, update

from campaign.articles.models import Article, ArticleBody
from campaign.articles.store import CHANGED_GROUPS
from campaign.planning.models import Outlet
from campaign.reprints.models import ReprintGroup
from campaign.reprints.signatures import compute_signatures, read_signature, similar

_CREDIT_PREFIX = re.compile(r"^\s*(?:稿件)?(?:来源|来自|转载自|转自|摘自|据)\s*[:：]?\s*")


class Links:
    """Connected articles, and existing groups as nodes of their own (negative ids). A
    component never holds two articles of one outlet: an outlet does not reprint itself, and
    a daily item (a weather report, a notice) copied by another outlet each day must not chain
    the days into one group."""

    def __init__(self, group_outlets: dict[int, set[int]] | None = None) -> None:
        self.parent: dict[int, int] = {}
        self.held: dict[int, set[int]] = {}  # root -> the outlets of its component
        self.group_outlets = group_outlets or {}

    def place(self, article_id: int, outlet_id: int, group_id: int | None) -> None:
        """An article (in its existing group, if any)."""
        self._node(article_id, {outlet_id})
        if group_id is not None:
            self._node(-group_id, self.group_outlets.get(group_id, {outlet_id}))
            self.union(article_id, -group_id, force=True)

    def _node(self, x: int, outlets: set[int]) -> None:
        if x not in self.parent:
            self.parent[x] = x
            self.held[x] = set(outlets)

    def find(self, x: int) -> int:
        root = self.parent.setdefault(x, x)
        self.held.setdefault(root, set())
        while root != self.parent[root]:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int, *, force: bool = False) -> bool:
        """Join the components of `a` and `b`, unless they hold articles of one outlet."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not force and self.held[ra] & self.held[rb]:
            return False
        keep, drop = min(ra, rb), max(ra, rb)
        self.parent[drop] = keep
        self.held[keep] |= self.held.pop(drop)
        return True

    def components(self) -> list[list[int]]:
        found: dict[int, list[int]] = defaultdict(list)
        for x in list(self.parent):
            found[self.find(x)].append(x)
        return [c for c in found.values() if len(c) > 1]


@dataclass
class GroupRow:
    id: int
    outlet_id: int
    group_id: int | None
    published_at: datetime | None
    credit: str


def original_of(members: list[GroupRow], all_outlets: dict[int, Outlet]) -> int:
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


def _published_key(row: GroupRow) -> tuple[datetime, int]:
    return (row.published_at or datetime.max.replace(tzinfo=UTC), row.id)


def split_changed_groups(session: Any) -> int:
    """Regroup the members left in the groups an article left when its text changed
    (`articles.store.note_changed_text`): each group's members are linked again among
    themselves (same text, or similar signatures), and every linked part of two or more becomes
    a group (the first keeps the id), the rest ungrouped. Returns how many articles left a
    group."""
    group_ids = sorted(session.info.pop(CHANGED_GROUPS, set()))
    if not group_ids:
        return 0
    session.flush()
    rows = session.execute(
        select(Article.id, Article.outlet_id, Article.reprint_group_id, Article.published_at,
               Article.source_credit, Article.fingerprint, ArticleBody.minhash)
        .join(ArticleBody, ArticleBody.article_id == Article.id)
        .where(Article.reprint_group_id.in_(group_ids))).all()
    signatures = {r.id: read_signature(r.minhash) for r in rows}
    signatures.update(compute_signatures([i for i, sig in signatures.items() if sig is None]))
    by_group: dict[int, list[Any]] = defaultdict(list)
    for r in rows:
        by_group[r.reprint_group_id].append(r)
    outlets = {o.id: o for o in session.scalars(select(Outlet))}
    left = 0
    for group_id in group_ids:
        members = by_group.get(group_id, [])
        links = Links()
        for m in members:
            links.place(m.id, m.outlet_id, None)
        pairs = sorted(
            ((a.id, b.id) for i, a in enumerate(members) for b in members[i + 1:]
             if (a.fingerprint and a.fingerprint == b.fingerprint)
             or _both_similar(signatures.get(a.id), signatures.get(b.id))))
        for a, b in pairs:
            links.union(a, b)
        parts = [sorted(c) for c in links.components()]
        left += _regroup(session, group_id, members, parts, outlets)
    return left


def _both_similar(a: Any, b: Any) -> bool:
    return a is not None and b is not None and similar(a, b)


def _regroup(session: Any, group_id: int, members: list[Any], parts: list[list[int]],
             outlets: dict[int, Outlet]) -> int:
    """Write a split group: its parts (the first keeps `group_id`), the rest ungrouped."""
    rows = {m.id: GroupRow(m.id, m.outlet_id, m.reprint_group_id, m.published_at,
                           m.source_credit) for m in members}
    grouped = {i for part in parts for i in part}
    updates = [{"id": i, "reprint_group_id": None, "is_original": True}
               for i in rows if i not in grouped]
    sizes = []
    for n, part in enumerate(sorted(parts)):
        gid = group_id
        if n:
            fresh = ReprintGroup(size=len(part))
            session.add(fresh)
            session.flush()
            gid = fresh.id
        original = original_of([rows[i] for i in part], outlets)
        updates += [{"id": i, "reprint_group_id": gid, "is_original": i == original}
                    for i in part]
        sizes.append({"id": gid, "size": len(part)})
    if updates:
        session.execute(update(Article), updates)
    if sizes:
        session.execute(update(ReprintGroup), sizes)
    else:
        session.execute(delete(ReprintGroup).where(ReprintGroup.id == group_id))
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Article | ReprintGroup) and obj.id in {*rows, group_id}:
            session.expire(obj)
    return len(rows) - len(grouped)
