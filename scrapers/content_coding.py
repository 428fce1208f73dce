"""Undo a response's Content-Encoding with the size limit applied while decompressing.

httpx decodes every network chunk in full through each listed decoder before a caller can
count the bytes, so a small response with stacked codings (``gzip, gzip``) inflates to
gigabytes in one step. :class:`BoundedDecoder` instead asks zlib for at most a few kilobytes
per call (``max_length``) and stops once the decoded size passes the limit; it accepts one
content coding at most (``gzip`` or ``deflate``, the two the fetcher asks for).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

__all__ = ["BoundedDecoder", "CodingRefused", "TooLarge", "content_codings"]

_STEP = 64 * 1024  # decoded bytes asked of zlib per call
_SUPPORTED = frozenset({"gzip", "x-gzip", "deflate"})


class CodingRefused(Exception):  # noqa: N818 - a refusal the fetcher reports
    """The body's content coding cannot be undone safely (stacked, unknown or corrupt)."""

    def __init__(self, message: str, *, stacked: bool = False) -> None:
        super().__init__(message)
        self.stacked = stacked


class TooLarge(Exception):  # noqa: N818 - a refusal the fetcher reports as too_large
    """The decoded body passed the limit."""


def content_codings(header: str | None) -> list[str]:
    """The codings a Content-Encoding header lists, lower case, without ``identity``."""
    names = (part.strip().lower() for part in (header or "").split(","))
    return [name for name in names if name and name != "identity"]


class BoundedDecoder:
    """Decode one response body chunk by chunk, never holding more than ``limit`` bytes of
    output; raises :class:`TooLarge` past the limit and :class:`CodingRefused` for a coding it
    will not undo."""

    def __init__(self, content_encoding: str | None, *, limit: int) -> None:
        """Prepare for the codings of ``content_encoding``; refuses more than one."""
        codings = content_codings(content_encoding)
        if len(codings) > 1:
            raise CodingRefused(
                f"more than one content coding ({', '.join(codings)}) is refused", stacked=True
            )
        if codings and codings[0] not in _SUPPORTED:
            raise CodingRefused(f"unsupported content coding {codings[0]!r}")
        self._coding = codings[0] if codings else None
        self._limit = limit
        self._size = 0
        self._zlib: zlib._Decompress | None = None
        self._first = True

    def feed(self, raw: bytes) -> Iterator[bytes]:
        """The decoded bytes of ``raw``, in pieces of at most 64 KB."""
        if self._coding is None:
            yield self._count(raw)
            return
        data = raw
        while data:
            if self._zlib is None or self._zlib.eof:
                data = self._next_member(data)
                if not data:
                    return
            assert self._zlib is not None
            try:
                piece = self._zlib.decompress(data, min(_STEP, self._limit - self._size + 1))
            except zlib.error as error:
                data = self._retry_raw_deflate(data, error)
                continue
            self._first = False
            data = self._zlib.unconsumed_tail or (self._zlib.unused_data if self._zlib.eof else b"")
            if piece:
                yield self._count(piece)

    def _next_member(self, data: bytes) -> bytes:
        """Start a decompressor; a second gzip member after the first is read as well, as
        gzip(1) does, while trailing garbage after a deflate stream is ignored."""
        if self._zlib is not None and self._coding == "deflate":
            return b""
        if self._zlib is not None and not data.startswith(b"\x1f\x8b"):
            return b""  # padding after the last member
        wbits = 16 + zlib.MAX_WBITS if self._coding != "deflate" else zlib.MAX_WBITS
        self._zlib = zlib.decompressobj(wbits)
        return data

    def _retry_raw_deflate(self, data: bytes, error: zlib.error) -> bytes:
        """Some servers send raw deflate (no zlib header) as ``deflate``: try that once, at
        the start of the body; otherwise the body is corrupt."""
        if self._coding == "deflate" and self._first:
            self._first = False
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            return data
        raise CodingRefused(f"cannot decode the {self._coding} body: {error}") from error

    def _count(self, piece: bytes) -> bytes:
        self._size += len(piece)
        if self._size > self._limit:
            raise TooLarge(f"decoded body larger than {self._limit} bytes")
        return piece
