"""sources: article full-text search (SQLite FTS5 trigram table and triggers; pg_trgm indexes)

Revision ID: a7c3e9f1b2d4
Revises: d2ea0fe4a3f8
Create Date: 2026-11-24 07:50:00.000000

Nothing here is in the models: the statements are the backend's own. On SQLite older than 3.34
(no trigram tokenizer) and on PostgreSQL without pg_trgm nothing is created, and article search
scans with LIKE/ILIKE instead.
"""
import logging
import sqlite3

from alembic import op
import sqlalchemy as sa


revision = 'a7c3e9f1b2d4'
down_revision = 'd2ea0fe4a3f8'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

SQLITE_UP = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(title, body, tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS articles_fts_insert AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, ''); END",
    "CREATE TRIGGER IF NOT EXISTS articles_fts_title AFTER UPDATE OF title ON articles BEGIN "
    "UPDATE articles_fts SET title = new.title WHERE rowid = new.id; END",
    "CREATE TRIGGER IF NOT EXISTS articles_fts_delete AFTER DELETE ON articles BEGIN "
    "DELETE FROM articles_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER IF NOT EXISTS article_bodies_fts_insert AFTER INSERT ON article_bodies "
    "BEGIN UPDATE articles_fts SET body = new.text WHERE rowid = new.article_id; END",
    "CREATE TRIGGER IF NOT EXISTS article_bodies_fts_text AFTER UPDATE OF text "
    "ON article_bodies BEGIN UPDATE articles_fts SET body = new.text "
    "WHERE rowid = new.article_id; END",
    "CREATE TRIGGER IF NOT EXISTS article_bodies_fts_delete AFTER DELETE ON article_bodies "
    "BEGIN UPDATE articles_fts SET body = '' WHERE rowid = old.article_id; END",
    # Articles stored before this revision.
    "INSERT INTO articles_fts(rowid, title, body) SELECT a.id, a.title, coalesce(b.text, '') "
    "FROM articles a LEFT JOIN article_bodies b ON b.article_id = a.id "
    "WHERE a.id NOT IN (SELECT rowid FROM articles_fts)",
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS articles_fts_insert",
    "DROP TRIGGER IF EXISTS articles_fts_title",
    "DROP TRIGGER IF EXISTS articles_fts_delete",
    "DROP TRIGGER IF EXISTS article_bodies_fts_insert",
    "DROP TRIGGER IF EXISTS article_bodies_fts_text",
    "DROP TRIGGER IF EXISTS article_bodies_fts_delete",
    "DROP TABLE IF EXISTS articles_fts",
)
PG_UP = (
    "CREATE INDEX IF NOT EXISTS ix_articles_title_trgm ON articles USING gin (title gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS ix_article_bodies_text_trgm ON article_bodies "
    "USING gin (text gin_trgm_ops)",
)
PG_DOWN = (
    "DROP INDEX IF EXISTS ix_articles_title_trgm",
    "DROP INDEX IF EXISTS ix_article_bodies_text_trgm",
)


def _pg_trgm(bind) -> bool:
    available = bind.execute(sa.text(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).scalar()
    if not available:
        return False
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError:
        return False
    return True


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        if sqlite3.sqlite_version_info < (3, 34, 0):
            log.warning("SQLite %s has no trigram tokenizer: article search will scan",
                        sqlite3.sqlite_version)
            return
        statements = SQLITE_UP
    elif bind.dialect.name == "postgresql":
        if not _pg_trgm(bind):
            log.warning("pg_trgm is not available: article search will scan")
            return
        statements = PG_UP
    else:
        return
    for statement in statements:
        op.execute(statement)


def downgrade():
    bind = op.get_bind()
    statements = {"sqlite": SQLITE_DOWN, "postgresql": PG_DOWN}.get(bind.dialect.name, ())
    for statement in statements:
        op.execute(statement)
