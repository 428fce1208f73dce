"""One HTTP client layer for every scraper: timeouts, limits, retries, robots.txt, politeness.

:class:`Fetcher` never raises for network trouble: every problem becomes a
:class:`FetchResult` with an :class:`Outcome`, which the application translates for users.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import TracebackType
from typing import Self, TypedDict, Unpack
from urllib.parse import urljoin, urlsplit

import httpx

from scrapers.content_coding import BoundedDecoder, CodingRefused, TooLarge
from scrapers.encoding import decode_body
from scrapers.politeness import HostGate, freshness_lifetime, parse_retry_after
from scrapers.robots import RobotsCache, RobotsUnreachable
from scrapers.sniff import (
    SNIFF_BYTES,
    is_js_challenge,
    is_untrusted_type,
    judge_body,
)
from scrapers.urls import check_fetchable_url, content_type_matches

logger = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_USER_AGENT",
    "BlockedAddress",
    "ConditionalState",
    "FetchResult",
    "FetchSettings",
    "Fetcher",
    "Outcome",
]

DEFAULT_USER_AGENT = "campaign-tracker/0.1 (media coverage tracker of a trade-union federation)"
ROBOTS_AGENT = "campaign-tracker"
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_ROBOTS_MAX_BYTES = 512 * 1024
_MAX_CRAWL_DELAY = 30.0  # a robots.txt Crawl-delay above this is treated as this
# Anti-bot services answer a GET with 412 (no precondition was sent) or 521 and a script.
_CHALLENGE_STATUSES = frozenset({412, 521})
CHALLENGE_MESSAGE = (
    "the site answered with a JavaScript challenge (an anti-bot check that only a browser "
    "passes) instead of the page"
)
DEFAULT_CONTENT_TYPES: tuple[str, ...] = (
    "text/html",
    "application/xhtml+xml",
    "text/xml",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "text/plain",
)

UrlGuard = Callable[[str], str | None]


class BlockedAddress(Exception):  # noqa: N818 - a refusal, reported as Outcome.BLOCKED
    """Raised by a transport that refuses to connect to an address (e.g. one that resolved to
    the local network after the url_guard passed); the fetch reports ``blocked``."""


class Outcome(StrEnum):
    """What became of a fetch."""

    OK = "ok"
    NOT_MODIFIED = "not_modified"
    HTTP_ERROR = "http_error"
    TIMEOUT = "timeout"
    TOO_LARGE = "too_large"
    ROBOTS_DISALLOWED = "robots_disallowed"
    BAD_CONTENT_TYPE = "bad_content_type"
    CONNECTION_ERROR = "connection_error"
    REDIRECT_LOOP = "redirect_loop"
    INVALID_URL = "invalid_url"
    DECODE_ERROR = "decode_error"
    BLOCKED = "blocked"
    JS_CHALLENGE = "js_challenge"


# A robots.txt fetch that ends like this means the site cannot say what it allows (RFC 9309
# §2.3.1.4); too many redirects count as "unavailable" instead (§2.3.1.2), which allows all.
_UNREACHABLE = frozenset({Outcome.TIMEOUT, Outcome.CONNECTION_ERROR})


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """Limits and manners for a :class:`Fetcher`; times are in seconds."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 120.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 2
    backoff_base: float = 1.0
    backoff_cap: float = 60.0
    user_agent: str = DEFAULT_USER_AGENT
    robots_agent: str = ROBOTS_AGENT
    obey_robots: bool = True
    robots_ttl: float = 3600.0
    min_delay: float = 1.0
    max_per_host: int = 2
    allowed_content_types: tuple[str, ...] | None = DEFAULT_CONTENT_TYPES
    url_guard: UrlGuard | None = None
    trust_env: bool = True


@dataclass(frozen=True, slots=True)
class ConditionalState:
    """What a previous fetch of a URL left behind, for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None

    def request_headers(self) -> dict[str, str]:
        """The If-None-Match / If-Modified-Since headers to send."""
        headers: dict[str, str] = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The outcome of one fetch, with the body when it was read in full."""

    outcome: Outcome
    url: str
    final_url: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    error: str | None = None
    elapsed: float = 0.0
    attempts: int = 0
    redirects: tuple[str, ...] = ()
    # Seconds the server asked us to wait (429/503 Retry-After): not slept here, so the caller
    # can move its next fetch of the site instead of holding a thread.
    retry_after: float | None = None
    # What the body showed itself to be when the server's Content-Type was a meaningless
    # label (application/octet-stream, text/htm ...): see scrapers.sniff.
    sniffed_type: str | None = None

    @property
    def ok(self) -> bool:
        """True when a fresh body was fetched."""
        return self.outcome is Outcome.OK

    @property
    def content_type(self) -> str | None:
        """The Content-Type header, if the server sent one."""
        return self.headers.get("content-type")

    def text(self) -> str:
        """The body decoded with :func:`scrapers.encoding.decode_body`."""
        return decode_body(self.body, content_type=self.content_type)

    def conditional_state(self) -> ConditionalState:
        """The state to pass as ``previous`` on the next fetch of this URL."""
        return ConditionalState(self.etag, self.last_modified, self.content_hash)

    def freshness(self) -> float | None:
        """Seconds the response says it stays fresh (Cache-Control max-age or Expires)."""
        return freshness_lifetime(self.headers)


class _Retryable(Exception):  # noqa: N818 - internal signal, not an error for callers
    """Raised inside an attempt to ask for another try after ``delay`` seconds."""

    def __init__(self, result: FetchResult, delay: float | None = None) -> None:
        super().__init__(result.error)
        self.result = result
        self.delay = delay


class Fetcher:
    """Fetch URLs politely and safely; thread-safe, usable as a context manager."""

    def __init__(
        self,
        settings: FetchSettings | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Create a fetcher; ``sleep`` and ``clock`` may be replaced in tests."""
        self.settings = settings or FetchSettings()
        self._sleep = sleep
        self._clock = clock
        s = self.settings
        self._client = httpx.Client(
            follow_redirects=False,
            timeout=httpx.Timeout(s.read_timeout, connect=s.connect_timeout),
            headers={"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate"},
            transport=transport,
            trust_env=s.trust_env,
        )
        self.gate = HostGate(
            max_in_flight=s.max_per_host, min_delay=s.min_delay, sleep=sleep, clock=clock
        )
        self.robots = RobotsCache(
            self._load_robots, agent=s.robots_agent, ttl=s.robots_ttl, clock=clock
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the underlying HTTP connections."""
        self._client.close()

    def fetch(
        self,
        url: str,
        *,
        previous: ConditionalState | None = None,
        accept: Sequence[str] | None = None,
        obey_robots: bool | None = None,
        max_bytes: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> FetchResult:
        """Fetch ``url`` and report the outcome; never raises for network or server trouble.

        ``previous`` enables a conditional GET and the unchanged-content check; ``accept``
        overrides the allowed content types; ``obey_robots`` overrides the setting.
        """
        started = self._clock()
        s = self.settings
        call = _Call(
            url=url,
            previous=previous,
            accept=tuple(accept) if accept is not None else s.allowed_content_types,
            obey_robots=s.obey_robots if obey_robots is None else obey_robots,
            max_bytes=max_bytes or s.max_bytes,
            headers=dict(headers or {}),
            deadline=started + s.total_timeout,
            retries=s.retries,
        )
        result = self._fetch_with_retries(call)
        return replace(result, elapsed=self._clock() - started)

    def _fetch_with_retries(self, call: _Call) -> FetchResult:
        s = self.settings
        attempt = 0
        while True:
            attempt += 1
            try:
                return replace(self._attempt(call), attempts=attempt)
            except _Retryable as retry:
                if retry.delay is not None and retry.delay > s.backoff_base:
                    # The server named a real wait: the caller reschedules, no thread sleeps on it.
                    return replace(retry.result, attempts=attempt, retry_after=retry.delay)
                if attempt > call.retries:
                    return replace(retry.result, attempts=attempt)
                delay = min(s.backoff_cap, s.backoff_base * 2 ** (attempt - 1))
                if retry.delay is not None:  # a wait of a second or less is simply kept
                    delay = retry.delay
                logger.info("retrying %s in %.1f s after %s", call.url, delay, retry.result.error)
                self._sleep(delay)

    def _refuse(self, call: _Call, url: str) -> FetchResult | None:
        """Check a URL (initial or redirect target) against the URL rules, guard and robots."""
        problem = check_fetchable_url(url)
        if problem:
            return call.result(Outcome.INVALID_URL, url, error=problem)
        guard = self.settings.url_guard
        message = guard(url) if guard else None
        if message:
            return call.result(Outcome.BLOCKED, url, error=message)
        if not call.obey_robots:
            return None
        verdict = self.robots.verdict(url)
        if verdict.unreachable is not None:
            return call.result(
                Outcome(verdict.unreachable.outcome), url,
                error=f"robots.txt could not be read ({verdict.unreachable.reason}): nothing is "
                      "fetched from the site until it answers",
            )
        if not verdict.allowed:
            return call.result(Outcome.ROBOTS_DISALLOWED, url,
                               error="robots.txt disallows this URL")
        if verdict.crawl_delay:
            self.gate.set_min_delay(urlsplit(url).hostname or "",
                                    min(verdict.crawl_delay, _MAX_CRAWL_DELAY))
        return None

    def _attempt(self, call: _Call) -> FetchResult:
        """One try: follow redirects by hand, counting them and spotting loops."""
        current = call.url
        seen = {current}
        chain: list[str] = []
        while True:
            refused = self._refuse(call, current)
            if refused:
                return replace(refused, redirects=tuple(chain))
            step = self._request(call, current)
            if isinstance(step, FetchResult):
                return replace(step, redirects=tuple(chain))
            target = urljoin(current, step)
            if target in seen:
                return call.result(
                    Outcome.REDIRECT_LOOP, target, error=f"redirect loop back to {target}"
                )
            if len(chain) >= self.settings.max_redirects:
                return call.result(
                    Outcome.REDIRECT_LOOP,
                    target,
                    error=f"more than {self.settings.max_redirects} redirects",
                )
            seen.add(target)
            chain.append(target)
            current = target

    def _request(self, call: _Call, url: str) -> FetchResult | str:
        """Send one GET; return a result, or the Location to follow for a redirect."""
        request_headers = dict(call.headers)
        if call.previous:
            request_headers.update(call.previous.request_headers())
        host = urlsplit(url).hostname or ""
        try:
            with (
                self.gate.slot(host),
                self._client.stream("GET", url, headers=request_headers) as response,
            ):
                return self._handle(call, url, response)
        except BlockedAddress as exc:
            return call.result(Outcome.BLOCKED, url, error=str(exc))
        except httpx.TimeoutException as exc:
            result = call.result(Outcome.TIMEOUT, url, error=f"timed out: {exc}")
            if isinstance(exc, httpx.ConnectTimeout):
                raise _Retryable(result) from exc
            return result
        except httpx.DecodingError as exc:
            return call.result(Outcome.DECODE_ERROR, url, error=f"cannot decode the body: {exc}")
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, UnicodeError, ValueError) as exc:
            return call.result(Outcome.INVALID_URL, url, error=f"invalid URL: {exc}")
        except httpx.HTTPError as exc:
            result = call.result(Outcome.CONNECTION_ERROR, url, error=f"connection failed: {exc}")
            raise _Retryable(result) from exc

    def _handle(self, call: _Call, url: str, response: httpx.Response) -> FetchResult | str:
        status = response.status_code
        headers = {key.lower(): value for key, value in response.headers.items()}
        location = headers.get("location")
        if status in _REDIRECT_STATUSES and location:
            return location
        if status == 304:
            previous = call.previous or ConditionalState()
            return call.result(
                Outcome.NOT_MODIFIED, url, status=status, headers=headers,
                etag=headers.get("etag", previous.etag), content_hash=previous.content_hash,
                last_modified=headers.get("last-modified", previous.last_modified),
            )  # fmt: skip
        if status in _CHALLENGE_STATUSES:
            return self._challenge_or_error(call, url, response, headers)
        if not 200 <= status < 300:
            return self._http_error(call, url, status, headers)
        return self._typed_body(call, url, response, headers)

    def _typed_body(
        self, call: _Call, url: str, response: httpx.Response, headers: dict[str, str]
    ) -> FetchResult:
        """The body when its Content-Type is accepted, or when the label is a meaningless one
        (text/htm, application/octet-stream ...) and the first bytes show an accepted type."""
        declared = headers.get("content-type")
        if content_type_matches(declared, call.accept):
            return self._read_body(call, url, response, headers, sniff=not declared)
        if call.accept is not None and is_untrusted_type(declared):
            return self._read_body(call, url, response, headers, sniff=True)
        return call.result(
            Outcome.BAD_CONTENT_TYPE, url, status=response.status_code, headers=headers,
            error=f"unexpected content type {declared}",
        )  # fmt: skip

    def _http_error(
        self, call: _Call, url: str, status: int, headers: dict[str, str]
    ) -> FetchResult:
        result = call.result(
            Outcome.HTTP_ERROR, url, status=status, headers=headers,
            error=f"server answered HTTP {status}",
        )  # fmt: skip
        if status == 429 or status >= 500:
            raise _Retryable(result, parse_retry_after(headers.get("retry-after")))
        return result

    def _challenge_or_error(
        self, call: _Call, url: str, response: httpx.Response, headers: dict[str, str]
    ) -> FetchResult:
        """A 412 is a challenge whatever its body (we send no precondition that could fail);
        a 521 only with a challenge script, else it is a server error like any 5xx."""
        status = response.status_code
        read = self._read_body(call, url, response, headers)
        if status == 412 or read.outcome is Outcome.JS_CHALLENGE or is_js_challenge(read.body):
            return self._challenge(call, url, status, headers, read.body)
        return self._http_error(call, url, status, headers)

    def _challenge(
        self, call: _Call, url: str, status: int, headers: dict[str, str], body: bytes
    ) -> FetchResult:
        logger.info("JavaScript challenge from %s (HTTP %s)", url, status)
        return call.result(
            Outcome.JS_CHALLENGE, url, status=status, headers=headers, body=body,
            error=f"{CHALLENGE_MESSAGE} (HTTP {status})",
        )  # fmt: skip

    def _read_body(
        self,
        call: _Call,
        url: str,
        response: httpx.Response,
        headers: dict[str, str],
        *,
        sniff: bool = False,
    ) -> FetchResult:
        """Read the body within the limits. With ``sniff`` its first bytes must show what the
        caller accepts, since the server's label could not (see :mod:`scrapers.sniff`)."""
        downloaded = self._download(call, url, response, headers, sniff=sniff)
        if isinstance(downloaded, FetchResult):
            return downloaded
        body, sniffed = downloaded
        status = response.status_code
        if 200 <= status < 300 and is_js_challenge(body):
            return self._challenge(call, url, status, headers, body)
        digest = hashlib.sha256(body).hexdigest()
        unchanged = call.previous is not None and call.previous.content_hash == digest
        return call.result(
            Outcome.NOT_MODIFIED if unchanged else Outcome.OK, url,
            status=status, headers=headers, body=body, content_hash=digest,
            etag=headers.get("etag"), last_modified=headers.get("last-modified"),
            sniffed_type=sniffed,
        )  # fmt: skip

    def _download(
        self,
        call: _Call,
        url: str,
        response: httpx.Response,
        headers: dict[str, str],
        *,
        sniff: bool,
    ) -> tuple[bytes, str | None] | FetchResult:
        """The body and its sniffed type, or the result that stopped the download: too large,
        too slow, or (sniffing) not what the caller accepts, known from the first bytes."""
        declared = headers.get("content-length", "")
        status = response.status_code
        too_large = call.result(
            Outcome.TOO_LARGE, url, status=status, headers=headers,
            error=f"body larger than {call.max_bytes} bytes",
        )  # fmt: skip
        if declared.isdigit() and int(declared) > call.max_bytes:
            return too_large
        try:
            chunks = self._decoded_chunks(call, url, response, headers, sniff=sniff)
        except TooLarge as error:
            return replace(too_large, error=str(error))
        except CodingRefused as error:
            outcome = Outcome.TOO_LARGE if error.stacked else Outcome.DECODE_ERROR
            return call.result(outcome, url, status=status, headers=headers, error=str(error))
        if isinstance(chunks, FetchResult):
            return chunks
        body = b"".join(chunks)
        verdict = judge_body(body, headers.get("content-type"), call.accept) if sniff else None
        if verdict is not None and verdict.refusal:
            return call.result(
                Outcome.BAD_CONTENT_TYPE, url, status=status, headers=headers, error=verdict.refusal
            )
        return body, verdict.sniffed if verdict else None

    def _decoded_chunks(
        self,
        call: _Call,
        url: str,
        response: httpx.Response,
        headers: dict[str, str],
        *,
        sniff: bool,
    ) -> list[bytes] | FetchResult:
        """The body's decoded pieces, read raw and decoded by :class:`BoundedDecoder` so that
        neither the bytes on the wire nor the decoded ones pass ``max_bytes`` (httpx's own
        decoding inflates a whole network chunk before anyone can count it). Sniffing stops
        the download early once the first bytes show a refused type."""
        raws: Iterable[bytes]
        if response.is_stream_consumed:  # built in memory (a test transport): httpx decoded it
            decoder = BoundedDecoder(None, limit=call.max_bytes)
            raws = [response.content]
        else:
            decoder = BoundedDecoder(headers.get("content-encoding"), limit=call.max_bytes)
            raws = response.iter_raw()
        chunks: list[bytes] = []
        raw_size = size = 0
        for raw in raws:
            raw_size += len(raw)
            if raw_size > call.max_bytes:
                raise TooLarge(f"body larger than {call.max_bytes} bytes")
            if self._clock() > call.deadline:
                return call.result(Outcome.TIMEOUT, url, error="the download took too long")
            for piece in decoder.feed(raw):
                chunks.append(piece)
                size += len(piece)
            if sniff and size >= SNIFF_BYTES:
                verdict = judge_body(b"".join(chunks), headers.get("content-type"), call.accept)
                if verdict.refusal:
                    return call.result(
                        Outcome.BAD_CONTENT_TYPE, url, status=response.status_code,
                        headers=headers, error=verdict.refusal,
                    )  # fmt: skip
                sniff = False
        return chunks

    def _load_robots(self, robots_url: str) -> str | None:
        """Download a robots.txt through the same guarded path. A 200 gives its rules; a 4xx
        or an unreadable body, none (everything allowed); a 5xx, 429 or no answer at all raises
        :class:`RobotsUnreachable` (everything disallowed, RFC 9309 §2.3.1.4)."""
        deadline = self._clock() + self.settings.total_timeout
        call = _Call(robots_url, None, None, False, _ROBOTS_MAX_BYTES, {}, deadline, retries=0)
        result = self._fetch_with_retries(call)
        if result.outcome is Outcome.OK and result.status == 200:
            return result.text()
        status = result.status or 0
        if status == 429 or status >= 500:
            raise RobotsUnreachable(f"HTTP {status}")
        if result.outcome in _UNREACHABLE:
            raise RobotsUnreachable(result.error or result.outcome.value,
                                    outcome=result.outcome.value)
        logger.debug("no robots.txt rules from %s: %s", robots_url, result.outcome)
        return None


@dataclass(frozen=True, slots=True)
class _Call:
    """The options of one :meth:`Fetcher.fetch` call."""

    url: str
    previous: ConditionalState | None
    accept: tuple[str, ...] | None
    obey_robots: bool
    max_bytes: int
    headers: dict[str, str]
    deadline: float
    retries: int

    def result(
        self, outcome: Outcome, final_url: str, **fields: Unpack[_ResultFields]
    ) -> FetchResult:
        """Build a :class:`FetchResult` for this call."""
        return FetchResult(outcome, self.url, final_url, **fields)


class _ResultFields(TypedDict, total=False):
    status: int | None
    headers: dict[str, str]
    body: bytes
    etag: str | None
    last_modified: str | None
    content_hash: str | None
    error: str | None
    sniffed_type: str | None
