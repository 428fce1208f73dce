"""Canonical URLs: one spelling per article page, whatever link or share button led to it."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}

# Query parameters that say how a reader arrived (campaign tags, share buttons, app referrers),
# never which article: two links differing only in these open the same page.
TRACKING_PARAMS = frozenset({
    "spm", "from", "share", "share_token", "shareid", "share_id", "sharer", "share_from",
    "sharesource", "share_source", "isappinstalled", "scene", "clicktime", "enterid",
    "fbclid", "gclid", "igshid", "mc_cid", "mc_eid", "wfr", "_wv", "tt_from", "tt_group_id",
    "timestamp", "sessionid", "pvid", "ref", "referer",
})
TRACKING_PREFIXES = ("utm_", "share_", "wx_")


def is_tracking_param(name: str) -> bool:
    """True for a query parameter that only tracks the visit (utm_*, spm, from, share…)."""
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """`url` with its fragment and tracking parameters removed, the scheme and host lower-cased,
    the default port dropped and the remaining query parameters sorted.

    The path keeps its case (many servers are case-sensitive); an empty path becomes "/".
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    try:
        port = parts.port
    except ValueError:  # a malformed port: keep what was written rather than fail the fetch
        port = None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{port}"
    if parts.username:
        auth = parts.username + (f":{parts.password}" if parts.password else "")
        netloc = f"{auth}@{netloc}"
    # Pairs are kept as written (not decoded): GBK sites percent-encode GBK bytes.
    pairs = [p for p in parts.query.split("&") if p]
    query = "&".join(sorted(p for p in pairs if not is_tracking_param(unquote(p.split("=")[0]))))
    path = parts.path or ("/" if netloc else "")
    return urlunsplit((scheme, netloc, path, query, ""))
