"""The `campaign-tracker` command (also reachable as `flask --app campaign ...`): the factory
registers the commands (`campaign.commands`)."""

from __future__ import annotations

import logging
import os

import click
from flask import Flask
from flask.cli import FlaskGroup

log = logging.getLogger("campaign.cli")  # also when run as `python -m campaign.cli`


def _configure_logging() -> None:
    """Logging at LOG_LEVEL, once per process; a bad setting is an error message, not a
    traceback."""
    from campaign.core.logs import configure_logging
    from config import ConfigError, log_level

    try:
        configure_logging(log_level())
    except ConfigError as error:
        raise click.ClickException(str(error)) from error


def _create_app() -> Flask:
    from campaign import create_app
    from config import ConfigError

    # Flask loads the app while it looks the command up, before the group's callback runs.
    _configure_logging()
    try:
        return create_app()
    except ConfigError as error:
        raise click.ClickException(str(error)) from error


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
@click.pass_context
def main(ctx: click.Context) -> None:
    """campaign-tracker: plan a media campaign and prove its coverage."""
    _configure_logging()
    log.debug("command %s in process %s", ctx.invoked_subcommand, os.getpid())


if __name__ == "__main__":
    main()
