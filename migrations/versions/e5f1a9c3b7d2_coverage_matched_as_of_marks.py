"""coverage: "matched as of" marks on articles and events (incremental matching)

Revision ID: e5f1a9c3b7d2
Revises: e7b3c9d1a5f2
Create Date: 2026-12-07 15:15:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = 'e5f1a9c3b7d2'
down_revision = 'e7b3c9d1a5f2'
branch_labels = None
depends_on = None


TABLES = ('articles', 'events')


def upgrade():
    # Plain ADD COLUMN on both databases (a batch copy of `articles` on SQLite would drop its
    # full-text triggers). Existing rows were never matched under the marks: the next `match`
    # reads them once.
    for table in TABLES:
        op.add_column(table, sa.Column('matched_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    for table in TABLES:
        # SQLite 3.35+ and PostgreSQL drop a column in place (no table copy, triggers kept).
        op.execute(f'ALTER TABLE {table} DROP COLUMN matched_at')
