"""coverage: a manual clipping keeps its link

Revision ID: e7b1c3d5f9a2
Revises: e7a1d3c5b9f2
Create Date: 2026-12-07 15:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = 'e7b1c3d5f9a2'
down_revision = 'e7a1d3c5b9f2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('clippings') as batch_op:
        # Existing clippings were typed without a link.
        batch_op.add_column(sa.Column('url', sa.String(length=1000), nullable=False,
                                      server_default=''))


def downgrade():
    with op.batch_alter_table('clippings') as batch_op:
        batch_op.drop_column('url')
