"""Commands of exports: run the background export jobs now, with a progress bar."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("export-jobs")
@click.option("--limit", type=click.IntRange(min=1), help="Run at most this many jobs.")
@with_appcontext
def export_jobs_command(limit: int | None) -> None:
    """Run the export jobs started on the exports page that wait (the scheduler runs them
    every few seconds; this runs them now), each with a progress bar; expire old files."""
    from datetime import timedelta

    from campaign.exports.commands import ProgressBar
    from campaign.exports.jobs import claim_job, expire_files, run_job
    from campaign.extensions import db
    from campaign.ingest.claims import worker_name

    worker = worker_name()
    lease = timedelta(seconds=int(current_app.config.get("EXPORT_LEASE_SECONDS", 600)))
    expired = expire_files()
    if expired:
        click.echo(f"{expired} expired export files deleted", err=True)
    ran = 0
    while limit is None or ran < limit:
        job_id = claim_job(worker, lease=lease)
        if job_id is None:
            break
        click.echo(f"export job {job_id}:", err=True)
        bar = ProgressBar()
        try:
            status = run_job(job_id, worker, lease=lease, echo=bar)
        finally:
            bar.close()
        db.session.remove()
        click.echo(f"export job {job_id}: {status}", err=True)
        ran += 1
    if not ran:
        click.echo("no export job waits", err=True)


EXPORT_COMMANDS = [export_jobs_command]
