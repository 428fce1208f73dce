"""Cropping a story out of an e-paper page image along its image-map areas.

A Founder page links each story from ``<area coords="x1,y1,x2,y2,…">`` drawn on the page image.
The map may be drawn for the size the page shows the image at (``<img width=… height=…>``),
not the stored image's own size: the areas are scaled to the image. Several areas of one story
(continued in another column) are cut out together, the rest of their common box left blank.
Nothing here touches the network or the database; bad images raise :class:`ClipError`.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, UnidentifiedImageError

logger = logging.getLogger(__name__)

__all__ = ["Box", "ClipError", "Clipping", "area_box", "crop_clipping", "crop_clippings",
           "image_size",
           "image_suffix", "is_pdf", "parse_coords", "scale_points"]

Point = tuple[float, float]
Size = tuple[int, int]
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
DEFAULT_MAX_PIXELS = 60_000_000  # a 300-dpi broadsheet page is about 35 million
MARGIN_RATIO = 0.008  # of the page's longer side, around the story
_SUFFIXES = {"PNG": ".png", "JPEG": ".jpg", "GIF": ".gif", "WEBP": ".webp"}


class ClipError(ValueError):
    """An image or map that cannot give a clipping; ``reason`` is a short code."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in image pixels (right and bottom exclusive)."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    def as_tuple(self) -> tuple[int, int, int, int]:
        return (self.left, self.top, self.right, self.bottom)


@dataclass(frozen=True, slots=True)
class Clipping:
    """A cropped story: PNG bytes, where it was cut from and the page image's size."""

    png: bytes
    box: Box
    page_size: Size


def parse_coords(coords: str, shape: str = "poly") -> tuple[Point, ...]:
    """The corners of one ``<area>``: a rectangle's four, a polygon's own, a circle's square.
    Raises ClipError for coords that are not numbers in pairs."""
    numbers = [float(n) for n in _NUMBER.findall(coords)]
    kind = shape.lower()
    if kind.startswith("circ") and len(numbers) == 3:
        x, y, r = numbers
        return ((x - r, y - r), (x + r, y - r), (x + r, y + r), (x - r, y + r))
    if kind.startswith("rect") or len(numbers) == 4:
        if len(numbers) != 4:
            raise ClipError("bad_coords", f"a rectangle needs four numbers: {coords[:80]!r}")
        x1, y1, x2, y2 = numbers
        return ((x1, y1), (x2, y1), (x2, y2), (x1, y2))
    if len(numbers) < 6 or len(numbers) % 2:
        raise ClipError("bad_coords", f"a polygon needs pairs of numbers: {coords[:80]!r}")
    return tuple(zip(numbers[::2], numbers[1::2], strict=True))


def scale_points(points: Sequence[Point], displayed: Size | None, natural: Size
                 ) -> tuple[Point, ...]:
    """Points of a map drawn for the ``displayed`` size, moved onto the ``natural`` image."""
    if not displayed or displayed[0] <= 0 or displayed[1] <= 0 or displayed == natural:
        return tuple(points)
    fx, fy = natural[0] / displayed[0], natural[1] / displayed[1]
    return tuple((x * fx, y * fy) for x, y in points)


def area_box(polygons: Sequence[Sequence[Point]]) -> tuple[float, float, float, float]:
    """The bounding box (left, top, right, bottom) of every polygon together."""
    xs = [x for polygon in polygons for x, _ in polygon]
    ys = [y for polygon in polygons for _, y in polygon]
    if not xs:
        raise ClipError("no_area", "the story has no image-map area")
    return (min(xs), min(ys), max(xs), max(ys))


def _crop_box(polygons: Sequence[Sequence[Point]], size: Size, margin: int) -> Box:
    left, top, right, bottom = area_box(polygons)
    if right <= 0 or bottom <= 0 or left >= size[0] or top >= size[1]:
        raise ClipError("outside", f"the story's area lies outside the {size[0]}×{size[1]} image")
    box = Box(max(0, int(left) - margin), max(0, int(top) - margin),
              min(size[0], int(right + 0.999) + margin), min(size[1], int(bottom + 0.999) + margin))
    if box.width < 2 or box.height < 2:
        raise ClipError("no_area", "the story's area is empty")
    return box


def _blank_outside(crop: Image.Image, polygons: Sequence[Sequence[Point]], box: Box,
                   margin: int) -> Image.Image:
    """Several areas of one story: keep them (with their margin), blank the rest of the box."""
    mask = Image.new("L", crop.size, 0)
    draw = ImageDraw.Draw(mask)
    for polygon in polygons:
        moved = [(x - box.left, y - box.top) for x, y in polygon]
        draw.polygon(moved, fill=255)
        draw.line([*moved, moved[0]], fill=255, width=max(1, 2 * margin))
    blank = Image.new(crop.mode, crop.size, "white")
    return Image.composite(crop, blank, mask)


def _open(image: bytes, max_pixels: int) -> Image.Image:
    try:
        opened = Image.open(io.BytesIO(image))
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ClipError("corrupt_image", f"not an image Pillow can read: {exc}") from exc
    width, height = opened.size
    if width * height > max_pixels:
        opened.close()
        raise ClipError("too_large", f"page image of {width}×{height} pixels is too large")
    return opened


def crop_clipping(image: bytes, coords: Sequence[str], *, displayed_size: Size | None = None,
                  shape: str = "poly", margin_ratio: float = MARGIN_RATIO,
                  max_pixels: int = DEFAULT_MAX_PIXELS) -> Clipping:
    """Cut the story outlined by ``coords`` (one string per ``<area>``) out of ``image``.

    ``displayed_size`` is the (width, height) the page shows the image at, which the map was
    drawn for. Raises ClipError for an image that does not decode, is too large, or a map whose
    areas miss the image.
    """
    result = crop_clippings(image, [coords], displayed_size=displayed_size, shape=shape,
                            margin_ratio=margin_ratio, max_pixels=max_pixels)[0]
    if isinstance(result, ClipError):
        raise result
    return result


def crop_clippings(image: bytes, stories: Sequence[Sequence[str]], *,
                   displayed_size: Size | None = None, shape: str = "poly",
                   margin_ratio: float = MARGIN_RATIO, max_pixels: int = DEFAULT_MAX_PIXELS
                   ) -> list[Clipping | ClipError]:
    """Cut several stories (each a list of coords strings) from one page image, decoding it
    once; each story gives its Clipping or the ClipError that stopped it. Raises ClipError when
    the image itself cannot be used."""
    with _open(image, max_pixels) as page:
        size = page.size
        try:
            page.load()
        except (OSError, ValueError, SyntaxError) as exc:  # truncated or corrupt pixel data
            raise ClipError("corrupt_image", f"the page image is damaged: {exc}") from exc
        margin = max(2, round(max(size) * margin_ratio))
        return [_cut(page, story, displayed_size, shape, margin) for story in stories]


def _cut(page: Image.Image, coords: Sequence[str], displayed_size: Size | None, shape: str,
         margin: int) -> Clipping | ClipError:
    try:
        polygons = [scale_points(parse_coords(c, shape), displayed_size, page.size)
                    for c in coords]
        box = _crop_box(polygons, page.size, margin)
    except ClipError as exc:
        return exc
    crop = page.crop(box.as_tuple())
    if crop.mode not in ("RGB", "L"):
        crop = crop.convert("RGB")
    if len(polygons) > 1:
        crop = _blank_outside(crop, polygons, box, margin)
    out = io.BytesIO()
    crop.save(out, format="PNG", compress_level=3)  # fast; a clipping is mostly flat areas
    return Clipping(png=out.getvalue(), box=box, page_size=page.size)


def image_size(image: bytes, max_pixels: int = DEFAULT_MAX_PIXELS) -> Size:
    """(width, height) of an image; ClipError when it is not one or is too large."""
    with _open(image, max_pixels) as opened:
        width, height = opened.size
        return (int(width), int(height))


def image_suffix(image: bytes, max_pixels: int = DEFAULT_MAX_PIXELS) -> str:
    """The file suffix of an image's own format (``.png``, ``.jpg`` …); ClipError when it is
    not an image, is too large, or its pixels do not decode."""
    with _open(image, max_pixels) as opened:
        kind = opened.format or ""
        try:
            opened.load()
        except (OSError, ValueError, SyntaxError) as exc:
            raise ClipError("corrupt_image", f"the page image is damaged: {exc}") from exc
    return _SUFFIXES.get(kind, ".img")


def is_pdf(body: bytes) -> bool:
    """True when ``body`` starts as a PDF file does (``%PDF-``, leading whitespace allowed)."""
    return body[:1024].lstrip().startswith(b"%PDF-")
