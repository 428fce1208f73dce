"""sources: e-paper days whose pages linked articles but none were read

Revision ID: b5e2c1d7a9f3
Revises: 285ac8f32f35
Create Date: 2026-12-07 12:50:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = 'b5e2c1d7a9f3'
down_revision = '285ac8f32f35'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('epaper_days') as batch_op:
        batch_op.add_column(sa.Column('unread_walks', sa.Integer(), server_default=sa.text('0'),
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('epaper_days') as batch_op:
        batch_op.drop_column('unread_walks')
