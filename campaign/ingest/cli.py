"""Commands of ingest: a fetch pass in the foreground, and the scheduler."""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta
from typing import Any

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
               f"{media.screenshots} screenshots, {len(media.skipped)} skipped")
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
    """Run the fetch scheduler in this process until Ctrl-C (several on one PostgreSQL share
    the work: sources and export jobs are claimed row by row)."""
    from campaign.auth.logins import PRUNE_EVERY_SECONDS, prune_job
    from campaign.digests.schedule import DIGEST_TICK_SECONDS, digest_job
    from campaign.exports.jobs import EXPORT_TICK_SECONDS, export_job
    from campaign.ingest.scheduler import PeriodicJob, run_scheduler

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    # The digests and alerts go out from this process too (each once: the sent-log claims).
    digests = PeriodicJob("digests", digest_job(app), DIGEST_TICK_SECONDS)
    # And the exports started on the exports page (a job row each, claimed with a lease).
    exports = PeriodicJob("exports", export_job(app), EXPORT_TICK_SECONDS)
    # Its messages go to the log (LOG_LEVEL, timestamps), which the command group configures.
    # Login audit lines and ended logins past LOGIN_LOG_DAYS are deleted every hour.
    logins = PeriodicJob("logins", prune_job(app), PRUNE_EVERY_SECONDS)
    run_scheduler(app, ticks=1 if once else ticks, tick_seconds=tick_seconds, workers=workers,
                  jobs=[digests, logins, exports])


@click.command("add-links")
@click.option("--campaign", "slug", required=True, help="The campaign's slug.")
@click.option("--event", "event_key", help="The event's key (asked for when not given).")
@click.option("--outlet", "outlet_name", help="The outlet when the page does not say it.")
@click.option("--user", "username", help="Whose decision the attachments are (default: the "
              "first administrator).")
@click.argument("source", type=click.File("r", encoding="utf-8"))
@with_appcontext
def add_links_command(*, slug: str, event_key: str | None, outlet_name: str | None,
                      username: str | None, source: Any) -> None:
    """Fetch the links of SOURCE (a file, one link a line, or - for standard input), store each
    as an article of its outlet and attach it to the event. A link already stored is attached
    without a fetch; each link is committed as it is done, and the links that need typing by
    hand are listed at the end (the exit status is then 1)."""
    from campaign.ingest.links import MAX_LINKS, add_link, split_links

    _campaign, event, outlet, user = _links_targets(slug, event_key, outlet_name, username)
    links = split_links(source.read())
    if not links:
        raise click.ClickException("no links in the input")
    if len(links) > MAX_LINKS * 10:
        raise click.ClickException(f"at most {MAX_LINKS * 10} links at once")
    left: list[str] = []
    with click.progressbar(links, label="links", file=sys.stderr) as bar:
        for url in bar:
            outcome = add_link(event, url, user, outlet=outlet)
            db.session.commit()
            if not outcome.done:
                left.append(f"{url}\t{outcome.status}\t{outcome.message}")
    click.echo(f"{len(links) - len(left)} of {len(links)} links attached to {event.key}")
    for line in left:
        click.echo(line)
    if left:
        sys.exit(1)


def _links_targets(slug: str, event_key: str | None, outlet_name: str | None,
                   username: str | None, *, event_optional: bool = False
                   ) -> tuple[Any, Any, Any, Any]:
    """The campaign, the event (None only when optional and not named), the chosen outlet (or
    None) and the deciding user of add-links and import-clippings."""
    import sqlalchemy as sa

    from campaign.auth.models import User
    from campaign.auth.operations import find_user
    from campaign.planning.operations import get_campaign
    from campaign.planning.outlets import find_outlet

    campaign = get_campaign(slug)
    if campaign is None:
        raise click.ClickException(f"no campaign {slug}")
    keys = sorted(e.key for e in campaign.events)
    if not event_key and not event_optional:
        event_key = click.prompt("event", type=click.Choice(keys))
    event = campaign.event_with_key(event_key)
    if event is None and (event_key or not event_optional):
        raise click.ClickException(f"no event {event_key} in {slug} (events: {', '.join(keys)})")
    outlet = find_outlet(outlet_name) if outlet_name else None
    if outlet_name and outlet is None:
        raise click.ClickException(f"no outlet {outlet_name}")
    user = find_user(username) if username else db.session.scalar(
        sa.select(User).where(User.role == "admin").order_by(User.id).limit(1))
    if user is None or not user.can_edit:
        raise click.ClickException("no such user who may edit (use --user NAME)")
    return campaign, event, outlet, user


@click.command("import-clippings")
@click.option("--campaign", "slug", required=True, help="The campaign's slug.")
@click.option("--event", "event_key", help="The event of every row (else the sheet's 关联活动 "
              "column).")
@click.option("--column", "columns", multiple=True, metavar="NAME=FIELD",
              help="Map a column (as its header says it) to a field: date, outlet, page, title, "
                   "url, genre, note, event or skip (repeatable; the rest is guessed).")
@click.option("--user", "username", help="Whose records these are (default: the first "
              "administrator).")
@click.option("--dry-run", is_flag=True, help="Check every row and write nothing.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_clippings_command(*, slug: str, event_key: str | None, columns: tuple[str, ...],
                             username: str | None, dry_run: bool, path: str) -> None:
    """Import a clipping list (XLSX, or CSV in UTF-8 or GBK): every row or none. Rows with a
    link are fetched as add-links does; the others become manual clippings."""
    from pathlib import Path

    from campaign.ingest.sheets import SheetError, check_rows, import_rows, read_sheet, remap

    campaign, event, _outlet, user = _links_targets(slug, event_key or "", None, username,
                                                    event_optional=True)
    try:
        sheet = read_sheet(Path(path).read_bytes(), path)
        mapping = dict(sheet.mapping)
        for spec in columns:
            name, _sep, field_name = spec.partition("=")
            remapped = remap(sheet, mapping, name, field_name)
            if remapped is None:
                raise SheetError(f"--column {spec}: no such column or field")
            mapping = remapped
        rows = check_rows(sheet, mapping, campaign, event)
    except SheetError as error:
        raise click.ClickException(str(error)) from error
    bad = [row for row in rows if row.errors]
    for row in bad:
        click.echo(f"row {row.number}: {'; '.join(row.errors)}", err=True)
    if bad:
        raise click.ClickException(f"{len(bad)} of {len(rows)} rows have errors: nothing "
                                   "imported")
    if dry_run:
        click.echo(f"{len(rows)} rows are fine (dry run: nothing written)")
        return
    done = import_rows(rows, user)
    db.session.commit()
    click.echo(f"{len(rows)} rows imported: {done['linked']} links fetched, "
               f"{done['by_hand']} links kept from the sheet, {done['clippings']} clippings")



@click.command("media-cleanup")
@with_appcontext
def media_cleanup_command() -> None:
    """Delete the page images, clippings, PDFs and archived copies of articles whose every
    match was rejected (files another article still uses are kept), then recount what the
    media folder holds (the running total MEDIA_MAX_TOTAL_MB is checked against)."""
    from campaign.core.sqlite import write_transaction
    from campaign.ingest.media import clean_rejected

    with write_transaction():
        articles, files, total = clean_rejected()
    click.echo(f"{articles} rejected articles cleaned, {files} files deleted")
    click.echo(f"the media folder holds {total / 2**20:.1f} MB ({total} bytes, recounted)")


INGEST_COMMANDS = [fetch_command, scheduler_command, media_command, media_cleanup_command,
                   add_links_command, import_clippings_command]
