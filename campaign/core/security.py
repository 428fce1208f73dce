"""Security headers on every response, and the template test that keeps scraped links safe.

Scraped titles, bodies, authors and URLs are written by strangers. Jinja's autoescaping makes
them text; the Content-Security-Policy is the second wall: no inline script, no plugin, no
framing, no form posting elsewhere. Styles may be inline because plotly.js inserts <style>
elements and sets style attributes as it draws; plotly's basic charts need no `eval`.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.wrappers import Response

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
])
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
WEB_SCHEMES = ("http://", "https://")


def add_security_headers(response: Response) -> Response:
    """Every response carries the headers (a view may set its own first)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def is_web_url(value: object) -> bool:
    """True for an http(s) URL: only those become links (never `javascript:` or `data:`)."""
    return isinstance(value, str) and value.strip().lower().startswith(WEB_SCHEMES)


def init_security(app: Flask) -> None:
    """Install the headers and the `web_url` template test (`{% if url is web_url %}`)."""
    app.after_request(add_security_headers)
    app.jinja_env.tests["web_url"] = is_web_url
