"""planning: a campaign's follow-up time (wrap-up meetings after the official end); api: a
user's own calendar-feed tokens

Revision ID: e7a3f9c2b1d4
Revises: c4d8a2e6f1b7
Create Date: 2026-12-07 15:20:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = 'e7a3f9c2b1d4'
down_revision = 'c4d8a2e6f1b7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('campaigns') as batch_op:
        batch_op.add_column(sa.Column('follow_up_ends_on', sa.Date(), nullable=True))
    with op.batch_alter_table('api_tokens') as batch_op:
        batch_op.add_column(sa.Column('calendar_feed', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('api_tokens') as batch_op:
        batch_op.drop_column('calendar_feed')
    with op.batch_alter_table('campaigns') as batch_op:
        batch_op.drop_column('follow_up_ends_on')
