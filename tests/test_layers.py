"""The import layers: every import goes down the floors, none goes round in a circle.

Floors, lowest first: scrapers · config, extensions, core, demo_site · auth · planning ·
sources · articles · reprints · coverage · ingest · pages (the web pages of the features
below) · dashboards · exports · api · digests · the features' commands · the app's commands,
the factory and the CLI. A module may import a lower floor, or its own package on its own
floor; never upward, and never in a cycle (lazy imports count too).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Each package (room) of the project, lowest first. A page module (views.py, *_views.py,
# blueprint.py) of a room up to ingest sits on the pages floor, above ingest and below the
# reading rooms; the command module (cli.py) of a feature room sits above the
# features and below the app's own commands.
ROOMS = [
    "scrapers", "config", "campaign.extensions", "campaign.core", "campaign.demo_site",
    "campaign.auth", "campaign.planning", "campaign.sources", "campaign.articles",
    "campaign.reprints", "campaign.coverage", "campaign.ingest",
    "pages",
    "campaign.dashboards", "campaign.exports", "campaign.api", "campaign.digests",
    "commands",
    "campaign.workers", "campaign.processes", "campaign.commands", "campaign", "campaign.cli",
]
PAGES_FROM = ROOMS[ROOMS.index("campaign.auth"):ROOMS.index("pages")]
COMMANDS_FROM = ROOMS[ROOMS.index("campaign.auth"):ROOMS.index("commands")]
FOREIGN_TO_SCRAPERS = ("campaign", "config", "flask", "flask_babel", "sqlalchemy")


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def room_of(module: str) -> str | None:
    """The longest room of ROOMS that `module` lies in."""
    rooms = [r for r in ROOMS if module == r or module.startswith(r + ".")]
    return max(rooms, key=len) if rooms else None


def rank_of(module: str) -> tuple[int, int] | None:
    """(floor, room) positions: an import must lead to a smaller rank or its own room."""
    room = room_of(module)
    if room is None:
        return None
    leaf = module.rsplit(".", 1)[-1]
    floor = room
    if room in PAGES_FROM and (leaf in {"views", "blueprint"} or leaf.endswith("_views")):
        floor = "pages"
    elif room in COMMANDS_FROM and leaf == "cli":
        floor = "commands"
    return ROOMS.index(floor), ROOMS.index(room)


def floor_name(module: str) -> str:
    rank = rank_of(module)
    return ROOMS[rank[0]] if rank else "?"


def imported_names(tree: ast.Module, module: str, is_package: bool,
                   modules: set[str]) -> Iterator[tuple[int, str]]:
    """Every module an import statement names, at any depth (lazy imports count)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            names = [f"{base}.{alias.name}" for alias in node.names]
            yield from ((node.lineno, name) for name in names if name in modules)
            if not all(name in modules for name in names):  # names defined in `base`
                yield node.lineno, base


def import_graph(root: Path) -> dict[str, dict[str, int]]:
    """module -> {what it imports: line}, for campaign/, scrapers/ and config.py; the targets
    are the project's modules, and for scrapers also the packages they must not use."""
    files = [*sorted((root / "campaign").rglob("*.py")), *sorted((root / "scrapers").rglob("*.py"))]
    if (root / "config.py").exists():
        files.append(root / "config.py")
    modules = {module_name(path, root): path for path in files}
    graph: dict[str, dict[str, int]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        edges: dict[str, int] = {}
        for line, name in imported_names(tree, module, path.name == "__init__.py", set(modules)):
            foreign = room_of(module) == "scrapers" and name.split(".")[0] in FOREIGN_TO_SCRAPERS
            if (name in modules and name != module) or foreign:
                edges.setdefault(name, line)
        graph[module] = edges
    return graph


def upward_imports(graph: dict[str, dict[str, int]]) -> list[str]:
    """Imports that lead to a higher floor or room (scrapers: to anything outside them)."""
    problems = []
    for module, edges in sorted(graph.items()):
        for target, line in sorted(edges.items()):
            if room_of(module) == "scrapers":
                if room_of(target) != "scrapers":
                    problems.append(f"{module}:{line} imports {target} (scrapers stand alone)")
                continue
            mine, theirs = rank_of(module), rank_of(target)
            if mine is None or theirs is None or mine == theirs:
                continue  # (inside one package on one floor only cycles are wrong)
            if theirs > mine:
                problems.append(f"{module}:{line} ({floor_name(module)}) imports {target}"
                                f" ({floor_name(target)}): upward")
    return problems


def import_cycles(graph: dict[str, dict[str, int]]) -> list[str]:
    """One cycle for each group of modules that import each other round (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, {}):
            if target not in graph:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [" -> ".join(_cycle_in(graph, set(group))) for group in groups]


def _cycle_in(graph: dict[str, dict[str, int]], group: set[str]) -> list[str]:
    """A path that starts and ends on the same module, inside one cyclic group."""
    start = min(group)
    path, seen = [start], {start}
    while True:
        nxt = min(t for t in graph[path[-1]] if t in group)
        if nxt in seen:
            return [*path[path.index(nxt):], nxt]
        path.append(nxt)
        seen.add(nxt)


def layer_problems(root: Path) -> list[str]:
    graph = import_graph(root)
    return upward_imports(graph) + [f"import cycle: {c}" for c in import_cycles(graph)]


def test_imports_go_down_without_cycles() -> None:
    """No module of campaign/, scrapers/ or config.py imports upward or in a cycle."""
    assert layer_problems(ROOT) == []


def test_every_campaign_package_has_a_floor() -> None:
    """A new package of campaign/ is given a floor before it can escape the check."""
    packages = {p.name for p in (ROOT / "campaign").iterdir() if (p / "__init__.py").exists()}
    assert {p for p in packages if room_of(f"campaign.{p}") == "campaign"} == set()


def _write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_check_reports_an_upward_import_a_cycle_and_a_scraper_import(tmp_path: Path) -> None:
    """The check names an upward lazy import, a cycle and a scraper importing Flask."""
    for package in ("campaign", "campaign/core", "campaign/planning", "campaign/coverage"):
        _write(tmp_path, f"{package}/__init__.py", "")
    _write(tmp_path, "campaign/planning/models.py",
           "def f():\n    from campaign.coverage import matching\n")
    _write(tmp_path, "campaign/coverage/matching.py", "X = 1\n")
    _write(tmp_path, "campaign/core/a.py", "from campaign.core import b\n")
    _write(tmp_path, "campaign/core/b.py", "def g():\n    import campaign.core.a\n")
    _write(tmp_path, "scrapers/__init__.py", "")
    _write(tmp_path, "scrapers/fetch.py", "import flask\n")
    assert layer_problems(tmp_path) == [
        ("campaign.planning.models:2 (campaign.planning) imports campaign.coverage.matching"
         " (campaign.coverage): upward"),
        "scrapers.fetch:1 imports flask (scrapers stand alone)",
        "import cycle: campaign.core.a -> campaign.core.b -> campaign.core.a",
    ]


def test_pages_sit_above_ingest_and_below_the_reading_rooms(tmp_path: Path) -> None:
    """A feature's page module may import ingest; its domain modules and the pages may not
    import dashboards."""
    for package in ("campaign", "campaign/sources", "campaign/ingest", "campaign/dashboards"):
        _write(tmp_path, f"{package}/__init__.py", "")
    _write(tmp_path, "campaign/ingest/health.py", "X = 1\n")
    _write(tmp_path, "campaign/dashboards/cube.py", "X = 1\n")
    _write(tmp_path, "campaign/sources/views.py",
           "from campaign.ingest import health\nfrom campaign.dashboards import cube\n")
    _write(tmp_path, "campaign/sources/operations.py", "from campaign.ingest.health import X\n")
    assert layer_problems(tmp_path) == [
        ("campaign.sources.operations:1 (campaign.sources) imports campaign.ingest.health"
        " (campaign.ingest): upward"),
        ("campaign.sources.views:2 (pages) imports campaign.dashboards.cube"
        " (campaign.dashboards): upward"),
    ]
