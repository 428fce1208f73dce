#!/usr/bin/env python3
"""Serve a generated jinqiu-2011 world on 127.0.0.1.

    python3 serve.py --dir DIR [--port P] [--background | --stop]

--port 0 (the default) takes a free port. The server writes DIR/sources.local.toml (the
sources with the real port) and DIR/serve.json (its pid and port). --background starts it as
a separate process and returns once it listens; --stop ends the one DIR/serve.json names. The
server itself is the shared `worldkit.server`; this file says what each outlet's server sends.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from worldkit import server as kit  # noqa: E402

# Content-Type per site, as each outlet's server sends it (longest prefix first).
TYPES = [
    ("/gjrb/html/", "text/html; charset=gb2312"),
    ("/gpgrb/pc/", "text/html; charset=utf-8"),
    ("/hcwb/", "text/html; charset=utf-8"),
    ("/ggw/rss/", "application/rss+xml"),    # the encoding is only in the XML declaration
    ("/ggw/", "text/html"),                  # no charset: only the page's meta says gbk
    ("/gjtv/", "text/html; charset=utf-8"),
]
BY_SUFFIX = {".png": "image/png", ".pdf": "application/pdf"}
write_local_sources = kit.write_local_sources


def make_server(directory, port=0):
    """A server for DIR/www (not yet serving); its base URL is set on the handler."""
    return kit.make_server(directory, port, types=TYPES, by_suffix=BY_SUFFIX)


def main(argv=None):
    return kit.main(argv, script=__file__, doc=__doc__, make=make_server)


if __name__ == "__main__":
    sys.exit(main())
