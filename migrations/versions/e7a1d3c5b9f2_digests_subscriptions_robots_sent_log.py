"""digests: users' e-mail and language, subscriptions, robots, the sent-log

Revision ID: e7a1d3c5b9f2
Revises: e7b3c9d1f5a2
Create Date: 2026-12-07 15:10:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = 'e7a1d3c5b9f2'
down_revision = 'e7b3c9d1f5a2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('language', sa.String(length=16), nullable=False,
                                      server_default='zh_Hans_CN'))
    op.create_table('digest_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.Boolean(), nullable=False),
    sa.Column('alerts', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_digest_subscriptions_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_digest_subscriptions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digest_subscriptions')),
    sa.UniqueConstraint('user_id', 'campaign_id', name=op.f('uq_digest_subscriptions_user_id_campaign_id'))
    )
    op.create_table('digest_robots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('url', sa.String(length=1000), nullable=False),
    sa.Column('secret', sa.String(length=200), nullable=False),
    sa.Column('keyword', sa.String(length=60), nullable=False),
    sa.Column('digest', sa.Boolean(), nullable=False),
    sa.Column('alerts', sa.Boolean(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_digest_robots_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digest_robots'))
    )
    op.create_table('digest_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('period', sa.String(length=120), nullable=False),
    sa.Column('recipient', sa.String(length=300), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('worker', sa.String(length=120), nullable=False),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('next_try_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_digest_deliveries_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digest_deliveries')),
    sa.UniqueConstraint('campaign_id', 'kind', 'period', 'recipient', name=op.f('uq_digest_deliveries_campaign_id_kind_period_recipient'))
    )


def downgrade():
    op.drop_table('digest_deliveries')
    op.drop_table('digest_robots')
    op.drop_table('digest_subscriptions')
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('language')
        batch_op.drop_column('email')
