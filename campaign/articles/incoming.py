"""What a fetch hands to storage: one article as the scrapers read it, whatever the source type."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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
