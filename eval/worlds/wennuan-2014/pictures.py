"""Page pictures (greyscale PNG) and page PDFs for the two e-papers: a sheet with a masthead
band and one outlined block per article, in the same places as the page's image map. This
world's sheet, drawn by the shared `worldkit.pictures`."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from worldkit import pictures as kit  # noqa: E402

SHEET = kit.Sheet(width=160, height=240, paper=0xF4, band=0x50, band_rows=(5, 15),
                  band_margin=6, ink=0x20, hatch=0xB4, hatch_every=5, hatch_at=2,
                  hatch_inset=4, pdf_scale=3, pdf_pen="0.2 G 0.8 w", pdf_binary_mark=True)
W, H = SHEET.width, SHEET.height


def blocks(n, rng):
    """``n`` article blocks (x1, y1, x2, y2): a lead block across the page, then two columns."""
    return kit.lead_and_columns(n, rng, SHEET)


def png(rects):
    """The page picture."""
    return kit.png(rects, SHEET)


def pdf(rects):
    """A one-page PDF with the blocks outlined (the print text itself is not reproduced)."""
    return kit.pdf(rects, SHEET)
