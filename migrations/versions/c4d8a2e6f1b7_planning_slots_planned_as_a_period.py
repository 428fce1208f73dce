"""planning: editorial slots planned as a period (end, weekdays, count) and excused instalments

Revision ID: c4d8a2e6f1b7
Revises: b5e2c1d7a9f3
Create Date: 2026-12-07 13:20:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = 'c4d8a2e6f1b7'
down_revision = 'b5e2c1d7a9f3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('editorial_slots') as batch_op:
        batch_op.add_column(sa.Column('ends_on', sa.Date(), nullable=True))
        # Existing slots are single days: no rhythm.
        batch_op.add_column(sa.Column('weekdays', sa.String(length=16), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('expected', sa.Integer(), nullable=True))
    op.create_table('slot_excuses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('excused_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['excused_by_id'], ['users.id'], name=op.f('fk_slot_excuses_excused_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['slot_id'], ['editorial_slots.id'], name=op.f('fk_slot_excuses_slot_id_editorial_slots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slot_excuses')),
    sa.UniqueConstraint('slot_id', 'day', name=op.f('uq_slot_excuses_slot_id_day'))
    )


def downgrade():
    op.drop_table('slot_excuses')
    with op.batch_alter_table('editorial_slots') as batch_op:
        batch_op.drop_column('expected')
        batch_op.drop_column('weekdays')
        batch_op.drop_column('ends_on')
