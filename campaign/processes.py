"""`campaign-tracker serve` (the web app under waitress) and `campaign-tracker up`, which runs the
web app beside the other processes of a local install and stops them all on Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from types import FrameType

import click
from flask import current_app
from flask.cli import with_appcontext

WEB_PORT = 5000
DEMO_SITE_PORT = 5050


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=WEB_PORT, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
@with_appcontext
def serve_command(host: str, port: int, threads: int) -> None:
    """Serve the web app with waitress (a production WSGI server)."""
    from waitress import serve

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    click.echo(f"campaign-tracker on http://{host}:{port}/")
    serve(app, host=host, port=port, threads=threads, ident="campaign-tracker")


def _children(port: int, with_demo_site: bool) -> list[tuple[str, list[str]]]:
    exe = [sys.executable, "-m", "campaign.cli"]
    children = [("web", [*exe, "serve", "--port", str(port)])]
    if with_demo_site:
        children.append(("demo-site", [*exe, "demo-site", "--port", str(DEMO_SITE_PORT)]))
    return children


def supervise(children: Sequence[tuple[str, list[str]]]) -> int:
    """Start each child; when one exits or we get SIGINT/SIGTERM, stop all. Returns exit code."""
    procs = {name: subprocess.Popen(argv) for name, argv in children}  # noqa: S603
    stopping = False

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    while not stopping:
        exited = {n: p.returncode for n, p in procs.items() if p.poll() is not None}
        if exited:
            name, code = next(iter(exited.items()))
            click.echo(f"{name} stopped (exit {code}); stopping the others", err=True)
            break
        time.sleep(0.3)
    for proc in procs.values():
        if proc.poll() is None:
            proc.terminate()
    deadline = time.monotonic() + 10
    for proc in procs.values():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
    return code or 0


@click.command("up")
@click.option("--port", default=WEB_PORT, show_default=True, type=int)
@click.option("--demo-site/--no-demo-site", default=True, show_default=True,
              help="Also serve the local demo news site.")
@with_appcontext
def up_command(port: int, demo_site: bool) -> None:
    """Run the web app and the local helper processes together; Ctrl-C stops them all."""
    from campaign.planning.demo import DEMO_USERS

    click.echo(f"\n  campaign-tracker: http://127.0.0.1:{port}/")
    for username, password, role, _name in DEMO_USERS:
        click.echo(f"    {role:8} {username} / {password}")
    click.echo("  Ctrl-C stops everything.\n")
    sys.exit(supervise(_children(port, demo_site and _has_demo_site())))


def _has_demo_site() -> bool:
    try:
        import campaign.demo_site  # noqa: F401
    except ImportError:
        return False
    return True
