"""Fetching and parsing Chinese news sites: feeds, list pages, e-papers and article pages.

This package is a library: it never imports Flask or the database. It returns dataclasses and
leaves storage to the application.
"""

# Article extraction, re-exported lazily so that importing the package does not load
# trafilatura and readability until an article is actually extracted.
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapers.extract import ArticleSelectors as ArticleSelectors
    from scrapers.extract import ExtractedArticle as ExtractedArticle
    from scrapers.extract import extract_article as extract_article

_EXTRACT_EXPORTS = frozenset({"ArticleSelectors", "ExtractedArticle", "extract_article"})


def __getattr__(name: str) -> Any:
    """Load ``extract_article`` and its dataclasses from :mod:`scrapers.extract` on first use."""
    if name in _EXTRACT_EXPORTS:
        from scrapers import extract

        return getattr(extract, name)
    msg = f"module 'scrapers' has no attribute {name!r}"
    raise AttributeError(msg)
