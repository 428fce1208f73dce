"""The clipping-list row builder: columns, order, filters, reprints and manual clippings."""

from __future__ import annotations

from datetime import date

from campaign.exports.rows import (
    ClippingFilter,
    count_clipping_rows,
    iter_clipping_rows,
    page_label,
)
from tests.plugins.worlds import NASTY_TITLE


def rows_of(world, **kw):
    return list(iter_clipping_rows(ClippingFilter(campaign_id=world.campaign.id, **kw)))


def test_accepted_rows_in_date_order_numbered(world):
    """By default only accepted coverage is listed, in Beijing date order, numbered from 1."""
    rows = rows_of(world)
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert len(rows) == 8 + 1 + 1 + 2 + 3  # send-off, clipping, briefing, commentary, features
    assert [r.day for r in rows] == sorted(r.day for r in rows)
    assert rows[0].kind == "clipping" and rows[0].day == date(2006, 4, 24)
    assert {r.status for r in rows} == {"accepted"}
    assert count_clipping_rows(ClippingFilter(campaign_id=world.campaign.id)) == len(rows)


def test_row_columns(world):
    """A row carries the officers' columns: Beijing date, tier label, 第NN版 page, source."""
    first = next(r for r in rows_of(world) if r.outlet == "安徽日报" and r.genre == "消息")
    assert first.day == date(2006, 4, 25)  # 06:00 Beijing is still 24 April in UTC
    assert first.tier_label == "省级"
    assert first.page == "第01版 要闻"
    assert first.author == "王明"  # the role is not part of the 作者 column
    assert first.event_title == "欢送赴京受表彰先进集体和先进个人代表活动"


def test_manual_clipping_has_empty_link(world):
    """Manual clippings are listed with their page and an empty link."""
    clip = next(r for r in rows_of(world) if r.kind == "clipping")
    assert clip.url == "" and clip.page == "第04版 社会" and clip.outlet == "新安晚报"


def test_reprint_names_its_original(world):
    """A reprint's 来源/转载 says "转载自 <original outlet>"; other rows show their credit."""
    rows = rows_of(world, status="all")
    reprint = next(r for r in rows if r.url.endswith("/reprint"))
    assert reprint.source == "转载自 安徽日报"
    nasty = next(r for r in rows if r.title == NASTY_TITLE)
    assert nasty.source == "@新华社"


def test_filters(world):
    """Event, date range, outlet, tier and status narrow the list."""
    send_off = world.events["send-off"]
    assert len(rows_of(world, event_ids=(send_off.id,))) == 9
    assert {r.day for r in rows_of(world, date_from=date(2006, 5, 1))} == {
        date(2006, 5, 2), date(2006, 5, 3), date(2006, 5, 4)}
    assert len(rows_of(world, date_to=date(2006, 4, 24))) == 1
    hefei = world.outlets["合肥日报"].id
    assert {r.outlet for r in rows_of(world, outlet_id=hefei)} == {"合肥日报"}
    assert {r.tier for r in rows_of(world, tier="central")} == {"central"}
    assert [r.status for r in rows_of(world, status="suggested")] == ["suggested"]
    assert [r.title for r in rows_of(world, status="rejected")] == ["另一省的欢送活动"]


def test_empty_list(make):
    """A campaign without coverage gives no rows."""
    campaign = make.campaign()
    assert rows_of(type("W", (), {"campaign": campaign})) == []


def test_page_label():
    """Page numbers are shown as 第NN版 with the page name."""
    assert page_label(1, "要闻") == "第01版 要闻"
    assert page_label(12, "") == "第12版"
    assert page_label(None, "要闻") == "要闻"


def test_authors_are_people_only(world, make, db):
    """A stored byline comes out as its people joined by 、: no role ("记者、王海" is "王海"),
    no outlet name (the directory's names and aliases), a Latin name kept."""
    from campaign.coverage.matching import add_match

    outlet = world.outlets["安徽日报"]
    outlet.aliases = ["皖报"]
    bylines = {"记者、王海": "王海", "本报记者 李明 通讯员 张华": "李明、张华",
               "安徽日报": "", "皖报 记者 赵强": "赵强", "John Smith": "John Smith"}
    for byline in bylines:
        add_match(world.events["briefing"], make.article(outlet, title=f"署名{byline}",
                                                         author=byline), make.user())
    db.session.commit()
    found = {r.title[2:]: r.author for r in rows_of(world) if r.title.startswith("署名")}
    assert found == bylines
