"""Small URL helpers shared by the fetcher, list pages and e-papers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urljoin, urlsplit, urlunsplit

__all__ = [
    "ANY_PORT",
    "MAX_SELECTOR_DEPTH",
    "MAX_SELECTOR_LENGTH",
    "HostEntryError",
    "check_fetchable_url",
    "content_type_matches",
    "is_malformed_link",
    "meta_refresh_url",
    "normalize_url",
    "resolve_link",
    "selector_nesting",
    "split_host_entry",
]

_DROPPED_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "#")
_META_TAG = re.compile(r"<meta\b[^>]*>", re.I)
_REFRESH_EQUIV = re.compile(r"http-equiv\s*=\s*[\"']?\s*refresh", re.I)
_REFRESH_TARGET = re.compile(r"content\s*=\s*[\"']?[^\"'>]*?url\s*=\s*['\"]?([^\"'>\s]+)", re.I)
_REFRESH_SCAN = 8192


ANY_PORT = "*"
# A source's CSS selectors are typed by people: real ones are short and shallow, while a
# 2,000-deep ``:not(`` takes soupsieve tens of seconds per select.
MAX_SELECTOR_LENGTH = 300
MAX_SELECTOR_DEPTH = 8


def selector_nesting(selector: str) -> int:
    """How deep the parentheses and brackets of a CSS selector nest (quoted text ignored)."""
    depth = deepest = 0
    quote = ""
    for char in selector:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]":
            depth = max(0, depth - 1)
    return deepest


class HostEntryError(ValueError):
    """An allow-list entry that is not ``host``, ``host:port`` or ``host:*``."""


def split_host_entry(entry: str) -> tuple[str, int | str | None]:
    """An allow-list entry as (host, port): ``host:5050`` gives 5050, ``host:*`` gives
    :data:`ANY_PORT`, a bare host None (meaning ports 80 and 443). IPv6 addresses take a port
    inside brackets (``[fd00::5]:8080``); a bare IPv6 address has no port. The host is returned
    as written (brackets removed); raises HostEntryError for a port that is not 1-65535 or *."""
    text = entry.strip()
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        if rest and not rest.startswith(":"):
            raise HostEntryError(f"unexpected text after the IPv6 address in {entry!r}")
        port_text = rest[1:] if rest else None
    elif text.count(":") == 1:
        host, port_text = text.split(":")
    else:
        host, port_text = text, None
    if port_text is None:
        return host, None
    if port_text == ANY_PORT:
        return host, ANY_PORT
    if not (port_text.isascii() and port_text.isdigit()) or not 0 < int(port_text) < 65536:
        raise HostEntryError(f"the port in {entry!r} must be a number from 1 to 65535 or *")
    return host, int(port_text)


def check_fetchable_url(url: str) -> str | None:
    """Return a plain-English problem if ``url`` is not an absolute http(s) URL, else None."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return "malformed URL"
    if parts.scheme.lower() not in {"http", "https"}:
        return f"only http and https URLs can be fetched, not {parts.scheme or 'a relative URL'}"
    if not host:
        return "URL has no host"
    return None


def content_type_matches(header: str | None, allowed: Sequence[str] | None) -> bool:
    """True if the Content-Type ``header`` is in ``allowed`` (``type/*`` works; None allows all).

    A missing header is allowed: many Chinese sites send none.
    """
    if allowed is None or not header:
        return True
    mime = header.split(";", 1)[0].strip().lower()
    return any(
        mime == kind or (kind.endswith("/*") and mime.startswith(kind[:-1])) for kind in allowed
    )


def normalize_url(url: str) -> str:
    """A comparison key for ``url``: lower-case scheme and host, no fragment, no default port.
    A malformed URL (``http://[::1``, a port out of range) is its own key; never raises."""
    try:
        parts = urlsplit(url.strip())
        netloc = (parts.hostname or "").lower()
        port = parts.port if parts.port not in {None, 80, 443} else None
    except ValueError:
        return url.strip()
    if port:
        netloc = f"{netloc}:{port}"
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), netloc, path, parts.query, ""))


def is_malformed_link(href: object, base: str) -> bool:
    """True when ``href`` is a link (not empty, not javascript: or mailto:) that cannot be
    resolved into a URL at all — ``http://[::1``, a port of 99999: what a parser skips and
    counts, where :func:`resolve_link` gives None for both kinds."""
    if not isinstance(href, str) or not href.strip():
        return False
    if href.strip().lower().startswith(_DROPPED_SCHEMES):
        return False
    return _resolve(href.strip(), base) is _MALFORMED


_MALFORMED = ""


def _resolve(href: str, base: str) -> str | None:
    """The absolute http(s) URL, None for another scheme, _MALFORMED when it does not parse."""
    try:
        absolute = urljoin(base, href)
        parts = urlsplit(absolute)
        _ = parts.port  # raises for a port that is out of range or not a number
        absolute.encode("utf-8")  # a lone surrogate cannot be sent
    except (ValueError, UnicodeError):
        return _MALFORMED
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    return absolute.split("#", 1)[0]


def resolve_link(href: object, base: str) -> str | None:
    """Resolve ``href`` against ``base``; None for empty, javascript:, mailto: or # links, and
    for a link that is not a URL at all (see :func:`is_malformed_link`). Never raises.

    ``href`` may be an attribute value as BeautifulSoup gives it: anything but a string
    (absent, or a list for a repeated attribute) is no link.
    """
    if not isinstance(href, str) or not href:
        return None
    href = href.strip()
    if not href or href.lower().startswith(_DROPPED_SCHEMES):
        return None
    return _resolve(href, base) or None


def meta_refresh_url(html: str, *, url: str) -> str | None:
    """The target of a ``<meta http-equiv="refresh" content="0; URL=...">``, resolved.

    Only the first 8 KB are searched; a refresh to the page itself gives None.
    """
    for tag in _META_TAG.findall(html[:_REFRESH_SCAN]):
        target = _REFRESH_TARGET.search(tag) if _REFRESH_EQUIV.search(tag) else None
        resolved = resolve_link(target.group(1), url) if target else None
        if resolved and normalize_url(resolved) != normalize_url(url):
            return resolved
    return None
