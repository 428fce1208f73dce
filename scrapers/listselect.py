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

import soupsieve
from bs4 import BeautifulSoup, Tag

from scrapers.sites import site_of
from scrapers.urls import normalize_url, resolve_link

MIN_HEADLINE = 6
MIN_GROUP = 3
MIN_RECALL = 0.9
MAX_EXTRAS = 0.1
# Bounds on the work for one page (a portal home has thousands of links): the groups tried,
# and the named ancestors above a list tried as its selector's start.
MAX_GROUPS = 6
MAX_NAMED = 3
IDENT = re.compile(r"^-?[A-Za-z_][\w-]*$")
NEXT_TEXTS = ("下一页", "下页", "后一页", "下一頁")
# A previous-page link: a next-page selector must never match one (on page 2 it comes first).
PREV_TEXTS = ("上一页", "上页", "前一页", "上一頁", "prev", "previous", "«", "‹", "<<")


def text_of(node: Tag) -> str:
    """A node's text, whitespace collapsed."""
    return " ".join(node.get_text(" ").split())


def is_headline(text: str) -> bool:
    """True for a text long enough to be a headline and mostly words (a forum's last-post
    time ``2024-5-1 10:05`` or a page number is not)."""
    return len(text) >= MIN_HEADLINE and sum(c.isalpha() for c in text) * 2 >= len(text)


def is_next_link(anchor: Tag) -> bool:
    """True for a 下一页 link (by its text or its title)."""
    text = text_of(anchor).strip("[]【】<>» ")
    title = str(anchor.get("title") or "").strip()
    return text in NEXT_TEXTS or title in NEXT_TEXTS


def is_prev_link(anchor: Tag) -> bool:
    """True for a 上一页 link (by its text or its title)."""
    text = text_of(anchor).strip("[]【】<>» ").lower()
    title = str(anchor.get("title") or "").strip().lower()
    return text in PREV_TEXTS or title in PREV_TEXTS


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


def _alike(node: Tag, memo: dict[tuple[int, str], int]) -> int:
    """How many children of the node's parent share its tag and hold a link."""
    parent = node.parent
    if not isinstance(parent, Tag):
        return 0
    key = (id(parent), node.name)
    if key not in memo:
        memo[key] = sum(1 for sibling in parent.find_all(node.name, recursive=False)
                        if sibling.name == "a" or sibling.find("a", href=True) is not None)
    return memo[key]


def row_of(anchor: Tag, memo: dict[tuple[int, str], int] | None = None) -> Tag:
    """The anchor's row: the ancestor (or the anchor) repeated most, with links, under one
    parent; a row's three linked cells lose to the list's twenty rows, a list's ``ul`` to
    its ``li``. Without any repeated ancestor, the highest one below ``<body>``."""
    memo = {} if memo is None else memo
    best, most, node = anchor, 0, anchor
    while isinstance(node.parent, Tag):
        count = _alike(node, memo)
        if count >= MIN_GROUP and count > most:
            best, most = node, count
        if node.parent.name in ("body", "html"):
            return best if most else node
        node = node.parent
    return best


def _path(row: Tag, anchor: Tag) -> list[Tag]:
    """The nodes from the row down to the anchor."""
    nodes = [anchor]
    while nodes[-1] is not row and isinstance(nodes[-1].parent, Tag):
        nodes.append(nodes[-1].parent)
    return list(reversed(nodes))


def _place(row: Tag, anchor: Tag) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """Where in its row an anchor sits: each node's position and classes below the row."""
    place = []
    for node in _path(row, anchor)[1:]:
        siblings = node.parent.find_all(True, recursive=False) if node.parent else [node]
        # By identity: Tags compare equal when their markup is alike.
        index = next(i for i, sibling in enumerate(siblings) if sibling is node)
        place.append((index, tuple(classes(node))))
    return tuple(place)


@dataclass
class LinkGroup:
    """The links of one list: its container, its rows, its anchors and their URLs."""

    container: Tag
    rows: list[Tag]
    anchors: list[Tag]
    targets: list[str]

    def score(self) -> float:
        """How much the group looks like a list of headlines (0 when it does not)."""
        headlines = [a for a in self.anchors if is_headline(text_of(a))]
        if len(headlines) < MIN_GROUP:
            return 0.0
        shapes = Counter(url_shape(t) for t in self.targets)
        share = shapes.most_common(1)[0][1] / len(self.targets)
        return len(headlines) * share * (len(headlines) / len(self.anchors))

    def mean_length(self) -> float:
        """The mean length of the anchors' texts."""
        return sum(len(text_of(a)) for a in self.anchors) / len(self.anchors)

    def paths(self) -> list[list[Tag]]:
        """Each anchor's nodes from its row down."""
        return [_path(row, anchor) for row, anchor in zip(self.rows, self.anchors, strict=True)]


def link_groups(soup: BeautifulSoup, url: str) -> list[LinkGroup]:
    """The page's links to its own site, grouped by the list they sit in."""
    site, own = site_of(url), normalize_url(url)
    memo: dict[tuple[int, str], int] = {}
    groups: dict[tuple[int, str, tuple[str, ...]], list[tuple[Tag, Tag, str]]] = {}
    for anchor in soup.find_all("a", href=True):
        target = resolve_link(anchor.get("href"), url)
        if not target or site_of(target) != site or normalize_url(target) == own:
            continue
        if is_next_link(anchor):
            continue
        row = row_of(anchor, memo)
        container = row.parent if isinstance(row.parent, Tag) else row
        tail = tuple(node.name for node in _path(row, anchor))
        # Sibling containers alike (one list cut into several <ul>) share their parent.
        holder = container.parent if isinstance(container.parent, Tag) else container
        groups.setdefault((id(holder), step(container), tail), []).append((row, anchor, target))
    return [group for links in groups.values() for group in _columns(links)]


def _columns(links: list[tuple[Tag, Tag, str]]) -> list[LinkGroup]:
    """One group per column: links with one tag path but in different places of one row (a
    channel link beside the title) are apart; places never met in one row (``th.new`` and
    ``th.common`` on different threads) are one column."""
    places: dict[tuple[tuple[int, tuple[str, ...]], ...], list[tuple[Tag, Tag, str]]] = {}
    for row, anchor, target in links:
        places.setdefault(_place(row, anchor), []).append((row, anchor, target))
    merged: list[tuple[set[int], list[tuple[Tag, Tag, str]]]] = []
    for part in sorted(places.values(), key=len, reverse=True):
        rows = {id(row) for row, _anchor, _target in part}
        home = next((m for m in merged if not m[0] & rows), None)
        if home is None:
            merged.append((rows, list(part)))
        else:
            home[0].update(rows)
            home[1].extend(part)
    return [LinkGroup(container=part[0][0].parent if isinstance(part[0][0].parent, Tag)
                      else part[0][0],
                      rows=[row for row, _a, _t in part], anchors=[a for _r, a, _t in part],
                      targets=[t for _r, _a, t in part])
            for _rows, part in merged]


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


def _tails(group: LinkGroup) -> list[str]:
    """Ways to name the nodes from the row down: tags; from the last node with classes all
    rows share down; tags with those classes; the same with each node's position in the row."""
    paths = group.paths()
    tags = [node.name for node in paths[0]]
    classed = [name + "".join(f".{c}" for c in _common_classes([p[i] for p in paths]))
               for i, name in enumerate(tags)]
    tails = [" ".join(tags)]
    named = [i for i, step_ in enumerate(classed) if step_ != tags[i]]
    if named:
        tails.append(" ".join(classed[named[-1]:]))
    tails.append(" ".join(classed))
    # Columns told apart by position alone (td:nth-child(1) a): the positions all rows share.
    places = [_place(row, anchor) for row, anchor in zip(group.rows, group.anchors, strict=True)]
    nth = [name if len({place[i][0] for place in places}) > 1
           else f"{name}:nth-child({places[0][i][0] + 1})"
           for i, name in enumerate(classed[1:])]
    tails.append(" ".join([classed[0], *nth]))
    if len(tags) > 2:
        tails.append(f"{tags[0]} a")
    tails.append("a")
    return list(dict.fromkeys(tails))


def candidate_selectors(group: LinkGroup) -> Iterator[str]:
    """Selectors for a group, short to long: a named container (or ancestor) and the nodes
    below it; the row's shared classes alone; the full path as a last resort."""
    tails = _tails(group)
    node: Tag | None = group.container
    below: list[str] = []
    named_ancestors = 0
    while isinstance(node, Tag) and node.name not in ("html", "[document]"):
        steps = list(_named_steps(node)) if named_ancestors < MAX_NAMED else []
        named_ancestors += bool(steps)
        for named in steps:
            for tail in tails:
                yield " ".join([named, *below, tail]) if tail == tails[0] else f"{named} {tail}"
        below.insert(0, node.name)
        node = node.parent if isinstance(node.parent, Tag) else None
    yield from (tail for tail in tails[1:] if tail not in ("a", f"{tails[0].split()[0]} a"))
    yield " > ".join([*below, *tails[0].split()])


def _scope(soup: BeautifulSoup, selector: str, roots: dict[str, list[Tag]]) -> list[Tag]:
    """The anchors a candidate could select: those under the elements its first step names
    (matching every anchor of a big page against every candidate takes seconds)."""
    first, _sep, rest = selector.partition(" ")
    first = first if rest else "html"
    if first not in roots:
        found: dict[int, Tag] = {}
        for root in soup.select(first):
            found.update((id(a), a) for a in root.find_all("a"))
        roots[first] = list(found.values())
    return roots[first]


def _fit(anchors: list[Tag], selector: str, wanted: set[int],
         kin: set[int]) -> tuple[float, float, int] | None:
    """The share of the wanted anchors a selector captures, its share of extras and how many
    `kin` it takes (other headlines in the list's own container, a pinned row's bold title:
    neither wanted nor extras)."""
    try:
        compiled = soupsieve.compile(selector)
    except ValueError:
        return None
    # Every candidate ends in an anchor: matching the page's anchors is matching the page.
    chosen = {id(node) for node in anchors if compiled.match(node)}
    if not chosen:
        return None
    extras = len(chosen - wanted - kin) / len(chosen)
    return len(chosen & wanted) / len(wanted), extras, len(chosen & kin)


def _kin(group: LinkGroup, url: str) -> set[int]:
    """The headline links in the group's containers (its rows' parents) whose URLs have the
    shape of the group's: a pinned row's title, not a forum's author link."""
    shape = Counter(url_shape(t) for t in group.targets).most_common(1)[0][0]
    holders = {id(row.parent): row.parent for row in group.rows if isinstance(row.parent, Tag)}
    return {id(a) for holder in holders.values() for a in holder.find_all("a", href=True)
            if is_headline(text_of(a)) and url_shape(resolve_link(a.get("href"), url) or "")
            == shape}


def selector_for(soup: BeautifulSoup, group: LinkGroup, url: str) -> str | None:
    """The first candidate selecting exactly the group's anchors, else, among those capturing
    at least 90 % with at most 10 % extras, the one with the fewest extras and the most kin;
    None if none does."""
    wanted = {id(anchor) for anchor in group.anchors}
    kin = _kin(group, url) - wanted
    roots: dict[str, list[Tag]] = {}
    good: list[tuple[float, float, int, int, str]] = []
    for order, selector in enumerate(dict.fromkeys(candidate_selectors(group))):
        try:
            anchors = _scope(soup, selector, roots)
        except ValueError:
            continue
        fit = _fit(anchors, selector, wanted, kin)
        if fit is None:
            continue
        recall, extras, kinfolk = fit
        if recall == 1 and extras == 0 and kinfolk == len(kin):
            return selector
        if recall >= MIN_RECALL and extras <= MAX_EXTRAS:
            good.append((extras, -recall, -kinfolk, order, selector))
    return min(good)[-1] if good else None


def infer_selector(soup: BeautifulSoup, url: str) -> str | None:
    """A link selector for the page's article list: the best-scored group a selector captures,
    falling back group by group; None when no group looks like a list of headlines."""
    scored = [(group.score(), group) for group in link_groups(soup, url)]
    # Between lists alike, headlines are longer than the user names of a forum's author column.
    ranked = sorted((pair for pair in scored if pair[0] > 0),
                    key=lambda pair: (-pair[0], -pair[1].mean_length()))
    for _score, group in ranked[:MAX_GROUPS]:
        selector = selector_for(soup, group, url)
        if selector is not None:
            return selector
    return None
