"""Coverage by link: a pasted link fetched, read, stored as an article of its outlet and
attached to an event (an accepted match).

A link already stored (by its canonical URL) is attached without being fetched again. Other
links are fetched through the sources' fetch path — the address guard on every URL, redirect
and connection, short timeouts (an officer is waiting) — and read by `scrapers.links`. The
outlet is the one chosen, else the one whose sources live on the link's site, else the one
named by the page (the WeChat account, the site's name) by name or alias. A page that cannot be
read (a verification page, a login wall) or whose outlet is not known is reported, and the
officer types title, outlet and date by hand (`add_link_by_hand`): the link is kept as the
article's URL. Functions flush; the caller commits.

A request fetches its links first (`fetch_link`, reads only) and writes them afterwards
(`attach_link`) in a short write transaction of its own: pasted links (up to 200) and a
clipping list's (up to 2,000 rows) may each wait seconds on the network, which must never
happen while SQLite's write lock is held.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select

from campaign.articles.incoming import IncomingArticle
from campaign.articles.models import Article, ArticleUrl
from campaign.articles.store import store_articles
from campaign.articles.urls import canonical_url
from campaign.auth.models import User
from campaign.coverage.matching import add_match
from campaign.extensions import db
from campaign.planning.models import Event, Outlet
from campaign.planning.outlets import find_outlet
from campaign.reprints.linking import group_reprints
from campaign.sources.models import Source
from campaign.sources.operations import SourceError, check_url
from campaign.sources.probe import discovery_fetcher, fetch_problem
from scrapers.fetch import Fetcher
from scrapers.links import LinkReading, read_link
from scrapers.sites import server_site

log = logging.getLogger(__name__)

# What became of a link: attached (already stored), stored (fetched, read, new), or why the
# officer must type it by hand.
ATTACHED, STORED, UNREADABLE, NO_OUTLET, FAILED, INVALID = (
    "attached", "stored", "unreadable", "no-outlet", "failed", "invalid")
MAX_LINKS = 200
MAX_TITLE = 500


@dataclass
class LinkOutcome:
    """One link's result. ``reading`` holds what the page gave (title, date) for the form by
    hand; ``article`` the stored article when attached or stored."""

    url: str
    status: str
    message: str = ""
    article: Article | None = None
    reading: LinkReading | None = None
    outlet: Outlet | None = None

    @property
    def done(self) -> bool:
        """True when the link is now coverage of the event."""
        return self.status in (ATTACHED, STORED)


def split_links(text: str) -> list[str]:
    """The links of a pasted text: one a line (or separated by spaces), blanks and repeats
    dropped, in order."""
    links = [word.strip() for word in text.split() if word.strip()]
    return list(dict.fromkeys(links))


def stored_article(url: str) -> Article | None:
    """The article stored under ``url`` (canonical form), or None."""
    try:
        key = canonical_url(url)
    except ValueError:
        return None
    return db.session.scalar(select(Article).join(ArticleUrl, ArticleUrl.article_id == Article.id)
                             .where(ArticleUrl.url == key))




def outlet_of_site(url: str) -> Outlet | None:
    """The outlet whose sources live on the link's site (registered domain), if one does."""
    site = server_site(url)
    if not site:
        return None
    for source in db.session.scalars(select(Source)):
        if server_site(source.url.replace("{yyyy}", "2000").replace("{mm}", "01")
                 .replace("{dd}", "01")) == site:
            return source.outlet
    return None


def recognise_outlet(url: str, reading: LinkReading | None) -> Outlet | None:
    """The outlet of a link: by its site's sources, else by the name the page gives itself."""
    outlet = outlet_of_site(url)
    if outlet is None and reading is not None and reading.account:
        outlet = find_outlet(reading.account)
    return outlet


@dataclass
class FetchedLink:
    """What the network half of a link learned, nothing written: an `outcome` already final
    (not a link, not fetched, not readable, outlet unknown), or a `reading` to store as an
    article of `outlet`, or neither: the link is stored already and is attached as it is."""

    url: str
    outcome: LinkOutcome | None = None
    reading: LinkReading | None = None
    outlet: Outlet | None = None


def fetch_link(event: Event, url: str, *, outlet: Outlet | None = None,
               fetcher: Fetcher | None = None) -> FetchedLink:
    """The network half of `add_link` (reads only, so that a request can wait on the network
    without holding SQLite's write lock): check the link, look it up, else fetch, read and
    recognise its outlet. ``outlet`` (the officer's choice) overrides recognition."""
    url = url.strip()
    try:
        check_url(url)
    except SourceError as error:
        return FetchedLink(url, LinkOutcome(url, INVALID, error.message))
    if stored_article(url) is not None:
        return FetchedLink(url)
    own = fetcher is None
    fetcher = fetcher or discovery_fetcher()
    try:
        result = fetcher.fetch(url)
    finally:
        if own:
            fetcher.close()
    if not result.ok:
        return FetchedLink(url, LinkOutcome(url, FAILED, fetch_problem(result)))
    reading = read_link(result.text(), url, tz=event.campaign.timezone)
    if not reading.readable:
        return FetchedLink(url, LinkOutcome(url, UNREADABLE, problem_in_words(reading.problem),
                                            reading=reading))
    outlet = outlet or recognise_outlet(url, reading)
    if outlet is None:
        return FetchedLink(url, LinkOutcome(url, NO_OUTLET, _("无法识别媒体，请选择。"),
                                            reading=reading))
    return FetchedLink(url, reading=reading, outlet=outlet)


def attach_link(event: Event, fetched: FetchedLink, user: User) -> LinkOutcome:
    """The write half of `add_link`: attach the article stored under the link (by now), or
    store the reading as a new article and attach it."""
    if fetched.outcome is not None:
        return fetched.outcome
    url, reading = fetched.url, fetched.reading
    known = stored_article(url)
    if known is not None:
        add_match(event, known, user)
        log.info("link %s already stored as article %s: attached to event %s", url, known.id,
                 event.id)
        return LinkOutcome(url, ATTACHED, article=known, outlet=known.outlet)
    if reading is None or fetched.outlet is None:  # stored when looked up, deleted since
        return LinkOutcome(url, FAILED, _("该链接的文章刚被删除，请重新添加。"))
    article = _store(fetched.outlet, IncomingArticle(
        url=url, title=reading.title[:MAX_TITLE], body=reading.body,
        published_at=reading.published_at, author=reading.author))
    add_match(event, article, user)
    return LinkOutcome(url, STORED, article=article, reading=reading, outlet=fetched.outlet)


def add_link(event: Event, url: str, user: User, *, outlet: Outlet | None = None,
             fetcher: Fetcher | None = None) -> LinkOutcome:
    """Attach the article of ``url`` to ``event``: stored already, or fetched, read and stored
    now, in the current transaction (`fetch_link`, then `attach_link`). ``outlet`` (the
    officer's choice) overrides recognition."""
    return attach_link(event, fetch_link(event, url, outlet=outlet, fetcher=fetcher), user)


def add_link_by_hand(event: Event, url: str, user: User, *, title: str, outlet: Outlet,
                     day: date) -> LinkOutcome:
    """Store a link the officer described by hand (title, outlet, date) and attach it; the
    link is the article's URL, so pasting it again attaches this article."""
    url, title = url.strip(), " ".join(title.split())
    check_url(url)  # SourceError for a link that is not http(s)
    if not title:
        raise ValueError("title")
    known = stored_article(url)
    if known is None:
        noon = datetime.combine(day, time(0, 0), tzinfo=ZoneInfo(event.campaign.timezone))
        known = _store(outlet, IncomingArticle(url=url, title=title[:MAX_TITLE],
                                               published_at=noon))
    add_match(event, known, user)
    return LinkOutcome(url, STORED, article=known, outlet=known.outlet)


def _store(outlet: Outlet, item: IncomingArticle) -> Article:
    result = store_articles(outlet, [item])
    article = db.session.get(Article, result.article_ids[0]) if result.article_ids else None
    if article is None:  # a reading store_articles refuses (no title, not http)
        raise ValueError(item.url)
    group_reprints(result.article_ids)
    log.info("link %s stored as article %s of %s", item.url, article.id, outlet.name)
    return article


def problem_in_words(problem: str) -> str:
    """Why a page could not be read, for the officer."""
    return {
        "verification": _("该页面要求验证（如微信“环境异常”页），无法自动读取，请手工填写。"),
        "login": _("该页面需要登录才能查看全文，请手工填写。"),
    }.get(problem, _("未能从该页面读出标题，请手工填写。"))
