"""A ZIP of the clipping images of a campaign or an event: each e-paper story's clipping and
each manual clipping's scanned picture, named 日期-媒体-版面-标题 (names cleaned of what file
systems refuse, each once)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from campaign.exports.docx import clipping_images
from campaign.exports.rows import ClippingRow

# Characters Windows, macOS or a ZIP reader refuse or misread in a name, and control characters.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
NAME_LENGTH = 80


def image_name(row: ClippingRow, suffix: str) -> str:
    """日期-媒体-版面-标题 with `suffix`, e.g. 2006-04-25-安徽日报-第01版 要闻-标题.png."""
    parts = [row.day.isoformat() if row.day else "", row.outlet, row.page, row.title]
    stem = "-".join(_UNSAFE.sub("_", p).strip(" .") for p in parts if p.strip())
    return (stem[:NAME_LENGTH].rstrip(" .") or "clipping") + suffix


def write_image_zip(rows: Iterable[ClippingRow], out: IO[bytes]) -> int:
    """Write the images of `rows` (a piece listed under two events once) into a ZIP; returns
    how many went in."""
    rows = list(rows)
    images = clipping_images(rows)
    names: set[str] = set()
    done: set[tuple[str, int]] = set()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for row in rows:
            key = (row.kind, row.item_id)
            path: Path | None = images.get(key)
            if path is None or key in done:
                continue
            done.add(key)
            name = image_name(row, path.suffix.lower())
            stem, suffix = name[: -len(path.suffix)] if path.suffix else name, path.suffix.lower()
            n = 2
            while name in names:
                name, n = f"{stem}-{n}{suffix}", n + 1
            names.add(name)
            archive.write(path, arcname=name)  # images are compressed already: stored
    return len(done)
