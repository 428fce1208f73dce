"""The pieces of reprint grouping shared by linking new copies (`reprints`) and splitting a
group whose member's text changed (`split_changed_groups`): linked components that never hold
two articles of one outlet, and the choice of a group's original."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from campaign.planning.models import Outlet

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


