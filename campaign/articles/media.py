"""The media store: e-paper page images, the clippings cut from them, page PDFs and archived
copies of web articles, kept as files under the MEDIA_FOLDER setting (on disk whatever the
database; several web machines may share it as a mount) and described by `ArticleMedia` rows.

Nothing here uses the network (`campaign.ingest.media` fetches). Files are named by the SHA-256
of their content, so a page image shared by the stories of one page is kept once, and never by
anything a site sent (no path from a URL ever reaches the disk).
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app, has_request_context, request
from sqlalchemy.exc import IntegrityError

from campaign.articles.incoming import IncomingArticle
from campaign.articles.models import ArticleMedia, ArticleUrl, MediaUsage
from campaign.articles.urls import canonical_url
from campaign.core.times import utcnow
from campaign.extensions import db
from scrapers.clipping import ClipError, Clipping, crop_clippings

log = logging.getLogger(__name__)

MB = 1024 * 1024
NOTE_LENGTH = 500
USAGE_ID = 1  # the one row of MediaUsage


class MediaFull(Exception):  # noqa: N818 - a refusal the caller turns into a note
    """A file is larger than MEDIA_MAX_FILE_MB, or would take the folder past
    MEDIA_MAX_TOTAL_MB."""


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A file kept in the media folder: its path relative to the folder and its size."""

    path: str
    size: int


def media_root() -> Path:
    """The media folder (MEDIA_FOLDER, default `instance/media`)."""
    config = current_app.config
    return Path(config.get("MEDIA_FOLDER") or Path(config["INSTANCE_PATH"]) / "media")


def max_file_bytes() -> int:
    """The largest file the store keeps (MEDIA_MAX_FILE_MB)."""
    return int(float(current_app.config.get("MEDIA_MAX_FILE_MB", 20.0)) * MB)


def max_total_bytes() -> int:
    """The most the media folder may hold (MEDIA_MAX_TOTAL_MB)."""
    return int(float(current_app.config.get("MEDIA_MAX_TOTAL_MB", 5000.0)) * MB)


def folder_bytes(root: Path | None = None) -> int:
    """What the files in the media folder take now (a walk of the whole folder: the cap
    checks the running total instead, see `reserve_bytes`)."""
    root = root or media_root()
    if not root.exists():
        return 0
    return sum(entry.stat().st_size for entry in root.rglob("*") if entry.is_file())


def resolve(relative: str) -> Path | None:
    """The file of a stored path, or None when it is not inside the media folder or missing."""
    if not relative:
        return None
    root = media_root().resolve()
    path = (root / relative).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path


def keep_file(kind: str, data: bytes, suffix: str) -> StoredFile:
    """Write `data` under `kind/` named by its SHA-256 (kept once however often it is given),
    adding its size to the running total in the caller's transaction.
    Raises MediaFull when it is over the per-file cap or would pass the install's cap."""
    if len(data) > max_file_bytes():
        raise MediaFull(f"file of {len(data) / MB:.1f} MB is over MEDIA_MAX_FILE_MB")
    digest = hashlib.sha256(data).hexdigest()
    relative = f"{kind}/{digest[:2]}/{digest}{suffix}"
    path = media_root() / relative
    if path.is_file():
        return StoredFile(relative, len(data))
    if not reserve_bytes(len(data)):
        raise MediaFull("the media folder is full (MEDIA_MAX_TOTAL_MB)")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    partial.write_bytes(data)
    partial.replace(path)  # atomic: a reader never sees half a file
    return StoredFile(relative, len(data))


def _ensure_usage_row() -> None:
    """Make the running total's row, counted from the folder, when there is none yet (a new
    install, or one from before the total was kept)."""
    if db.session.get(MediaUsage, USAGE_ID) is not None:
        return
    counted = folder_bytes()
    try:
        with db.session.begin_nested():
            db.session.add(MediaUsage(id=USAGE_ID, bytes=counted, counted_at=utcnow()))
    except IntegrityError:  # another process made it first: theirs stands
        pass


def reserve_bytes(size: int) -> bool:
    """Add `size` to the running total unless that would pass MEDIA_MAX_TOTAL_MB; says whether
    it was added. One conditional UPDATE, so two writers cannot both take the last room."""
    _ensure_usage_row()
    done = db.session.execute(
        sa.update(MediaUsage).where(MediaUsage.id == USAGE_ID,
                                    MediaUsage.bytes + size <= max_total_bytes())
        .values(bytes=MediaUsage.bytes + size)
        .execution_options(synchronize_session=False))
    return bool(getattr(done, "rowcount", 0))


def release_bytes(size: int) -> None:
    """Take `size` off the running total (a file was deleted); never below zero."""
    if size <= 0:
        return
    _ensure_usage_row()
    db.session.execute(
        sa.update(MediaUsage).where(MediaUsage.id == USAGE_ID)
        .values(bytes=sa.case((MediaUsage.bytes > size, MediaUsage.bytes - size), else_=0))
        .execution_options(synchronize_session=False))


def stored_bytes() -> int:
    """The running total of the media folder (counted from the files the first time)."""
    _ensure_usage_row()
    return int(db.session.scalar(sa.select(MediaUsage.bytes).where(MediaUsage.id == USAGE_ID))
               or 0)


def recount_bytes() -> int:
    """Set the running total to what the files in the media folder take now (what
    `media-cleanup` does after deleting); returns it. Flushes."""
    counted = folder_bytes()
    _ensure_usage_row()
    db.session.execute(
        sa.update(MediaUsage).where(MediaUsage.id == USAGE_ID)
        .values(bytes=counted, counted_at=utcnow())
        .execution_options(synchronize_session=False))
    db.session.flush()
    return counted


def remember_page_images(items: Iterable[IncomingArticle]) -> int:
    """Keep each stored e-paper article's page image URL, PDF URL and image-map areas (the
    articles must be stored and flushed). Returns how many rows were made or changed."""
    wanted = {canonical_url(item.url): item for item in items if item.page_image}
    if not wanted:
        return 0
    found = db.session.execute(
        sa.select(ArticleUrl.url, ArticleUrl.article_id).where(ArticleUrl.url.in_(wanted)))
    ids: dict[str, int] = {row.url: row.article_id for row in found}
    rows = {row.article_id: row for row in db.session.scalars(
        sa.select(ArticleMedia).where(ArticleMedia.article_id.in_(ids.values())))}
    changed = 0
    for url, article_id in ids.items():
        ref = wanted[url].page_image
        assert ref is not None
        row = rows.get(article_id)
        if row is None:
            row = rows[article_id] = ArticleMedia(article_id=article_id)
            db.session.add(row)
        changed += _update_page_ref(row, ref.image_url, ref.pdf_url or "", ref.coords,
                                    ref.shown_size)
    db.session.flush()
    return changed


def _update_page_ref(row: ArticleMedia, image_url: str, pdf_url: str,
                     coords: Sequence[str], shown: tuple[int, int] | None) -> int:
    area_coords = "\n".join(coords)
    width, height = shown or (None, None)
    if (row.page_image_url, row.page_pdf_url, row.area_coords, row.shown_width,
            row.shown_height) == (image_url[:1000], pdf_url[:1000], area_coords, width, height):
        return 0
    if row.page_image_url != image_url[:1000] or row.area_coords != area_coords:
        row.clipping_path, row.page_image_path, row.note = "", "", ""  # to be cut again
        row.tries, row.retry_at = 0, None
    if row.page_pdf_url != pdf_url[:1000]:
        row.page_pdf_path, row.pdf_tries, row.pdf_retry_at = "", 0, None
    row.page_image_url, row.page_pdf_url = image_url[:1000], pdf_url[:1000]
    row.area_coords, row.shown_width, row.shown_height = area_coords, width, height
    return 1


def add_note(row: ArticleMedia, note: str) -> None:
    """Say on the article what could not be kept (kept short, newest last)."""
    text = f"{row.note}; {note}" if row.note and note not in row.note else note
    row.note = text[-NOTE_LENGTH:]


def cut_clippings(rows: Sequence[ArticleMedia], page_image: bytes, page_image_path: str
                  ) -> list[bool]:
    """Crop each row's story from their shared page image (decoded once) and keep the
    clippings; a story that cannot be cut (areas outside the image, bad coords), or a page
    image that does not decode, is noted on its article and nothing is kept for it. Flushes;
    returns which rows got a clipping."""
    now = utcnow()
    for row in rows:
        row.page_image_path, row.fetched_at = page_image_path, now
    try:
        results: list[Clipping | ClipError] = crop_clippings(
            page_image, [row.coords for row in rows], displayed_size=rows[0].shown_size)
    except ClipError as exc:
        results = [exc] * len(rows)
    done = [_keep_clipping(row, result) for row, result in zip(rows, results, strict=True)]
    db.session.flush()
    return done


def _keep_clipping(row: ArticleMedia, clip: Clipping | ClipError) -> bool:
    if isinstance(clip, ClipError):
        add_note(row, f"剪报未能裁切：{clip}")
        return False
    try:
        stored = keep_file("clippings", clip.png, ".png")
    except MediaFull as exc:
        add_note(row, f"剪报未保存：{exc}")
        return False
    row.clipping_path = stored.path
    row.crop_left, row.crop_top, row.crop_right, row.crop_bottom = clip.box.as_tuple()
    row.page_width, row.page_height = clip.page_size
    return True


def media_for(article_ids: Sequence[int]) -> dict[int, ArticleMedia]:
    """The media rows of these articles, by article id."""
    if not article_ids:
        return {}
    return {row.article_id: row for row in db.session.scalars(
        sa.select(ArticleMedia).where(ArticleMedia.article_id.in_(list(article_ids))))}


def _known_media() -> dict[int, ArticleMedia | None]:
    """This request's media rows by article id (a list page preloads its rows' in one query
    with `preload_article_media`, so the include makes none per row)."""
    if not has_request_context():
        return {}
    # Kept on the request, not on `g`: an app context may outlive many requests (tests).
    known: dict[int, ArticleMedia | None] = request.environ.setdefault(
        "campaign.article_media", {})
    return known


def article_media(article_id: int) -> ArticleMedia | None:
    """The article's media row (for templates: its clipping, page image, archived copy)."""
    known = _known_media()
    if article_id not in known:
        known[article_id] = db.session.get(ArticleMedia, article_id)
    return known[article_id]


def preload_article_media(article_ids: Iterable[int | None]) -> str:
    """Load the media rows of a list's articles in one query (for a template; returns "")."""
    known = _known_media()
    wanted = [i for i in article_ids if i and i not in known]
    known.update(dict.fromkeys(wanted))
    known.update(media_for(wanted))
    return ""


def init_app(app: Flask) -> None:
    """Offer `article_media(id)` and `preload_article_media(ids)` to the templates (the
    clipping include uses them)."""
    app.jinja_env.globals.update(article_media=article_media,
                                 preload_article_media=preload_article_media)
