"""The officers' guide: docs/guide.md rendered as a page (raw HTML in it is shown as text, not
run), and its screenshots from docs/images/, which `make docs` takes in the browser."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import abort, render_template, send_from_directory
from flask.typing import ResponseReturnValue
from markdown_it import MarkdownIt
from markupsafe import Markup

from campaign.core.views import bp

DOCS = Path(__file__).resolve().parents[2] / "docs"
GUIDE = DOCS / "guide.md"
IMAGES = DOCS / "images"


@cache
def _render(text: str) -> Markup:
    # The guide is the project's own file; html=False still keeps any tag in it inert.
    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    return Markup(html)  # noqa: S704  (markdown-it escaped every character of the source)


def guide_html() -> Markup:
    """The guide as HTML (its image links relative to /guide/)."""
    return _render(GUIDE.read_text(encoding="utf-8"))


@bp.get("/guide/")
def guide() -> ResponseReturnValue:
    """使用指南: plan → sources → review → dashboard → exports."""
    return render_template("core/guide.html", body=guide_html())


@bp.get("/guide/images/<image>")
def guide_image(image: str) -> ResponseReturnValue:
    """A screenshot of the guide (PNG files of docs/images only)."""
    if not image.endswith(".png"):
        abort(404)
    return send_from_directory(IMAGES, image, mimetype="image/png", max_age=3600)
