"""articles: media (e-paper page images, clippings, page PDFs, archived copies)

Revision ID: e7b3c9d1a5f2
Revises: e7b1c3d5f9a2
Create Date: 2026-12-07 15:10:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = 'e7b3c9d1a5f2'
down_revision = 'e7b1c3d5f9a2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('article_media',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('page_image_url', sa.String(length=1000), nullable=False),
    sa.Column('page_pdf_url', sa.String(length=1000), nullable=False),
    sa.Column('area_coords', sa.Text(), nullable=False),
    sa.Column('shown_width', sa.Integer(), nullable=True),
    sa.Column('shown_height', sa.Integer(), nullable=True),
    sa.Column('page_image_path', sa.String(length=300), nullable=False),
    sa.Column('page_pdf_path', sa.String(length=300), nullable=False),
    sa.Column('clipping_path', sa.String(length=300), nullable=False),
    sa.Column('crop_left', sa.Integer(), nullable=True),
    sa.Column('crop_top', sa.Integer(), nullable=True),
    sa.Column('crop_right', sa.Integer(), nullable=True),
    sa.Column('crop_bottom', sa.Integer(), nullable=True),
    sa.Column('page_width', sa.Integer(), nullable=True),
    sa.Column('page_height', sa.Integer(), nullable=True),
    sa.Column('archive_path', sa.String(length=300), nullable=False),
    sa.Column('warc_path', sa.String(length=300), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_article_media_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', name=op.f('pk_article_media'))
    )


def downgrade():
    op.drop_table('article_media')
