"""Throughput and peak memory of article extraction on real Chinese pages.

Usage: .venv/bin/python benchmarks/bench_extract.py [FOLDER] [--repeat N]

FOLDER holds HTML pages (an ``html/`` sub-folder is used when present); the default is the
magic-html Chinese article set at ``../shared/corpus/extraction_magic_html_zh`` relative to the
repository. Each phase runs in its own subprocess so that its peak resident memory
(``ru_maxrss``) is its own:

* ``imports``   - only the imports, as the floor for the memory figures;
* ``ours``      - ``scrapers.extract_article(bytes, url)``: decode + parse + extract + metadata;
* ``baseline``  - ``BeautifulSoup(bytes, "html.parser")`` then ``trafilatura.extract(str(soup))``;
* ``trafilatura`` - ``trafilatura.extract(bytes)`` alone, for the cost of our extras.

One page is extracted before timing starts, so lazy imports are not counted. Exits 1 when
ours is slower than the baseline, or its peak memory above the imports more than
MAX_MEMORY times the baseline's.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = ROOT.parent / "shared" / "corpus" / "extraction_magic_html_zh"
PHASES = ("imports", "ours", "baseline", "trafilatura")
MAX_MEMORY = 1.2


def pages_in(folder: Path) -> list[Path]:
    """The HTML files to run, in a stable order."""
    base = folder / "html" if (folder / "html").is_dir() else folder
    return sorted(p for p in base.iterdir() if p.suffix.lower() in {".html", ".htm"})


def run_phase(phase: str, folder: Path, repeat: int) -> dict[str, float]:
    """Run one phase in this process and return its figures (called in the subprocess)."""
    sys.path.insert(0, str(ROOT))
    bodies = [p.read_bytes() for p in pages_in(folder)]
    if phase == "ours":
        from scrapers.extract import extract_article

        def one(body: bytes) -> int:
            return len(extract_article(body, "http://example.com/article").text)

    elif phase == "baseline":
        import trafilatura  # the import cost is what this phase measures
        from bs4 import BeautifulSoup

        def one(body: bytes) -> int:
            soup = BeautifulSoup(body, "html.parser")
            return len(trafilatura.extract(str(soup)) or "")

    elif phase == "trafilatura":
        import trafilatura

        def one(body: bytes) -> int:
            return len(trafilatura.extract(body) or "")

    else:
        import trafilatura  # the import cost is what this phase measures
        from bs4 import BeautifulSoup

        import scrapers.extract  # noqa: F401

        def one(body: bytes) -> int:
            return len(body)

    one(bodies[0])
    chars = 0
    start = time.perf_counter()
    for _ in range(repeat):
        for body in bodies:
            chars += one(body)
    seconds = time.perf_counter() - start
    maxrss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "pages": float(len(bodies) * repeat),
        "seconds": seconds,
        "chars": float(chars),
        "peak_mib": maxrss_kib / 1024,
    }


def measure(phase: str, folder: Path, repeat: int) -> dict[str, float]:
    """Run a phase in a fresh interpreter and read back its JSON figures."""
    command = [sys.executable, __file__, str(folder), "--phase", phase, "--repeat", str(repeat)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> int:
    """Run all phases and print the comparison table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--repeat", type=int, default=1, help="passes over the pages")
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    folder: Path = args.folder.resolve()
    if not pages_in(folder):
        parser.error(f"no HTML pages in {folder}")
    if args.phase:
        print(json.dumps(run_phase(args.phase, folder, args.repeat)))
        return 0

    results = {phase: measure(phase, folder, args.repeat) for phase in PHASES}
    floor = results["imports"]["peak_mib"]
    base = results["baseline"]
    print(f"pages: {folder} ({int(base['pages'])} page runs)")
    print(f"{'phase':10} {'pages/s':>8} {'s/page':>8} {'peak MiB':>9} {'above imports':>14}")
    for phase in ("ours", "baseline", "trafilatura"):
        r = results[phase]
        rate = r["pages"] / r["seconds"]
        print(
            f"{phase:10} {rate:8.1f} {r['seconds'] / r['pages']:8.4f} "
            f"{r['peak_mib']:9.1f} {r['peak_mib'] - floor:14.1f}"
        )
    print(f"{'imports':10} {'':>8} {'':>8} {floor:9.1f} {'':>14}")
    ours = results["ours"]
    speed = (ours["pages"] / ours["seconds"]) / (base["pages"] / base["seconds"])
    memory = (ours["peak_mib"] - floor) / max(base["peak_mib"] - floor, 0.1)
    print(f"ours / baseline: speed x{speed:.2f}, memory above imports x{memory:.2f}")
    alone = results["trafilatura"]
    cost = (ours["seconds"] / ours["pages"]) / (alone["seconds"] / alone["pages"])
    print(f"ours costs x{cost:.2f} the time of trafilatura alone a page")
    missed = []
    if speed < 1:
        missed.append(f"ours is slower than the baseline (x{speed:.2f})")
    if memory > MAX_MEMORY:
        missed.append(f"ours holds x{memory:.2f} the baseline's memory, over x{MAX_MEMORY}")
    for miss in missed:
        print(f"MISSED: {miss}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
