"""`campaign-tracker serve` (the web app under waitress) and `campaign-tracker up`, which runs the
web app beside the other processes of a local install — the fetch scheduler (the only process
that runs it) and the demo news site — and stops them all on Ctrl-C."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from types import FrameType
from urllib.parse import urlsplit

import click
from flask import current_app, has_app_context
from flask.cli import with_appcontext

log = logging.getLogger(__name__)
WEB_PORT = 5000
DEMO_SITE_PORT = 5050


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=WEB_PORT, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 256),
              help="Threads per web process.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Web processes: more than 1 runs gunicorn (not on Windows).")
@with_appcontext
def serve_command(host: str, port: int, threads: int, workers: int) -> None:
    """Serve the web app with waitress (a production WSGI server), or with gunicorn in
    several worker processes (--workers, Linux)."""
    from campaign.extensions import db
    from campaign.workers import gunicorn_available, serve_workers

    problem = gunicorn_available() if workers > 1 else None
    if problem:
        raise click.ClickException(problem)
    for warning in security_warnings():
        log.warning("%s", warning)
    click.echo(f"campaign-tracker on http://{host}:{port}/")
    if workers > 1:
        # Each worker builds its own app and engine: none inherits this process's connections.
        db.engine.dispose()
        serve_workers(host, port, workers, threads)
        return
    from waitress import serve

    # current_app is a proxy, typed as the Flask app it stands for; waitress needs the app.
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    serve(app, host=host, port=port, threads=threads, ident="campaign-tracker")


def security_warnings() -> list[str]:
    """What is unsafe about a production install, said at start-up: cookies over plain HTTP
    (HTTPS=off), demo accounts that still have the passwords the README publishes."""
    from campaign.extensions import db
    from campaign.planning.demo import published_demo_logins

    if current_app.config.get("CAMPAIGN_ENV") != "production":
        return []
    found = []
    if not current_app.config.get("HTTPS", True):
        found.append("HTTPS=off under CAMPAIGN_ENV=production: session and remember cookies "
                     "are sent without Secure, so anyone on the network can copy them")
    names = published_demo_logins()
    db.session.rollback()
    if names:
        found.append(f"demo accounts with the README's published passwords can log in: "
                     f"{', '.join(names)} (change their passwords or deactivate them)")
    return found


# A process `up` starts: its name, command line, environment (None: ours), and the port it
# listens on when the processes after it need it to answer first (None: start the next at once).
Child = tuple[str, list[str], dict[str, str] | None, int | None]
READY_WAIT = 60.0  # seconds a child is given to start listening before the next one starts

# The demo site runs on this machine and is ours: the one-second gap kept between requests to a
# real newspaper's server would make the demo's first pass take minutes. An explicit
# FETCH_MIN_DELAY in the environment still wins.
DEMO_MIN_DELAY = "0.02"
DEMO_SITE_HOST = "127.0.0.1"  # where `demo-site` listens (see DEMO_SITE_PORT)


def _children(port: int, with_demo_site: bool, with_scheduler: bool = True) -> list[Child]:
    exe = [sys.executable, "-m", "campaign.cli"]
    # The web app probes pages when an admin adds a source by URL: the demo host too.
    env = _demo_env() if with_demo_site else None
    children: list[Child] = []
    if with_demo_site:
        # First, and listening before the scheduler starts: a first pass that finds the site
        # not up yet fails every demo source and leaves them waiting for their next interval.
        site = demo_site_port()
        children.append(("demo-site", [*exe, "demo-site", "--port", str(site)], None, site))
    children.append(("web", [*exe, "serve", "--port", str(port)], env, None))
    if with_scheduler:
        children.append(("scheduler", [*exe, "scheduler"], env, None))
    return children


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _wait_until_listening(name: str, proc: subprocess.Popen[bytes], port: int) -> None:
    """Wait until `proc` listens on `port` (or exits, or READY_WAIT passes: the next processes
    then start anyway, and the scheduler's later passes find the site)."""
    deadline = time.monotonic() + READY_WAIT
    while proc.poll() is None and time.monotonic() < deadline:
        if _listening(port):
            return
        time.sleep(0.1)
    if proc.poll() is None:
        log.warning("%s is not listening on port %d after %.0f s", name, port, READY_WAIT)


def demo_site_url() -> str:
    """Where the demo news site is served: the app's DEMO_SITE_URL setting, else this machine's
    DEMO_SITE_PORT (`demo` points the demo sources there; also outside an app context)."""
    default = f"http://{DEMO_SITE_HOST}:{DEMO_SITE_PORT}"
    configured = current_app.config.get("DEMO_SITE_URL") if has_app_context() else None
    return str(configured or default).strip() or default


def demo_site_port() -> int:
    """The port `up` serves the demo site on: that of DEMO_SITE_URL (where `demo` pointed the
    demo sources) when it names this machine, else DEMO_SITE_PORT."""
    url = urlsplit(demo_site_url())
    try:
        port = url.port
    except ValueError:
        port = None
    if url.hostname in (DEMO_SITE_HOST, "localhost") and port:
        return port
    return DEMO_SITE_PORT


def _demo_env() -> dict[str, str]:
    """The web app's and scheduler's environment beside the local demo site: no politeness
    gap, and the demo site's host and port (127.0.0.1:5050) allow-listed — every other local
    address, and every other port of this machine, stays refused by the address guard."""
    env = dict(os.environ)
    env.setdefault("FETCH_MIN_DELAY", DEMO_MIN_DELAY)
    demo = f"{DEMO_SITE_HOST}:{demo_site_port()}"
    allowed = [h.strip() for h in env.get("SOURCE_ALLOW_HOSTS", "").split(",") if h.strip()]
    if demo not in allowed:
        env["SOURCE_ALLOW_HOSTS"] = ",".join([*allowed, demo])
    return env


def supervise(children: Sequence[Child]) -> int:
    """Start each child; when one exits or we get SIGINT/SIGTERM, stop all. Returns exit code."""
    procs: dict[str, subprocess.Popen[bytes]] = {}
    for name, argv, env, ready_port in children:
        procs[name] = subprocess.Popen(argv, env=env)  # noqa: S603
        if ready_port is not None:
            _wait_until_listening(name, procs[name], ready_port)
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
@click.option("--scheduler/--no-scheduler", default=True, show_default=True,
              help="Also run the fetch scheduler (one per install).")
@with_appcontext
def up_command(port: int, demo_site: bool, scheduler: bool) -> None:
    """Run the web app, the fetch scheduler and the demo news site together; Ctrl-C stops
    them all."""
    from campaign.planning.demo import DEMO_USERS

    click.echo(f"\n  campaign-tracker: http://127.0.0.1:{port}/")
    for username, password, role, _name in DEMO_USERS:
        click.echo(f"    {role:8} {username} / {password}")
    click.echo("  Ctrl-C stops everything.\n")
    sys.exit(supervise(_children(port, demo_site and _has_demo_site(), scheduler)))


def _has_demo_site() -> bool:
    try:
        import campaign.demo_site  # noqa: F401
    except ImportError:
        return False
    return True
