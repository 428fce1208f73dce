"""Feed parsing: malformed feeds, Chinese charsets and Beijing-time dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from scraper_server import LocalServer, Reply

from scrapers.feeds import parse_feed
from scrapers.fetch import Fetcher

DATA = Path(__file__).parent / "data"
BJ = ZoneInfo("Asia/Shanghai")


def test_rss_entries_dates_and_relative_links() -> None:
    """A well-formed RSS feed gives all entries with absolute URLs and +08:00 dates."""
    result = parse_feed((DATA / "feed_utf8.xml").read_bytes(), url="http://union.example/rss.xml")
    assert not result.bozo and result.warnings == ()
    assert result.title == "工会新闻网"
    assert [entry.url for entry in result.entries] == [
        f"http://union.example/news/2006-04/{n:03d}.htm" for n in (1, 2, 3)
    ]
    last = result.entries[-1]
    assert last.published_at == datetime(2006, 4, 25, 10, 5, tzinfo=BJ)
    assert last.published_at is not None
    assert last.published_at.utcoffset() == timedelta(hours=8)
    assert last.guid == "news-003"
    assert last.summary == "农民工维权热线开通。详情见正文。"
    assert last.categories == ("工会动态",)


def test_truncated_feed_keeps_complete_entries_and_warns() -> None:
    """A feed cut off mid-item still yields the complete items plus a warning, no exception."""
    result = parse_feed((DATA / "feed_truncated.xml").read_bytes())
    assert result.bozo
    assert result.warnings and "malformed feed" in result.warnings[0]
    titles = [entry.title for entry in result.entries]
    assert titles[:2] == ["春季职工运动会圆满落幕", "困难职工帮扶中心走访慰问"]
    assert result.entries[1].published_at == datetime(2006, 4, 24, 9, 0, tzinfo=BJ)


def test_gb2312_feed_with_gb18030_characters() -> None:
    """An RSS feed declared gb2312 with 镕 and 𠀀 keeps every character; naive dates are +08:00."""
    result = parse_feed(
        (DATA / "feed_gb2312.xml").read_bytes(),
        headers={"Content-Type": "text/xml; charset=gb2312"},
    )
    assert result.encoding == "gb18030"
    first, second = result.entries
    assert first.title == "市总工会主席林镕看望一线环卫工人"
    assert "𠀀" in first.summary
    assert first.published_at == datetime(2006, 4, 25, 10, 5, tzinfo=BJ)
    assert second.published_at == datetime(2006, 4, 25, 8, 0, tzinfo=UTC)


def test_atom_feed() -> None:
    """Atom entries give HTML content, plain-text titles, authors and zoned dates."""
    result = parse_feed((DATA / "atom.xml").read_bytes(), url="http://home.example/atom.xml")
    (entry,) = result.entries
    assert entry.title == "职工书屋新添图书三千册"
    assert entry.url == "http://home.example/books/3000.htm"
    assert entry.author == "王小川"
    assert entry.content is not None and "<b>职工书屋</b>" in entry.content
    assert entry.published_at == datetime(2006, 4, 25, 10, 0, tzinfo=BJ)


def test_garbage_is_not_an_exception() -> None:
    """Bytes that are not a feed at all give an empty, flagged result."""
    result = parse_feed(b"\x00\x01 this is not xml <<<")
    assert result.entries == ()
    assert result.bozo


def test_feed_fetched_over_http_with_wrong_content_type(
    server: LocalServer, fetcher: Fetcher
) -> None:
    """A gb2312 feed served as text/html through the fetcher parses from its headers and bytes."""
    server.route(
        "/rss.xml",
        Reply(body=(DATA / "feed_gb2312.xml").read_bytes(), content_type="text/html"),
    )
    fetched = fetcher.fetch(server.url("/rss.xml"))
    result = parse_feed(fetched.body, headers=fetched.headers, url=fetched.final_url)
    assert [entry.url for entry in result.entries] == [
        "http://jc.example/a/1.htm",
        "http://jc.example/a/2.htm",
    ]


def test_rss1_dc_date_without_zone_is_beijing_time() -> None:
    """An RSS 1.0 item whose dc:date has no zone is read as +08:00, not UTC."""
    rdf = """<?xml version="1.0" encoding="gbk"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="http://zg.example/"><title>职工报</title><link>http://zg.example/</link>
  </channel>
  <item rdf:about="http://zg.example/1.htm"><title>安全生产月启动</title>
    <link>http://zg.example/1.htm</link><dc:date>2006-04-25T10:05:00</dc:date>
    <dc:creator>陈立</dc:creator></item>
</rdf:RDF>"""
    (entry,) = parse_feed(rdf.encode("gbk")).entries
    assert entry.title == "安全生产月启动"
    assert entry.author == "陈立"
    assert entry.published_at == datetime(2006, 4, 25, 10, 5, tzinfo=BJ)


def test_rss_pubdate_with_minus_zero_zone_is_utc() -> None:
    """A pubDate ending in -0000 is UTC: 20:05 there is 04:05 the next day in Beijing."""
    rss = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>工会新闻</title>'
        "<item><title>一条</title><link>http://union.example/1.htm</link>"
        "<pubDate>Tue, 25 Apr 2006 20:05:00 -0000</pubDate></item></channel></rss>"
    )
    (entry,) = parse_feed(rss.encode()).entries
    assert entry.published_at == datetime(2006, 4, 26, 4, 5, tzinfo=BJ)


def _channel(extra: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel><title>工会新闻</title>'
        f'{extra}<item><title>一条</title><link>http://union.example/1.htm</link></item>'
        "</channel></rss>"
    ).encode()


def test_feed_update_hints_are_read() -> None:
    """<ttl> gives minutes; sy:updatePeriod/updateFrequency give the period divided by the
    frequency; a feed without either, or with junk, gives None."""
    assert parse_feed(_channel("<ttl>90</ttl>")).ttl_minutes == 90
    hourly_twice = ("<sy:updatePeriod>hourly</sy:updatePeriod>"
                    "<sy:updateFrequency>2</sy:updateFrequency>")
    assert parse_feed(_channel(hourly_twice)).ttl_minutes == 30
    assert parse_feed(_channel("<sy:updatePeriod>daily</sy:updatePeriod>")).ttl_minutes == 1440
    assert parse_feed(_channel("<ttl>soon</ttl>")).ttl_minutes is None
    assert parse_feed(_channel("")).ttl_minutes is None
