"""Score what the scrapers read from a served labelled news world's article pages.

``python -m scrapers.evaluate --sites LABELS --base-url URL`` fetches every labelled article
page of a world (``labels.json``: url path, outlet, title, published_at, page, credit) from
where the world is served, over HTTP through the project's own fetch, decode and parse path
(:func:`scrapers.epaper.parse_epaper_article` for Founder e-paper articles,
:func:`scrapers.extract.extract_article` for every other page), and reports per outlet how
often the headline, the day, the printed page and the 来源 credit agree with the labels;
plain ``trafilatura`` is scored on the same pages (headline and day) as the baseline.

Only the labels file and the served pages are read; nothing of the world is kept.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urljoin

from scrapers.dates import parse_datetime
from scrapers.encoding import decode_body
from scrapers.epaper import FOUNDER, parse_epaper_article
from scrapers.extract import extract_article
from scrapers.fetch import Fetcher, FetchSettings

logger = logging.getLogger(__name__)

_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
_PAGE_DIGITS = re.compile(r"(\d+)")


@dataclass(frozen=True, slots=True)
class SiteLabel:
    """What the labels say about one article page."""

    path: str
    outlet: str
    title: str
    day: date | None
    page: str | None
    credit: str | None


@dataclass(frozen=True, slots=True)
class Reading:
    """What one reader found on a page (None: the reader does not say)."""

    fetched: bool
    title: str | None
    day: date | None
    page: str | None = None
    credit: str | None = None


@dataclass(slots=True)
class Tally:
    """Agreements of one reader at one outlet."""

    pages: int = 0
    fetched: int = 0
    titles: int = 0
    days: int = 0
    pages_labelled: int = 0
    pages_right: int = 0
    credits_labelled: int = 0
    credits_right: int = 0
    misses: list[str] = field(default_factory=list)


def read_site_labels(records: Iterable[Mapping[str, Any]]) -> list[SiteLabel]:
    """The article records of a world's labels.json."""
    found = []
    for record in records:
        published = parse_datetime(str(record.get("published_at") or ""))
        page = record.get("page")
        found.append(SiteLabel(
            path=str(record["url"]), outlet=str(record.get("outlet") or ""),
            title=str(record.get("title") or ""),
            day=published.date() if published else None,
            page=None if page is None else str(page),
            credit=str(record["credit"]) if record.get("credit") else None))
    return found


def _plain(text: str | None) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", text or ""))


def same_title(found: str | None, expected: str) -> bool:
    """Headlines agree when they are equal once spaces and punctuation are ignored (a read
    headline may carry its 引题 or 副题 as well)."""
    plain, wanted = _plain(found), _plain(expected)
    return bool(plain) and (plain == wanted or wanted in plain)


def same_page(found: str | None, expected: str) -> bool:
    """Printed pages agree on their number (``A05`` and ``A05版``, ``2`` and ``第02版``)."""
    a, b = _PAGE_DIGITS.search(found or ""), _PAGE_DIGITS.search(expected)
    letters = re.sub(r"[^A-Za-z]", "", found or "")[:1], re.sub(r"[^A-Za-z]", "", expected)[:1]
    return bool(a and b) and int(a.group(1)) == int(b.group(1)) and (  # type: ignore[union-attr]
        not letters[1] or letters[0].upper() == letters[1].upper())


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


def read_ours(body: bytes, url: str, headers: Mapping[str, str]) -> Reading:
    """The project's reading of one article page."""
    if FOUNDER.article_link.search(url.split("?", 1)[0]):
        try:
            text = decode_body(body, content_type=headers.get("content-type"))
            article = parse_epaper_article(text, url=url)
        except ValueError:
            return Reading(True, None, None)
        headline = " ".join(p for p in (article.intro_title, article.title, article.subtitle)
                            if p)
        return Reading(True, headline, article.issue_date,
                       str(article.page_number) if article.page_number else None,
                       article.source_credit or None)
    extracted = extract_article(body, url, headers=headers)
    page = extracted.page_number
    return Reading(True, extracted.title, _day(extracted.published_at), page,
                   extracted.source)


def read_baseline(body: bytes, url: str, headers: Mapping[str, str]) -> Reading:
    """Plain trafilatura's headline and date of the same page."""
    import trafilatura

    text = decode_body(body, content_type=headers.get("content-type"))
    metadata = trafilatura.extract_metadata(text, default_url=url)
    title = getattr(metadata, "title", None) if metadata is not None else None
    raw = getattr(metadata, "date", None) if metadata is not None else None
    parsed = parse_datetime(raw) if isinstance(raw, str) else None
    return Reading(True, title if isinstance(title, str) else None, _day(parsed))


def _score(tally: Tally, label: SiteLabel, reading: Reading) -> None:
    tally.pages += 1
    if not reading.fetched:
        tally.misses.append(f"{label.path}: not fetched")
        return
    tally.fetched += 1
    title_ok = same_title(reading.title, label.title)
    day_ok = reading.day is not None and reading.day == label.day
    tally.titles += title_ok
    tally.days += day_ok
    if not title_ok:
        tally.misses.append(f"{label.path}: headline {reading.title!r}")
    if not day_ok:
        tally.misses.append(f"{label.path}: day {reading.day} (labelled {label.day})")
    if label.page is not None:
        tally.pages_labelled += 1
        right = same_page(reading.page, label.page)
        tally.pages_right += right
        if not right:
            tally.misses.append(f"{label.path}: page {reading.page!r} (labelled {label.page})")
    if label.credit:
        tally.credits_labelled += 1
        right = _plain(label.credit) in _plain(reading.credit) if reading.credit else False
        tally.credits_right += right
        if not right:
            tally.misses.append(f"{label.path}: credit {reading.credit!r}")


def evaluate_sites(labels: Sequence[SiteLabel], base_url: str, *,
                   fetcher: Fetcher | None = None) -> dict[str, tuple[Tally, Tally]]:
    """Fetch and read every labelled page; per outlet, the project's and the baseline's
    tallies."""
    # A served world is the evaluator's own local copy: no politeness delay, and every
    # labelled page is read even where the world's robots.txt would keep a crawler out.
    own = fetcher or Fetcher(FetchSettings(min_delay=0.0, obey_robots=False, retries=0,
                                           allowed_content_types=None))
    results: dict[str, tuple[Tally, Tally]] = {}
    try:
        for label in labels:
            ours, base = results.setdefault(label.outlet, (Tally(), Tally()))
            url = urljoin(base_url, label.path)
            fetched = own.fetch(url)
            if not fetched.ok:
                missing = Reading(False, None, None)
                _score(ours, label, missing)
                _score(base, label, missing)
                continue
            headers = {"content-type": fetched.content_type or ""}
            _score(ours, label, read_ours(fetched.body, url, headers))
            _score(base, label, read_baseline(fetched.body, url, headers))
    finally:
        if fetcher is None:
            own.close()
    return results


def _share(right: int, of: int) -> str:
    return f"{right}/{of}" if of else "-"


def report(results: Mapping[str, tuple[Tally, Tally]], out: TextIO, *,
           verbose: bool = False) -> None:
    """Print the tallies per outlet and in all."""
    out.write("outlet             pages | ours: headline day page credit "
              "| trafilatura: headline day\n")
    total_ours, total_base = Tally(), Tally()
    for outlet, (ours, base) in results.items():
        out.write(f"{outlet:12} {ours.pages:5} | {_share(ours.titles, ours.fetched):>8} "
                  f"{_share(ours.days, ours.fetched):>7} "
                  f"{_share(ours.pages_right, ours.pages_labelled):>6} "
                  f"{_share(ours.credits_right, ours.credits_labelled):>6} "
                  f"| {_share(base.titles, base.fetched):>8} "
                  f"{_share(base.days, base.fetched):>7}\n")
        for name in ("pages", "fetched", "titles", "days", "pages_labelled", "pages_right",
                     "credits_labelled", "credits_right"):
            for tally, into in ((ours, total_ours), (base, total_base)):
                setattr(into, name, getattr(into, name) + getattr(tally, name))
        if verbose:
            for miss in ours.misses:
                out.write(f"    {miss}\n")
    out.write(f"{'all':12} {total_ours.pages:5} | "
              f"{_share(total_ours.titles, total_ours.fetched):>8} "
              f"{_share(total_ours.days, total_ours.fetched):>7} "
              f"{_share(total_ours.pages_right, total_ours.pages_labelled):>6} "
              f"{_share(total_ours.credits_right, total_ours.credits_labelled):>6} "
              f"| {_share(total_base.titles, total_base.fetched):>8} "
              f"{_share(total_base.days, total_base.fetched):>7}\n")


def run(labels_file: Path, base_url: str, out: TextIO, *, verbose: bool = False) -> int:
    """Read the labels, evaluate and report; 2 when the labels cannot be read."""
    try:
        data = json.loads(labels_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        out.write(f"cannot read {labels_file}: {error}\n")
        return 2
    records = data if isinstance(data, list) else data.get("articles", [])
    report(evaluate_sites(read_site_labels(records), base_url), out, verbose=verbose)
    return 0
