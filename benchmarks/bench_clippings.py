"""Cropping clippings from many e-paper pages: time per page and peak memory (RSS).

Generates a handful of large page images (1,500×2,250 PNG, drawn with Pillow), then cuts three
stories (one of two areas) from each of `--pages` pages (cycling through the images, each decoded
anew, as the media pass does page after page) with `scrapers.clipping.crop_clippings`.
Memory must stay flat: the process's peak RSS must stay under `--max-mib` (256 MiB). For
contrast, the same run measures a naive way on the first `--baseline` pages: every story
decoding the page again and converting the whole page to RGB before cropping; its time per
page is printed beside ours.

    .venv/bin/python benchmarks/bench_clippings.py [--pages 1000] [--max-mib 256]

Exits 1 when the peak RSS misses the target.
"""

from __future__ import annotations

import argparse
import io
import resource
import sys
import time

from PIL import Image, ImageDraw

from scrapers.clipping import crop_clippings

SIZE = (1500, 2250)  # a large Founder page image (the ones seen are 600–1,200 px wide)
STORIES = [
    ["60,120,1440,120,1440,320,60,320", "60,320,950,320,950,1120,60,1120"],
    ["980,340,1440,340,1440,1120,980,1120"],
    ["60,1180,1440,1180,1440,2190,60,2190"],
]


def page(n: int) -> bytes:
    """A page image with boxes and lines, different for each n."""
    image = Image.new("RGB", SIZE, "white")
    draw = ImageDraw.Draw(image)
    for y in range(160 + n * 7, SIZE[1] - 60, 25):
        draw.line((80, y, SIZE[0] - 80, y), fill=(120, 120, 120), width=4)
    for story in STORIES:
        for coords in story:
            numbers = [int(v) for v in coords.split(",")]
            draw.rectangle((numbers[0], numbers[1], numbers[4], numbers[5]), outline="black",
                           width=8)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def peak_mib() -> float:
    """The process's peak resident set size so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ours(pages: list[bytes], count: int) -> float:
    started = time.perf_counter()
    for n in range(count):
        crop_clippings(pages[n % len(pages)], STORIES)
    return (time.perf_counter() - started) / count


def naive(pages: list[bytes], count: int) -> float:
    started = time.perf_counter()
    for n in range(count):
        body = pages[n % len(pages)]
        for story in STORIES:
            whole = Image.open(io.BytesIO(body)).convert("RGBA").convert("RGB")
            xs = [int(v) for c in story for v in c.split(",")[0::2]]
            ys = [int(v) for c in story for v in c.split(",")[1::2]]
            crop = whole.crop((min(xs), min(ys), max(xs), max(ys)))
            crop.save(io.BytesIO(), format="PNG")
    return (time.perf_counter() - started) / count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--baseline", type=int, default=30)
    parser.add_argument("--max-mib", type=float, default=256.0)
    args = parser.parse_args(argv)
    images = [page(n) for n in range(8)]
    before = peak_mib()
    per_page = ours(images, args.pages)
    peak = peak_mib()
    naive_per_page = naive(images, args.baseline)
    print(f"{args.pages} pages of {SIZE[0]}×{SIZE[1]}, {len(STORIES)} stories each: "
          f"{per_page * 1000:.0f} ms a page ({1 / per_page:.1f} pages/s); "
          f"naive (decode per story, whole page to RGB) {naive_per_page * 1000:.0f} ms a page "
          f"({naive_per_page / per_page:.1f}×)")
    print(f"peak RSS {peak:.0f} MiB (before cropping {before:.0f} MiB; "
          f"target < {args.max_mib:.0f} MiB)")
    if peak >= args.max_mib:
        print("MISSED: peak memory over the target", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
