"""media: failed downloads retried (tries, next try), the media folder's running total,
browser screenshots of web articles

Revision ID: f2a6c8e4b1d9
Revises: e5f1a9c3b7d2
Create Date: 2026-12-08 10:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = 'f2a6c8e4b1d9'
down_revision = 'e5f1a9c3b7d2'
branch_labels = None
depends_on = None


COLUMNS = ('tries', 'retry_at', 'pdf_tries', 'pdf_retry_at', 'screenshot_path')


def upgrade():
    # Plain ADD COLUMN on both databases, as the other article_media changes.
    op.add_column('article_media', sa.Column('tries', sa.Integer(), server_default=sa.text('0'),
                                             nullable=False))
    op.add_column('article_media', sa.Column('retry_at', sa.DateTime(timezone=True),
                                             nullable=True))
    op.add_column('article_media', sa.Column('pdf_tries', sa.Integer(),
                                             server_default=sa.text('0'), nullable=False))
    op.add_column('article_media', sa.Column('pdf_retry_at', sa.DateTime(timezone=True),
                                             nullable=True))
    op.add_column('article_media', sa.Column('screenshot_path', sa.String(length=300),
                                             server_default='', nullable=False))
    op.create_table('media_usage',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('bytes', sa.BigInteger(), nullable=False),
    sa.Column('counted_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media_usage'))
    )
    # Downloads that failed before retries existed are tried again by the next media pass
    # (the running total is counted from the folder by the first write).
    op.execute(
        "UPDATE article_media SET retry_at = CURRENT_TIMESTAMP, tries = 1 "
        "WHERE (clipping_path = '' AND page_image_url <> '' AND note LIKE '版面图片未能下载%') "
        "OR (archive_path = '' AND page_image_url = '' AND note LIKE '存档未能抓取%')")


def downgrade():
    op.drop_table('media_usage')
    for column in COLUMNS:
        op.execute(f'ALTER TABLE article_media DROP COLUMN {column}')
