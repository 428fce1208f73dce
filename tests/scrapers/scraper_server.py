"""A local HTTP server on 127.0.0.1 for offline scraper tests (used by conftest fixtures)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

DATA = Path(__file__).parent / "data"


@dataclass
class Reply:
    """What a route answers."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    content_type: str | None = "text/html; charset=utf-8"
    send_length: bool = True
    # Written chunk by chunk after `body` (flushed each time): drips and huge bodies that the
    # server never holds in memory at once.
    stream: Callable[[], Iterator[bytes]] | None = None


@dataclass
class Seen:
    """One request the server received."""

    path: str
    query: str
    headers: dict[str, str]


Route = Callable[[Seen], Reply]


class LocalServer:
    """Routes, a request log and a max-concurrency counter around ThreadingHTTPServer."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, reply: Reply | Route) -> None:
        """Answer ``path`` with a fixed reply or a function of the request."""
        self.routes[path] = reply if callable(reply) else (lambda _seen, r=reply: r)

    def serve(self, seen: Seen) -> Reply:
        """Record the request and find its reply (404 when no route matches)."""
        with self._lock:
            self.requests.append(seen)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            route = self.routes.get(seen.path)
            reply = route(seen) if route else Reply(404, b"not found")
            if reply.delay:
                time.sleep(reply.delay)
            return reply
        finally:
            with self._lock:
                self.in_flight -= 1

    def paths(self) -> list[str]:
        """Paths requested so far, in order."""
        return [seen.path for seen in self.requests]


@contextmanager
def serving() -> Iterator[LocalServer]:
    """A running local server, shut down and closed on leaving."""
    local = LocalServer()
    local.thread.start()
    try:
        yield local
    finally:
        local.httpd.shutdown()
        local.httpd.server_close()
        local.thread.join(timeout=5)


def _handler_for(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            seen = Seen(parts.path, parts.query, {k.lower(): v for k, v in self.headers.items()})
            reply = server.serve(seen)
            try:
                self.send_response(reply.status)
                if reply.content_type:
                    self.send_header("Content-Type", reply.content_type)
                if reply.send_length and "Content-Length" not in reply.headers:
                    self.send_header("Content-Length", str(len(reply.body)))
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(reply.body)
                for chunk in reply.stream() if reply.stream else ():
                    self.wfile.write(chunk)
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout tests)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """Keep test output quiet."""

    return Handler
