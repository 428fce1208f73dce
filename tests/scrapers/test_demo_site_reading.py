"""The scrapers read every kind of source of the local demo news site correctly over HTTP,
checked against the site's own label file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest

from campaign.demo_site import load_labels, running, sources_for
from scrapers.epaper import walk_epaper
from scrapers.extract import extract_article
from scrapers.feeds import parse_feed
from scrapers.fetch import Fetcher, FetchSettings, Outcome
from scrapers.listpages import crawl_list

BEIJING_OFFSET = timedelta(hours=8)


@pytest.fixture(scope="module")
def site() -> Iterator[dict[str, dict]]:
    with running() as base:
        yield {s["outlet"]: s for s in sources_for(base)}


@pytest.fixture(scope="module")
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(FetchSettings(min_delay=0.0, max_per_host=4, retries=0)) as f:
        yield f


def labelled(outlet: str) -> dict[str, dict]:
    return {label["url_path"]: label for label in load_labels() if label["outlet"] == outlet}


def path(url: str) -> str:
    return urlsplit(url).path


def test_epaper_walk_finds_every_article_with_its_page(site, fetcher):
    """Walking the Founder e-paper over its whole run finds exactly the labelled articles,
    each on its labelled page, with Beijing-dated issue days."""
    source = site["安徽日报"]
    articles = list(walk_epaper(fetcher, source["url"], start=date(2006, 4, 19),
                                end=date(2006, 5, 21)))
    expected = labelled("安徽日报")
    assert {path(a.url) for a in articles} == set(expected)
    for article in articles:
        label = expected[path(article.url)]
        assert article.page_number == label["page"]
        assert article.title == label["title"]
        assert article.issue_date.isoformat() == label["published"]
        assert article.body
    rally_front = [a for a in articles if a.issue_date == date(2006, 4, 28)
                   and a.page_number == 1 and "动员大会" in a.title + a.intro_title + a.body]
    assert rally_front


def test_rss_feed_and_its_article_pages(site, fetcher):
    """The workers' daily feed lists every labelled article with Beijing times, and each
    article page extracts to the labelled title."""
    result = fetcher.fetch(site["安徽工人日报"]["url"])
    assert result.outcome is Outcome.OK
    feed = parse_feed(result.body, headers=result.headers, url=result.final_url)
    expected = labelled("安徽工人日报")
    assert {path(e.url) for e in feed.entries} == set(expected)
    for entry in feed.entries:
        assert entry.published_at is not None
        assert entry.published_at.utcoffset() == BEIJING_OFFSET
        assert entry.published_at.date().isoformat() == expected[path(entry.url)]["published"]
    for entry in feed.entries[:8]:
        page = fetcher.fetch(entry.url)
        article = extract_article(page.body, page.final_url, headers=page.headers)
        assert article.title == expected[path(entry.url)]["title"]
        assert len(article.text) >= 100


@pytest.mark.parametrize("outlet", ["中安在线", "合肥日报", "工人日报"])
def test_list_pages_and_encoded_articles(site, fetcher, outlet):
    """List pages paginate to every labelled article; GBK and mislabelled article pages
    extract to the labelled titles, and reprints carry their 来源 credit."""
    source = site[outlet]
    crawl = crawl_list(fetcher, source["url"], link_selector=source["link_selector"],
                       date_selector=source.get("date_selector"),
                       next_selector=source.get("next_selector"), max_pages=10)
    expected = labelled(outlet)
    assert {path(item.url) for item in crawl.items} == set(expected)
    for item in crawl.items:
        label = expected[path(item.url)]
        page = fetcher.fetch(item.url)
        article = extract_article(page.body, page.final_url, headers=page.headers)
        assert article.title == label["title"], item.url
        assert "\ufffd" not in article.text
        if label["kind"] == "reprint":
            assert article.source, f"no 来源 credit found on {item.url}"
