"""Run a corpus of feeds through :func:`scrapers.feeds.parse_feed` and compare with feedparser.

``python -m scrapers.feedcheck DIR...`` parses every ``.xml``/``.rss``/``.atom``/``.rdf`` file (and
``.html``, which must not break it either)
under each DIR with the project's feed function and with plain ``feedparser.parse``, honouring
the ``Header: Name: value`` lines of a file's leading XML comment (feedparser's test-suite
convention) as simulated HTTP response headers. Files are grouped by their first folder level
(``wellformed``, ``illformed``, ``encoding`` under feedparser's tests; the DIR name otherwise).

For each group it reports how many feeds give the same entry count and entry titles as
feedparser, and lists the mismatches with a reason. The exit status is non-zero only when the
project's function raised an exception on some feed.
"""

from __future__ import annotations

import argparse
import codecs
import re
import sys
import traceback
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom", ".rdf", ".html"})
_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_HEADER = re.compile(r"^\s*Header:\s*([^:\s]+)\s*:\s*(.*?)\s*$", re.MULTILINE)
_SPACES = re.compile(r"\s+")
_PROBE_CODECS = ("utf-32", "utf-16", "utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be")


@dataclass(slots=True)
class GroupReport:
    """Counts and mismatches for one group of feeds."""

    feeds: int = 0
    same: int = 0
    same_after_markup: int = 0
    errors: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)


def _head_text(body: bytes) -> str:
    """Decode the start of a file well enough to read its leading comment."""
    head = body[:4096]
    if b"\x00" in head[:8]:
        for codec in _PROBE_CODECS:
            try:
                text = head[: len(head) - len(head) % 4].decode(codec)
            except UnicodeDecodeError:
                continue
            if "<" in text:
                return text.lstrip("\ufeff")
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"),):
        if head.startswith(bom):
            return head.decode(codec, errors="replace")
    return head.decode("latin-1")


def simulated_headers(body: bytes) -> dict[str, str]:
    """The ``Header:`` lines of the file's first XML comment, as a header mapping."""
    match = _COMMENT.search(_head_text(body))
    if not match:
        return {}
    return dict(_HEADER.findall(match.group(1)))


def feed_files(folder: Path) -> Iterator[Path]:
    """Every feed-looking file under ``folder``, in a stable order."""
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix.lower() in FEED_SUFFIXES:
            yield path


def group_of(path: Path, root: Path) -> str:
    """``wellformed``/``illformed``/``encoding`` for feedparser's layout, else the root name."""
    relative = path.relative_to(root).parts
    feedparser_layout = (root / "wellformed").is_dir() and (root / "illformed").is_dir()
    if feedparser_layout and len(relative) > 1:
        return relative[0]
    return root.name


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def compare(path: Path, headers: Mapping[str, str]) -> tuple[str, str]:
    """Parse one file both ways; return (verdict, reason) with verdict in
    ``same`` / ``markup`` / ``mismatch`` / ``error``."""
    import feedparser

    from scrapers.feeds import html_to_text, parse_feed

    body = path.read_bytes()
    try:
        ours = parse_feed(body, headers=headers or None, url=None)
    except Exception:  # noqa: BLE001 - the point of this script is to catch anything
        return "error", traceback.format_exc(limit=3).strip().splitlines()[-1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference: Any = feedparser.parse(body, response_headers=dict(headers))
    theirs = [str(entry.get("title") or "") for entry in reference.entries]
    mine = [entry.title for entry in ours.entries]
    if len(mine) != len(theirs):
        return "mismatch", f"{len(mine)} entries, feedparser {len(theirs)}"
    verdict = "same"
    for index, (a, b) in enumerate(zip(mine, theirs, strict=True)):
        if _norm(a) == _norm(b):
            continue
        if _norm(a) == _norm(html_to_text(b)):
            verdict = "markup"
            continue
        return "mismatch", f"title #{index + 1}: {a[:40]!r} vs feedparser {b[:40]!r}"
    return verdict, ""


def check(folders: Sequence[Path]) -> dict[str, GroupReport]:
    """Compare every feed under ``folders``; return a report per group."""
    reports: dict[str, GroupReport] = {}
    for folder in folders:
        for path in feed_files(folder):
            report = reports.setdefault(group_of(path, folder), GroupReport())
            report.feeds += 1
            headers = simulated_headers(path.read_bytes())
            verdict, reason = compare(path, headers)
            name = str(path.relative_to(folder))
            if verdict == "same":
                report.same += 1
            elif verdict == "markup":
                report.same_after_markup += 1
            elif verdict == "error":
                report.errors.append(f"{name}: {reason}")
            else:
                report.mismatches.append(f"{name}: {reason}")
    return reports


def _emit(*parts: object, file: TextIO | None = None) -> None:
    """Write one line of the report (to stdout unless ``file`` is given)."""
    (file or sys.stdout).write(" ".join(str(part) for part in parts) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point: ``python -m scrapers.feedcheck DIR...``."""
    parser = argparse.ArgumentParser(prog="python -m scrapers.feedcheck", description=__doc__)
    parser.add_argument("folders", nargs="+", type=Path, help="folders of feed files")
    args = parser.parse_args(argv)
    for folder in args.folders:
        if not folder.is_dir():
            parser.error(f"not a folder: {folder}")
    reports = check(args.folders)
    _emit("Entry counts and titles: scrapers.feeds.parse_feed vs plain feedparser.parse")
    _emit("(titles compared with whitespace collapsed; 'markup' = equal once feedparser's")
    _emit(" title is reduced to text, as parse_feed does)\n")
    _emit(f"{'group':16} {'feeds':>5} {'same':>5} {'markup':>6} {'differ':>6} {'errors':>6}")
    for group, report in reports.items():
        _emit(
            f"{group:16} {report.feeds:5d} {report.same:5d} {report.same_after_markup:6d} "
            f"{len(report.mismatches):6d} {len(report.errors):6d}"
        )
    for group, report in reports.items():
        for line in report.mismatches:
            _emit(f"  differs  [{group}] {line}")
        for line in report.errors:
            _emit(f"  EXCEPTION [{group}] {line}")
    failed = sum(len(r.errors) for r in reports.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
