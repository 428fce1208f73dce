"""Page pictures (greyscale PNG) and page PDFs for the two e-papers: a sheet with a masthead
band and one outlined block per article, in the same places as the page's image map."""
import struct
import zlib

W, H = 160, 240


def blocks(n, rng):
    """``n`` article blocks (x1, y1, x2, y2): a lead block across the page, then two columns."""
    if n == 0:
        return []
    top, bottom = 22, H - 8
    if n == 1:
        return [(6, top, W - 6, bottom)]
    lead_h = (bottom - top) // 3 + rng.randint(-6, 6)
    out = [(6, top, W - 6, top + lead_h)]
    rest = n - 1
    left = (rest + 1) // 2
    right = rest - left
    mid = W // 2 + rng.randint(-10, 10)
    for count, (x1, x2) in ((left, (6, mid - 2)), (right, (mid + 2, W - 6))):
        if not count:
            continue
        y = top + lead_h + 4
        step = (bottom - y) // count
        for i in range(count):
            out.append((x1, y + i * step, x2, y + (i + 1) * step - 4))
    return out


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(rects):
    """The page picture."""
    raw = bytearray()
    for y in range(H):
        row = bytearray(b"\xf4" * W)
        if 5 <= y < 15:
            row[6:W - 6] = b"\x50" * (W - 12)
        for x1, y1, x2, y2 in rects:
            if y in (y1, y2):
                row[x1:x2 + 1] = b"\x20" * (x2 + 1 - x1)
            elif y1 < y < y2:
                row[x1] = row[x2] = 0x20
                if (y - y1) % 5 == 2 and x2 - x1 > 10:
                    row[x1 + 4:x2 - 4] = b"\xb4" * (x2 - x1 - 8)
        raw += b"\x00" + row
    head = struct.pack(">IIBBBBB", W, H, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", head)
            + _chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + _chunk(b"IEND", b""))


def pdf(rects):
    """A one-page PDF with the blocks outlined (the print text itself is not reproduced)."""
    scale = 3
    ops = ["0.2 G 0.8 w"] + [f"{x1 * scale} {(H - y2) * scale} {(x2 - x1) * scale} "
                             f"{(y2 - y1) * scale} re S" for x1, y1, x2, y2 in rects]
    stream = "\n".join(ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R >>"
        % (W * scale, H * scale),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
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
