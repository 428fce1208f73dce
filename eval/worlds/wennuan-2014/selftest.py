#!/usr/bin/env python3
"""Check the wennuan-2014 world end to end, standard library only.

    python3 selftest.py [--work DIR]

Generates the world twice and compares the bytes; serves it; walks every source the way a
fetcher would (e-paper days and pages, list pages with their selectors and 下一页 links, the
feed); checks that each outlet's sources reach exactly its labelled articles; fetches every
link of every page reached (page pictures and PDFs checked by their magic bytes); checks the
labels against the plan. Exit 1 on any failure. The walk is the shared `worldkit.walk`.
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import serve  # noqa: E402
from content.plan import CAMPAIGN, EVENTS  # noqa: E402
from worldkit import walk  # noqa: E402


def main(argv=None):
    return walk.main(argv, doc=__doc__, default_work="/tmp/wennuan-2014-selftest",
                     generate=generate, serve=serve, campaign=CAMPAIGN, events=EVENTS)


if __name__ == "__main__":
    sys.exit(main())
