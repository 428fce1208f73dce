"""Parsing the dates Chinese news sites print."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scrapers.dates import find_datetime, parse_datetime

BJ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2006, 5, 1, 12, 0, tzinfo=BJ)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2006年4月25日 10:05", datetime(2006, 4, 25, 10, 5, tzinfo=BJ)),
        ("2006年04月25日10:05:30", datetime(2006, 4, 25, 10, 5, 30, tzinfo=BJ)),
        ("2006-04-25 10:05", datetime(2006, 4, 25, 10, 5, tzinfo=BJ)),
        ("2006/4/25", datetime(2006, 4, 25, tzinfo=BJ)),
        ("2006.04.25", datetime(2006, 4, 25, tzinfo=BJ)),
        ("04-25 10:05", datetime(2006, 4, 25, 10, 5, tzinfo=BJ)),
        ("4月25日", datetime(2006, 4, 25, tzinfo=BJ)),
        ("２００６年４月２５日　１０：０５", datetime(2006, 4, 25, 10, 5, tzinfo=BJ)),
        ("发布时间：2006-04-25", datetime(2006, 4, 25, tzinfo=BJ)),
        ("2006年4月25日 星期二 下午3:05", datetime(2006, 4, 25, 15, 5, tzinfo=BJ)),
        ("2006年4月25日10时05分", datetime(2006, 4, 25, 10, 5, tzinfo=BJ)),
        ("昨天 10:05", datetime(2006, 4, 30, 10, 5, tzinfo=BJ)),
        ("3小时前", datetime(2006, 5, 1, 9, 0, tzinfo=BJ)),
    ],
)
def test_chinese_forms_are_beijing_time(text: str, expected: datetime) -> None:
    """Each printed form parses to the intended Beijing-time instant."""
    value = parse_datetime(text, now=NOW)
    assert value == expected
    assert value is not None and value.utcoffset() == timedelta(hours=8)


def test_iso_and_rfc822_keep_their_offsets() -> None:
    """Explicit offsets win over the default zone; naive ISO is Beijing time."""
    assert parse_datetime("2006-04-25T10:05:00+02:00") == datetime(2006, 4, 25, 8, 5, tzinfo=UTC)
    assert parse_datetime("2006-04-25T02:05:00Z") == datetime(2006, 4, 25, 10, 5, tzinfo=BJ)
    assert parse_datetime("Tue, 25 Apr 2006 10:05:00 +0800") == datetime(
        2006, 4, 25, 10, 5, tzinfo=BJ
    )
    assert parse_datetime("Tue, 25 Apr 2006 02:05:00 GMT") == datetime(
        2006, 4, 25, 10, 5, tzinfo=BJ
    )
    assert parse_datetime("2006-04-25T10:05:00") == datetime(2006, 4, 25, 10, 5, tzinfo=BJ)


def test_cst_on_a_chinese_feed_means_china_standard_time() -> None:
    """An RFC 822 date ending in CST is read as +08:00 when parsing in Beijing time."""
    assert parse_datetime("Tue, 25 Apr 2006 10:05:00 CST") == datetime(
        2006, 4, 25, 10, 5, tzinfo=BJ
    )


@pytest.mark.parametrize("zone", ["-0000", "-00:00"])
def test_rfc822_minus_zero_zone_is_utc(zone: str) -> None:
    """An RFC 822 date ending in -0000 is UTC (RFC 5322), not a naive Beijing time."""
    value = parse_datetime(f"Tue, 25 Apr 2006 20:05:00 {zone}")
    assert value == datetime(2006, 4, 25, 20, 5, tzinfo=UTC)
    assert value is not None and value.astimezone(BJ).day == 26


def test_year_inference_never_lands_far_in_the_future() -> None:
    """A year-less 12月30日 read on 1 May 2006 means 2005; 5月2日 (tomorrow) stays 2006."""
    assert parse_datetime("12月30日", now=NOW) == datetime(2005, 12, 30, tzinfo=BJ)
    assert parse_datetime("5月2日", now=NOW) == datetime(2006, 5, 2, tzinfo=BJ)
    new_year = datetime(2006, 12, 31, 20, 0, tzinfo=BJ)
    assert parse_datetime("1月1日", now=new_year) == datetime(2007, 1, 1, tzinfo=BJ)


def test_other_zone_and_find_inside_text() -> None:
    """tz= changes the zone of naive values; find_datetime digs dates out of bylines."""
    utc = parse_datetime("2006-04-25 10:05", tz="UTC")
    assert utc == datetime(2006, 4, 25, 10, 5, tzinfo=UTC)
    byline = "来源：江城日报　作者：林晓　发布时间：2006-04-25 10:05:30　浏览次数：12"
    assert find_datetime(byline) == datetime(2006, 4, 25, 10, 5, 30, tzinfo=BJ)


@pytest.mark.parametrize("text", ["", "   ", "工会新闻", "比分 3-2", "2006-13-45", "第02版"])
def test_non_dates_give_none(text: str) -> None:
    """Text without a real date yields None rather than a guess."""
    assert parse_datetime(text, now=NOW) is None


@given(
    st.text(max_size=60)
    | st.text(alphabet="0123456789-/.: T+Z年月日时分秒前天小时昨今", max_size=30)
)
def test_parsing_never_raises_and_is_always_aware(text: str) -> None:
    """Arbitrary text gives None or an aware datetime, never an exception."""
    for value in (parse_datetime(text, now=NOW), find_datetime(text, now=NOW)):
        assert value is None or value.utcoffset() is not None
