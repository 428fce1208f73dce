"""Commands of ingest: a fetch pass in the foreground, and the scheduler."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from campaign.extensions import db
from campaign.ingest.media import MediaReport


def _chosen_sources(source_ids: tuple[int, ...], outlet_names: tuple[str, ...],
                    all_sources: bool) -> list[int] | None:
    """The ids asked for, or None for "the due ones"."""
    import sqlalchemy as sa

    from campaign.planning.outlets import find_outlet
    from campaign.sources.models import Source

    if not (source_ids or outlet_names or all_sources):
        return None
    chosen = set(source_ids)
    for name in outlet_names:
        outlet = find_outlet(name)
        if outlet is None:
            raise click.ClickException(f"no outlet {name}")
        chosen.update(db.session.scalars(sa.select(Source.id).where(Source.outlet_id == outlet.id)))
    if all_sources:
        chosen.update(db.session.scalars(sa.select(Source.id).where(Source.enabled.is_(True))))
    return sorted(chosen)


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


@click.command("fetch")
@click.option("--source", "source_ids", type=int, multiple=True, help="A source id (repeatable).")
@click.option("--outlet", "outlet_names", multiple=True, help="Every source of an outlet.")
@click.option("--all", "all_sources", is_flag=True, help="Every enabled source, due or not.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Backfill from this day.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Backfill up to this day.")
@click.option("--workers", type=int, help="Threads (default FETCH_WORKERS).")
@with_appcontext
def fetch_command(*, source_ids: tuple[int, ...], outlet_names: tuple[str, ...], all_sources: bool,
                  since: datetime | None, until: datetime | None, workers: int | None) -> None:
    """Fetch once in the foreground: the due sources, or those chosen (even if not due).

    Sources another worker is fetching right now are left to it. --since/--until walk the
    e-paper days of a past period and page list pages back to --since.
    """
    from campaign.ingest.media import keep_media
    from campaign.ingest.scheduler import PassOptions, make_poller

    if since and until and since > until:
        raise click.BadParameter("--since is after --until")
    chosen = _chosen_sources(source_ids, outlet_names, all_sources)
    trigger = "backfill" if since or until else "manual"
    # A backfill may walk months of e-paper days: hold the claims long enough for that.
    lease = timedelta(hours=12) if since or until else None
    poller = make_poller(current_app._get_current_object(),  # type: ignore[attr-defined]
                         workers=workers, lease=lease)
    try:
        ids = poller.claim(source_ids=chosen, force=chosen is not None)
        if chosen is not None and len(ids) < len(chosen):
            click.echo(f"{len(chosen) - len(ids)} sources skipped (disabled or being fetched)")
        reports = []
        options = PassOptions(since=_day(since), until=_day(until), trigger=trigger)
        with click.progressbar(length=len(ids), label="fetching", show_pos=True) as bar:
            for report in poller.fetch(ids, options):
                reports.append(report)
                bar.update(1)
        media = keep_media(poller.fetcher,
                           keep_pdfs=bool(current_app.config.get("MEDIA_KEEP_PDFS")))
    finally:
        poller.stop()
        poller.fetcher.close()
    for r in sorted(reports, key=lambda r: r.source_id):
        click.echo(f"{r.source_id:>5} {r.name[:40]:<40} {r.outcome:<13} new {r.new:>4}  "
                   f"updated {r.updated:>4}  duplicates {r.duplicate:>4}")
        if r.error:
            click.echo(f"      {r.error}")
    click.echo(f"{len(reports)} sources, {sum(r.new for r in reports)} new articles")
    _echo_media(media)


def _echo_media(media: MediaReport) -> None:
    click.echo(f"media: {media.pages} page images, {media.clippings} clippings, "
               f"{media.pdfs} PDFs, {media.archives} archived copies, "
               f"{len(media.skipped)} skipped")
    for note in media.skipped[:20]:
        click.echo(f"      {note}")


@click.command("media")
@click.option("--limit", type=int, default=200, help="Page images and web articles per pass.")
@with_appcontext
def media_command(limit: int) -> None:
    """Keep what coverage looked like: page images and clippings of matched e-paper stories
    (and their PDFs with MEDIA_KEEP_PDFS), archived copies of accepted web articles."""
    from campaign.ingest.media import keep_media
    from campaign.ingest.scheduler import make_poller

    poller = make_poller(current_app._get_current_object(), workers=1)  # type: ignore[attr-defined]
    try:
        media = keep_media(poller.fetcher, limit=limit,
                           keep_pdfs=bool(current_app.config.get("MEDIA_KEEP_PDFS")))
    finally:
        poller.stop()
        poller.fetcher.close()
    _echo_media(media)


@click.command("scheduler")
@click.option("--ticks", type=int, default=0, help="Stop after this many ticks (0: run on).")
@click.option("--once", is_flag=True, help="One tick, then finish its fetches and stop.")
@click.option("--tick-seconds", type=float, help="Seconds between ticks (SCHEDULER_TICK_SECONDS).")
@click.option("--workers", type=int, help="Threads (default FETCH_WORKERS).")
@with_appcontext
def scheduler_command(ticks: int, once: bool, tick_seconds: float | None,
                      workers: int | None) -> None:
    """Run the fetch scheduler in this process until Ctrl-C (run exactly one per install)."""
    from campaign.ingest.scheduler import run_scheduler

    # Its messages go to the log (LOG_LEVEL, timestamps), which the command group configures.
    run_scheduler(current_app._get_current_object(),  # type: ignore[attr-defined]
                  ticks=1 if once else ticks, tick_seconds=tick_seconds, workers=workers)


@click.command("media-cleanup")
@with_appcontext
def media_cleanup_command() -> None:
    """Delete the page images, clippings, PDFs and archived copies of articles whose every
    match was rejected (files another article still uses are kept)."""
    from campaign.core.sqlite import write_transaction
    from campaign.ingest.media import clean_rejected

    with write_transaction():
        articles, files = clean_rejected()
    click.echo(f"{articles} rejected articles cleaned, {files} files deleted")


INGEST_COMMANDS = [fetch_command, scheduler_command, media_command, media_cleanup_command]
