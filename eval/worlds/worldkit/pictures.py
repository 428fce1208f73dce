"""Page pictures (greyscale PNG) and page PDFs for the worlds' e-papers: a sheet with a
masthead band and one outlined block per article, where the page's image map puts it. Each
world picks its own `Sheet` (size, greys, hatching), so its pages keep their own look."""
import struct
import zlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Sheet:
    """How a world draws its pages: size in pixels, greys (0-255) and the PDF's pen."""

    width: int
    height: int
    paper: int            # the sheet
    band: int             # the masthead band
    band_rows: tuple      # (first, last + 1) rows of the band
    band_margin: int      # columns left blank either side of the band
    ink: int              # the block outlines
    hatch: int            # the grey lines standing for text inside a block
    hatch_every: int      # one text line every N rows ...
    hatch_at: int         # ... on the rows where (y - top) % N == this
    hatch_inset: int      # columns kept clear inside the outline
    pdf_scale: int        # PDF points per pixel
    pdf_pen: str          # the PDF's stroke grey and width ("0.2 G 0.8 w")
    pdf_binary_mark: bool  # the second header line of binary bytes PDF writers add


def stacked_boxes(n, sheet, top=24, bottom_gap=34, margin=8, gap=6):
    """``n`` rectangles (x1, y1, x2, y2) stacked down the page, full width."""
    if n == 0:
        return []
    step = (sheet.height - bottom_gap) // n
    return [(margin, top + i * step, sheet.width - margin, top + (i + 1) * step - gap)
            for i in range(n)]


def lead_and_columns(n, rng, sheet):
    """``n`` blocks: a lead block across the page, then the rest in two columns."""
    w, h = sheet.width, sheet.height
    if n == 0:
        return []
    top, bottom = 22, h - 8
    if n == 1:
        return [(6, top, w - 6, bottom)]
    lead_h = (bottom - top) // 3 + rng.randint(-6, 6)
    out = [(6, top, w - 6, top + lead_h)]
    rest = n - 1
    left = (rest + 1) // 2
    right = rest - left
    mid = w // 2 + rng.randint(-10, 10)
    for count, (x1, x2) in ((left, (6, mid - 2)), (right, (mid + 2, w - 6))):
        if not count:
            continue
        y = top + lead_h + 4
        step = (bottom - y) // count
        for i in range(count):
            out.append((x1, y + i * step, x2, y + (i + 1) * step - 4))
    return out


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _row(y, rects, sheet):
    w = sheet.width
    row = bytearray(bytes([sheet.paper]) * w)
    if sheet.band_rows[0] <= y < sheet.band_rows[1]:
        m = sheet.band_margin
        row[m:w - m] = bytes([sheet.band]) * (w - 2 * m)
    inset = sheet.hatch_inset
    for x1, y1, x2, y2 in rects:
        if y in (y1, y2):
            row[x1:x2 + 1] = bytes([sheet.ink]) * (x2 + 1 - x1)
        elif y1 < y < y2:
            row[x1] = row[x2] = sheet.ink
            if (y - y1) % sheet.hatch_every == sheet.hatch_at and x2 - x1 > 2 * inset + 2:
                row[x1 + inset:x2 - inset] = bytes([sheet.hatch]) * (x2 - x1 - 2 * inset)
    return row


def png(rects, sheet):
    """The page picture, 8-bit greyscale."""
    raw = b"".join(b"\x00" + bytes(_row(y, rects, sheet)) for y in range(sheet.height))
    head = struct.pack(">IIBBBBB", sheet.width, sheet.height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", head)
            + _chunk(b"IDAT", zlib.compress(raw, 9)) + _chunk(b"IEND", b""))


def pdf(rects, sheet):
    """A one-page PDF with the blocks outlined (the print text itself is not reproduced)."""
    s, h = sheet.pdf_scale, sheet.height
    ops = [sheet.pdf_pen] + [f"{x1 * s} {(h - y2) * s} {(x2 - x1) * s} {(y2 - y1) * s} re S"
                             for x1, y1, x2, y2 in rects]
    stream = "\n".join(ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R >>"
        % (sheet.width * s, h * s),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n" + (b"%\xe2\xe3\xcf\xd3\n" if sheet.pdf_binary_mark else b""))
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1,
                                                                                xref)
    return bytes(out)
