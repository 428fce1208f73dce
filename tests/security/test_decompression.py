"""Compression bombs from the local hostile server: stacked (``gzip, gzip``), nested (``gzip,
deflate``) and single codings that inflate far past the body limit end as ``too_large``, in
the scheduler's fetcher and in the add-by-URL preview, with peak memory measured in a child
process staying under 64 MB above its baseline."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import zlib
from functools import cache
from pathlib import Path

import pytest

from scrapers.content_coding import BoundedDecoder, CodingRefused, TooLarge
from scrapers.fetch import Fetcher, FetchSettings, Outcome
from tests.scrapers.scraper_server import LocalServer, Reply

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024
INFLATED = 128 * MB  # what each bomb decodes to: past the 10 MB limit and twice the 64 MB bound
PEAK_BOUND = 64 * MB
HTML = "text/html; charset=utf-8"


def _deflate_stream(compressor: zlib._Compress, size: int) -> bytes:
    """``size`` zero bytes through ``compressor``, fed 1 MB at a time (never held whole)."""
    zeros = b"\0" * MB
    parts = [compressor.compress(zeros) for _ in range(size // MB)]
    return b"".join([*parts, compressor.flush()])


@cache
def gzip_bomb() -> bytes:
    """128 MB of zeros gzipped once (about 250 KB)."""
    return _deflate_stream(zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS), INFLATED)


@cache
def deflate_bomb() -> bytes:
    """128 MB of zeros as a zlib (``deflate``) stream."""
    return _deflate_stream(zlib.compressobj(9), INFLATED)


BOMBS = {
    # each path answers with its Content-Encoding header and body
    "/gzip-gzip": ("gzip, gzip", lambda: gzip.compress(gzip_bomb(), 9)),
    "/gzip-deflate": ("gzip, deflate", lambda: zlib.compress(gzip_bomb(), 9)),
    "/deflate-gzip": ("deflate, gzip", lambda: gzip.compress(deflate_bomb(), 9)),
    "/gzip": ("gzip", gzip_bomb),
    "/deflate": ("deflate", deflate_bomb),
}

CHILD = r"""
import json, resource, sys
mode, url, warm, instance = sys.argv[1:5]
if mode == "fetch":
    from scrapers.fetch import Fetcher, FetchSettings
    fetcher = Fetcher(FetchSettings(min_delay=0, retries=0, trust_env=False, obey_robots=False))
    fetcher.fetch(warm)  # import and connection costs into the baseline
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = fetcher.fetch(url)
    answer = {"outcome": result.outcome.value, "error": result.error}
else:
    from pathlib import Path
    from campaign import create_app
    from campaign.extensions import db
    from campaign.sources.probe import discover
    from tests.conftest import base_config
    app = create_app(base_config(Path(instance), f"sqlite:///{instance}/probe.db"))
    with app.app_context():
        db.create_all()
        discover(warm)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        found = discover(url)
    answer = {"outcome": found.error, "error": found.error}
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({**answer, "grown": (after - before) * 1024}))
"""


@pytest.fixture
def bombs(server: LocalServer) -> LocalServer:
    """The hostile server with every bomb and a small warm-up page."""
    for path, (coding, body) in BOMBS.items():
        server.route(path, Reply(body=body(), content_type=HTML,
                                 headers={"Content-Encoding": coding}))
    server.route("/warm", Reply(body=b"<html><body><p>warm</p></body></html>"))
    return server


def run_child(mode: str, server: LocalServer, path: str, instance: Path) -> dict[str, object]:
    """Fetch `path` in a fresh interpreter (after a warm-up page, so imports and the first
    connection belong to the baseline); its outcome and how much its peak RSS grew."""
    argv = [sys.executable, "-c", CHILD, mode, server.url(path), server.url("/warm"),
            str(instance)]
    done = subprocess.run(argv, cwd=ROOT,
                          capture_output=True, text=True, check=False,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    answer: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


@pytest.mark.parametrize("path", list(BOMBS))
def test_each_bomb_ends_too_large_with_bounded_memory_in_the_fetcher(bombs, path, tmp_path):
    """Stacked, nested and single gzip/deflate bombs end as `too_large`, and the fetching
    process's peak RSS grows by less than 64 MB (the bombs inflate to 128 MB)."""
    answer = run_child("fetch", bombs, path, tmp_path)
    assert answer["outcome"] == "too_large", answer
    assert int(str(answer["grown"])) < PEAK_BOUND, answer


@pytest.mark.parametrize("path", ["/gzip-gzip", "/gzip"])
def test_the_add_by_url_preview_refuses_bombs_with_bounded_memory(bombs, path, tmp_path):
    """The add-by-URL preview (sources.probe.discover) ends a bomb as too large, said in
    words, and its process's peak RSS grows by less than 64 MB."""
    answer = run_child("probe", bombs, path, tmp_path)
    assert answer["error"] == "页面过大，已停止下载。", answer
    assert int(str(answer["grown"])) < PEAK_BOUND, answer


def test_two_content_encoding_headers_count_as_stacked(server):
    """Two Content-Encoding header lines are two codings: refused as too large before any
    decoding, with a message naming them."""
    server.route("/two", lambda _seen: Reply(body=gzip.compress(gzip.compress(b"x")),
                                             headers={"Content-Encoding": "gzip, gzip"}))
    with Fetcher(FetchSettings(min_delay=0, retries=0, trust_env=False,
                               obey_robots=False)) as fetcher:
        result = fetcher.fetch(server.url("/two"))
    assert result.outcome is Outcome.TOO_LARGE
    assert "more than one content coding" in (result.error or "")


def test_an_unasked_brotli_body_is_a_decode_error(server):
    """The fetcher asks for gzip and deflate only; a `br` body is refused as undecodable
    rather than handed on as bytes."""
    server.route("/br", Reply(body=b"\x0b\x02\x80hello\x03", headers={"Content-Encoding": "br"}))
    with Fetcher(FetchSettings(min_delay=0, retries=0, trust_env=False,
                               obey_robots=False)) as fetcher:
        result = fetcher.fetch(server.url("/br"))
    assert result.outcome is Outcome.DECODE_ERROR


def test_ordinary_gzip_raw_deflate_and_multi_member_bodies_decode(server):
    """The bounded decoder still reads what servers really send: gzip, zlib deflate, raw
    deflate and a gzip of two members."""
    page = "<html><body><p>职工技能大赛在合肥开幕</p></body></html>".encode()
    raw = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    bodies = {"/gz": ("gzip", gzip.compress(page)), "/zz": ("deflate", zlib.compress(page)),
              "/raw": ("deflate", raw.compress(page) + raw.flush()),
              "/two": ("gzip", gzip.compress(page[:20]) + gzip.compress(page[20:]))}
    for path, (coding, body) in bodies.items():
        server.route(path, Reply(body=body, headers={"Content-Encoding": coding}))
    with Fetcher(FetchSettings(min_delay=0, retries=0, trust_env=False,
                               obey_robots=False)) as fetcher:
        for path in bodies:
            result = fetcher.fetch(server.url(path))
            assert result.ok and result.body == page, (path, result.outcome, result.error)


def test_the_decoder_stops_within_one_step_of_the_limit():
    """Fed a 128 MB bomb in one piece, the decoder raises TooLarge having produced at most
    the limit plus one step, and refuses stacked codings at construction."""
    decoder = BoundedDecoder("gzip", limit=MB)
    produced = 0
    with pytest.raises(TooLarge):
        for piece in decoder.feed(gzip_bomb()):
            produced += len(piece)
    assert produced <= MB + 64 * 1024
    with pytest.raises(CodingRefused):
        BoundedDecoder("deflate, gzip", limit=MB)
