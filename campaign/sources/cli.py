"""Commands of the sources feature (fetching, the scheduler, importing sources)."""

from __future__ import annotations

import click

# Each command of this feature is appended here; campaign/cli.py registers them all.
SOURCE_COMMANDS: list[click.Command] = []
