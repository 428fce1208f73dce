"""`campaign-tracker serve --workers N`: the web app in N gunicorn worker processes of
`threads` threads each, on Linux and other systems with fork (gunicorn does not run on Windows,
where one `serve` per port is started instead).

Each worker builds its own app from the environment after the fork (no preloading), so no
database connection is shared between processes: everything the processes must agree on
(logins, the login throttle, fetch leases) lives in the database."""

from __future__ import annotations

import sys
from typing import Any

import click
from flask import Flask

# What each worker loads, as gunicorn's own command names it (README, Deployment): the app
# factory, which reads its settings from the environment. By name, not imported here: this
# module sits below the package that builds the app (tests/test_layers.py).
APP = "campaign:create_app()"
GRACEFUL_SECONDS = 10  # a stopped worker finishes the requests it holds for at most this long
WORKER_TIMEOUT = 60  # a worker silent this long (a request stuck this long) is restarted
# An idle keep-alive connection is kept this long. A gthread worker closes the connections idle
# past it at each turn of its event loop, even one on which a request has just come in and not
# yet been read — the client sees the connection drop — and on a busy machine a turn can come
# seconds late. So: well above a reader's pause and any stall (gunicorn's default, 2 s, dropped
# requests of 50 users pausing 1 s between pages; 5 s still one with the machine overloaded).
KEEPALIVE_SECONDS = 30


def gunicorn_available() -> str | None:
    """Why several worker processes cannot be had here, or None when they can."""
    if sys.platform == "win32":
        return ("several web processes (--workers) need gunicorn, which does not run on "
                "Windows: start one `campaign-tracker serve --port …` per port instead")
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return "several web processes (--workers) need gunicorn: pip install gunicorn"
    return None


def gunicorn_options(host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    """gunicorn's settings for the layout: gthread workers, no preloading."""
    return {"bind": f"{host}:{port}", "workers": workers, "threads": threads,
            "worker_class": "gthread", "preload_app": False,
            "graceful_timeout": GRACEFUL_SECONDS, "timeout": WORKER_TIMEOUT,
            "keepalive": KEEPALIVE_SECONDS,
            "proc_name": "campaign-tracker"}


def serve_workers(host: str, port: int, workers: int, threads: int) -> None:
    """Run gunicorn's arbiter in this process until it is stopped (SIGTERM, SIGINT)."""
    problem = gunicorn_available()
    if problem:
        raise click.ClickException(problem)
    from gunicorn.app.base import BaseApplication
    from gunicorn.util import import_app

    class Workers(BaseApplication):  # type: ignore[misc]  # gunicorn ships no types
        def load_config(self) -> None:
            for key, value in gunicorn_options(host, port, workers, threads).items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            app: Flask = import_app(APP)
            return app

    Workers().run()
