"""Reading pages in tests: calendar bars and field errors, parsed rather than string-matched."""

from __future__ import annotations

from bs4 import BeautifulSoup


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def calendar_bars(html: str) -> dict[str, list[tuple[str, str]]]:
    """Each event key on the calendar with the (first, last) days of its bars."""
    bars: dict[str, list[tuple[str, str]]] = {}
    for bar in soup(html).select(".cal-bar"):
        bars.setdefault(str(bar["data-event"]), []).append(
            (str(bar["data-first"]), str(bar["data-last"])))
    return bars


def field_errors(html: str) -> dict[str, list[str]]:
    """The error messages shown under each form field, by field name."""
    errors: dict[str, list[str]] = {}
    for box in soup(html).select(".field.has-error"):
        name = str(box["id"]).removeprefix("field-")
        errors[name] = [p.get_text(strip=True) for p in box.select(".error")]
    return errors
