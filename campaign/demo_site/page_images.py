"""The demo e-paper's page images and PDFs, drawn with Pillow: a masthead, each story's headline
and columns of text lines inside its box, and the image-map areas that outline the stories.

The map is drawn for the size the page shows the image at (480×720), while the image itself is
twice that (960×1440), as on real Founder papers whose maps are drawn for the shown size. A
page with one story runs it as an L: the headline across the page and the text in the left two
thirds (two areas), the last third holding a box that links nothing.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SHOWN = (480, 720)
SCALE = 2
TOP, BOTTOM, LEFT, RIGHT = 50, 705, 15, 465
Rect = tuple[int, int, int, int]
# A CJK font when the machine has one (headlines in characters), else headlines as bars.
_FONT_FILES = ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
               "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
               "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


def story_areas(count: int) -> list[list[Rect]]:
    """Each story's areas (left, top, right, bottom) in shown pixels, top to bottom."""
    if count <= 1:
        return [[(LEFT, TOP, RIGHT, TOP + 80), (LEFT, TOP + 80, 320, BOTTOM)]]
    height = (BOTTOM - TOP) // count
    return [[(LEFT, TOP + i * height, RIGHT, TOP + (i + 1) * height - 8)] for i in range(count)]


def coords(rect: Rect) -> str:
    """An area's coords as a polygon, the way Founder pages write them."""
    left, top, right, bottom = rect
    return f"{left},{top},{right},{top},{right},{bottom},{left},{bottom}"


@lru_cache(maxsize=1)
def _font_file() -> str | None:
    return next((name for name in _FONT_FILES if Path(name).is_file()), None)


def _font(size: int) -> ImageFont.FreeTypeFont | None:
    name = _font_file()
    return ImageFont.truetype(name, size * SCALE) if name else None


def _big(rect: Rect) -> Rect:
    return (rect[0] * SCALE, rect[1] * SCALE, rect[2] * SCALE, rect[3] * SCALE)


def _headline(draw: ImageDraw.ImageDraw, rect: Rect, title: str) -> int:
    """Draw a headline at the top of `rect`; returns where the text below starts (shown px)."""
    font = _font(20)
    left, top, right, _ = _big(rect)
    if font is not None:
        draw.text((left + 12, top + 12), title[:20], fill="black", font=font)
    else:
        width = min(right - left - 24, 40 * SCALE * max(4, min(len(title), 20)) // 2)
        draw.rectangle((left + 12, top + 14, left + 12 + width, top + 50), fill="black")
    return rect[1] + 36


def _text_lines(draw: ImageDraw.ImageDraw, rect: Rect, start: int) -> None:
    """Columns of grey lines standing for the text."""
    left, _, right, bottom = rect
    columns = max(1, (right - left) // 110)
    width = (right - left - 10) // columns
    for column in range(columns):
        x1 = left + 6 + column * width
        for y in range(start + 6, bottom - 6, 9):
            draw.line(_big((x1, y, x1 + width - 10, y)), fill=(150, 150, 150), width=SCALE * 2)


@lru_cache(maxsize=64)
def render_page_png(day: dt.date, page: int, label: str, titles: tuple[str, ...]) -> bytes:
    """The page image (PNG, 960×1440) of one page with its stories."""
    image = Image.new("RGB", (SHOWN[0] * SCALE, SHOWN[1] * SCALE), "white")
    draw = ImageDraw.Draw(image)
    font = _font(14)
    masthead = f"安徽日报  {day:%Y年%m月%d日}  {label}"
    if font is not None:
        draw.text((LEFT * SCALE, 12 * SCALE), masthead, fill=(150, 0, 0), font=font)
    else:
        draw.rectangle(_big((LEFT, 12, 200, 34)), fill=(150, 0, 0))
    draw.line(_big((LEFT, 42, RIGHT, 42)), fill=(150, 0, 0), width=3 * SCALE)
    for title, areas in zip(titles, story_areas(len(titles)), strict=False):
        start = _headline(draw, areas[0], title)
        if len(areas) == 1:
            _text_lines(draw, areas[0], start)
        for area in areas[1:]:
            _text_lines(draw, area, area[1])
        for area in areas:
            draw.rectangle(_big(area), outline=(90, 90, 90), width=SCALE)
    if len(titles) <= 1:  # the unlinked box beside an L-shaped story
        box = (330, TOP + 90, RIGHT, BOTTOM)
        draw.rectangle(_big(box), outline=(90, 90, 90), width=SCALE)
        draw.rectangle(_big((340, TOP + 100, RIGHT - 10, TOP + 160)), fill=(210, 210, 210))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def render_page_pdf(day: dt.date, page: int, label: str, titles: tuple[str, ...]) -> bytes:
    """The page as a one-page PDF (the page image on an A4-proportioned page)."""
    image = Image.open(io.BytesIO(render_page_png(day, page, label, titles)))
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=150.0)
    return out.getvalue()
