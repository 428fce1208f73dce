"""Finding the article list of a list page (栏目页) and a CSS selector for its links.

Links are grouped by the list they sit in: an anchor's *row* is its lowest ancestor repeated
at least three times under one parent (an ``li``, a ``tr``, a Discuz ``tbody``, or the anchor
itself), the row's parent is the list's *container*, and anchors with the same container and
the same tag path below it form a group. Rows' own ids and classes (``li#n123.odd``,
``th.new``) never split a list; sibling containers alike (a list cut into several ``ul``) are
one list. Groups are scored as headline lists, the best first, and the first one a short
selector captures well enough (at least 90 % of its links, at most 10 % extras) is proposed.
Links to other sites are left out; sibling hosts of the page's registered domain are the site.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from scrapers.sites import site_of
from scrapers.urls import normalize_url, resolve_link

MIN_HEADLINE = 6
MIN_GROUP = 3
MIN_RECALL = 0.9
MAX_EXTRAS = 0.1
IDENT = re.compile(r"^-?[A-Za-z_][\w-]*$")
NEXT_TEXTS = ("下一页", "下页", "后一页", "下一頁")


def text_of(node: Tag) -> str:
    """A node's text, whitespace collapsed."""
    return " ".join(node.get_text(" ").split())


def is_next_link(anchor: Tag) -> bool:
    """True for a 下一页 link (by its text or its title)."""
    text = text_of(anchor).strip("[]【】<>» ")
    title = str(anchor.get("title") or "").strip()
    return text in NEXT_TEXTS or title in NEXT_TEXTS


def step(node: Tag) -> str:
    """A CSS step for one element: its tag, and its id or its classes when they are plain."""
    ident = node.get("id")
    if isinstance(ident, str) and IDENT.match(ident):
        return f"{node.name}#{ident}"
    return node.name + "".join(f".{c}" for c in classes(node))


def classes(node: Tag) -> list[str]:
    """A node's classes usable in a selector."""
    return [c for c in node.get("class") or [] if IDENT.match(c)]


def url_shape(url: str) -> str:
    """A URL with its digits blurred and its last segment's name dropped: links to articles of
    one column share a shape (``/system/0/0/0/*.shtml``)."""
    path = urlsplit(url).path
    head, _sep, last = path.rpartition("/")
    extension = last.rpartition(".")[2] if "." in last else ""
    return re.sub(r"\d+", "0", head) + "/*." + extension


def _repeated(node: Tag) -> bool:
    parent = node.parent
    if not isinstance(parent, Tag):
        return False
    alike = [sibling for sibling in parent.find_all(node.name, recursive=False)
             if sibling.name == "a" or sibling.find("a", href=True) is not None]
    return len(alike) >= MIN_GROUP


def row_of(anchor: Tag) -> Tag:
    """The anchor's row: its lowest ancestor (or itself) repeated, with links, under one
    parent (a table's title cell beside its date cells is not a row: its ``tr`` is)."""
    node = anchor
    while isinstance(node.parent, Tag) and node.parent.name not in ("body", "html"):
        if _repeated(node):
            return node
        node = node.parent
    return node


def _tail(row: Tag, anchor: Tag) -> tuple[str, ...]:
    """Tag names from the row down to the anchor."""
    names = [anchor.name]
    node = anchor
    while node is not row and isinstance(node.parent, Tag):
        node = node.parent
        names.append(node.name)
    return tuple(reversed(names))


@dataclass
class LinkGroup:
    """The links of one list: its container, the tag path below it, its anchors."""

    container: Tag
    tail: tuple[str, ...]
    anchors: list[Tag]
    targets: list[str]

    def score(self) -> float:
        """How much the group looks like a list of headlines (0 when it does not)."""
        headlines = [a for a in self.anchors if len(text_of(a)) >= MIN_HEADLINE]
        if len(headlines) < MIN_GROUP:
            return 0.0
        shapes = Counter(url_shape(t) for t in self.targets)
        share = shapes.most_common(1)[0][1] / len(self.targets)
        return len(headlines) * share * (len(headlines) / len(self.anchors))


def link_groups(soup: BeautifulSoup, url: str) -> list[LinkGroup]:
    """The page's links to its own site, grouped by the list they sit in."""
    site, own = site_of(url), normalize_url(url)
    groups: dict[tuple[int, str, tuple[str, ...]], LinkGroup] = {}
    for anchor in soup.find_all("a", href=True):
        target = resolve_link(anchor.get("href"), url)
        if not target or site_of(target) != site or normalize_url(target) == own:
            continue
        if is_next_link(anchor):
            continue
        row = row_of(anchor)
        container = row.parent if isinstance(row.parent, Tag) else row
        tail = _tail(row, anchor)
        # Sibling containers alike (one list cut into several <ul>) share their parent.
        holder = container.parent if isinstance(container.parent, Tag) else container
        key = (id(holder), step(container), tail)
        group = groups.setdefault(key, LinkGroup(container, tail, [], []))
        group.anchors.append(anchor)
        group.targets.append(target)
    return list(groups.values())


def _common_classes(nodes: list[Tag]) -> list[str]:
    shared = set(classes(nodes[0]))
    for node in nodes[1:]:
        shared &= set(classes(node))
    return [c for c in classes(nodes[0]) if c in shared]


def _named_steps(node: Tag) -> Iterator[str]:
    ident = node.get("id")
    if isinstance(ident, str) and IDENT.match(ident):
        yield f"{node.name}#{ident}"
    names = classes(node)
    if names:
        yield node.name + "".join(f".{c}" for c in names)
    if len(names) > 1:
        yield from (f"{node.name}.{c}" for c in names)


def candidate_selectors(group: LinkGroup) -> Iterator[str]:
    """Selectors for a group, short to long: a named container (or ancestor) and the tags
    below it; the anchors' shared classes; the full path as a last resort."""
    shared = _common_classes(group.anchors)
    anchor_steps = ["a" + "".join(f".{c}" for c in shared)] if shared else []
    node: Tag | None = group.container
    below = list(group.tail)
    while isinstance(node, Tag) and node.name not in ("html", "[document]"):
        for named in _named_steps(node):
            yield " ".join([named, *below])
            yield " ".join([named, below[0], "a"]) if len(below) > 2 else named + " a"
            for last in anchor_steps:
                yield f"{named} {last}"
        below.insert(0, node.name)
        node = node.parent if isinstance(node.parent, Tag) else None
    yield from anchor_steps
    yield " > ".join(below)


def _fit(soup: BeautifulSoup, selector: str, wanted: set[int]) -> tuple[float, float] | None:
    """The share of the wanted anchors a selector captures and its share of extras."""
    try:
        chosen = {id(node) for node in soup.select(selector)}
    except ValueError:
        return None
    if not chosen:
        return None
    return len(chosen & wanted) / len(wanted), len(chosen - wanted) / len(chosen)


def selector_for(soup: BeautifulSoup, group: LinkGroup) -> str | None:
    """The first candidate selecting exactly the group's anchors, else the one with the fewest
    extras among those capturing at least 90 % with at most 10 % extras; None if none does."""
    wanted = {id(anchor) for anchor in group.anchors}
    good: list[tuple[float, int, str]] = []
    for order, selector in enumerate(dict.fromkeys(candidate_selectors(group))):
        fit = _fit(soup, selector, wanted)
        if fit is None:
            continue
        recall, extras = fit
        if recall == 1 and extras == 0:
            return selector
        if recall >= MIN_RECALL and extras <= MAX_EXTRAS:
            good.append((extras, order, selector))
    return min(good)[2] if good else None


def infer_selector(soup: BeautifulSoup, url: str) -> str | None:
    """A link selector for the page's article list: the best-scored group a selector captures,
    falling back group by group; None when no group looks like a list of headlines."""
    scored = [(group.score(), group) for group in link_groups(soup, url)]
    ranked = sorted((pair for pair in scored if pair[0] > 0), key=lambda pair: -pair[0])
    for _score, group in ranked:
        selector = selector_for(soup, group)
        if selector is not None:
            return selector
    return None
