"""Shared pieces of the fuzz tests: bounded hypothesis settings, text without surrogates,
row counts of every table, and the URL map with the test world's ids filled in."""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from campaign.extensions import db

# Small and without deadlines: the suite stays fast and a slow first request is no failure.
# FUZZ_EXAMPLES=500 runs a deeper search by hand.
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "20")), deadline=None,
                derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])

# Any Unicode a browser can send (no lone surrogates), NUL and control characters included.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
NUMBERISH = st.one_of(st.integers(-10**12, 10**12).map(str), st.floats().map(str),
                      st.sampled_from(["", " ", "0", "-1", "1e309", "NaN", "9" * 40,
                                       str(2**31), str(2**63), "9" * 23]))
DATEISH = st.one_of(st.dates().map(str), st.sampled_from(
    ["2006-02-30", "2006-13-01", "0000-01-01", "9999-12-31T23:59:60", "4-21, 4-24~4-26",
     "2006-04-25T15:00:00+08:00", "yesterday", "0001-01-01", "9999-12", "0207-04-25"]))
# NUL is spelled out: PostgreSQL refuses it in text, SQLite does not (only one backend fails).
VALUE = st.one_of(TEXT, NUMBERISH, DATEISH, st.sampled_from(
    ["on", "true", "1", "y", "{}", "[]", "null", "<script>", "a\x00b", "\x00"]))


def row_counts() -> dict[str, int]:
    """Rows in every table of the models (plus nothing else)."""
    return {table.name: int(db.session.scalar(select(func.count()).select_from(table)))
            for table in db.metadata.sorted_tables}


def fill_rule(rule: str, world: dict[str, Any]) -> str:
    """The rule with the world's ids and keys in place of its variables."""
    for name, value in world.items():
        rule = rule.replace(f"<{name}>", str(value)).replace(f"<int:{name}>", str(value))
    return rule.replace("<path:filename>", str(world.get("filename", "x")))
