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

# Fetching, decoding, dates, feeds, list pages and e-papers, also loaded on first use.
if TYPE_CHECKING:
    from scrapers.dates import find_datetime as find_datetime
    from scrapers.dates import parse_datetime as parse_datetime
    from scrapers.encoding import decode_body as decode_body
    from scrapers.encoding import detect_encoding as detect_encoding
    from scrapers.epaper import FOUNDER as FOUNDER
    from scrapers.epaper import GENERIC as GENERIC
    from scrapers.epaper import EpaperArticle as EpaperArticle
    from scrapers.epaper import EpaperFamily as EpaperFamily
    from scrapers.epaper import parse_epaper_article as parse_epaper_article
    from scrapers.epaper import walk_epaper as walk_epaper
    from scrapers.feeds import FeedEntry as FeedEntry
    from scrapers.feeds import FeedResult as FeedResult
    from scrapers.feeds import parse_feed as parse_feed
    from scrapers.fetch import ConditionalState as ConditionalState
    from scrapers.fetch import Fetcher as Fetcher
    from scrapers.fetch import FetchResult as FetchResult
    from scrapers.fetch import FetchSettings as FetchSettings
    from scrapers.fetch import Outcome as Outcome
    from scrapers.listpages import ListItem as ListItem
    from scrapers.listpages import ListPage as ListPage
    from scrapers.listpages import crawl_list as crawl_list
    from scrapers.listpages import parse_list_page as parse_list_page

_CORE_EXPORTS = {
    "decode_body": "encoding",
    "detect_encoding": "encoding",
    "find_datetime": "dates",
    "parse_datetime": "dates",
    "ConditionalState": "fetch",
    "FetchResult": "fetch",
    "FetchSettings": "fetch",
    "Fetcher": "fetch",
    "Outcome": "fetch",
    "FeedEntry": "feeds",
    "FeedResult": "feeds",
    "parse_feed": "feeds",
    "ListItem": "listpages",
    "ListPage": "listpages",
    "crawl_list": "listpages",
    "parse_list_page": "listpages",
    "FOUNDER": "epaper",
    "GENERIC": "epaper",
    "EpaperArticle": "epaper",
    "EpaperFamily": "epaper",
    "parse_epaper_article": "epaper",
    "walk_epaper": "epaper",
}


def __getattr__(name: str) -> Any:
    """Load ``extract_article`` and its dataclasses from :mod:`scrapers.extract` on first use."""
    if name in _EXTRACT_EXPORTS:
        from scrapers import extract

        return getattr(extract, name)
    if name in _CORE_EXPORTS:
        from importlib import import_module

        return getattr(import_module(f"scrapers.{_CORE_EXPORTS[name]}"), name)
    msg = f"module 'scrapers' has no attribute {name!r}"
    raise AttributeError(msg)
