"""Adding an e-paper by URL on both Founder layouts: the newer pc/layout day index and an older
one whose labels lack 第, each proposed as an e-paper with its issue's stories only, once each."""

from __future__ import annotations

from datetime import date

from scrapers.discovery import propose_epaper
from scrapers.fetch import Fetcher, FetchSettings
from tests.scrapers.founder_pc import (
    STORIES,
    content_path,
    layout_path,
    page_html,
    publish_pc_paper,
)

DAY = date(2023, 2, 11)
OLD_URL = "http://paper.test/html/2006-04/25/node_1.htm"
OLD_INDEX = """<html><body><p>01版：要闻</p>
<img src="../../../page/2006-04/25/01/p1.jpg" usemap="#PagePicMap">
<map name="PagePicMap"><area coords="1,1,5,5" href="content_7.htm?div=0">
<area coords="5,5,9,9" href="content_7.htm?div=-1"></map>
<a href="node_1.htm">01版：要闻</a> <a href="node_2.htm">02版：综 合</a>
<ul><li><a href="content_7.htm">省总工会召开宣传月新闻通气会</a></li></ul>
<div id="footer"><a href="/about/content_1.htm">联系我们</a>
<a href="../24/content_3.htm">昨日要闻一则</a></div></body></html>"""


def test_newer_layout_day_index_is_proposed_as_an_epaper():
    """A pc/layout day index gives a date pattern, both 版面 (with and without 第) and page
    one's stories under pc/content, without the footer's links or the ?div= duplicates."""
    url = "http://paper.test" + layout_path(DAY, 1)
    proposal = propose_epaper(page_html(DAY, 1), url)
    assert proposal is not None and proposal.type == "epaper"
    assert proposal.url == "http://paper.test/pc/layout/{yyyy}{mm}/{dd}/node_01.html"
    assert proposal.pages == ["01版：要闻", "第02版：综 合"]
    assert [(i.url, i.title, i.published, i.page) for i in proposal.items] == [
        ("http://paper.test" + content_path(DAY, s), s.title, DAY, "01版：要闻")
        for s in STORIES if s.page == 1]


def test_older_layout_labels_without_di_are_proposed_as_an_epaper():
    """An older day index labelled 01版：要闻 (no 第) is an e-paper, its preview one story."""
    proposal = propose_epaper(OLD_INDEX, OLD_URL)
    assert proposal is not None
    assert proposal.pages == ["01版：要闻", "02版：综 合"]
    assert [(i.url, i.title) for i in proposal.items] == [
        ("http://paper.test/html/2006-04/25/content_7.htm", "省总工会召开宣传月新闻通气会")]


def test_discovery_of_a_newer_layout_paper_offers_the_epaper(app, server):
    """Adding the newer layout's day index by URL proposes the e-paper, not a list page."""
    from campaign.sources.probe import discover

    publish_pc_paper(server, DAY)
    fetcher = Fetcher(FetchSettings(retries=0, min_delay=0, obey_robots=False,
                                    trust_env=False))
    with fetcher, app.test_request_context():
        found = discover(server.url(layout_path(DAY, 1)), fetcher=fetcher)
    assert [(p.type, p.url) for p in found.proposals] == [
        ("epaper", server.url("/pc/layout/{yyyy}{mm}/{dd}/node_01.html"))]
