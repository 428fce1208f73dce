"""Which hosts belong to one site: ``news.x.com`` and ``www.x.com`` share the registered domain
``x.com`` (``sina.com.cn`` under ``com.cn``), read from tldextract's bundled Public Suffix List.

The list is the snapshot shipped inside the wheel: no request is ever made for a fresher one,
because the tracker often runs on an intranet that reaches only the news sites.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from urllib.parse import urlsplit

from tldextract import TLDExtract


def offline_extractor() -> TLDExtract:
    """A tldextract reading only its bundled suffix list: no URL to fetch a fresher one, no
    cache directory written."""
    return TLDExtract(suffix_list_urls=(), cache_dir=None)


_EXTRACT = offline_extractor()


@lru_cache(maxsize=1024)
def registered_domain(host: str) -> str:
    """The registered domain of a host (``news.sina.com.cn`` → ``sina.com.cn``), or the host
    itself, lowercased, when it has none (an IP address, ``localhost``, a ``.test`` name)."""
    host = host.lower().rstrip(".")
    found = _EXTRACT.extract_str(host).top_domain_under_public_suffix
    return found or host


def site_of(url: str) -> str:
    """The registered domain of a URL's host ('' when the URL has no host)."""
    host = urlsplit(url).hostname
    return registered_domain(host) if host else ""


def same_site(url: str, other: str) -> bool:
    """True when both URLs are on hosts of one registered domain (sibling subdomains count)."""
    site = site_of(url)
    return bool(site) and site == site_of(other)


def server_site(url: str) -> str:
    """The site a URL belongs to, port-aware where ports tell servers apart: its registered
    domain; for a host without one (an IP address, an intranet name without a dot) the host and
    port, as each port there is a server of its own."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    if host and ("." not in host or _is_ip(host)):
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            return host
        return f"{host}:{port}"
    return site_of(url)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
