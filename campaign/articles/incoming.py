"""What a fetch hands to storage: one article as the scrapers read it, whatever the source type."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class PageImageRef:
    """Where an e-paper story sits: its page image, the page PDF, and the story's image-map
    areas (one coords string each) drawn for the size the page shows the image at."""

    image_url: str
    pdf_url: str | None = None
    coords: tuple[str, ...] = ()
    shown_size: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class IncomingArticle:
    """An article read from a feed, list page or e-paper, before it is stored.

    `published_at` is aware (a naive time from a Chinese site was read as Beijing time by the
    scrapers). `page_number`/`page_name` come from e-papers and from pages that print them.
    """

    url: str
    title: str
    body: str = ""
    published_at: datetime | None = None
    intro_title: str = ""
    subtitle: str = ""
    page_number: int | None = None
    page_name: str = ""
    genre: str = ""
    author: str = ""
    editor: str = ""
    source_credit: str = ""
    page_image: PageImageRef | None = None
