"""Articles (stored once whatever URLs and fetches they came through), their texts and URLs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.core.dbtypes import UTCDateTime
from campaign.core.times import utcnow
from campaign.extensions import Model
from campaign.planning.models import Outlet
from campaign.sources.models import Source


def day_number(day: date) -> int:
    """`day` as the YYYYMMDD integer of `Article.day`."""
    return day.year * 10000 + day.month * 100 + day.day


def day_from_number(value: int) -> date:
    """The date of a YYYYMMDD integer of `Article.day`."""
    return date(value // 10000, value // 100 % 100, value % 100)


class Article(Model):
    """A published piece, stored once whatever URLs and fetches it came through."""

    __tablename__ = "articles"
    __table_args__ = (
        Index("ix_articles_outlet_day", "outlet_id", "day"),
        Index("ix_articles_day", "day"),
        Index("ix_articles_fingerprint", "fingerprint"),
        Index("ix_articles_reprint_group", "reprint_group_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(1000), unique=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlets.id", ondelete="CASCADE"))
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL"), nullable=True
    )
    title: Mapped[str] = mapped_column(String(500), default="")
    intro_title: Mapped[str] = mapped_column(String(500), default="")
    subtitle: Mapped[str] = mapped_column(String(500), default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The Beijing date as YYYYMMDD: dashboards group and filter on it with a plain index.
    day: Mapped[int | None] = mapped_column(Integer, nullable=True)
    page_number: Mapped[int | None] = mapped_column(nullable=True)
    page_name: Mapped[str] = mapped_column(String(100), default="")
    genre: Mapped[str] = mapped_column(String(32), default="")
    author: Mapped[str] = mapped_column(String(200), default="")
    editor: Mapped[str] = mapped_column(String(200), default="")
    source_credit: Mapped[str] = mapped_column(String(200), default="")
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    length: Mapped[int] = mapped_column(default=0)
    reprint_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("reprint_groups.id", ondelete="SET NULL"), nullable=True
    )
    is_original: Mapped[bool] = mapped_column(default=True)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # When matching last read it against every event (None: never); `updated_at` later than
    # this makes it new to matching again.
    matched_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    outlet: Mapped[Outlet] = relationship()
    source: Mapped[Source | None] = relationship()
    body: Mapped[ArticleBody | None] = relationship(
        back_populates="article", cascade="all, delete-orphan", uselist=False
    )
    # A ReprintGroup or None. The reprints room sits above articles, so the class is named,
    # not imported (nor annotated: mypy would need the import).
    reprint_group: Mapped[Any] = relationship("ReprintGroup", uselist=False)

    @property
    def is_page_one(self) -> bool:
        return self.page_number == 1

    @property
    def is_reprint(self) -> bool:
        return self.reprint_group_id is not None and not self.is_original

    def __repr__(self) -> str:
        return f"<Article {self.id} {self.title[:20]}>"


class ArticleBody(Model):
    """The text of an article, kept apart so that lists and counts never load it."""

    __tablename__ = "article_bodies"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    # The MinHash signature of the text's character shingles (reprint grouping).
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)

    article: Mapped[Article] = relationship(back_populates="body")


class ArticleUrl(Model):
    """Every canonical URL an article was seen under (an e-paper story may have two)."""

    __tablename__ = "article_urls"

    url: Mapped[str] = mapped_column(String(1000), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"),
                                            index=True)


class ArticleMedia(Model):
    """How an article looked where it ran: its e-paper page image with the outline of the story,
    the clipping cut from it and the page PDF, or an archived copy of a web page. Paths are
    relative to the MEDIA_FOLDER setting; `note` says why something could not be kept."""

    __tablename__ = "article_media"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    page_image_url: Mapped[str] = mapped_column(String(1000), default="")
    page_pdf_url: Mapped[str] = mapped_column(String(1000), default="")
    # The story's image-map areas, one coords string a line, drawn for the shown size.
    area_coords: Mapped[str] = mapped_column(Text, default="")
    shown_width: Mapped[int | None] = mapped_column(nullable=True)
    shown_height: Mapped[int | None] = mapped_column(nullable=True)
    page_image_path: Mapped[str] = mapped_column(String(300), default="")
    page_pdf_path: Mapped[str] = mapped_column(String(300), default="")
    clipping_path: Mapped[str] = mapped_column(String(300), default="")
    # The crop box in page-image pixels and the page image's size.
    crop_left: Mapped[int | None] = mapped_column(nullable=True)
    crop_top: Mapped[int | None] = mapped_column(nullable=True)
    crop_right: Mapped[int | None] = mapped_column(nullable=True)
    crop_bottom: Mapped[int | None] = mapped_column(nullable=True)
    page_width: Mapped[int | None] = mapped_column(nullable=True)
    page_height: Mapped[int | None] = mapped_column(nullable=True)
    archive_path: Mapped[str] = mapped_column(String(300), default="")
    warc_path: Mapped[str] = mapped_column(String(300), default="")
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Failed downloads of the page image (or, for a web article, of its archived copy) and of
    # the page PDF: how many so far, and when the next try is due (None: none is).
    tries: Mapped[int] = mapped_column(default=0)
    retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    pdf_tries: Mapped[int] = mapped_column(default=0)
    pdf_retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # A browser screenshot of an accepted web article (MEDIA_SCREENSHOTS).
    screenshot_path: Mapped[str] = mapped_column(String(300), default="")

    article: Mapped[Article] = relationship()

    @property
    def coords(self) -> list[str]:
        return [line for line in self.area_coords.splitlines() if line.strip()]

    @property
    def shown_size(self) -> tuple[int, int] | None:
        if self.shown_width and self.shown_height:
            return (self.shown_width, self.shown_height)
        return None


class MediaUsage(Model):
    """The running total of what the media folder holds (one row, id 1): the install's cap
    (MEDIA_MAX_TOTAL_MB) is checked against it instead of walking the folder on every write;
    `media-cleanup` recounts it from the files."""

    __tablename__ = "media_usage"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    counted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
