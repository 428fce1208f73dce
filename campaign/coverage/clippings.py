"""Manual clippings and their scans: adding, deleting, and where the files live.

An uploaded file is judged by its first bytes, never by its name or the browser's type, and is
stored under `scans/` of the media store (MEDIA_FOLDER; older installs' scans stay readable in
`UPLOAD_FOLDER/clippings/`) with a random name (never the static folder, never the user's file
name). Functions flush; the caller commits, and on a failed commit removes the file
with `remove_file`, so a bad upload leaves neither a half-written record nor an orphan file.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

from flask import current_app
from flask_babel import gettext as _

from campaign.articles.media import media_root, release_bytes, reserve_bytes
from campaign.auth.models import User
from campaign.coverage.models import Clipping
from campaign.extensions import db
from campaign.planning.models import Event, Outlet, page_number

log = logging.getLogger(__name__)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# Coverage runs on after the campaign ends (features, summaries): a clipping may be dated up to
# as far after its last day as a coverage rule's window reaches after an event (60 days).
DAYS_AFTER_CAMPAIGN = 60
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(png|jpg|webp|pdf)$")


@dataclass(frozen=True)
class FileKind:
    mimetype: str
    extension: str


PNG = FileKind("image/png", "png")
JPEG = FileKind("image/jpeg", "jpg")
WEBP = FileKind("image/webp", "webp")
PDF = FileKind("application/pdf", "pdf")
EXTENSIONS = {kind.mimetype: kind.extension for kind in (PNG, JPEG, WEBP, PDF)}


class ClippingFileError(ValueError):
    """An upload that is refused; the message says why, in the user's language."""


class ClippingDateError(ValueError):
    """A publication date outside the campaign; the message names the allowed range."""


def allowed_dates(event: Event) -> tuple[date, date]:
    """The days a clipping of `event` may be dated: the campaign's first day (preparation
    included) to DAYS_AFTER_CAMPAIGN days after its last."""
    campaign = event.campaign
    last = min(campaign.ends_on.toordinal() + DAYS_AFTER_CAMPAIGN, date.max.toordinal())
    return campaign.first_day, date.fromordinal(last)


def check_published_on(event: Event, published_on: date) -> None:
    """Raise ClippingDateError for a date outside allowed_dates (a typo such as 1999 for
    2006 would also stretch the daily chart's axis over years)."""
    first, last = allowed_dates(event)
    if not first <= published_on <= last:
        raise ClippingDateError(_(
            "刊播日期须在 %(first)s 至 %(last)s 之间（活动筹备开始至活动结束后 %(days)d 天）。",
            first=first.isoformat(), last=last.isoformat(), days=DAYS_AFTER_CAMPAIGN))


def sniff(head: bytes) -> FileKind | None:
    """The kind of file these first bytes begin, or None when it is not one we keep."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def max_bytes() -> int:
    """The largest scan accepted (setting CLIPPING_MAX_BYTES, 10 MB by default)."""
    return int(current_app.config.get("CLIPPING_MAX_BYTES", DEFAULT_MAX_BYTES))


def read_upload(stream: IO[bytes]) -> tuple[bytes, FileKind]:
    """The bytes and kind of an upload; ClippingFileError when too large or of another kind."""
    limit = max_bytes()
    data = stream.read(limit + 1)
    if not data:
        raise ClippingFileError(_("上传的文件是空的。"))
    if len(data) > limit:
        raise ClippingFileError(_("文件太大：扫描件或截图最大 %(mb)d MB。",
                                  mb=limit // (1024 * 1024)))
    kind = sniff(data[:16])
    if kind is None:
        raise ClippingFileError(_("只能上传 PNG、JPEG、WebP 图片或 PDF 文件。"))
    return data, kind


def folder() -> Path:
    """Where clipping scans are stored: `scans/` of the media store (MEDIA_FOLDER), beside
    the e-paper clippings (created on demand)."""
    path = media_root() / "scans"
    path.mkdir(parents=True, exist_ok=True)
    return path


def legacy_folder() -> Path:
    """Where scans were stored before the media store (`UPLOAD_FOLDER/clippings`): still read."""
    return Path(current_app.config["UPLOAD_FOLDER"]) / "clippings"


def file_path(clipping: Clipping) -> Path | None:
    """The stored file of a clipping, or None when it has none (or the name is not ours)."""
    if not clipping.file_name or not STORED_NAME.match(clipping.file_name):
        return None
    for base in (folder(), legacy_folder()):
        path = base / clipping.file_name
        if path.is_file():
            return path
    return None


def _write(data: bytes, kind: FileKind) -> str:
    name = f"{secrets.token_hex(16)}.{kind.extension}"
    target = folder() / name
    partial = target.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(target)  # whole file or none: a reader never sees half of it
    return name


def remove_file(name: str | None) -> None:
    """Delete a stored clipping file (after a failed commit or a deleted clipping)."""
    if name and STORED_NAME.match(name):
        for base in (folder(), legacy_folder()):
            try:
                (base / name).unlink(missing_ok=True)
            except OSError:
                log.warning("could not remove clipping file %s", name, exc_info=True)


def add_clipping(event: Event, *, outlet: Outlet, published_on: date, title: str, page: str = "",
                 genre: str = "", note: str = "", upload: IO[bytes] | None = None,
                 user: User | None = None, url: str = "") -> Clipping:
    """Record a clipping of `event`, with its scan when `upload` is given.

    The date and the upload are checked before anything is written; the file is written last,
    so a refused or failed upload adds no row. Raises ClippingDateError for a date outside the
    campaign, ClippingFileError for a refused upload (or one the media store has no room for:
    its size is added to the store's running total)."""
    content = read_upload(upload) if upload is not None else None
    if content is not None and not reserve_bytes(len(content[0])):
        raise ClippingFileError(_("媒体存储已满（MEDIA_MAX_TOTAL_MB），扫描件未能保存。"))
    clipping = new_clipping(event, outlet=outlet, published_on=published_on, title=title,
                            page=page, genre=genre, note=note, user=user, url=url)
    db.session.flush()
    if content is not None:
        data, kind = content
        clipping.file_name = _write(data, kind)
        clipping.file_type, clipping.file_size = kind.mimetype, len(data)
        try:
            db.session.flush()
        except Exception:
            remove_file(clipping.file_name)
            raise
    log.info("clipping %s added to event %s", clipping.id, event.id)
    return clipping


def new_clipping(event: Event, *, outlet: Outlet, published_on: date, title: str,
                 page: str = "", genre: str = "", note: str = "", user: User | None = None,
                 url: str = "") -> Clipping:
    """A clipping of `event` without a scan, added to the session, not flushed (a list of
    thousands is flushed once); ClippingDateError for a date outside the campaign."""
    check_published_on(event, published_on)
    clipping = Clipping(event_id=event.id, outlet_id=outlet.id, published_on=published_on,
                        page=page.strip(), page_number=page_number(page), genre=genre,
                        title=title.strip(), note=note.strip(), url=url.strip(),
                        created_by_id=user.id if user else None)
    db.session.add(clipping)
    return clipping


def delete_clipping(clipping: Clipping) -> str | None:
    """Delete a clipping's row; returns its file name, to remove once the deletion commits."""
    name = clipping.file_name
    if name:
        release_bytes(clipping.file_size or 0)
    db.session.delete(clipping)
    db.session.flush()
    log.info("clipping %s deleted", clipping.id)
    return name


def download_name(clipping: Clipping) -> str:
    """The name the browser is offered: the clipping's number and the stored type."""
    return f"clipping-{clipping.id}.{EXTENSIONS.get(clipping.file_type or '', 'bin')}"

