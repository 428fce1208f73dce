"""Per-event coverage figures and editorial-slot fulfilment."""

from __future__ import annotations

from datetime import date, time, timedelta

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



def slot_events(make, db, count: int):
    """`count` editorial-slot events of one campaign, each with two slots (one of them with an
    excuse), a matched piece and a clipping."""
    from campaign.planning.models import EditorialSlot, SlotExcuse

    campaign = make.campaign(slug=f"many{count}")
    officer = make.user()
    events = []
    for n in range(count):
        paper, other = make.outlet(name=f"日报{count}-{n}"), make.outlet(name=f"晚报{count}-{n}")
        day = date(2006, 4, 20 + n)
        event = make.event(campaign, key=f"slot{n}", type="editorial_slot", all_day=True,
                           title=f"社论{n}", starts_at=beijing(day, time(0)),
                           ends_at=beijing(day, time(23)),
                           slot={"outlet": paper, "planned_on": day, "genre": "editorial",
                                 "page": "一版"})
        later = day + timedelta(days=1)
        second = EditorialSlot(event=event, outlet=other, planned_on=later, genre="commentator",
                               page="二版")
        db.session.add(second)
        db.session.flush()
        db.session.add(SlotExcuse(slot_id=second.id, day=later, note="停刊"))
        piece = make.article(paper, title=f"社论：致敬{n}", page_number=1 + n % 2,
                             published_at=beijing(day, time(6)))
        add_match(event, piece, officer)
        db.session.add(Clipping(event_id=event.id, outlet_id=paper.id, published_on=day,
                                page="二版", page_number=2, genre="消息", title="消息"))
        events.append(event)
    db.session.commit()
    return events


def fresh(db, *groups):
    """The groups of events read again, as a request reads them, with none of their slots
    loaded."""
    from sqlalchemy import select

    from campaign.planning.models import Event

    ids = [[event.id for event in events] for events in groups]
    db.session.expire_all()
    found = {e.id: e for e in db.session.scalars(select(Event))}
    return [[found[i] for i in group] for group in ids]


def test_many_events_slot_states_cost_a_fixed_number_of_queries(make, db, queries):
    """events_slot_states reads the same few queries for two events as for eight (slots,
    outlets, excuses, matches and clippings are not read one slot at a time), and gives each
    event the states slot_states gives it alone."""
    from campaign.coverage.stats import events_slot_states

    today = date(2006, 5, 30)
    few, many = slot_events(make, db, 2), slot_events(make, db, 8)
    alone = [(s.slot.id, s.day, s.state, s.reasons, s.article_ids, s.note)
             for event in many for s in slot_states(event, today)]
    few, many = fresh(db, few, many)  # nothing of theirs loaded yet
    with queries.counting() as two:
        events_slot_states(few, today)
    with queries.counting() as eight:
        together = events_slot_states(many, today)
    assert two.selects() and len(eight.selects()) == len(two.selects()), (two, eight)
    assert [(s.slot.id, s.day, s.state, s.reasons, s.article_ids, s.note)
            for s in together] == alone
    assert {s.state for s in together} >= {"fulfilled", "partial", "excused"}
