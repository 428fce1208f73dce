"""Commands of the sources feature: importing sources."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from campaign.core.sqlite import writes
from campaign.extensions import db


@click.command("import-sources")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
@writes
def import_sources_command(file: Path) -> None:
    """Import sources from a TOML file or an OPML subscription list; a bad file writes nothing."""
    from campaign.sources.importing import SourceFileError, import_sources_file

    try:
        result = import_sources_file(file.read_bytes())
    except SourceFileError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"{result.created} sources added, {result.updated} updated, "
               f"{result.unchanged} unchanged")
    for name in result.outlets_created:
        click.echo(f"  new outlet: {name}")


SOURCE_COMMANDS = [import_sources_command]
