"""The `campaign-tracker` command (also reachable as `flask --app campaign ...`): the factory
registers the commands (`campaign.commands`)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup


def _create_app() -> Flask:
    from campaign import create_app  # when a command runs, not when --help is read

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """campaign-tracker: plan a media campaign and prove its coverage."""


if __name__ == "__main__":
    main()
