"""sources: fetch runs count the items they skipped and keep a charset warning

Revision ID: e7b3c9d1f5a2
Revises: e7a3f9c2b1d4
Create Date: 2026-12-07 15:40:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = 'e7b3c9d1f5a2'
down_revision = 'e7a3f9c2b1d4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('fetch_runs') as batch_op:
        batch_op.add_column(sa.Column('skipped_count', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('warning', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('fetch_runs') as batch_op:
        batch_op.drop_column('warning')
        batch_op.drop_column('skipped_count')
