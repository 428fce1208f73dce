#!/usr/bin/env python3
"""Serve a generated jineng-2021 world on 127.0.0.1.

    python3 serve.py --dir DIR [--port P] [--background | --stop]

--port 0 (the default) takes a free port. The server writes DIR/sources.local.toml (the sources
with the real port) and DIR/serve.json (its pid and port); --background starts it as its own
process and returns once it listens; --stop ends the server DIR/serve.json names. The server
itself is the shared `worldkit.server`; this file says what each outlet's server sends.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from worldkit import server as kit  # noqa: E402

# The Content-Type each outlet's server sends (first matching prefix wins).
TYPES = [
    ("/swnews/system/", "text/html"),            # GBK pages: only the meta tag says so
    ("/tfgrb/rss/", "application/rss+xml"),
    ("/jcrb/epaper/", "text/html; charset=utf-8"),
    ("/", "text/html; charset=utf-8"),
]
BY_SUFFIX = {".png": "image/png", ".pdf": "application/pdf", ".txt": "text/plain; charset=utf-8",
             ".json": "application/json", ".gif": "image/gif"}
write_local_sources = kit.write_local_sources


def make_server(directory, port=0):
    """A server for DIR/www (not yet serving)."""
    return kit.make_server(directory, port, types=TYPES, by_suffix=BY_SUFFIX)


def main(argv=None):
    return kit.main(argv, script=__file__, doc=__doc__, make=make_server)


if __name__ == "__main__":
    sys.exit(main())
