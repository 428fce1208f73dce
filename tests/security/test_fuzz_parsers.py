"""Property-based tests of the pure parsers: whatever bytes or text a hostile site (or a bad
file) holds, feeds, list pages, e-paper pages, article extraction, dates, URLs, charsets,
content codings and the plan and sources file readers return a value or their own documented
refusal, never another exception. The example budget is FUZZ_EXAMPLES (see fuzzing.py)."""

from __future__ import annotations

import json
import zlib
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from campaign.articles.urls import canonical_url
from campaign.planning.transfer import CampaignFileError, read_plan_file
from campaign.sources.importing import SourceFileError, read_sources_file
from scrapers.content_coding import BoundedDecoder, CodingRefused, TooLarge
from scrapers.dates import find_datetime, parse_datetime
from scrapers.encoding import decode_body, decode_reporting
from scrapers.epaper import article_titles, parse_day_index, parse_epaper_article, parse_page
from scrapers.extract import extract_article
from scrapers.feeds import parse_feed
from scrapers.listpages import parse_list_page
from scrapers.urls import (
    HostEntryError,
    check_fetchable_url,
    is_malformed_link,
    normalize_url,
    resolve_link,
    split_host_entry,
)
from tests.security.fuzzing import FUZZ

NOW = datetime(2006, 4, 25, 12, tzinfo=UTC)
BASE = "http://paper.example.cn/html/2006-04/25/node_1.htm"
# Pages reach the parsers as bytes or as text decoded from bytes, which never holds a lone
# surrogate (decoding replaces what it cannot read); URLs and file values may hold one.
PAGE_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
ANY_TEXT = st.text(max_size=60)
# Pieces hostile pages and feeds are made of: broken references, odd URLs, bidi controls.
HOSTILE = st.sampled_from([
    "&#x110000;", "&#xD800;", "&#0;", "&#99999999999;", "&#x;", "&amp", "&", "<", "]]>",
    "http://[::1", "http://[::1]:99999/", "http://a:b@", "//", "javascript:alert(1)",
    "http://%zz/", "\u202e", "\u2066", "\x00", "\ud800", "第02版：要闻", "2006年4月25日",
    "<![CDATA[", "<!--", "\ufeff", "http://paper.example.cn/html/2006-04/25/content_1.htm",
    "node_2.htm", "content_9.htm?div=-1", "\u3000", "来源：安徽日报",
])
PAGE_HOSTILE = HOSTILE.filter(lambda piece: piece != "\ud800")
FRAGMENT = st.one_of(PAGE_TEXT, PAGE_HOSTILE)
HREF = st.one_of(PAGE_HOSTILE, PAGE_TEXT,
                 st.builds(lambda a, b: f"{a}{b}", PAGE_HOSTILE, PAGE_TEXT))
URLISH = st.one_of(HOSTILE, ANY_TEXT, st.builds(lambda a, b: f"{a}{b}", HOSTILE, ANY_TEXT))


@st.composite
def feeds(draw: st.DrawFn) -> bytes:
    """RSS or Atom documents whose items carry hostile titles, links and dates."""
    items = draw(st.lists(st.tuples(FRAGMENT, HREF, FRAGMENT, FRAGMENT), max_size=4))
    atom = draw(st.booleans())
    tag, link = ("entry", "<link href='{}'/>") if atom else ("item", "<link>{}</link>")
    body = "".join(
        f"<{tag}><title>{title}</title>{link.format(href)}<pubDate>{when}</pubDate>"
        f"<description>{text}</description></{tag}>" for title, href, when, text in items)
    root = ("<feed xmlns='http://www.w3.org/2005/Atom'>{}</feed>" if atom
            else "<rss version='2.0'><channel><title>报</title>{}</channel></rss>")
    encoding = draw(st.sampled_from(["utf-8", "gb18030", "big5", "latin-1"]))
    return root.format(body).encode(encoding, errors="replace")


@st.composite
def pages(draw: st.DrawFn) -> str:
    """HTML pages of links, labels and text in hostile shapes."""
    links = draw(st.lists(st.tuples(HREF, FRAGMENT), max_size=6))
    rows = "".join(f"<li><a href=\"{href}\">{text}</a> {text}</li>" for href, text in links)
    extra = draw(FRAGMENT)
    return (f"<html><head><title>{extra}</title><base href=\"{draw(HREF)}\"></head><body>"
            f"<h1>{extra}</h1><ul class='list'>{rows}</ul><div id='ozoom'>{extra}</div>"
            f"<map><area href=\"{draw(HREF)}\"></map></body></html>")


RAW = st.one_of(st.binary(max_size=300), feeds())
HTML = st.one_of(pages(), PAGE_TEXT)


@FUZZ
@given(body=RAW, charset=st.sampled_from([None, "big5", "gb2312", "utf-8", "x-unknown"]))
def test_parse_feed_never_raises(body, charset):
    """parse_feed returns a FeedResult for any bytes, whatever charset is declared."""
    headers = {"Content-Type": f"application/rss+xml; charset={charset}"} if charset else None
    result = parse_feed(body, headers=headers, url=BASE, now=NOW)
    assert result.skipped >= 0


@FUZZ
@given(html=HTML)
def test_parse_list_page_never_raises(html):
    """parse_list_page returns a ListPage for any page."""
    page = parse_list_page(html, url=BASE, link_selector="ul.list a", next_selector="a",
                           now=NOW)
    assert page.skipped >= 0


@FUZZ
@given(html=HTML)
def test_epaper_parsers_never_raise(html):
    """The e-paper day index, page, title list and article parsers accept any page."""
    parse_day_index(html, url=BASE)
    parse_page(html, url=BASE)
    article_titles(html, url=BASE)
    parse_epaper_article(html, url=BASE.replace("node_1", "content_1"))


@FUZZ
@given(html=st.one_of(HTML, st.binary(max_size=300)))
def test_article_extraction_never_raises(html):
    """extract_article returns an ExtractedArticle for any page, text or bytes."""
    extract_article(html, BASE)


@FUZZ
@given(text=st.one_of(URLISH, st.builds(lambda a, b: f"{a} {b}", URLISH, URLISH)),
       tz=st.sampled_from(["Asia/Shanghai", "UTC"]))
def test_date_parsers_never_raise(text, tz):
    """parse_datetime and find_datetime give a datetime or None for any text."""
    parse_datetime(text, tz=tz, now=NOW)
    find_datetime(text, tz=tz, now=NOW)


@FUZZ
@given(href=URLISH, base=st.one_of(st.just(BASE), URLISH))
def test_url_helpers_never_raise(href, base):
    """resolve_link, is_malformed_link, normalize_url, check_fetchable_url and canonical_url
    never raise; a resolved link is always an http(s) URL that normalizes."""
    resolved = resolve_link(href, base)
    is_malformed_link(href, base)
    normalize_url(href)
    check_fetchable_url(href)
    if resolved is not None:
        assert resolved.startswith(("http://", "https://"))
        normalize_url(resolved)
        canonical_url(resolved)


@FUZZ
@given(entry=URLISH)
def test_allow_list_entries_parse_or_are_refused(entry):
    """split_host_entry gives (host, port) or raises its own HostEntryError."""
    try:
        host, port = split_host_entry(entry)
    except HostEntryError as error:
        assert str(error)
    else:
        assert port is None or port == "*" or 0 < int(port) < 65536, (host, port)


@FUZZ
@given(body=RAW, label=st.sampled_from([None, "text/html; charset=big5", "text/xml; charset=x"]))
def test_charset_decoding_never_raises(body, label):
    """decode_body and decode_reporting give text for any bytes."""
    decode_body(body, content_type=label)
    decode_reporting(body, content_type=label)


@FUZZ
@given(raw=st.one_of(st.binary(max_size=300), RAW.map(zlib.compress)),
       coding=st.sampled_from(["gzip", "deflate", "gzip, gzip", "br", "", "identity"]))
def test_the_bounded_decoder_refuses_or_decodes(raw, coding):
    """BoundedDecoder decodes any bytes or raises its own CodingRefused / TooLarge."""
    try:
        decoder = BoundedDecoder(coding, limit=4096)
        decoded = b"".join(decoder.feed(raw))
    except (CodingRefused, TooLarge) as error:
        assert str(error)
    else:
        assert len(decoded) <= 4096


@FUZZ
@given(raw=st.one_of(st.binary(max_size=200), st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), ANY_TEXT, HOSTILE),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(
                                ["key", "title", "type", "starts_at", "ends_at", "slot",
                                 "dates", "weekdays", "count", "outlet", "genre"]), inner,
                                max_size=4)),
    max_leaves=8).map(lambda value: json.dumps(value).encode())))
def test_plan_file_reader_parses_or_refuses(app, raw):
    """The campaign file reader (the plan file's models) gives a plan or raises
    CampaignFileError with a message (the importing path with the database is
    tests/security/test_fuzz_importers.py)."""
    with app.test_request_context():
        try:
            read_plan_file(raw)
        except CampaignFileError as error:
            assert str(error).strip()


@FUZZ
@given(raw=st.one_of(st.binary(max_size=200), st.builds(
    lambda name, kind, url, sel: (f'[[outlet]]\nname = {json.dumps(name)}\n[[outlet.source]]\n'
                                  f'type = {json.dumps(kind)}\nurl = {json.dumps(url)}\n'
                                  f'link_selector = {json.dumps(sel)}\n').encode(
                                      "utf-8", errors="replace"),
    ANY_TEXT, st.sampled_from(["rss", "html", "epaper", "x"]), URLISH, ANY_TEXT)))
def test_sources_file_reader_parses_or_refuses(app, raw):
    """The sources file reader gives entries or raises SourceFileError with a message (the
    importing path with the database is tests/security/test_fuzz_importers.py)."""
    with app.test_request_context():
        try:
            read_sources_file(raw)
        except SourceFileError as error:
            assert str(error).strip()
