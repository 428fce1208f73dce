"""Fetcher outcomes against a local HTTP server."""

from __future__ import annotations

import gzip
import socket
import threading
import zlib
from datetime import UTC, datetime, timedelta

from scraper_server import LocalServer, Reply, Seen

from scrapers.fetch import ConditionalState, Fetcher, FetchSettings, Outcome
from scrapers.politeness import HostGate, freshness_lifetime, parse_retry_after
from scrapers.robots import RobotsCache, RobotsUnreachable

PAGE = "<html><body><p>省总工会召开劳模座谈会</p></body></html>".encode()


def _settings(**changes: object) -> FetchSettings:
    base = {"connect_timeout": 2.0, "read_timeout": 2.0, "min_delay": 0.0, "trust_env": False}
    base.update(changes)
    return FetchSettings(**base)  # type: ignore[arg-type]


def test_ok_fetch_sends_user_agent_and_hashes_body(server: LocalServer, fetcher: Fetcher) -> None:
    """A plain 200 gives ok, the body, a sha256 hash and our User-Agent on the wire."""
    server.route("/a.htm", Reply(body=PAGE, headers={"ETag": '"v1"'}))
    result = fetcher.fetch(server.url("/a.htm"))
    assert result.outcome is Outcome.OK
    assert result.body == PAGE
    assert result.status == 200
    assert result.etag == '"v1"'
    assert result.content_hash is not None and len(result.content_hash) == 64
    assert result.headers["content-type"].startswith("text/html")
    assert result.text().startswith("<html>")
    assert result.attempts == 1
    assert server.requests[-1].headers["user-agent"].startswith("campaign-tracker/0.1 (")


def test_read_timeout_is_reported(server: LocalServer) -> None:
    """A server slower than the read timeout yields the timeout outcome, not an exception."""
    server.route("/slow", Reply(body=PAGE, delay=1.0))
    with Fetcher(_settings(read_timeout=0.2, retries=0)) as fetcher:
        result = fetcher.fetch(server.url("/slow"))
    assert result.outcome is Outcome.TIMEOUT
    assert result.error


def test_server_error_is_retried_with_backoff(
    server: LocalServer, fetcher: Fetcher, sleeps: list[float]
) -> None:
    """A 500 followed by a 200 succeeds on the second attempt after a backoff sleep."""
    answers = iter([Reply(500, b"oops"), Reply(body=PAGE)])
    server.route("/flaky", lambda _seen: next(answers))
    result = fetcher.fetch(server.url("/flaky"))
    assert result.outcome is Outcome.OK
    assert result.attempts == 2
    assert sleeps == [1.0]


def test_persistent_server_error_gives_up(
    server: LocalServer, fetcher: Fetcher, sleeps: list[float]
) -> None:
    """Retries back off exponentially and end in http_error with the status."""
    server.route("/down", Reply(503, b"busy"))
    result = fetcher.fetch(server.url("/down"))
    assert result.outcome is Outcome.HTTP_ERROR
    assert result.status == 503
    assert result.attempts == 3
    assert sleeps == [1.0, 2.0]


def test_429_retry_after_is_returned_not_slept(
    server: LocalServer, fetcher: Fetcher, sleeps: list[float]
) -> None:
    """A 429 with Retry-After: 7 comes back at once with retry_after=7: no thread sleeps on
    it and the page is not asked again (the caller moves its next fetch)."""
    server.route("/limited", Reply(429, b"slow down", headers={"Retry-After": "7"}))
    result = fetcher.fetch(server.url("/limited"))
    assert result.outcome is Outcome.HTTP_ERROR and result.status == 429
    assert result.retry_after == 7.0
    assert sleeps == []
    assert server.paths().count("/limited") == 1


def test_503_retry_after_http_date_is_returned(server: LocalServer, sleeps: list[float]) -> None:
    """A 503 whose Retry-After is an HTTP-date two days ahead reports about two days to wait,
    uncapped by the in-thread backoff, and sleeps not at all."""
    later = (datetime.now(UTC) + timedelta(days=2)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    server.route("/maint", Reply(503, b"", headers={"Retry-After": later}))
    with Fetcher(_settings(backoff_cap=30.0), sleep=sleeps.append) as fetcher:
        result = fetcher.fetch(server.url("/maint"))
    assert result.retry_after is not None and 2 * 86400 - 60 < result.retry_after <= 2 * 86400
    assert sleeps == []


def test_a_retry_after_of_a_second_is_waited_in_the_thread(
    server: LocalServer, fetcher: Fetcher, sleeps: list[float]
) -> None:
    """A 429 asking for one second is simply waited for and retried (nothing to reschedule)."""
    answers = iter([Reply(429, b"slow down", headers={"Retry-After": "1"}), Reply(body=PAGE)])
    server.route("/brief", lambda _seen: next(answers))
    result = fetcher.fetch(server.url("/brief"))
    assert result.ok and result.retry_after is None
    assert sleeps == [1.0]


def test_503_without_retry_after_is_retried_with_backoff(
    server: LocalServer, fetcher: Fetcher, sleeps: list[float]
) -> None:
    """A 503 that names no wait is retried after the short exponential backoff and succeeds."""
    answers = iter([Reply(503, b"busy"), Reply(body=PAGE)])
    server.route("/flaky", lambda _seen: next(answers))
    result = fetcher.fetch(server.url("/flaky"))
    assert result.ok and result.retry_after is None
    assert sleeps == [1.0]


def test_freshness_from_cache_control_and_expires() -> None:
    """max-age wins, Expires counts when there is none, no-cache/no-store and junk say nothing."""
    now = datetime(2006, 4, 25, 2, 0, tzinfo=UTC)
    assert freshness_lifetime({"cache-control": "public, max-age=1800"}, now=now) == 1800.0
    assert freshness_lifetime({"expires": "Tue, 25 Apr 2006 03:00:00 GMT"}, now=now) == 3600.0
    assert freshness_lifetime({"cache-control": "no-cache, max-age=600"}, now=now) is None
    assert freshness_lifetime({"expires": "never"}, now=now) is None
    assert freshness_lifetime({}, now=now) is None


def test_parse_retry_after_forms() -> None:
    """Retry-After accepts delta-seconds and HTTP-dates and ignores junk."""
    now = datetime(2006, 4, 25, 2, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Tue, 25 Apr 2006 02:00:30 GMT", now=now) == 30.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_redirects_are_followed_and_loops_reported(server: LocalServer, fetcher: Fetcher) -> None:
    """Redirects are followed by hand; a cycle ends in redirect_loop instead of hanging."""
    server.route("/old", Reply(301, headers={"Location": "/new"}))
    server.route("/new", Reply(body=PAGE))
    server.route("/a", Reply(302, headers={"Location": server.url("/b")}))
    server.route("/b", Reply(302, headers={"Location": "/a"}))
    moved = fetcher.fetch(server.url("/old"))
    assert moved.outcome is Outcome.OK
    assert moved.final_url == server.url("/new")
    assert moved.redirects == (server.url("/new"),)
    loop = fetcher.fetch(server.url("/a"))
    assert loop.outcome is Outcome.REDIRECT_LOOP


def test_redirect_limit(server: LocalServer) -> None:
    """A redirect chain longer than max_redirects is cut off."""
    for hop in range(5):
        server.route(f"/hop{hop}", Reply(302, headers={"Location": f"/hop{hop + 1}"}))
    with Fetcher(_settings(max_redirects=2)) as fetcher:
        result = fetcher.fetch(server.url("/hop0"))
    assert result.outcome is Outcome.REDIRECT_LOOP
    assert "more than 2 redirects" in (result.error or "")


def test_oversize_body_with_length_is_refused(server: LocalServer) -> None:
    """A 5000-byte body with max_bytes=1000 is too_large and no body is kept."""
    server.route("/big", Reply(body=b"x" * 5000, content_type="text/plain"))
    with Fetcher(_settings(max_bytes=1000)) as fetcher:
        result = fetcher.fetch(server.url("/big"))
    assert result.outcome is Outcome.TOO_LARGE
    assert result.body == b""


def test_oversize_streamed_body_is_cut_off(server: LocalServer, fetcher: Fetcher) -> None:
    """Without Content-Length the body is counted while streaming and abandoned past the limit."""
    server.route("/stream", Reply(body=b"y" * 200_000, send_length=False))
    result = fetcher.fetch(server.url("/stream"), max_bytes=1000)
    assert result.outcome is Outcome.TOO_LARGE
    assert result.body == b""


def test_304_after_if_none_match(server: LocalServer, fetcher: Fetcher) -> None:
    """The previous ETag and Last-Modified are sent, and a 304 is not_modified."""

    def conditional(seen: Seen) -> Reply:
        if seen.headers.get("if-none-match") == '"v1"':
            return Reply(304, headers={"ETag": '"v1"'})
        return Reply(body=PAGE, headers={"ETag": '"v1"'})

    server.route("/feed", conditional)
    first = fetcher.fetch(server.url("/feed"))
    second = fetcher.fetch(server.url("/feed"), previous=first.conditional_state())
    assert second.outcome is Outcome.NOT_MODIFIED
    assert second.status == 304
    assert second.content_hash == first.content_hash
    assert server.requests[-1].headers["if-none-match"] == '"v1"'


def test_same_etag_changed_content_uses_hash(server: LocalServer, fetcher: Fetcher) -> None:
    """A 200 with a stale ETag is ok when the body changed and not_modified when it did not."""
    bodies = iter([PAGE, PAGE + b"<p>new</p>", PAGE + b"<p>new</p>"])
    server.route("/same-etag", lambda _seen: Reply(body=next(bodies), headers={"ETag": '"x"'}))
    first = fetcher.fetch(server.url("/same-etag"))
    changed = fetcher.fetch(server.url("/same-etag"), previous=first.conditional_state())
    assert changed.outcome is Outcome.OK
    assert changed.content_hash != first.content_hash
    same = fetcher.fetch(server.url("/same-etag"), previous=changed.conditional_state())
    assert same.outcome is Outcome.NOT_MODIFIED
    assert same.content_hash == changed.content_hash


def test_robots_disallow_is_obeyed_and_cached(server: LocalServer, fetcher: Fetcher) -> None:
    """robots.txt blocks disallowed paths, is fetched once per host, and can be bypassed."""
    rules = b"User-agent: *\nDisallow: /private/\n"
    server.route("/robots.txt", Reply(body=rules, content_type="text/plain"))
    server.route("/private/x.htm", Reply(body=PAGE))
    server.route("/public.htm", Reply(body=PAGE))
    blocked = fetcher.fetch(server.url("/private/x.htm"))
    assert blocked.outcome is Outcome.ROBOTS_DISALLOWED
    assert fetcher.fetch(server.url("/public.htm")).ok
    assert fetcher.fetch(server.url("/private/x.htm"), obey_robots=False).ok
    assert server.paths().count("/robots.txt") == 1


def test_robots_rules_for_our_agent(server: LocalServer, fetcher: Fetcher) -> None:
    """A robots.txt group naming campaign-tracker applies to us."""
    rules = b"User-agent: campaign-tracker\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
    server.route("/robots.txt", Reply(body=rules, content_type="text/plain"))
    server.route("/p.htm", Reply(body=PAGE))
    assert fetcher.fetch(server.url("/p.htm")).outcome is Outcome.ROBOTS_DISALLOWED


def test_bad_content_type(server: LocalServer, fetcher: Fetcher) -> None:
    """An image where a page was expected is bad_content_type; accept= can widen the list."""
    server.route("/logo.png", Reply(body=b"\x89PNG....", content_type="image/png"))
    assert fetcher.fetch(server.url("/logo.png")).outcome is Outcome.BAD_CONTENT_TYPE
    assert fetcher.fetch(server.url("/logo.png"), accept=["image/*"]).ok


def test_gzip_is_decoded_and_invalid_gzip_reported(server: LocalServer, fetcher: Fetcher) -> None:
    """gzip/deflate bodies are decoded; a broken gzip body gives decode_error, not an exception."""
    server.route("/gz", Reply(body=gzip.compress(PAGE), headers={"Content-Encoding": "gzip"}))
    server.route("/badgz", Reply(body=b"this is not gzip", headers={"Content-Encoding": "gzip"}))
    server.route("/zz", Reply(body=zlib.compress(PAGE), headers={"Content-Encoding": "deflate"}))
    assert fetcher.fetch(server.url("/gz")).body == PAGE
    assert fetcher.fetch(server.url("/zz")).body == PAGE
    assert fetcher.fetch(server.url("/badgz")).outcome is Outcome.DECODE_ERROR


def test_invalid_urls(fetcher: Fetcher) -> None:
    """Only absolute http(s) URLs are fetched."""
    bad = ("ftp://example.com/x", "javascript:alert(1)", "/relative/path", "http://")
    for url in (*bad, "http://a..b/", "http://xn--.com/", "http://host:abc/"):
        assert fetcher.fetch(url).outcome is Outcome.INVALID_URL, url


def test_url_guard_blocks_redirect_targets(server: LocalServer) -> None:
    """The url_guard hook sees every redirect target and can block it."""
    server.route("/out", Reply(302, headers={"Location": "http://10.0.0.1/admin"}))

    def guard(url: str) -> str | None:
        return "private address" if "10.0.0.1" in url else None

    with Fetcher(_settings(url_guard=guard)) as fetcher:
        result = fetcher.fetch(server.url("/out"))
    assert result.outcome is Outcome.BLOCKED
    assert result.final_url == "http://10.0.0.1/admin"
    assert result.error == "private address"


def test_connection_refused_is_retried_then_reported(fetcher: Fetcher, sleeps: list[float]) -> None:
    """A closed port is a connection_error after the configured retries."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = fetcher.fetch(f"http://127.0.0.1:{port}/", obey_robots=False)
    assert result.outcome is Outcome.CONNECTION_ERROR
    assert result.attempts == 3
    assert len(sleeps) == 2


def test_at_most_two_requests_in_flight_per_host(server: LocalServer) -> None:
    """Six threads fetching one host never have more than two requests in flight."""
    server.route("/busy", Reply(body=PAGE, delay=0.15))
    results = []
    with Fetcher(_settings(max_per_host=2)) as fetcher:
        threads = [
            threading.Thread(target=lambda: results.append(fetcher.fetch(server.url("/busy"))))
            for _ in range(6)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(results) == 6
    assert all(result.ok for result in results)
    assert server.max_in_flight == 2


def test_min_delay_between_request_starts() -> None:
    """Request starts to one host are spaced by min_delay; other hosts are not delayed."""
    waits: list[float] = []
    gate = HostGate(max_in_flight=2, min_delay=1.5, sleep=waits.append, clock=lambda: 100.0)
    with gate.slot("a.example"):
        pass
    with gate.slot("a.example"):
        pass
    with gate.slot("b.example"):
        pass
    assert waits == [1.5]


def test_conditional_state_headers() -> None:
    """ConditionalState turns into If-None-Match / If-Modified-Since headers."""
    state = ConditionalState(etag='"e"', last_modified="Tue, 25 Apr 2006 02:00:00 GMT")
    assert state.request_headers() == {
        "If-None-Match": '"e"',
        "If-Modified-Since": "Tue, 25 Apr 2006 02:00:00 GMT",
    }


def test_robots_missing_allows_and_cache_expires() -> None:
    """A site without robots.txt (404) allows everything; the cache re-reads after its TTL."""
    now = [0.0]
    loads: list[str] = []

    def loader(url: str) -> str | None:
        loads.append(url)
        return None if len(loads) == 1 else "User-agent: *\nDisallow: /\n"

    cache = RobotsCache(loader, agent="campaign-tracker", ttl=60.0, clock=lambda: now[0])
    assert cache.allowed("http://a.example/x")
    now[0] = 30.0
    assert cache.allowed("http://a.example/y")
    now[0] = 61.0
    assert not cache.allowed("http://a.example/z")
    assert loads == ["http://a.example/robots.txt"] * 2


def test_robots_txt_5xx_disallows_the_site(server: LocalServer, fetcher: Fetcher) -> None:
    """A robots.txt answering 5xx disallows every page of the site (RFC 9309 §2.3.1.4): the
    page is not requested and the result says why."""
    server.route("/robots.txt", Reply(503, b"busy"))
    server.route("/p.htm", Reply(body=PAGE))
    result = fetcher.fetch(server.url("/p.htm"))
    assert result.outcome is Outcome.ROBOTS_DISALLOWED
    assert "robots.txt could not be read (HTTP 503)" in (result.error or "")
    assert "/p.htm" not in server.paths()


def test_robots_txt_4xx_allows_the_site(server: LocalServer, fetcher: Fetcher) -> None:
    """A robots.txt answering 403 counts as unavailable, which allows everything."""
    server.route("/robots.txt", Reply(403, b"no"))
    server.route("/p.htm", Reply(body=PAGE))
    assert fetcher.fetch(server.url("/p.htm")).ok


def test_robots_unreachable_is_asked_again_at_the_next_fetch() -> None:
    """An unreachable robots.txt is remembered only for the error TTL: the next fetch of the
    site asks again, and once it answers its rules apply."""
    now = [0.0]
    answers: list[str | None] = []

    def loader(url: str) -> str | None:
        answers.append(url)
        if len(answers) == 1:
            raise RobotsUnreachable("HTTP 500")
        return "User-agent: *\nDisallow: /private/\n"

    cache = RobotsCache(loader, agent="campaign-tracker", ttl=3600.0, error_ttl=60.0,
                        clock=lambda: now[0])
    assert not cache.allowed("http://a.example/news/1.htm")
    assert cache.unreachable("http://a.example/") is not None
    now[0] = 30.0
    assert not cache.allowed("http://a.example/news/2.htm")
    now[0] = 61.0
    assert cache.allowed("http://a.example/news/3.htm")
    assert not cache.allowed("http://a.example/private/4.htm")
    assert len(answers) == 2


def test_robots_txt_connection_refused_reports_a_connection_error(fetcher: Fetcher) -> None:
    """A host whose robots.txt cannot be reached at all is a connection error (the page is
    never requested), not a page silently allowed."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = fetcher.fetch(f"http://127.0.0.1:{port}/p.htm")
    assert result.outcome is Outcome.CONNECTION_ERROR
    assert "robots.txt could not be read" in (result.error or "")


def test_odd_status_without_location_is_http_error(server: LocalServer, fetcher: Fetcher) -> None:
    """A 3xx without Location (or a 204) is reported as http_error, not as a page."""
    server.route("/multi", Reply(300, b"choose"))
    result = fetcher.fetch(server.url("/multi"))
    assert result.outcome is Outcome.HTTP_ERROR
    assert result.status == 300


def test_robots_crawl_delay_spaces_requests(
    server: LocalServer, fetcher: Fetcher, sleeps: list[float]
) -> None:
    """A robots.txt Crawl-delay raises the host's minimum gap between request starts."""
    rules = b"User-agent: *\nCrawl-delay: 5\n"
    server.route("/robots.txt", Reply(body=rules, content_type="text/plain"))
    server.route("/p.htm", Reply(body=PAGE))
    assert fetcher.fetch(server.url("/p.htm")).ok
    assert fetcher.fetch(server.url("/p.htm")).ok
    assert sleeps and max(sleeps) > 4.0


def test_robots_verdict_reads_one_entry_for_all_its_answers() -> None:
    """verdict() answers allowed, unreachable and the crawl delay from one look-up, so an entry
    that expires meanwhile cannot make its answers disagree (or load robots.txt twice)."""
    loads: list[str] = []

    def loader(url: str) -> str | None:
        loads.append(url)
        if len(loads) == 1:
            raise RobotsUnreachable("HTTP 503")
        return "User-agent: *\nCrawl-delay: 3\nDisallow: /private/\n"

    cache = RobotsCache(loader, agent="campaign-tracker", error_ttl=0.0, clock=lambda: 0.0)
    down = cache.verdict("http://a.example/news/1.htm")
    assert not down.allowed and down.unreachable is not None and len(loads) == 1
    up = cache.verdict("http://a.example/private/2.htm")
    assert not up.allowed and up.unreachable is None and up.crawl_delay == 3.0
    assert len(loads) == 2
