"""What a response body is, when the server's Content-Type cannot be believed.

Chinese CMSs label good feeds ``text/rss+xml`` or ``application/octet-stream`` and pages
``text/htm`` or ``application/x-httpd-php``. For such labels the fetcher looks at the first
bytes instead (:func:`sniff_type`); a real binary (image, PDF, archive) stays refused. Sites
behind an anti-bot service answer with a JavaScript challenge instead of the page
(:func:`is_js_challenge`): the fetcher reports it in words rather than handing it on as an
article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from scrapers.urls import content_type_matches

__all__ = [
    "FEED_TYPES",
    "PAGE_TYPES",
    "UNTRUSTED_TYPES",
    "SniffVerdict",
    "is_js_challenge",
    "is_untrusted_type",
    "judge_body",
    "sniff_type",
]

SNIFF_BYTES = 1024
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
              "application/xml", "text/xml")  # fmt: skip
PAGE_TYPES = ("text/html", "application/xhtml+xml")
# Labels that say nothing reliable about the body: misconfigured servers send them for feeds
# and pages alike.
UNTRUSTED_TYPES = frozenset(
    {
        "text/rss+xml", "text/atom+xml", "text/rdf+xml", "application/x-rss+xml",
        "application/x-atom+xml", "text/x-rss", "application/octet-stream",
        "binary/octet-stream", "application/unknown", "text/htm", "application/x-httpd-php",
        "application/x-php", "text/php", "text/x-php", "text/x-server-parsed-html",
    }
)  # fmt: skip

_BINARY_MAGIC = (
    b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"Rar!",
    b"7z\xbc\xaf", b"RIFF", b"\x00\x00\x01\x00", b"ID3", b"OggS", b"fLaC", b"MZ",
    b"\xd0\xcf\x11\xe0", b"\x7fELF",
)  # fmt: skip
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_LEADING_JUNK = re.compile(rb"^(?:\s+|<\?xml[^>]*>|<!--.*?-->|<\?xml-stylesheet[^>]*>)+", re.S)
_FEED_ROOT = re.compile(rb"^<(?:[\w-]+:)?(rss|feed|rdf:RDF|RDF)[\s>/]", re.I)
_PAGE_START = re.compile(rb"^<(?:!DOCTYPE\s+html|html|head|body|meta|title)[\s>/]", re.I)
_FEED_KIND = {b"rss": FEED_TYPES[0], b"feed": FEED_TYPES[1], b"rdf:rdf": FEED_TYPES[2],
              b"rdf": FEED_TYPES[2]}  # fmt: skip


def is_untrusted_type(header: str | None) -> bool:
    """True when the Content-Type ``header`` is one misconfigured servers send for anything."""
    mime = (header or "").split(";", 1)[0].strip().lower()
    return mime in UNTRUSTED_TYPES


def _strip_bom(head: bytes) -> bytes:
    for bom in _BOMS:
        if head.startswith(bom):
            return head[len(bom) :]
    return head


def sniff_type(body: bytes) -> str | None:
    """The media type the first bytes of ``body`` show, or None when they show nothing.

    A feed gives ``application/rss+xml``, ``application/atom+xml`` or ``application/rdf+xml``
    (root element after any XML prolog and comments), a page ``text/html`` (a doctype or an
    ``<html>``, ``<head>`` or ``<body>`` tag), a known binary signature
    ``application/octet-stream``. UTF-16 bodies are looked at as their ASCII bytes.
    """
    head = _strip_bom(body[:SNIFF_BYTES])
    if head.startswith(_BINARY_MAGIC):
        return "application/octet-stream"
    if b"\x00" in head[:64]:
        head = head.replace(b"\x00", b"")  # UTF-16/32 markup: keep the ASCII letters
    head = _LEADING_JUNK.sub(b"", head)
    feed = _FEED_ROOT.match(head)
    if feed:
        return _FEED_KIND[feed.group(1).lower()]
    if _PAGE_START.match(head):
        return "text/html"
    return None


@dataclass(frozen=True, slots=True)
class SniffVerdict:
    """What the first bytes showed, and why the body is refused (None when it is accepted)."""

    sniffed: str | None
    refusal: str | None = None


def judge_body(head: bytes, declared: str | None, accept: Sequence[str] | None) -> SniffVerdict:
    """Decide from its first bytes whether a body is of a type in ``accept``.

    With no Content-Type at all only a binary is refused (many Chinese sites send none); with
    a meaningless one the body must show a feed or a page of an accepted type.
    """
    sniffed = sniff_type(head)
    shown = "a binary file" if sniffed == "application/octet-stream" else sniffed
    if not declared:
        return SniffVerdict(sniffed, f"the body is {shown}" if shown == "a binary file" else None)
    kinds = FEED_TYPES if sniffed in FEED_TYPES else PAGE_TYPES if sniffed in PAGE_TYPES else ()
    if any(content_type_matches(kind, accept) for kind in kinds):
        return SniffVerdict(sniffed)
    return SniffVerdict(
        sniffed, f"unexpected content type {declared} (the body is {shown or 'no page or feed'})"
    )


# An anti-bot challenge sets a cookie and reloads the page from a script, and shows no text.
_SCRIPT = re.compile(rb"<script\b[^>]*>(.*?)</script\s*>", re.I | re.S)
_INVISIBLE = re.compile(rb"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_TAG = re.compile(rb"<[^>]*>")
_SETS_COOKIE = re.compile(rb"document\.cookie\s*=(?!=)")
_RELOADS = re.compile(
    rb"location\.(?:reload|replace|assign)\s*\(|(?:window\.|document\.)?location(?:\.href)?\s*=(?!=)"
)
# Tokens of the common anti-bot services (加速乐, 阿里云 WAF, 瑞数, Cloudflare).
_VENDOR_TOKENS = re.compile(
    rb"__jsl_clearance|acw_sc__v2|\$_ts\b|_cf_chl|challenge-platform|cf-browser-verification"
)
_MAX_CHALLENGE_TEXT = 80  # "please enable JavaScript", at most, stays visible
_MAX_CHALLENGE_BYTES = 256 * 1024  # challenge pages are small; real pages are not scanned twice


def is_js_challenge(body: bytes) -> bool:
    """True when ``body`` is a JavaScript challenge page: a script that sets a cookie and
    reloads the page (or carries an anti-bot service's token), and almost no visible text."""
    if not body or len(body) > _MAX_CHALLENGE_BYTES or sniff_type(body) in FEED_TYPES:
        return False
    scripts = b" ".join(_SCRIPT.findall(body))
    if not _VENDOR_TOKENS.search(scripts) and not (
        _SETS_COOKIE.search(scripts) and _RELOADS.search(scripts)
    ):
        return False
    text = _TAG.sub(b"", _INVISIBLE.sub(b"", body))
    visible = re.sub(rb"\s+|&nbsp;", b"", text)
    return len(visible.decode("utf-8", "replace")) <= _MAX_CHALLENGE_TEXT
