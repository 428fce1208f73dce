"""A local demo news site: an INVENTED Anhui media world for the 2006 宣传月 demo campaign.

Everything served here (texts, names, firms, numbers) is written for the demo. One server,
one port, one path prefix per outlet:

* ``/ahrb/html/2006-04/28/node_1.htm``   安徽日报 Founder (方正) e-paper, 2006-04-20 .. 2006-05-20,
  ``node_N.htm`` = 第0N版 (page list + article list), ``content_NNN.htm`` = article (UTF-8)
* ``/ahgrb/rss.xml``                     安徽工人日报 RSS 2.0 -> ``/ahgrb/2006/04/25/art_NNN.html``
* ``/ahnews/list_1.html``                中安在线 GBK list pages (下一页) ->
  ``/ahnews/system/2006/04/25/NNNNNN.shtml`` (GBK, 来源/责任编辑 lines)
* ``/hfrb/news/index.html``              合肥日报 list pages (meta gb2312, bytes gb18030)
* ``/grrb/dfgh/index.html``              工人日报 regional column, reprints with 来源：…

``labels.json`` (:data:`LABELS_PATH`) has one entry per article::

    {"url_path", "outlet", "title", "published": "YYYY-MM-DD", "events": [event keys],
     "kind": "coverage" | "near_miss" | "unrelated" | "reprint" | "slot",
     "reprint_of": url_path of the original or null, "page": int or null, "genre": 体裁,
     "near_miss_of": [event keys a near miss is easily confused with]}

It is generated from the article data (``articles.build_labels``); regenerate it with
``python -m campaign.demo_site.labels`` after editing the data (a test checks they agree).
"""

from __future__ import annotations

import contextlib
import json
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .sources import SOURCES, sources_for

__all__ = [
    "LABELS_PATH",
    "SOURCES",
    "create_demo_site",
    "demo_site_command",
    "load_labels",
    "running",
    "serve",
    "sources_for",
]

LABELS_PATH = Path(__file__).with_name("labels.json")


def create_demo_site() -> Flask:
    """The demo site as a WSGI app (a small Flask app, independent of the tracker)."""
    from .app import create_demo_site as _create

    return _create()


def load_labels() -> list[dict[str, Any]]:
    """The committed ground-truth labels, one dict per served article."""
    data: list[dict[str, Any]] = json.loads(LABELS_PATH.read_text(encoding="utf-8"))
    return data


class _QuietHandler(WSGIRequestHandler):
    """Request handler that does not log every request."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return


def _make_server(host: str, port: int) -> BaseWSGIServer:
    return make_server(host, port, create_demo_site(), threaded=True,
                       request_handler=_QuietHandler)


def serve(host: str = "127.0.0.1", port: int = 5050) -> None:
    """Serve the demo site until Ctrl-C or SIGTERM."""
    server = _make_server(host, port)
    previous = None
    if threading.current_thread() is threading.main_thread():
        def _stop(signum: int, frame: object) -> None:
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGTERM, _stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def running(host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Run the demo site in a background thread (``port=0``: any free port); yields the
    base URL, e.g. ``http://127.0.0.1:54321``. For tests and scripted demos."""
    server = _make_server(host, port)
    thread = threading.Thread(target=server.serve_forever, name="demo-site", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@click.command("demo-site")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=5050, show_default=True, type=int, help="TCP port.")
def demo_site_command(host: str, port: int) -> None:
    """Serve the invented demo news site (安徽日报 e-paper, RSS, GBK portal, reprints)."""
    base = f"http://{host}:{port}"
    click.echo(f"Demo news site (invented content) on {base}/  — Ctrl-C to stop")
    for s in sources_for(base):
        click.echo(f"  {s['outlet']:<8} {s['type']:<7} {s['url']}")
    serve(host, port)
