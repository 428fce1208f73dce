"""Page images (greyscale PNG) and page PDFs for the e-papers, with a box per article."""
import struct
import zlib

WIDTH, HEIGHT = 150, 220


def boxes(n):
    """Rectangles (x1, y1, x2, y2) stacking ``n`` articles down the page."""
    if n == 0:
        return []
    top, step = 24, (HEIGHT - 34) // n
    return [(8, top + i * step, WIDTH - 8, top + (i + 1) * step - 6) for i in range(n)]


def _chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png(rects):
    """A page picture: white sheet, grey masthead strip, a dark outline per article."""
    rows = []
    for y in range(HEIGHT):
        row = bytearray(b"\xff" * WIDTH)
        if 6 <= y < 16:
            row[8:WIDTH - 8] = b"\xa0" * (WIDTH - 16)
        for x1, y1, x2, y2 in rects:
            if y in (y1, y2):
                row[x1:x2 + 1] = b"\x30" * (x2 + 1 - x1)
            elif y1 < y < y2:
                row[x1] = row[x2] = 0x30
                if (y - y1) % 6 == 3:
                    row[x1 + 6:x2 - 6] = b"\xc8" * (x2 - x1 - 12)
        rows.append(b"\x00" + bytes(row))
    head = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", head)
            + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + _chunk(b"IEND", b""))


def pdf(rects):
    """A one-page PDF with the same outlines (no text: the print page is not reproduced)."""
    ops = ["0.3 G 1 w"]
    for x1, y1, x2, y2 in rects:
        ops.append(f"{x1 * 4} {(HEIGHT - y2) * 4} {(x2 - x1) * 4} {(y2 - y1) * 4} re S")
    stream = "\n".join(ops).encode("ascii")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {WIDTH * 4} {HEIGHT * 4}] "
        f"/Contents 4 0 R >>".encode("ascii"),
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)
