"""digests: the message stored with each sent-log row (retries of any day), robots' sends
of the last minute (DingTalk's rate across processes)

Revision ID: d4a8c2e6f1b3
Revises: b7e2d4f6a8c1
Create Date: 2026-12-08 10:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = 'd4a8c2e6f1b3'
down_revision = 'b7e2d4f6a8c1'
branch_labels = None
depends_on = None


def upgrade():
    # Rows sent before keep an empty message: done, or retried by their own day's pass.
    op.add_column('digest_deliveries',
                  sa.Column('message', sa.Text(), nullable=False, server_default=''))
    op.create_table('digest_robot_sends',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('robot', sa.String(length=64), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digest_robot_sends'))
    )
    op.create_index('ix_digest_robot_sends_robot_sent_at', 'digest_robot_sends',
                    ['robot', 'sent_at'])


def downgrade():
    op.drop_index('ix_digest_robot_sends_robot_sent_at', table_name='digest_robot_sends')
    op.drop_table('digest_robot_sends')
    op.drop_column('digest_deliveries', 'message')
