"""Migrations: `db upgrade` builds from empty the same schema the models describe."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import inspect

from campaign.articles.search import TRGM_INDEXES, is_fulltext_object
from campaign.extensions import db
from tests.conftest import BACKENDS, app_on_new_database


@pytest.fixture(params=BACKENDS)
def empty_app(request, tmp_path):
    """An app on a new, empty database of each backend."""
    with app_on_new_database(request.param, tmp_path, "migrate.db") as app:
        yield app


def test_upgrade_from_empty_matches_models(empty_app):
    """After `db upgrade` on an empty database, Alembic finds no difference with the models."""
    with empty_app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={
                "compare_type": True, "include_object": _models_only})
            diff = compare_metadata(context, db.metadata)
        assert diff == []
        tables = set(inspect(db.engine).get_table_names())
        assert {"campaigns", "events", "outlets", "users", "editorial_slots"} <= tables


def _models_only(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    """Leave out the full-text search objects the migration creates with raw SQL."""
    return not (reflected and compare_to is None and is_fulltext_object(name, type_))


def test_upgrade_creates_full_text_search(empty_app):
    """The search migration builds the trigram index of its backend (FTS5 table or pg_trgm)."""
    with empty_app.app_context():
        upgrade()
        inspector = inspect(db.engine)
        if db.engine.dialect.name == "sqlite":
            assert "articles_fts" in inspector.get_table_names()
        else:
            indexes = {i["name"] for t in ("articles", "article_bodies")
                       for i in inspector.get_indexes(t)}
            assert set(TRGM_INDEXES) <= indexes


def test_upgrade_twice_is_harmless(empty_app):
    """Running `db upgrade` on an up-to-date database changes nothing."""
    with empty_app.app_context():
        upgrade()
        upgrade()
        assert "alembic_version" in inspect(db.engine).get_table_names()
