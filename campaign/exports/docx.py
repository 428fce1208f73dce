"""Word documents: the 报道汇编 (a cover, contents by event, each clipping with its metadata
and the opening of its text) and the work-summary draft. Fonts: 宋体 body, 黑体 headings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import IO

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu
from lxml import etree
from PIL import Image, UnidentifiedImageError

from campaign.articles.media import media_for, resolve
from campaign.core.times import local_today
from campaign.coverage.clippings import file_path
from campaign.coverage.models import Clipping
from campaign.exports.docxfonts import chinese_styles
from campaign.exports.invitations import InvitationRow, invitation_rows
from campaign.exports.rows import ClippingRow, openings
from campaign.exports.summary import month_day
from campaign.extensions import db
from campaign.planning.models import Campaign, Event

# XML 1.0 forbids most control characters; scraped text may hold them.
CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def clean(text: str) -> str:
    """Text safe to put in the document's XML."""
    return text.translate(CONTROL)


def period(campaign: Campaign) -> str:
    """"2006年4月25日—5月25日"."""
    end = campaign.ends_on
    tail = month_day(end)
    if end.year != campaign.starts_on.year:
        tail = f"{end.year}年{tail}"
    return f"{campaign.starts_on.year}年{month_day(campaign.starts_on)}—{tail}"


def new_document() -> DocumentObject:
    document = Document()
    chinese_styles(document)
    return document


def _cover(document: DocumentObject, campaign: Campaign, today: date) -> None:
    for _ in range(6):
        document.add_paragraph()
    title = document.add_paragraph(clean(campaign.name), style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = document.add_heading("报道汇编", level=1)
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in (period(campaign), f"编印日期：{today.year}年{month_day(today)}"):
        document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _contents(document: DocumentObject, groups: list[tuple[Event, list[ClippingRow]]]) -> None:
    document.add_heading("目录", level=1)
    for n, (event, rows) in enumerate(groups, start=1):
        document.add_paragraph(
            f"{n}. {clean(event.title)}（{month_day(event.start_date)}，{len(rows)}篇）")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def invitation_text(row: InvitationRow) -> str:
    """"邀请媒体7家，可监测5家，目标6家；邀请且报道：…；邀请未报道：…；未监测（没有启用的来源）：…"
    — an outlet without a source is never said not to have reported."""
    counts = f"邀请媒体{row.invited}家，可监测{row.monitorable}家"
    if row.target is not None:
        counts += f"，目标{row.target}家，报道媒体{row.reporting}家"
    parts = [counts]
    for label, names in (("邀请且报道", row.invited_reporting), ("邀请未报道", row.silent),
                         ("未监测（没有启用的来源）", row.unmonitored),
                         ("未邀请而报道", row.uninvited_reporting)):
        if names:
            parts.append(f"{label}：{'、'.join(names)}")
    return "；".join(parts)


def _invitations(document: DocumentObject, events: list[Event]) -> None:
    rows = list(invitation_rows(events))
    if not rows:
        return
    document.add_heading("邀请媒体报道情况", level=1)
    for row in rows:
        paragraph = document.add_paragraph()
        paragraph.add_run(clean(f"{row.event_title}（{month_day(row.day)}）")).bold = True
        paragraph.add_run(clean(f"：{invitation_text(row)}"))
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


class _Clippings:
    """Writes the clippings' paragraphs straight before the body's closing section mark, with
    style ids resolved once. (python-docx's `add_paragraph` looks its style up by name and
    finds its place by scanning the body's children, so each paragraph costs more as the
    document grows; thousands of clippings took seconds each thousand.)"""

    def __init__(self, document: DocumentObject) -> None:
        self.end = document.element.body.sectPr
        self.heading = document.styles["Heading 3"].style_id
        self.meta = document.styles["Meta"].style_id

    def paragraph(self, text: str, style_id: str | None = None) -> None:
        p = OxmlElement("w:p")
        if style_id:
            props = etree.SubElement(p, qn("w:pPr"))
            etree.SubElement(props, qn("w:pStyle")).set(qn("w:val"), style_id)
        run = etree.SubElement(p, qn("w:r"))
        for n, line in enumerate(text.split("\n")):
            if n:
                etree.SubElement(run, qn("w:br"))
            piece = etree.SubElement(run, qn("w:t"))
            piece.text = line
            piece.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        self.end.addprevious(p)

    def clipping(self, row: ClippingRow, opening: str) -> None:
        self.paragraph(f"{row.seq}. {clean(row.title)}", self.heading)
        facts = [row.outlet, row.tier_label, f"{row.day.year}年{month_day(row.day)}"
                 if row.day else "", row.page, row.genre,
                 f"作者：{row.author}" if row.author else "", row.source]
        self.paragraph(clean(" · ".join(f for f in facts if f)), self.meta)
        if row.url:
            self.paragraph(clean(row.url), self.meta)
        if opening:
            self.paragraph(clean(opening))


def clipping_images(rows: Iterable[ClippingRow]) -> dict[tuple[str, int], Path]:
    """The image of each row that has one: an e-paper story's clipping, or a manual clipping's
    uploaded scan when it is a picture (a PDF scan is listed, not drawn)."""
    rows = list(rows)
    found: dict[tuple[str, int], Path] = {}
    articles = [r.item_id for r in rows if r.kind == "article"]
    for article_id, media in media_for(articles).items():
        path = resolve(media.clipping_path)
        if path is not None:
            found[("article", article_id)] = path
    for row in rows:
        if row.kind == "clipping":
            clipping = db.session.get(Clipping, row.item_id)
            if clipping is None or not (clipping.file_type or "").startswith("image/"):
                continue
            path = file_path(clipping)
            if path is not None:
                found[("clipping", row.item_id)] = path
    return found


def _picture_width(document: DocumentObject, path: Path) -> Emu | None:
    """The page's text width, narrower for a tall clipping so it fits one page's height."""
    section = document.sections[-1]
    width = (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
    height = 0.8 * ((section.page_height or 0) - (section.top_margin or 0)
                    - (section.bottom_margin or 0))
    try:
        with Image.open(path) as image:
            pixels_wide, pixels_high = image.size
    except (OSError, UnidentifiedImageError, ValueError):
        return None
    if pixels_wide <= 0 or pixels_high <= 0:
        return None
    return Emu(int(min(width, height * pixels_wide / pixels_high)))


def _picture(document: DocumentObject, row: ClippingRow, path: Path) -> None:
    """One clipping image sized to the page width, captioned 媒体 · 日期 · 版面."""
    width = _picture_width(document, path)
    if width is None:
        return
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run().add_picture(str(path), width=width)
    caption = [row.outlet, f"{row.day.year}年{month_day(row.day)}" if row.day else "", row.page]
    document.add_paragraph(clean(" · ".join(c for c in caption if c)), style="Caption"
                           ).alignment = WD_ALIGN_PARAGRAPH.CENTER


def write_compilation(campaign: Campaign, events: list[Event], rows: Iterable[ClippingRow],
                      out: str | Path | IO[bytes], *, today: date | None = None,
                      working: Callable[[], None] | None = None) -> int:
    """The 报道汇编 of `rows`, grouped under `events` in their order; returns the row count.
    `working` is called after each clipping written (with its image), and before the file is
    saved: a background job renews its lease there."""
    by_event: dict[int, list[ClippingRow]] = defaultdict(list)
    for row in rows:
        by_event[row.event_id].append(row)
    groups = [(e, by_event[e.id]) for e in events if by_event.get(e.id)]
    texts = openings([r.item_id for _e, rs in groups for r in rs if r.kind == "article"])
    images = clipping_images(r for _e, rs in groups for r in rs)
    document = new_document()
    _cover(document, campaign, today or local_today(campaign.timezone))
    _contents(document, groups)
    _invitations(document, events)
    if not groups:
        document.add_paragraph("（没有符合条件的报道）")
    clippings = _Clippings(document)
    for n, (event, event_rows) in enumerate(groups, start=1):
        if n > 1:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        document.add_heading(f"{n}. {clean(event.title)}", level=2)
        for row in event_rows:
            opening = texts.get(row.item_id, "") if row.kind == "article" else ""
            clippings.clipping(row, opening)
            image = images.get((row.kind, row.item_id))
            if image is not None:
                _picture(document, row, image)
            if working is not None:
                working()
    if working is not None:
        working()
    # python-docx types a path as str; a Path works as well (zipfile opens it).
    document.save(out)  # type: ignore[arg-type]
    return sum(len(rs) for _e, rs in groups)


def write_summary(campaign: Campaign, text: str, out: str | Path | IO[bytes]) -> None:
    """The work-summary draft (the officer's text, one paragraph a line) as a document."""
    document = new_document()
    document.add_heading(clean(f"{campaign.name}宣传报道情况"), level=1)
    for line in text.splitlines():
        if line.strip():
            paragraph = document.add_paragraph(clean(line.strip()))
            paragraph.paragraph_format.first_line_indent = document.styles["Normal"].font.size * 2
    # python-docx types a path as str; a Path works as well (zipfile opens it).
    document.save(out)  # type: ignore[arg-type]
