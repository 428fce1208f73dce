"""Security headers on every kind of response, and the templates and scripts that the
Content-Security-Policy relies on: no inline script, no inline handlers, no raw HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from campaign.core.security import CONTENT_SECURITY_POLICY, is_web_url

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
SCRIPTS = sorted((ROOT / "campaign" / "static" / "js").glob("*.js"))
EXPECTED = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def directives() -> dict[str, list[str]]:
    parts = [part.split() for part in CONTENT_SECURITY_POLICY.split(";")]
    return {part[0]: part[1:] for part in parts}


def test_policy_forbids_inline_script_and_eval():
    """script-src is 'self' alone (no 'unsafe-inline', no 'unsafe-eval'), and the other
    directives are as strict as the issue asks."""
    policy = directives()
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["img-src"] == ["'self'", "data:", "blob:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("path,status", [
    ("/login", 200), ("/", 302), ("/static/css/app.css", 200), ("/healthz", 200),
    ("/api/v1/outlets", 401), ("/api/v1/openapi.json", 200),
])
def test_every_kind_of_response_carries_the_headers(client, path, status):
    """Pages, redirects, static files, errors and the JSON API all send the four headers."""
    response = client.get(path)
    assert response.status_code == status
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (path, name)


def test_logged_in_pages_carry_the_headers(client, login, make):
    """A page behind the login (the campaign list), a 403 and a 404 send them too."""
    login("leader")
    assert client.get("/campaigns").headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    forbidden = client.get("/users")
    assert forbidden.status_code == 403
    assert forbidden.headers["X-Frame-Options"] == "DENY"
    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    assert missing.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
RAW_HTML = re.compile(r"\|\s*safe\b|Markup\(|autoescape\s+false", re.I)
JS_URL = re.compile(r"javascript:", re.I)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_inline_script_or_raw_html(template):
    """No template has an inline <script> (only JSON data blocks), an on…= handler, a
    javascript: URL, |safe, Markup( or autoescape false."""
    text = template.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text)
    assert not INLINE_HANDLER.search(text)
    assert not JS_URL.search(text)
    assert not RAW_HTML.search(text)


UNSAFE_JS = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|"
                       r"new Function|setTimeout\(\s*['\"]")


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_scripts_never_turn_data_into_html(script):
    """The app's own scripts set text (textContent), never HTML, and never evaluate strings."""
    assert not UNSAFE_JS.search(script.read_text(encoding="utf-8"))


# The one module allowed to mark HTML safe, and why: what it marks is the project's own file.
MARKS_SAFE = {
    "campaign/core/guide_views.py": "docs/guide.md, a file of the repository (never stored or "
                                    "scraped text), rendered by markdown-it with raw HTML off",
}


def test_python_code_marks_nothing_safe():
    """No Python module wraps text in Markup (which would switch autoescaping off for it),
    but the one named in MARKS_SAFE with its reason."""
    offenders = [str(path.relative_to(ROOT)) for path in (ROOT / "campaign").rglob("*.py")
                 if re.search(r"\bMarkup\(", path.read_text(encoding="utf-8"))]
    assert sorted(set(offenders) - set(MARKS_SAFE)) == []
    assert set(MARKS_SAFE) <= set(offenders), "an exception no module needs any more"


@pytest.mark.parametrize("url,ok", [
    ("http://news.test/1.htm", True), ("HTTPS://news.test/", True),
    ("javascript:alert(1)", False), (" JavaScript:alert(1)", False),
    ("data:text/html,<script>alert(1)</script>", False), ("//evil.test/", False),
    ("vbscript:x", False), ("", False), (None, False),
])
def test_only_web_urls_become_links(url, ok):
    """The `web_url` template test accepts http(s) URLs only."""
    assert is_web_url(url) is ok
