"""Page images (greyscale PNG) and page PDFs for the e-papers, with a box per article: this
world's sheet, drawn by the shared `worldkit.pictures`."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from worldkit import pictures as kit  # noqa: E402

SHEET = kit.Sheet(width=150, height=220, paper=0xFF, band=0xA0, band_rows=(6, 16),
                  band_margin=8, ink=0x30, hatch=0xC8, hatch_every=6, hatch_at=3,
                  hatch_inset=6, pdf_scale=4, pdf_pen="0.3 G 1 w", pdf_binary_mark=False)
WIDTH, HEIGHT = SHEET.width, SHEET.height


def boxes(n):
    """Rectangles (x1, y1, x2, y2) stacking ``n`` articles down the page."""
    return kit.stacked_boxes(n, SHEET)


def png(rects):
    """A page picture: white sheet, grey masthead strip, a dark outline per article."""
    return kit.png(rects, SHEET)


def pdf(rects):
    """A one-page PDF with the same outlines (no text: the print page is not reproduced)."""
    return kit.pdf(rects, SHEET)
