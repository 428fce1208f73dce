"""Cropping stories out of e-paper page images (scrapers/clipping.py), on images the tests draw."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

from scrapers.clipping import ClipError, crop_clipping, image_size, is_pdf, parse_coords
from scrapers.epaper import parse_page


def _page(size: tuple[int, int] = (600, 880), fmt: str = "PNG") -> bytes:
    """A white page with two black story boxes: (20,40)-(280,200) and (320,40)-(580,200)."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 40, 280, 200), fill="black")
    draw.rectangle((320, 40, 580, 200), fill="black")
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


def _open(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png))


def test_crop_box_is_the_area_with_a_small_margin() -> None:
    """A polygon's crop is its bounding box widened by a margin under 1 % of the page."""
    clip = crop_clipping(_page(), ["20,40,280,40,280,200,20,200"])
    assert clip.page_size == (600, 880)
    margin = 20 - clip.box.left
    assert clip.box.as_tuple() == (20 - margin, 40 - margin, 280 + margin, 200 + margin)
    assert 2 <= margin <= 0.01 * 880
    assert _open(clip.png).size == (clip.box.width, clip.box.height)


def test_rectangle_coords_give_four_corners() -> None:
    """shape=rect coords x1,y1,x2,y2 are read as the rectangle's four corners."""
    assert parse_coords("1,2,30,40", "rect") == ((1, 2), (30, 2), (30, 40), (1, 40))


def test_map_drawn_at_half_size_is_scaled_to_the_image() -> None:
    """A map drawn for an image shown at half its size is scaled up to the stored image."""
    clip = crop_clipping(_page(), ["10,20,140,20,140,100,10,100"], displayed_size=(300, 440))
    full = crop_clipping(_page(), ["20,40,280,40,280,200,20,200"])
    assert clip.box == full.box


def test_two_areas_of_one_story_are_joined_and_the_gap_blanked() -> None:
    """Two areas of one story give one crop spanning both, the page between them left white."""
    clip = crop_clipping(_page(), ["20,40,120,40,120,200,20,200", "480,40,580,40,580,200,480,200"])
    assert clip.box.left < 20 and clip.box.right > 580
    image = _open(clip.png).convert("RGB")
    assert image.getpixel((30 - clip.box.left, 100 - clip.box.top)) == (0, 0, 0)
    assert image.getpixel((330 - clip.box.left, 100 - clip.box.top)) == (255, 255, 255)


def test_jpeg_pages_are_cropped_too() -> None:
    """A JPEG page image gives a PNG clipping."""
    clip = crop_clipping(_page(fmt="JPEG"), ["20,40,280,40,280,200,20,200"])
    assert _open(clip.png).format == "PNG"


@pytest.mark.parametrize("body", [b"", b"\x89PNG\r\n\x1a\nnot really", b"<html>404</html>",
                                  _page()[:200], _page(fmt="JPEG")[:300]])
def test_corrupt_or_truncated_images_raise_clip_error(body: bytes) -> None:
    """Empty, corrupt or truncated PNG/JPEG bytes raise ClipError, never another exception."""
    with pytest.raises(ClipError) as raised:
        crop_clipping(body, ["20,40,280,40,280,200,20,200"])
    assert raised.value.reason == "corrupt_image"


def test_areas_outside_the_image_raise_clip_error() -> None:
    """A map whose areas lie wholly outside the page image is refused as 'outside'."""
    with pytest.raises(ClipError) as raised:
        crop_clipping(_page(), ["700,900,800,900,800,1000,700,1000"])
    assert raised.value.reason == "outside"


def test_areas_partly_outside_are_clamped_to_the_image() -> None:
    """An area running off the page is cut at the page's edge."""
    clip = crop_clipping(_page(), ["500,800,700,800,700,1000,500,1000"])
    assert (clip.box.right, clip.box.bottom) == (600, 880)


def test_huge_images_raise_clip_error_before_decoding() -> None:
    """An image with more pixels than allowed is refused as 'too_large'."""
    with pytest.raises(ClipError) as raised:
        crop_clipping(_page(), ["20,40,280,40,280,200,20,200"], max_pixels=1000)
    assert raised.value.reason == "too_large"
    with pytest.raises(ClipError):
        image_size(_page(), max_pixels=1000)


def test_bad_coords_raise_clip_error() -> None:
    """Coords that are not pairs of numbers raise ClipError('bad_coords')."""
    with pytest.raises(ClipError) as raised:
        crop_clipping(_page(), ["1,2,3,4,5"])
    assert raised.value.reason == "bad_coords"


def test_is_pdf_reads_the_magic_bytes() -> None:
    """Only bytes starting with %PDF- count as a PDF."""
    assert is_pdf(b"%PDF-1.4\n...") and not is_pdf(b"<html>not a pdf</html>")


def test_page_listing_reads_the_size_the_image_is_shown_at() -> None:
    """The page's <img usemap width height> is the size its map is drawn for."""
    html = ('<img src="p.png" width="300" height="440" usemap="#PagePicMap">'
            '<map name="PagePicMap"><area coords="1,2,3,4" href="content_1.htm"></map>')
    assert parse_page(html, url="http://paper.test/html/2006-04/25/node_1.htm").image_size \
        == (300, 440)
    assert parse_page('<img src="p.png" usemap="#m">', url="http://paper.test/node_1.htm"
                      ).image_size is None
