"""Add by URL on list pages of the kinds real sites have: the proposed link selector captures
at least 90 % of the list's article links with at most 10 % extras, sidebars and nav left out;
groups are tried best first, the next one when a group has no usable selector; hosts are one
site by their registered domain, read from the bundled suffix list without a request."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import pytest
from bs4 import BeautifulSoup

from scrapers import sites
from scrapers.discovery import infer_link_selector, propose_list_page
from scrapers.urls import resolve_link
from tests.scrapers.list_sites import (
    ListSite,
    channel_list,
    discuz_board,
    forum_threads,
    headlines,
    portal_home,
    rolling_list,
)


def _captured(site: ListSite) -> tuple[float, float]:
    """The share of the list's articles the proposed selector captures, and its extras."""
    selector = infer_link_selector(site.html, site.url)
    assert selector is not None, "no selector proposed"
    chosen = [resolve_link(a.get("href"), site.url)
              for a in BeautifulSoup(site.html, "lxml").select(selector)]
    wanted = set(site.articles)
    hits = [url for url in chosen if url in wanted]
    return len(set(hits)) / len(wanted), (len(chosen) - len(hits)) / len(chosen)


@pytest.mark.parametrize("build", [channel_list, rolling_list, portal_home, forum_threads,
                                   discuz_board],
                         ids=["channel", "rolling", "portal-home", "forum", "discuz"])
def test_selector_captures_the_list(build: Callable[[], ListSite]) -> None:
    """Each kind of list page gets a selector capturing ≥ 90 % of its articles, ≤ 10 % extras."""
    recall, extras = _captured(build())
    assert recall >= 0.9
    assert extras <= 0.1


def test_sidebars_and_nav_are_left_out_of_a_channel_list() -> None:
    """The channel list's selector takes none of the rank, hot, nav or footer links."""
    site = channel_list()
    selector = infer_link_selector(site.html, site.url)
    assert selector is not None
    chosen = {a.get_text() for a in BeautifulSoup(site.html, "lxml").select(selector)}
    assert not chosen & set(headlines(10, 60) + headlines(8, 80) + ["首页", "时政", "关于我们"])


def test_pinned_rows_in_bold_are_part_of_the_list() -> None:
    """A channel list whose first rows wrap the title in <strong> is proposed whole."""
    site = channel_list()
    proposal = propose_list_page(site.html, site.url)
    assert proposal is not None
    assert [item.url for item in proposal.items] == site.articles


def test_rows_ids_and_classes_do_not_split_the_list() -> None:
    """Rolling news with an id and odd/even classes on every row is proposed as one list."""
    site = rolling_list()
    proposal = propose_list_page(site.html, site.url)
    assert proposal is not None
    assert [item.url for item in proposal.items] == site.articles


def test_articles_on_a_sibling_host_are_the_site() -> None:
    """On www.x.com.cn, links to news.x.com.cn count as the site's; ads elsewhere do not."""
    site = portal_home()
    proposal = propose_list_page(site.html, site.url)
    assert proposal is not None
    assert [item.url for item in proposal.items] == site.articles


def test_the_next_group_is_tried_when_the_best_has_no_selector() -> None:
    """When the biggest list cannot be told apart from its unnamed twin, the next list wins."""
    twin = "".join(f'<li><a href="/2024/05/01/t_{i}.html">{t}</a></li>'
                   for i, t in enumerate(headlines(8)))
    other = "".join(f'<li><a href="/2024/05/01/o_{i}.html">{t}</a></li>'
                    for i, t in enumerate(headlines(8, 8)))
    named = "".join(f'<li><a href="/2024/05/02/n_{i}.html">{t}</a></li>'
                    for i, t in enumerate(headlines(5, 16)))
    html = (f"<html><body><div><ul>{twin}</ul></div><div><ul>{other}</ul></div>"
            f'<ul class="news">{named}</ul></body></html>')
    selector = infer_link_selector(html, "http://x.com.cn/list.html")
    assert selector is not None
    chosen = [a.get_text() for a in BeautifulSoup(html, "lxml").select(selector)]
    assert chosen == headlines(5, 16)


def test_sibling_subdomains_share_a_registered_domain() -> None:
    """news. and www. of one registered domain are one site (also under com.cn); another
    domain, or an IP address against a name, is not."""
    assert sites.same_site("http://www.sina.com.cn/", "http://news.sina.com.cn/a.html")
    assert sites.registered_domain("a.b.gov.cn") == "b.gov.cn"
    assert not sites.same_site("http://www.sina.com.cn/", "http://www.sohu.com/")
    assert not sites.same_site("http://127.0.0.1:5050/", "http://news.sina.com.cn/")
    assert sites.same_site("http://127.0.0.1:5050/", "http://127.0.0.1:5050/list.html")


def test_the_suffix_list_is_read_without_a_request(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh extractor, sockets blocked, reads the bundled suffix list and connects nowhere."""
    attempts: list[Any] = []

    def refuse(*args: Any, **_kwargs: Any) -> None:
        attempts.append(args)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(sites, "_EXTRACT", sites.offline_extractor())
    sites.registered_domain.cache_clear()
    assert sites.registered_domain("news.people.com.cn") == "people.com.cn"
    assert attempts == []
    sites.registered_domain.cache_clear()


def test_a_table_row_with_three_linked_cells_is_one_row() -> None:
    """Rows of a table whose title, column and author cells all link are one list of rows,
    and the selector takes the title column alone."""
    rows = "".join(f'<tr><td><a href="/2024/05/a_{i}.html">{t}</a></td><td><a href="/col/{i % 2}/">'
                   f'专栏{i % 2}</a></td><td><a href="/author/{i}/">记者{i}</a></td>'
                   f"<td>2024-05-0{i % 9 + 1}</td></tr>" for i, t in enumerate(headlines(12)))
    html = f'<html><body><table class="lst">{rows}</table></body></html>'
    selector = infer_link_selector(html, "http://x.com.cn/col/")
    assert selector is not None
    chosen = [a.get_text() for a in BeautifulSoup(html, "lxml").select(selector)]
    assert chosen == headlines(12)


def test_server_site_tells_ports_apart_only_where_there_is_no_domain() -> None:
    """An IP address or a dotless intranet name with a port is a server of its own; a named
    site's links with an explicit port are on that site."""
    assert sites.server_site("http://127.0.0.1:5050/a") == "127.0.0.1:5050"
    assert sites.server_site("http://127.0.0.1/a") == "127.0.0.1:80"
    assert sites.server_site("https://intranet/a") == "intranet:443"
    assert sites.server_site("http://news.sina.com.cn:8080/a") == "sina.com.cn"
