"""Coverage commands: re-match from the command line, export matches for scoring."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import aliased

from campaign.extensions import db


@click.command("match")
@click.option("--campaign", "slug",
              help="Every event of this campaign, over its whole window (default: what is new).")
@click.option("--full", is_flag=True, help="Every event over its whole window, new or not.")
@with_appcontext
def match_command(slug: str | None, *, full: bool) -> None:
    """Match what is new: events never matched or edited since (they or their rule) against
    their windows, and articles new or changed since against every event. Officers'
    decisions are kept. Scored reading, stored in short writes each committed: the scheduler
    and officers write meanwhile, and an interrupted run is finished by the next."""
    from campaign.coverage.match_runs import match_new_in_batches, rematch_in_batches
    from campaign.planning.operations import get_campaign

    if slug:
        campaign = get_campaign(slug)
        if campaign is None:
            raise click.ClickException(f"no campaign {slug}")
        summary = rematch_in_batches(sorted(e.id for e in campaign.events))
    else:
        summary = match_new_in_batches(full=full)
    click.echo(f"{summary.articles} articles: {summary.created} new matches, "
               f"{summary.updated} updated, {summary.withdrawn} withdrawn, "
               f"{summary.kept_decisions} decisions kept "
               f"({summary.accepted} accepted, {summary.suggested} to review)")


def clipping_rows(slug: str, event_key: str | None = None) -> list[dict[str, Any]]:
    """Every match (and manual clipping) of a campaign as plain rows, in date order."""
    from campaign.articles.models import Article
    from campaign.coverage.models import Clipping, Match
    from campaign.planning.models import Event, Outlet
    from campaign.planning.operations import get_campaign

    campaign = get_campaign(slug)
    if campaign is None:
        raise click.ClickException(f"no campaign {slug}")
    original = aliased(Article)
    query = (select(Match, Article, Event.key, Outlet.name, original.url)
             .join(Article, Match.article_id == Article.id)
             .join(Event, Match.event_id == Event.id)
             .join(Outlet, Article.outlet_id == Outlet.id)
             .outerjoin(original, (original.reprint_group_id == Article.reprint_group_id)
                        & original.is_original & (original.id != Article.id)
                        & Article.reprint_group_id.is_not(None))
             .where(Event.campaign_id == campaign.id)
             .order_by(Article.published_at, Article.id))
    if event_key:
        query = query.where(Event.key == event_key)
    rows = [{
        "event": key, "kind": "article", "url": article.url, "title": article.title,
        "outlet": outlet, "published_at": (article.published_at.isoformat()
                                           if article.published_at else None),
        "page": article.page_number, "page_name": article.page_name, "genre": article.genre,
        "status": match.status, "score": match.score,
        "reprint_of": original_url if not article.is_original else None,
    } for match, article, key, outlet, original_url in db.session.execute(query)]
    clips = select(Clipping, Event.key, Outlet.name).join(Event).join(Outlet).where(
        Event.campaign_id == campaign.id)
    if event_key:
        clips = clips.where(Event.key == event_key)
    rows += [{
        "event": key, "kind": "clipping", "url": None, "title": clip.title, "outlet": outlet,
        "published_at": clip.published_on.isoformat(), "page": clip.page_number,
        "page_name": clip.page, "genre": clip.genre, "status": "accepted", "score": None,
        "reprint_of": None,
    } for clip, key, outlet in db.session.execute(clips)]
    return rows


@click.command("export-clippings")
@click.option("--campaign", "slug", required=True)
@click.option("--event", "event_key", help="Only this event (its key).")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx", "docx"]),
              default="json", show_default=True)
@click.option("--status", type=click.Choice(["accepted", "suggested", "rejected", "all"]),
              help="Matches with this decision (default: accepted; json: all, for scoring).")
@click.option("--per-event-sheets", is_flag=True, help="xlsx: add one sheet per event.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def export_clippings_command(slug: str, event_key: str | None, fmt: str, *,
                             status: str | None, per_event_sheets: bool,
                             output: Path | None) -> None:
    """Write a campaign's clipping list: csv, xlsx or docx (报道汇编) with the officers'
    columns, or json with the fields a labelled set is scored on (event key, URL, title,
    outlet, date, page, genre, status, score, reprint_of)."""
    if fmt == "json":
        rows = clipping_rows(slug, event_key)
        if status and status != "all":
            rows = [r for r in rows if r["status"] == status]
        _write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", output)
        return
    from campaign.exports.commands import ProgressBar, export_clipping_list

    if fmt != "csv" and output is None:
        raise click.UsageError(f"--format {fmt} needs -o FILE")
    bar = ProgressBar() if output else None  # a CSV on stdout keeps the terminal to itself
    try:
        count = export_clipping_list(slug, event_key, fmt, status or "accepted", output,
                                     per_event_sheets=per_event_sheets, report=bar)
    except LookupError as error:
        raise click.ClickException(str(error)) from error
    finally:
        if bar is not None:
            bar.close()
    if output:
        click.echo(f"wrote {count} rows to {output}", err=True)


def _write_text(text: str, output: Path | None) -> None:
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        sys.stdout.write(text)


@click.command("coverage-cells")
@with_appcontext
def coverage_cells_command() -> None:
    """Recount the dashboards' coverage cells of every campaign from matches and clippings,
    a month of a campaign's days per write (each committed: the scheduler and officers write
    meanwhile)."""
    from campaign.coverage.cell_rebuild import rebuild_in_writes
    from campaign.coverage.cells import count_rows

    writes = rebuild_in_writes()
    click.echo(f"{count_rows(db.session())} coverage cells ({writes} writes)")


COVERAGE_COMMANDS = [match_command, export_clippings_command, coverage_cells_command]
