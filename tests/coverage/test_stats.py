"""Per-event coverage figures and editorial-slot fulfilment."""

from __future__ import annotations

from datetime import date, time

from campaign.coverage.matching import add_match
from campaign.coverage.models import Clipping
from campaign.coverage.stats import event_stats, slot_states
from campaign.reprints.models import ReprintGroup
from campaign.sources.models import Source
from tests.factories import beijing


def test_event_stats_count_outlets_pieces_page_one_and_reprints(make, db):
    """Stats count accepted pieces and clippings, page one, reprints, and invited (monitored)
    outlets that wrote nothing; the target is met when enough outlets reported."""
    campaign = make.campaign(slug="pm")
    a, b, c = make.outlet(name="甲报"), make.outlet(name="乙报"), make.outlet(name="丙台")
    # 乙报 is monitored: without a source it would be 未监测, not 未报道.
    db.session.add(Source(outlet=b, type="rss", name="乙报", url="http://yi.test/rss",
                          selectors={}))
    event = make.event(campaign, key="rally", target_outlets=2)
    event.invited_outlets = [a, b, c]
    officer = make.user()
    group = ReprintGroup(size=2)
    db.session.add(group)
    db.session.flush()
    original = make.article(a, title="大会召开", page_number=1, reprint_group_id=group.id,
                            is_original=True)
    copy = make.article(make.outlet(name="丁网"), title="大会召开（转载）",
                        reprint_group_id=group.id, is_original=False)
    add_match(event, original, officer)
    add_match(event, copy, officer)
    db.session.add(Clipping(event_id=event.id, outlet_id=c.id, published_on=date(2006, 4, 27),
                            title="电视新闻", page_number=None))
    db.session.commit()
    stats = event_stats(event)
    assert (stats.pieces, stats.page_one, stats.reprints) == (3, 1, 1)
    assert {o.name for o in stats.reporting} == {"甲报", "丁网", "丙台"}
    assert [o.name for o in stats.invited_silent] == ["乙报"]
    assert [o.name for o in stats.uninvited_reporting] == ["丁网"]
    assert stats.target_met is True


def slot_event(make, *, page="一版", genre="editorial"):
    campaign = make.campaign(slug="pm")
    paper = make.outlet(name="安徽日报")
    event = make.event(campaign, key="editorial", type="editorial_slot", all_day=True,
                       title="五一社论",
                       starts_at=beijing(date(2006, 4, 30), time(0)),
                       ends_at=beijing(date(2006, 5, 1), time(0)),
                       slot={"outlet": paper, "planned_on": date(2006, 4, 30),
                             "genre": genre, "page": page})
    return event, paper


def test_slot_fulfilled(make, db):
    """The planned outlet ran the planned genre on the planned date and page: fulfilled."""
    event, paper = slot_event(make)
    piece = make.article(paper, title="社论：向劳动者致敬", page_number=1,
                         published_at=beijing(date(2006, 4, 30), time(6)))
    add_match(event, piece, make.user())
    db.session.commit()
    [state] = slot_states(event, today=date(2006, 5, 5))
    assert state.state == "fulfilled" and state.article_ids == [piece.id]


def test_slot_partial_names_what_differs(make, db):
    """The editorial ran on page 2 a day late: partial, naming date and page."""
    event, paper = slot_event(make)
    piece = make.article(paper, title="社论：向劳动者致敬", page_number=2,
                         published_at=beijing(date(2006, 5, 1), time(6)))
    add_match(event, piece, make.user())
    db.session.commit()
    [state] = slot_states(event, today=date(2006, 5, 5))
    assert state.state == "partial" and state.reasons == ["date", "page"]


def test_slot_missed_only_after_the_next_day(make, db):
    """With nothing run, a slot is due through the day after its date, then missed."""
    event, _ = slot_event(make)
    assert slot_states(event, today=date(2006, 5, 1))[0].state == "due"
    assert slot_states(event, today=date(2006, 5, 2))[0].state == "missed"


def test_slot_from_manual_clipping(make, db):
    """A manual clipping of the print edition fulfils a slot too."""
    event, paper = slot_event(make)
    db.session.add(Clipping(event_id=event.id, outlet_id=paper.id,
                            published_on=date(2006, 4, 30), page="一版", page_number=1,
                            genre="社论", title="社论：向劳动者致敬"))
    db.session.commit()
    assert slot_states(event, today=date(2006, 5, 5))[0].state == "fulfilled"

