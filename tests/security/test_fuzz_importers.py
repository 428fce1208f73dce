"""Fuzzing the importers: random JSON shapes for a campaign, random TOML and OPML (and plain
random bytes) for sources. Each either imports or raises its documented error class with a
message, and a refused file writes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign.extensions import db
from campaign.planning.transfer import CampaignFileError, import_campaign
from campaign.sources.importing import SourceFileError, import_sources_file
from tests.security.fuzzing import FUZZ, TEXT, VALUE, row_counts

JSON_LEAF = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20),
                      st.floats(allow_nan=False), TEXT, VALUE)
JSON = st.recursive(JSON_LEAF, lambda kids: st.one_of(
    st.lists(kids, max_size=4), st.dictionaries(TEXT, kids, max_size=4)), max_leaves=20)
CAMPAIGN = {"slug": "pm-2007", "name": "2007年宣传月", "starts_on": "2007-04-25",
            "ends_on": "2007-05-25", "planning_starts_on": "2007-04-01",
            "timezone": "Asia/Shanghai",
            "events": [{"key": "brief", "title": "通气会", "type": "press_briefing",
                        "starts_at": "2007-04-25T15:00:00+08:00", "keywords": ["宣传月"],
                        "invited_outlets": ["安徽日报"], "target_outlets": 10,
                        "slots": [{"outlet": "安徽日报", "date": "2007-04-26",
                                   "genre": "editorial", "page": "一版"}]}]}
SOURCE_KEYS = ["type", "url", "name", "interval_minutes", "timezone", "obey_robots", "enabled",
               "max_pages", "link_selector", "next_selector", "article_body", "typo_key"]
OUTLET_KEYS = ["name", "tier", "kind", "region", "aliases"]


def mutated(value: Any, draw: Any) -> Any:
    """`value` with some leaves (or whole branches) replaced by random JSON."""
    if draw(st.integers(0, 5)) == 0:
        return draw(JSON)
    if isinstance(value, dict):
        return {k: mutated(v, draw) for k, v in value.items() if draw(st.integers(0, 9))}
    if isinstance(value, list):
        return [mutated(v, draw) for v in value]
    return value


def toml_value(value: Any) -> str:
    """A TOML literal for a random value (JSON strings are TOML basic strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


@st.composite
def toml_files(draw: Any) -> bytes:
    """Sources files of the documented shape with random keys and values."""
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 3))):
        lines.append("[[outlet]]")
        for key in draw(st.lists(st.sampled_from(OUTLET_KEYS), unique=True)):
            lines.append(f"{key} = {toml_value(draw(st.one_of(VALUE, st.integers())))}")
        for _ in range(draw(st.integers(0, 3))):
            lines.append("  [[outlet.source]]")
            for key in draw(st.lists(st.sampled_from(SOURCE_KEYS), unique=True)):
                value = draw(st.one_of(VALUE, st.integers(-5, 20000), st.booleans(),
                                       st.sampled_from(["rss", "html", "epaper",
                                                        "http://news.example.cn/rss.xml",
                                                        "http://h.test/{yyyy}/{mm}/{dd}.htm",
                                                        "ul.list a", "a[", "javascript:x"])))
                lines.append(f"  {key} = {toml_value(value)}")
    text = "\n".join(lines)
    cut = draw(st.one_of(st.none(), st.integers(0, max(len(text), 1))))
    return (text if cut is None else text[:cut]).encode()


@st.composite
def opml_files(draw: Any) -> bytes:
    """OPML lists with random nesting, titles and feed URLs, sometimes cut short."""
    def outline(depth: int) -> str:
        attrs = {"text": draw(TEXT), "title": draw(TEXT)}
        if draw(st.booleans()):
            attrs["xmlUrl"] = draw(st.one_of(TEXT, st.sampled_from(
                ["http://news.example.cn/rss.xml", "ftp://x/", "http://[::1/", ""])))
        body = "".join(outline(depth + 1) for _ in range(draw(st.integers(0, 2)))
                       if depth < 2)
        quoted = " ".join(f'{k}="{json.dumps(v)[1:-1]}"' for k, v in attrs.items())
        return f"<outline {quoted}>{body}</outline>"

    body = "".join(outline(0) for _ in range(draw(st.integers(0, 3))))
    text = f'<?xml version="1.0"?><opml version="2.0"><body>{body}</body></opml>'
    cut = draw(st.one_of(st.none(), st.integers(0, len(text))))
    return (text if cut is None else text[:cut]).encode()


def _refused_cleanly(error: Exception, before: dict[str, int]) -> None:
    assert str(error).strip(), "an error without a message"
    db.session.rollback()
    assert row_counts() == before


@FUZZ
@given(data=st.data())
def test_campaign_json_of_any_shape_imports_or_is_refused_cleanly(db, data):
    """Random JSON (free shapes and the documented shape with random leaves) either imports
    or raises CampaignFileError with a message, writing nothing."""
    shape = data.draw(st.one_of(JSON, st.builds(lambda: None).map(
        lambda _n: mutated(CAMPAIGN, data.draw))), label="json")
    raw = data.draw(st.one_of(st.just(json.dumps(shape, ensure_ascii=False).encode()),
                              st.binary(max_size=200)), label="bytes")
    before = row_counts()
    try:
        import_campaign(raw, update=data.draw(st.booleans(), label="update"))
    except CampaignFileError as error:
        _refused_cleanly(error, before)
    else:
        db.session.rollback()


@FUZZ
@given(raw=st.one_of(toml_files(), opml_files(), st.binary(max_size=300)))
def test_sources_files_import_or_are_refused_cleanly(db, raw):
    """Random TOML, OPML and bytes either import or raise SourceFileError with a message,
    writing nothing."""
    before = row_counts()
    try:
        import_sources_file(raw)
    except SourceFileError as error:
        _refused_cleanly(error, before)
    else:
        db.session.rollback()


def test_a_nul_character_in_an_import_file_is_refused_on_every_backend(db):
    """A \\u0000 escape in a campaign JSON or sources TOML is a clear refusal, not a database
    error on PostgreSQL (which cannot store NUL in text)."""
    campaign = json.dumps({**CAMPAIGN, "name": "宣传\u0000月"}).encode()
    with pytest.raises(CampaignFileError, match="u0000"):
        import_campaign(campaign)
    sources = b'[[outlet]]\nname = "a\\u0000b"\n[[outlet.source]]\ntype = "rss"\nurl = "http://x.cn/"'
    with pytest.raises(SourceFileError, match="u0000"):
        import_sources_file(sources)
