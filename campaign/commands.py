"""The app's commands, which the factory registers (so `campaign-tracker ...` and
`flask --app campaign ...` both have them)."""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from campaign.core.backup import BACKUP_COMMANDS
from campaign.core.sqlite import writes
from campaign.extensions import db


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(["admin", "officer", "leader"]), default="officer")
@click.option("--name", "display_name", default="")
@click.password_option()
@with_appcontext
@writes
def create_user_command(username: str, role: str, display_name: str, password: str) -> None:
    """Create a user with a role (admin, officer or leader)."""
    from campaign.auth.operations import UserError, create_user

    try:
        create_user(username=username, password=password, role=role, display_name=display_name)
    except UserError as error:
        db.session.rollback()
        raise click.ClickException(f"{error.field}: {error}") from error
    db.session.commit()
    click.echo(f"created {role} {username}")


@click.command("demo")
@click.option("--force", is_flag=True,
              help="Load the demo under CAMPAIGN_ENV=production too (its users then get new "
                   "random passwords, printed once, not the published ones).")
@with_appcontext
@writes
def demo_command(force: bool) -> None:
    """Load the outlet directory, demo users, the 2006 demo campaign with its coverage rules,
    and the demo news site's sources (idempotent). Refused under CAMPAIGN_ENV=production
    unless --force, and then without the published passwords."""
    from campaign.coverage.demo import load_demo_rules
    from campaign.planning.demo import DEMO_SLUG, DEMO_USERS, load_demo, load_demo_users
    from campaign.planning.operations import get_campaign
    from campaign.processes import demo_site_url
    from campaign.sources.importing import load_demo_sources

    passwords = None
    if current_app.config.get("CAMPAIGN_ENV") == "production":
        if not force:
            raise click.ClickException(
                "refused under CAMPAIGN_ENV=production: the demo users' passwords are "
                "published in the README (use --force to load the demo with new passwords)")
        passwords = {user[0]: secrets.token_urlsafe(12) for user in DEMO_USERS}
    users = load_demo_users(passwords)
    created = load_demo(passwords)
    campaign = get_campaign(DEMO_SLUG)
    if campaign is None:  # load_demo has just made it, or found it
        raise click.ClickException(f"the demo campaign {DEMO_SLUG} is missing")
    load_demo_rules(campaign)
    base = demo_site_url()
    result = load_demo_sources(base)
    db.session.commit()
    click.echo(f"demo campaign {DEMO_SLUG}: {'loaded' if created else 'already present'}")
    if passwords is None:  # development: the published logins, whether new or not
        users = [(name, password, role) for name, password, role, _ in DEMO_USERS]
    for username, password, role in users:
        click.echo(f"  {role:8} {username} / {password}")
    click.echo(f"demo sources on {base}: {result.created} added")


@click.command("load-outlets")
@with_appcontext
@writes
def load_outlets_command() -> None:
    """Add the built-in starter directory of outlets (those missing)."""
    from campaign.planning.outlets import load_starter_directory

    added = load_starter_directory()
    db.session.commit()
    click.echo(f"{added} outlets added")


@click.command("import-campaign")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--update", is_flag=True, help="Replace the plan of an existing campaign.")
@click.option("--create-outlets", is_flag=True,
              help="Add the outlets the plan names that the directory lacks.")
@with_appcontext
def import_campaign_command(file: Path, update: bool, create_outlets: bool) -> None:
    """Import a campaign from a JSON file; a bad file writes nothing."""
    from campaign.planning.transfer import CampaignFileError, import_plan_briefly

    try:
        result = import_plan_briefly(file.read_bytes(), update=update,
                                     create_outlets=create_outlets)
    except CampaignFileError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    for name in result.created_outlets:
        click.echo(f"created outlet {name} (tier: other; check it in the directory)")
    for notice in result.notices:
        click.echo(notice)
    click.echo(f"imported {result.campaign.slug} with {len(result.campaign.events)} events")


@click.command("export-campaign")
@click.argument("slug")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def export_campaign_command(slug: str, output: Path | None) -> None:
    """Write a campaign as JSON (to standard output, or to --output)."""
    from campaign.planning.operations import get_campaign
    from campaign.planning.transfer import export_campaign

    campaign = get_campaign(slug)
    if campaign is None:
        raise click.ClickException(f"no campaign {slug}")
    text = json.dumps(export_campaign(campaign), ensure_ascii=False, indent=2) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def _process_commands() -> list[click.Command]:
    from campaign.coverage.cli import COVERAGE_COMMANDS
    from campaign.dashboards.cli import bench_data_command
    from campaign.digests.cli import DIGEST_COMMANDS
    from campaign.exports.cli import EXPORT_COMMANDS
    from campaign.ingest.cli import INGEST_COMMANDS
    from campaign.processes import serve_command, up_command
    from campaign.sources.cli import SOURCE_COMMANDS

    return [serve_command, up_command, *SOURCE_COMMANDS, *INGEST_COMMANDS, *COVERAGE_COMMANDS,
            bench_data_command, *DIGEST_COMMANDS, *EXPORT_COMMANDS]


COMMANDS = [create_user_command, demo_command, load_outlets_command, import_campaign_command,
            export_campaign_command, *BACKUP_COMMANDS]


def register_commands(app: Flask) -> None:
    """Add the project's commands to `flask` (and so to `campaign-tracker`)."""
    for command in [*COMMANDS, *_process_commands()]:
        app.cli.add_command(command)
    try:
        from campaign.demo_site import demo_site_command
    except ImportError:  # the demo site is optional in a trimmed install
        return
    app.cli.add_command(demo_site_command)
