"""Bodies judged by their first bytes when the server's Content-Type is meaningless, and
JavaScript challenge pages reported as such (local server, bodies written for the tests)."""

from __future__ import annotations

import pytest
from scraper_server import LocalServer, Reply

from scrapers.extract import extract_article
from scrapers.feeds import parse_feed
from scrapers.fetch import Fetcher, Outcome
from scrapers.sniff import FEED_TYPES, is_js_challenge, sniff_type

RSS = (
    '<?xml version="1.0" encoding="utf-8"?>\n<!-- 工会新闻 -->\n<rss version="2.0"><channel>'
    "<title>工会新闻</title><item><title>劳模座谈会召开</title>"
    "<link>http://union.example/1.htm</link></item></channel></rss>"
).encode()
ATOM = (
    '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
    "<title>工会</title><entry><title>劳模座谈会召开</title><id>1</id>"
    '<link href="http://union.example/1.htm"/></entry></feed>'
).encode()
PAGE = (
    "<!DOCTYPE html><html><head><title>劳模座谈会召开</title></head><body>"
    "<p>省总工会召开劳模座谈会，二十位劳模代表参加。</p></body></html>"
).encode("gb18030")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(2000)
PDF = b"%PDF-1.4\n" + b"0" * 2000
ZIP = b"PK\x03\x04" + bytes(2000)
JSL = (
    b'<html><head><script>document.cookie="__jsl_clearance=1.2|0|abc;max-age=3600;path=/";'
    b"location.href=location.pathname+location.search</script></head><body></body></html>"
)
RUISHU = (
    b'<html><head><meta charset="utf-8"><script r="m">$_ts=window["$_ts"];if(!$_ts)'
    b'$_ts=window["$_ts"]={};$_ts.nsd=8214;</script><script src="/s.js"></script></head></html>'
)


@pytest.mark.parametrize(
    ("content_type", "body", "sniffed"),
    [
        ("text/rss+xml; charset=utf-8", RSS, "application/rss+xml"),
        ("text/atom+xml", ATOM, "application/atom+xml"),
        ("application/octet-stream", RSS, "application/rss+xml"),
        ("application/octet-stream", PAGE, "text/html"),
        ("text/htm", PAGE, "text/html"),
        ("application/x-httpd-php", PAGE, "text/html"),
        ("application/x-httpd-php", RSS, "application/rss+xml"),
    ],
)
def test_misconfigured_type_with_a_good_body_is_fetched(
    server: LocalServer, fetcher: Fetcher, content_type: str, body: bytes, sniffed: str
) -> None:
    """A feed or page under a meaningless Content-Type is fetched; its sniffed type is kept."""
    server.route("/x", Reply(body=body, content_type=content_type))
    result = fetcher.fetch(server.url("/x"))
    assert result.outcome is Outcome.OK
    assert result.body == body
    assert result.sniffed_type == sniffed


@pytest.mark.parametrize("body", [PNG, PDF, ZIP])
@pytest.mark.parametrize("content_type", ["application/octet-stream", "text/htm", None])
def test_a_real_binary_stays_refused(
    server: LocalServer, fetcher: Fetcher, body: bytes, content_type: str | None
) -> None:
    """An image, PDF or zip under a meaningless or missing Content-Type is bad_content_type."""
    server.route("/x", Reply(body=body, content_type=content_type))
    result = fetcher.fetch(server.url("/x"))
    assert result.outcome is Outcome.BAD_CONTENT_TYPE
    assert result.error is not None and "binary" in result.error
    assert result.body == b""


def test_sniffed_body_must_be_what_the_caller_asked_for(
    server: LocalServer, fetcher: Fetcher
) -> None:
    """A page labelled text/rss+xml is refused to a caller that accepts only feeds."""
    server.route("/x", Reply(body=PAGE, content_type="text/rss+xml"))
    result = fetcher.fetch(server.url("/x"), accept=FEED_TYPES)
    assert result.outcome is Outcome.BAD_CONTENT_TYPE
    assert result.error is not None and "text/html" in result.error


def test_meaningful_wrong_types_are_not_sniffed(server: LocalServer, fetcher: Fetcher) -> None:
    """A page served as image/png stays refused: only meaningless labels are second-guessed."""
    server.route("/x", Reply(body=PAGE, content_type="image/png"))
    assert fetcher.fetch(server.url("/x")).outcome is Outcome.BAD_CONTENT_TYPE


def test_octet_stream_with_no_markup_is_refused(server: LocalServer, fetcher: Fetcher) -> None:
    """application/octet-stream whose bytes show neither a page nor a feed is refused."""
    server.route(
        "/x", Reply(body=b"just some bytes " * 100, content_type="application/octet-stream")
    )
    assert fetcher.fetch(server.url("/x")).outcome is Outcome.BAD_CONTENT_TYPE


def test_feed_under_octet_stream_parses_without_warnings(
    server: LocalServer, fetcher: Fetcher
) -> None:
    """A feed fetched as application/octet-stream parses cleanly from the fetch's headers."""
    server.route("/rss", Reply(body=RSS, content_type="application/octet-stream"))
    fetched = fetcher.fetch(server.url("/rss"))
    feed = parse_feed(fetched.body, headers=fetched.headers, url=fetched.final_url)
    assert [entry.title for entry in feed.entries] == ["劳模座谈会召开"]
    assert feed.warnings == ()


@pytest.mark.parametrize(
    ("body", "sniffed"),
    [
        (b"\xef\xbb\xbf  <rss version='2.0'>", "application/rss+xml"),
        (b'<?xml version="1.0"?><?xml-stylesheet href="a.xsl"?><rdf:RDF x>', "application/rdf+xml"),
        ("<?xml version='1.0'?><feed>".encode("utf-16"), "application/atom+xml"),
        (b"<!-- gen -->\n<HTML><BODY>", "text/html"),
        (b"\xff\xd8\xff\xe0JFIF", "application/octet-stream"),
        (b"hello", None),
    ],
)
def test_sniff_type_reads_the_first_bytes(body: bytes, sniffed: str | None) -> None:
    """BOMs, prologs, comments and UTF-16 are looked past; binary signatures are known."""
    assert sniff_type(body) == sniffed


def test_412_challenge_is_reported_in_words_and_not_retried(
    server: LocalServer, fetcher: Fetcher, sleeps: list[float]
) -> None:
    """An HTTP 412 challenge gives js_challenge with a plain message, after one request."""
    server.route("/a.htm", Reply(412, RUISHU))
    result = fetcher.fetch(server.url("/a.htm"))
    assert result.outcome is Outcome.JS_CHALLENGE
    assert result.error is not None
    assert "the site answered with a JavaScript challenge" in result.error
    assert (result.attempts, sleeps) == (1, [])


def test_521_with_a_challenge_script_is_a_challenge(server: LocalServer, fetcher: Fetcher) -> None:
    """A 521 carrying a cookie-setting reload script is a challenge, not a server error."""
    server.route("/a.htm", Reply(521, JSL))
    result = fetcher.fetch(server.url("/a.htm"))
    assert result.outcome is Outcome.JS_CHALLENGE
    assert result.status == 521


def test_521_without_a_script_is_a_server_error(
    server: LocalServer, fetcher: Fetcher, sleeps: list[float]
) -> None:
    """A plain 521 error page stays an http_error, retried like any 5xx."""
    server.route("/a.htm", Reply(521, b"<html><body>Web server is down</body></html>"))
    result = fetcher.fetch(server.url("/a.htm"))
    assert result.outcome is Outcome.HTTP_ERROR
    assert len(sleeps) == 2


def test_200_challenge_page_is_not_ok(server: LocalServer, fetcher: Fetcher) -> None:
    """A 200 page that is only a challenge script comes back as js_challenge, never ok."""
    server.route("/a.htm", Reply(body=JSL))
    result = fetcher.fetch(server.url("/a.htm"))
    assert result.outcome is Outcome.JS_CHALLENGE
    assert not result.ok


def test_page_with_cookie_script_and_text_is_not_a_challenge() -> None:
    """A real article that also sets a cookie and redirects in a script is not a challenge."""
    article = JSL.replace(
        b"<body></body>", b"<body><p>" + "劳模座谈会召开。".encode() * 30 + b"</p></body>"
    )
    assert not is_js_challenge(article)
    assert not is_js_challenge(RSS)


def test_challenge_page_is_never_an_article() -> None:
    """extract_article on a challenge page returns no title and no text."""
    article = extract_article(RUISHU, "http://x.example/a.htm")
    assert (article.title, article.text, article.method) == (None, "", "none")
