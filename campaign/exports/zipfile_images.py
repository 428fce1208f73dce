"""A ZIP of the clipping images of a campaign or an event: each e-paper story's clipping and
each manual clipping's scanned picture, named 日期-媒体-版面-标题 (names cleaned of what file
systems refuse, each once; stored as UTF-8 with the ZIP's UTF-8 flag, so Windows shows them in
Chinese), and an index `目录.csv` listing every piece of the list with its picture's name (none
for a web article) and its link."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from campaign.exports.columns import neutralise
from campaign.exports.docx import clipping_images
from campaign.exports.rows import ClippingRow

# Characters Windows, macOS or a ZIP reader refuse or misread in a name, and control characters.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
NAME_LENGTH = 80
INDEX_NAME = "目录.csv"
INDEX_HEADERS = ("序号", "图片文件", "日期", "媒体", "版面", "标题", "活动", "链接")


def image_name(row: ClippingRow, suffix: str) -> str:
    """日期-媒体-版面-标题 with `suffix`, e.g. 2006-04-25-安徽日报-第01版 要闻-标题.png."""
    parts = [row.day.isoformat() if row.day else "", row.outlet, row.page, row.title]
    stem = "-".join(_UNSAFE.sub("_", p).strip(" .") for p in parts if p.strip())
    return (stem[:NAME_LENGTH].rstrip(" .") or "clipping") + suffix


def write_image_zip(rows: Iterable[ClippingRow], out: IO[bytes], *,
                    working: Callable[[], None] | None = None) -> int:
    """Write the images of `rows` (a piece listed under two events once) and the index into a
    ZIP; returns how many images went in. `working` is called after each piece (a background
    job renews its lease there)."""
    rows = list(rows)
    images = clipping_images(rows)
    names: set[str] = {INDEX_NAME}
    done: set[tuple[str, int]] = set()
    index: list[list[str]] = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for row in rows:
            key = (row.kind, row.item_id)
            if key in done:
                continue
            done.add(key)
            path: Path | None = images.get(key)
            name = ""
            if path is not None:
                suffix = path.suffix.lower()
                name = image_name(row, suffix)
                stem = name[: -len(suffix)] if suffix else name
                n = 2
                while name in names:
                    name, n = f"{stem}-{n}{suffix}", n + 1
                names.add(name)
                archive.write(path, arcname=name)  # images are compressed already: stored
            index.append([str(len(index) + 1), name, row.day.isoformat() if row.day else "",
                          row.outlet, row.page, row.title, row.event_title, row.url])
            if working is not None:
                working()
        archive.writestr(INDEX_NAME, _index_csv(index),
                         compress_type=zipfile.ZIP_DEFLATED)
    return sum(1 for line in index if line[1])


def _index_csv(lines: list[list[str]]) -> bytes:
    """The index as CSV in UTF-8 with a BOM (Excel and WPS open it in Chinese); scraped text
    neutralised so no cell is taken for a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(INDEX_HEADERS)
    for line in lines:
        writer.writerow([line[0], *(neutralise(value or "") for value in line[1:])])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
