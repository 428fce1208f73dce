"""The review queue in pages: a page size, page links that keep the event filter and the size,
story blocks never split across pages, and decisions that return to the page they came from."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from campaign.coverage.models import Match
from campaign.coverage.queue import Unit, paginate
from tests.factories import beijing
from tests.html import soup

QUEUE = "/campaigns/pm/review"
START = date(2006, 4, 1)


def suggest(make, event, n, *, first_day=START, outlet=None, story_of=None):
    """`n` suggestions of `event` on consecutive days from `first_day` (one outlet, so they tell
    no story among themselves unless `story_of` names the report they follow)."""
    outlet = outlet or make.outlet()
    rows = []
    for i in range(n):
        day = first_day + timedelta(i)
        article = make.article(outlet, title=f"报道{event.key}{day:%m%d}{i}",
                               published_at=beijing(day))
        rows.append(Match(event_id=event.id, article_id=article.id,
                          day=int(day.strftime("%Y%m%d")), score=0.3,
                          explanation={"story_of": story_of} if story_of else {}))
    make.db.session.add_all(rows)
    make.db.session.commit()
    return rows


def page_of(client, url):
    page = soup(client.get(url).get_data(as_text=True))
    return page, [int(r["data-match-id"]) for r in page.select("tr.review-row")]


def test_pages_hold_the_chosen_size_and_link_to_each_other(client, login, make):
    """Twenty-five suggestions with 20 a page: page 1 holds the 20 oldest, its next link
    (keeping the size) leads to a page 2 with the other 5 and a link back."""
    campaign = make.campaign(slug="pm")
    rows = suggest(make, make.event(campaign, key="rally"), 25)
    login("officer")
    first, ids = page_of(client, f"{QUEUE}?size=20")
    assert ids == [m.id for m in rows[:20]]
    following = first.select_one("#review-pager a[rel=next]")["href"]
    assert parse_qs(urlsplit(following).query) == {"page": ["2"], "size": ["20"]}
    second, ids = page_of(client, following)
    assert ids == [m.id for m in rows[20:]]
    assert parse_qs(urlsplit(second.select_one("#review-pager a[rel=prev]")["href"]).query) \
        == {"page": ["1"], "size": ["20"]}
    assert second.select_one("#review-remaining").get_text() == "25"


def test_default_page_size_is_fifty(client, login, make):
    """Without a size the queue shows 50 rows a page; an unoffered size means the default."""
    campaign = make.campaign(slug="pm")
    suggest(make, make.event(campaign, key="rally"), 55)
    login("officer")
    assert len(page_of(client, QUEUE)[1]) == 50
    assert len(page_of(client, f"{QUEUE}?size=7")[1]) == 50
    assert len(page_of(client, f"{QUEUE}?page=2")[1]) == 5


def test_event_filter_shows_one_event_and_page_links_keep_it(client, login, make):
    """Filtered by event, the queue lists that event's suggestions only, and its page links
    carry the filter."""
    campaign = make.campaign(slug="pm")
    rally = make.event(campaign, key="rally", title="动员大会")
    briefing = make.event(campaign, key="briefing", title="新闻通气会")
    ours = suggest(make, rally, 22)
    suggest(make, briefing, 5)
    login("officer")
    page, ids = page_of(client, f"{QUEUE}?event=rally&size=20")
    assert ids == [m.id for m in ours[:20]]
    assert page.select_one("select[name=event] option[selected]")["value"] == "rally"
    query = parse_qs(urlsplit(page.select_one("#review-pager a[rel=next]")["href"]).query)
    assert query == {"event": ["rally"], "page": ["2"], "size": ["20"]}
    assert page_of(client, f"{QUEUE}?event=rally&size=20&page=2")[1] == [m.id for m in ours[20:]]


def test_story_block_crossing_a_page_end_starts_the_next_page(client, login, make):
    """A story block whose rows would cross the end of page 1 is shown whole on page 2, under
    its heading, and page 1 stops short of the size."""
    campaign = make.campaign(slug="pm")
    rally = make.event(campaign, key="rally")
    lone = suggest(make, rally, 19)
    report = make.article(make.outlet(name="安徽日报"), title="动员大会召开",
                          published_at=beijing(START))
    block = suggest(make, rally, 3, first_day=START + timedelta(19), story_of=report.id)
    later = suggest(make, rally, 2, first_day=START + timedelta(30))
    login("officer")
    first, ids = page_of(client, f"{QUEUE}?size=20")
    assert ids == [m.id for m in lone] and not first.select("tr.story-block-head")
    second, ids = page_of(client, f"{QUEUE}?size=20&page=2")
    assert ids == [m.id for m in block + later]
    head = second.select_one("tr.story-block-head")
    assert "同一报道 3 篇" in head.get_text() and report.title in head.get_text()
    form = second.select_one(f"form#block-form-{head['data-block']}")
    assert sorted(int(i["value"]) for i in form.select("input[name=match_ids]")) == \
        sorted(m.id for m in block)


def test_block_larger_than_a_page_is_a_page_of_its_own():
    """A unit is never cut: one larger than the page size fills a page alone."""
    units = [Unit((1,), False), Unit((2, 3, 4), True), Unit((5,), False)]
    assert paginate(units, 2) == [[units[0]], [units[1]], [units[2]]]
    assert paginate(units, 4) == [units[:2], units[2:]]
    assert paginate([], 20) == []


def test_decision_on_a_later_page_returns_to_that_page(client, login, make):
    """Accepting a row on page 2 of a filtered queue redirects to page 2 with the filter."""
    campaign = make.campaign(slug="pm")
    rows = suggest(make, make.event(campaign, key="rally"), 25)
    login("officer")
    page, _ids = page_of(client, f"{QUEUE}?event=rally&size=20&page=2")
    form = page.select_one(f"form[action$='/matches/{rows[22].id}/accept']")
    back = form.select_one("input[name=next]")["value"]
    response = client.post(form["action"], data={"next": back})
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.location).query) == \
        {"event": ["rally"], "page": ["2"], "size": ["20"]}
    assert rows[22].status == "accepted"
    assert page_of(client, response.location)[1] == [m.id for m in rows[20:] if m is not rows[22]]


@pytest.mark.parametrize("page", ["9", "0", "x", "10000000000000000000000"])
def test_page_out_of_range_shows_a_real_page(client, login, make, page):
    """A page number past the end shows the last page; nonsense shows the first; never an
    error."""
    campaign = make.campaign(slug="pm")
    rows = suggest(make, make.event(campaign, key="rally"), 25)
    login("officer")
    response = client.get(f"{QUEUE}?size=20&page={page}")
    assert response.status_code == 200
    ids = [int(r["data-match-id"]) for r in soup(response.get_data(as_text=True))
           .select("tr.review-row")]
    assert ids == [m.id for m in (rows[20:] if page == "9" else rows[:20])]


def test_an_unchanged_queue_is_clustered_once_and_a_changed_one_again(make, monkeypatch):
    """Reading pages of an unchanged queue clusters each event's suggestions once (the groups
    are remembered by their rows); a new suggestion of that event clusters them again, with
    the new one among them."""
    from campaign.coverage import queue

    campaign = make.campaign(slug="pm")
    rally = make.event(campaign, key="rally")
    suggest(make, rally, 5)
    seen: list[int] = []
    real = queue.clusters
    monkeypatch.setattr(queue, "clusters",
                        lambda texts, common: seen.append(len(texts)) or real(texts, common))
    queue.event_stories.cache_clear()
    first = [queue.queue_page(campaign, page=n, size=2) for n in (1, 2, 3, 1)]
    assert seen == [5] and [p.page for p in first] == [1, 2, 3, 1]
    suggest(make, rally, 1, first_day=START + timedelta(10))
    assert queue.queue_page(campaign, page=3, size=2).total == 6
    assert seen == [5, 6]
