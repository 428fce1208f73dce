"""planning: a campaign's follow-up time (wrap-up meetings after the official end)

Revision ID: e7a3f9c2b1d4
Revises: e7b1f4c2a9d5
Create Date: 2026-12-07 15:20:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = 'e7a3f9c2b1d4'
down_revision = 'e7b1f4c2a9d5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('campaigns') as batch_op:
        batch_op.add_column(sa.Column('follow_up_ends_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('campaigns') as batch_op:
        batch_op.drop_column('follow_up_ends_on')
