"""Alembic environment: runs migrations on the app's own engine and metadata."""

from __future__ import annotations

import logging

from alembic import context
from flask import current_app

log = logging.getLogger("alembic.env")
config = context.config


def _engine():  # type: ignore[no-untyped-def]
    return current_app.extensions["migrate"].db.engine


def _metadata():  # type: ignore[no-untyped-def]
    return current_app.extensions["migrate"].db.metadata


def _include_object(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    # The full-text search table (SQLite FTS5) and indexes (pg_trgm) are made by raw SQL in
    # their migration: autogenerate must not propose dropping them.
    from campaign.articles.search import is_fulltext_object

    return not (reflected and compare_to is None and is_fulltext_object(name, type_))


def _options() -> dict:  # type: ignore[type-arg]
    from campaign.core.dbtypes import render_migration_type

    options = dict(current_app.extensions["migrate"].configure_args)
    options.setdefault("render_item", render_migration_type)
    options.setdefault("compare_type", True)
    options.setdefault("render_as_batch", True)
    options.setdefault("include_object", _include_object)
    return options


def run_offline() -> None:
    """Write the SQL to standard output instead of running it."""
    url = _engine().url.render_as_string(hide_password=False)
    context.configure(url=url, target_metadata=_metadata(), literal_binds=True, **_options())
    with context.begin_transaction():
        context.run_migrations()


def _skip_empty_autogenerate(ctx, revision, directives) -> None:  # type: ignore[no-untyped-def]
    # `db migrate` with no model change writes no empty revision.
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        log.info("no schema changes detected")


def run_online() -> None:
    """Run the migrations on a live connection, in one transaction."""
    with _engine().connect() as connection:
        context.configure(connection=connection, target_metadata=_metadata(),
                          process_revision_directives=_skip_empty_autogenerate, **_options())
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
