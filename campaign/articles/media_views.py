"""The media of an article, for logged-in users only (the access rule every request passes):
its clipping, the whole page image, the page PDF, the archived copy of a web page and its
screenshot.

An archived copy is a stranger's HTML: it is sent with `Content-Security-Policy: sandbox` (no
script runs, and the browser gives it an opaque origin, never the app's), no subresources
loaded, never framed, never sniffed.
"""

from __future__ import annotations

from flask import abort, send_file
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from campaign.articles.media import resolve
from campaign.articles.models import ArticleMedia
from campaign.extensions import db
from campaign.sources.blueprint import bp

__all__ = ["ARCHIVE_POLICY", "bp"]

ARCHIVE_POLICY = ("sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
                  "frame-ancestors 'none'")
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".gif": "image/gif",
               ".webp": "image/webp"}


def _media(article_id: int) -> ArticleMedia:
    row = db.session.get(ArticleMedia, article_id)
    if row is None:
        abort(404)
    return row


def _send(relative: str, mimetype: str, *, download_name: str | None = None) -> Response:
    path = resolve(relative)
    if path is None:
        abort(404)
    response = send_file(path, mimetype=mimetype, as_attachment=download_name is not None,
                         download_name=download_name, max_age=0, conditional=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


def _image_type(relative: str) -> str:
    suffix = "." + relative.rsplit(".", 1)[-1].lower() if "." in relative else ""
    return IMAGE_TYPES.get(suffix, "application/octet-stream")


@bp.get("/articles/<int:article_id>/clipping.png")
def article_clipping(article_id: int) -> ResponseReturnValue:
    """The story cut from its page image."""
    return _send(_media(article_id).clipping_path, "image/png")


@bp.get("/articles/<int:article_id>/page-image")
def article_page_image(article_id: int) -> ResponseReturnValue:
    """The whole page image the story ran on."""
    row = _media(article_id)
    return _send(row.page_image_path, _image_type(row.page_image_path))


@bp.get("/articles/<int:article_id>/page.pdf")
def article_page_pdf(article_id: int) -> ResponseReturnValue:
    """The page PDF (kept with MEDIA_KEEP_PDFS)."""
    return _send(_media(article_id).page_pdf_path, "application/pdf",
                 download_name=f"article-{article_id}-page.pdf")


@bp.get("/articles/<int:article_id>/archive")
def article_archive(article_id: int) -> ResponseReturnValue:
    """The archived copy of a web article, sandboxed: no script, an opaque origin."""
    response = _send(_media(article_id).archive_path, "text/html")
    response.headers["Content-Security-Policy"] = ARCHIVE_POLICY
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/articles/<int:article_id>/screenshot.png")
def article_screenshot(article_id: int) -> ResponseReturnValue:
    """The browser screenshot of a web article (MEDIA_SCREENSHOTS), taken when archived."""
    return _send(_media(article_id).screenshot_path, "image/png")


@bp.get("/articles/<int:article_id>/archive.warc.gz")
def article_warc(article_id: int) -> ResponseReturnValue:
    """The archived copy as a WARC record, for standard replay tools."""
    return _send(_media(article_id).warc_path, "application/warc",
                 download_name=f"article-{article_id}.warc.gz")
