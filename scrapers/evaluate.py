"""Score :func:`scrapers.extract.extract_article` against labelled article sets.

Run ``python -m scrapers.evaluate DIR`` where DIR is one labelled set, or a folder holding
several of them. Three layouts are recognised:

* ``ground_truth.json`` (``{id: {url, content, html_file}}``, magic-html style): body text;
* ``evaldata_zh.json`` (``{url: {file, with, without, title, date, ...}}``, trafilatura
  style): snippets that must / must not appear, title and date;
* sub-folders with ``source.html`` + ``expected.html`` + ``expected-metadata.json``
  (readability style): body text and title.

Every page is also run through plain ``trafilatura.extract(html)`` with default settings, on
the same decoded text, as the baseline. Nothing is copied from the data set: files are only
read from the path given.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from scrapers.dates import parse_datetime
from scrapers.encoding import decode_body
from scrapers.evaluate_sites import run as run_sites
from scrapers.extract import extract_article
from scrapers.extract_meta import strip_site_suffix
from scrapers.extract_score import OverlapScore, rouge_l
from scrapers.extract_text import element_lines, normalize_space, parse_document

logger = logging.getLogger(__name__)

SCORE_NAME = "character-level ROUGE-L (LCS over whitespace-stripped text)"


@dataclass(frozen=True, slots=True)
class LabelledPage:
    """One page of a labelled set and what is known to be right about it."""

    set_name: str
    page_id: str
    path: Path
    url: str
    reference: str | None = None
    must: tuple[str, ...] = ()
    must_not: tuple[str, ...] = ()
    title: str | None = None
    date: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one extractor did on one page."""

    body: OverlapScore | None
    snippets_passed: int
    snippets_total: int
    title_ok: bool | None
    date_ok: bool | None
    seconds: float


@dataclass(slots=True)
class Totals:
    """Running sums for one extractor over one set."""

    f1: list[float] = field(default_factory=list)
    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    snippets_passed: int = 0
    snippets_total: int = 0
    titles: list[bool] = field(default_factory=list)
    dates: list[bool] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, outcome: Outcome) -> None:
        """Fold one page's outcome into the totals."""
        if outcome.body is not None:
            self.f1.append(outcome.body.f1)
            self.precision.append(outcome.body.precision)
            self.recall.append(outcome.body.recall)
        self.snippets_passed += outcome.snippets_passed
        self.snippets_total += outcome.snippets_total
        if outcome.title_ok is not None:
            self.titles.append(outcome.title_ok)
        if outcome.date_ok is not None:
            self.dates.append(outcome.date_ok)
        self.seconds += outcome.seconds


def _mean(values: Sequence[float | bool]) -> float:
    return sum(values) / len(values) if values else float("nan")


def load_magic(folder: Path) -> Iterator[LabelledPage]:
    """Pages of a magic-html style set (``ground_truth.json``)."""
    labels = json.loads((folder / "ground_truth.json").read_text(encoding="utf-8"))
    for page_id, item in labels.items():
        yield LabelledPage(
            folder.name, page_id[:12], folder / item["html_file"], item.get("url", ""),
            reference=item["content"],
        )  # fmt: skip


def load_trafilatura(folder: Path) -> Iterator[LabelledPage]:
    """Pages of a trafilatura style set (``evaldata_zh.json``)."""
    labels = json.loads((folder / "evaldata_zh.json").read_text(encoding="utf-8"))
    for url, item in labels.items():
        yield LabelledPage(
            folder.name, item["file"][:40], folder / item["file"], url,
            must=tuple(item.get("with", ())), must_not=tuple(item.get("without", ())),
            title=item.get("title") or None, date=item.get("date") or None,
        )  # fmt: skip


def load_readability(folder: Path) -> Iterator[LabelledPage]:
    """Pages of a readability style set (sub-folders with ``expected.html``)."""
    for sub in sorted(p for p in folder.iterdir() if (p / "expected.html").is_file()):
        tree = parse_document((sub / "expected.html").read_text(encoding="utf-8"))
        reference = "\n".join(element_lines(tree)) if tree is not None else ""
        meta_path = sub / "expected-metadata.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
        yield LabelledPage(
            folder.name, sub.name, sub / "source.html", f"http://{sub.name}.example/",
            reference=reference, title=meta.get("title") or None,
        )  # fmt: skip


def discover(folder: Path) -> list[tuple[str, list[LabelledPage]]]:
    """Find the labelled sets in ``folder`` (the folder itself, or its sub-folders)."""

    def one(candidate: Path) -> list[LabelledPage] | None:
        if (candidate / "ground_truth.json").is_file():
            return list(load_magic(candidate))
        if (candidate / "evaldata_zh.json").is_file():
            return list(load_trafilatura(candidate))
        if any((p / "expected.html").is_file() for p in candidate.iterdir() if p.is_dir()):
            return list(load_readability(candidate))
        return None

    found = one(folder)
    if found is not None:
        return [(folder.name, found)]
    sets = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        pages = one(sub)
        if pages is not None:
            sets.append((sub.name, pages))
    return sets


def _same_title(found: str | None, expected: str | None) -> bool | None:
    if expected is None:
        return None
    if not found:
        return False
    forms_found = {normalize_space(found), strip_site_suffix(found)}
    forms_expected = {normalize_space(expected), strip_site_suffix(expected)}
    return bool(forms_found & forms_expected)


def _snippets(text: str, page: LabelledPage) -> tuple[int, int]:
    flat = normalize_space(text)
    passed = sum(1 for s in page.must if normalize_space(s) in flat)
    passed += sum(1 for s in page.must_not if normalize_space(s) not in flat)
    return passed, len(page.must) + len(page.must_not)


def _outcome(
    page: LabelledPage, text: str, title: str | None, day: str | None, seconds: float
) -> Outcome:
    passed, total = _snippets(text, page)
    return Outcome(
        body=rouge_l(text, page.reference) if page.reference is not None else None,
        snippets_passed=passed,
        snippets_total=total,
        title_ok=_same_title(title, page.title),
        date_ok=None if page.date is None else day == page.date[:10],
        seconds=seconds,
    )


def run_ours(page: LabelledPage, body: bytes) -> Outcome:
    """Score the project's extractor on one page (bytes in, as fetched)."""
    start = time.perf_counter()
    article = extract_article(body, page.url)
    seconds = time.perf_counter() - start
    day = article.published_at.date().isoformat() if article.published_at else None
    return _outcome(page, article.text, article.title, day, seconds)


def run_baseline(page: LabelledPage, body: bytes) -> Outcome:
    """Score plain ``trafilatura.extract`` (defaults) and its metadata on one page."""
    import trafilatura

    text = decode_body(body)
    start = time.perf_counter()
    extracted = trafilatura.extract(text, url=page.url) or ""
    seconds = time.perf_counter() - start
    metadata = trafilatura.extract_metadata(text, default_url=page.url)
    title = getattr(metadata, "title", None) if metadata is not None else None
    raw_date = getattr(metadata, "date", None) if metadata is not None else None
    parsed = parse_datetime(raw_date) if isinstance(raw_date, str) else None
    day = parsed.date().isoformat() if parsed else None
    return _outcome(page, extracted, title, day, seconds)


def _fmt(value: float) -> str:
    return "  -  " if math.isnan(value) else f"{value:5.3f}"


def _page_row(page: LabelledPage, ours: Outcome, base: Outcome) -> str:
    def cell(outcome: Outcome) -> str:
        if outcome.body is not None:
            b = outcome.body
            text = f"P {b.precision:4.2f} R {b.recall:4.2f} F1 {b.f1:4.2f}"
        else:
            text = " " * 22
        if outcome.snippets_total:
            text += f" snip {outcome.snippets_passed}/{outcome.snippets_total}"
        marks = {True: "ok", False: "NO", None: "-"}
        return text + f" T {marks[outcome.title_ok]} D {marks[outcome.date_ok]}"

    where = page.url.split("://", 1)[-1][:38]
    return f"  {page.page_id[:24]:24} {where:38} | ours {cell(ours)} | traf {cell(base)}"


def _summary(name: str, totals: Totals) -> str:
    snip = (
        f"{totals.snippets_passed}/{totals.snippets_total} "
        f"({totals.snippets_passed / totals.snippets_total:.1%})"
        if totals.snippets_total
        else "-"
    )
    return (
        f"  {name:12} body P {_fmt(_mean(totals.precision))} R {_fmt(_mean(totals.recall))} "
        f"F1 {_fmt(_mean(totals.f1))} | snippets {snip} | title {_fmt(_mean(totals.titles))} "
        f"(n={len(totals.titles)}) | date {_fmt(_mean(totals.dates))} (n={len(totals.dates)}) "
        f"| {totals.seconds:.2f}s"
    )


def _brief(totals: Totals) -> str:
    snippets = (
        totals.snippets_passed / totals.snippets_total if totals.snippets_total else float("nan")
    )
    return " | ".join(
        _fmt(value)
        for value in (_mean(totals.f1), snippets, _mean(totals.titles), _mean(totals.dates))
    )


def evaluate(folder: Path, *, show_pages: bool = True) -> dict[str, tuple[Totals, Totals]]:
    """Run both extractors over every labelled set under ``folder`` and print the scores.

    Returns, per set, the totals for the project's extractor and for the baseline.
    """
    results: dict[str, tuple[Totals, Totals]] = {}
    _emit(f"Body score: {SCORE_NAME}; mean over pages.")
    _emit("Baseline: trafilatura.extract(html) with default settings on the same decoded text.")
    for name, pages in discover(folder):
        ours_total, base_total = Totals(), Totals()
        _emit(f"\n== {name} ({len(pages)} pages)")
        for page in pages:
            body = page.path.read_bytes()
            ours, base = run_ours(page, body), run_baseline(page, body)
            ours_total.add(ours)
            base_total.add(base)
            if show_pages:
                _emit(_page_row(page, ours, base))
        _emit(_summary("ours", ours_total))
        _emit(_summary("trafilatura", base_total))
        results[name] = (ours_total, base_total)
    return results


def _emit(*parts: object, file: TextIO | None = None) -> None:
    """Write one line of the report (to stdout unless ``file`` is given)."""
    (file or sys.stdout).write(" ".join(str(part) for part in parts) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point: ``python -m scrapers.evaluate DIR [--quiet]``."""
    parser = argparse.ArgumentParser(prog="python -m scrapers.evaluate", description=__doc__)
    parser.add_argument("folder", type=Path, nargs="?",
                        help="a labelled set, or a folder of sets")
    parser.add_argument("--quiet", action="store_true", help="print only the averages")
    parser.add_argument("--sites", type=Path, metavar="LABELS",
                        help="a served news world's labels.json: score the article pages "
                             "read from --base-url (see scrapers.evaluate_sites)")
    parser.add_argument("--base-url", help="where the world's sites are served")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="with --sites: list every disagreement")
    args = parser.parse_args(argv)
    if args.sites is not None:
        if not args.base_url:
            parser.error("--sites needs --base-url")
        logging.basicConfig(level=logging.WARNING)
        return run_sites(args.sites, args.base_url, sys.stdout, verbose=args.verbose)
    if args.folder is None:
        parser.error("give a labelled folder, or --sites LABELS --base-url URL")
    if not args.folder.is_dir():
        parser.error(f"not a folder: {args.folder}")
    logging.basicConfig(level=logging.WARNING)
    results = evaluate(args.folder, show_pages=not args.quiet)
    if not results:
        _emit(f"no labelled sets found under {args.folder}", file=sys.stderr)
        return 2
    _emit("\n== overall: ours vs trafilatura (body F1 | snippet pass rate | title | date)")
    for name, (ours, base) in results.items():
        _emit(f"  {name:28} {_brief(ours)}   vs   {_brief(base)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
