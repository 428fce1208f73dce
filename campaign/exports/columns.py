"""The columns of the clipping list, and how a row's cells read in a spreadsheet."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from campaign.exports.rows import ClippingRow

COLUMNS = (_l("序号"), _l("日期"), _l("媒体"), _l("级别"), _l("版面"), _l("体裁"), _l("标题"),
           _l("作者"), _l("来源/转载"), _l("链接"), _l("关联活动"))
# Characters a spreadsheet reads as the start of a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def headers() -> list[str]:
    """The column headings in the current language."""
    return [str(c) for c in COLUMNS]


def cells(row: ClippingRow) -> list[Any]:
    """The row's values in column order; the date stays a `date`, text stays raw."""
    return [row.seq, row.day, row.outlet, row.tier_label, row.page, row.genre, row.title,
            row.author, row.source, row.url, row.event_title]


def neutralise(value: str) -> str:
    """Scraped text that a spreadsheet would run as a formula, prefixed with an apostrophe."""
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
