"""Reprint groups: exact, abridged and edited copies across outlets join one group; different
reports of one event do not; the original is the credited outlet, else the earliest."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from campaign.articles.incoming import IncomingArticle
from campaign.articles.models import Article, ArticleBody
from campaign.articles.store import store_articles
from campaign.reprints.linking import group_reprints
from campaign.reprints.models import ReprintGroup
from campaign.reprints.signatures import Signature, compute_signature, similar
from tests.factories import beijing

STORY = [
    "4月27日上午，全省庆祝五一国际劳动节暨“当好主力军、建功十一五”动员大会在合肥隆重召开。",
    ("省委副书记在会上发表讲话，向全省广大职工致以节日的祝贺和诚挚的问候，号召全省职工群众"
    "立足本职岗位，在推进十一五规划实施中发挥主力军作用。"),
    ("大会表彰了一批全国和省级劳动模范、先进集体，授予三十名职工省五一劳动奖章，"
    "劳模代表在会上作了发言，讲述了扎根一线、攻坚克难的感人事迹。"),
    ("会议要求，各级工会要紧紧围绕全省工作大局，深入开展劳动竞赛和职工技术创新活动，"
    "切实维护职工合法权益，努力构建和谐劳动关系。"),
    "省直有关部门负责同志，各市总工会、省产业工会主要负责同志和职工代表一千余人参加大会。",
]
OTHER_REPORT = [
    "4月27日上午，全省庆祝五一国际劳动节暨“当好主力军、建功十一五”动员大会在合肥隆重召开。",
    ("会后，记者走访了参加大会的几位劳模。来自淮南矿业集团的采煤工人说，这次获奖是对一线矿工的"
    "肯定，回去后要把大会精神带到井下班组，带领工友们安全高效生产。"),
    ("芜湖一家汽车企业的女技术员告诉记者，她和团队今年攻克了三项关键工艺难题，企业因此节约成本"
    "数百万元，她希望更多年轻职工学技术、钻业务，在岗位上成才。"),
    "省直有关部门负责同志，各市总工会、省产业工会主要负责同志和职工代表一千余人参加大会。",
]


def text(paragraphs: list[str]) -> str:
    return "\n".join(paragraphs)


def light_edit(paragraphs: list[str]) -> str:
    """A reprint desk's changes: a shortened lead, a few words swapped, other punctuation."""
    edited = [p.replace("隆重召开", "召开").replace("诚挚的", "").replace("，", ", ")
              for p in paragraphs]
    edited[0] = "本报讯 " + edited[0]
    return "\n".join(edited)


def store_one(outlet, body, *, n, day=date(2006, 4, 27), at=time(9), credit="", title=None):
    item = IncomingArticle(url=f"http://{outlet.id}.test/{n}.htm", title=title or f"动员大会{n}",
                           body=body, published_at=beijing(day, at), source_credit=credit)
    return store_articles(outlet, [item]).article_ids[0]


def grouped(db, *ids):
    db.session.expire_all()
    return [db.session.get(Article, i) for i in ids]


def test_signature_round_trip_and_estimate():
    """A stored signature reads back equal; an edited copy is similar, another report is not."""
    sig = compute_signature(text(STORY))
    assert Signature.from_bytes(sig.to_bytes()).size == sig.size
    assert (Signature.from_bytes(sig.to_bytes()).hashes == sig.hashes).all()
    assert similar(sig, compute_signature(light_edit(STORY)))
    assert not similar(sig, compute_signature(text(OTHER_REPORT)))


def test_exact_copy_joins_one_group(db, make):
    """The same text in two outlets: one group of two, the earlier one the original."""
    a = store_one(make.outlet(), text(STORY), n=1, at=time(7))
    b = store_one(make.outlet(), text(STORY), n=2, at=time(15))
    group_reprints([a, b])
    first, second = grouped(db, a, b)
    assert first.reprint_group_id == second.reprint_group_id is not None
    assert first.is_original and not second.is_original and second.is_reprint
    assert first.reprint_group.size == 2


def test_abridged_copy_with_a_dropped_paragraph_joins(db, make):
    """A copy missing one paragraph (and shortened) is still a reprint."""
    a = store_one(make.outlet(), text(STORY), n=1)
    b = store_one(make.outlet(), text(STORY[:2] + STORY[3:]), n=2, day=date(2006, 4, 28))
    group_reprints([a, b])
    first, second = grouped(db, a, b)
    assert first.reprint_group_id == second.reprint_group_id is not None


def test_light_edits_and_another_title_join(db, make):
    """Light edits, other punctuation and a new title: still the same story."""
    a = store_one(make.outlet(), text(STORY), n=1)
    b = store_one(make.outlet(), light_edit(STORY), n=2, title="我省召开劳动节动员大会")
    group_reprints([a, b])
    first, second = grouped(db, a, b)
    assert first.reprint_group_id == second.reprint_group_id is not None


def test_two_reports_of_one_event_stay_apart(db, make):
    """Two different stories about the rally sharing a lead and a closing line are not copies."""
    a = store_one(make.outlet(), text(STORY), n=1)
    b = store_one(make.outlet(), text(OTHER_REPORT), n=2)
    group_reprints([a, b])
    first, second = grouped(db, a, b)
    assert first.reprint_group_id is None and second.reprint_group_id is None
    assert first.is_original and second.is_original
    assert db.session.scalars(select(ReprintGroup)).all() == []


def test_same_outlet_is_never_a_reprint_of_itself(db, make):
    """One outlet running a story twice (two days, two URLs) makes no reprint group."""
    outlet = make.outlet()
    a = store_one(outlet, text(STORY), n=1)
    b = store_one(outlet, light_edit(STORY), n=2, day=date(2006, 4, 28))
    group_reprints([a, b])
    assert [x.reprint_group_id for x in grouped(db, a, b)] == [None, None]


def test_original_is_the_credited_outlet(db, make):
    """Copies crediting 安徽日报 make its article the original, though another ran earlier."""
    paper = make.outlet(name="安徽日报")
    evening = make.outlet(name="新安晚报", aliases=["晚报"])
    city = make.outlet(name="合肥日报")
    early = store_one(evening, light_edit(STORY), n=1, at=time(6), credit="来源：安徽日报")
    source = store_one(paper, text(STORY), n=2, at=time(8))
    late = store_one(city, text(STORY[:4]), n=3, at=time(10), credit="稿件来源：安徽日报")
    group_reprints([early, source, late])
    rows = grouped(db, early, source, late)
    assert len({r.reprint_group_id for r in rows}) == 1
    assert [r.is_original for r in rows] == [False, True, False]
    assert rows[0].reprint_group.size == 3


def test_original_is_the_earliest_without_credit(db, make):
    """With no credit naming a member, the earliest published copy is the original."""
    late = store_one(make.outlet(), text(STORY), n=1, day=date(2006, 4, 28))
    early = store_one(make.outlet(), light_edit(STORY), n=2, day=date(2006, 4, 27),
                      credit="来源：新华社")
    group_reprints([late, early])
    rows = grouped(db, late, early)
    assert [r.is_original for r in rows] == [False, True]


def test_copy_stored_later_joins_the_existing_group(db, make):
    """A copy stored in a later call (a later fetch) joins the group found before, using the
    signatures stored then; size and original stay right."""
    a = store_one(make.outlet(), text(STORY), n=1, at=time(7))
    b = store_one(make.outlet(), light_edit(STORY), n=2, at=time(9))
    group_reprints([a, b])
    assert db.session.get(ArticleBody, a).minhash is not None
    c = store_one(make.outlet(), text(STORY[1:]), n=3, day=date(2006, 4, 29))
    group_reprints([c])
    rows = grouped(db, a, b, c)
    assert len({r.reprint_group_id for r in rows}) == 1
    assert [r.is_original for r in rows] == [True, False, False]
    assert rows[0].reprint_group.size == 3
    assert len(db.session.scalars(select(ReprintGroup)).all()) == 1


def test_bridging_copy_merges_two_groups(db, make):
    """Two groups found apart merge into one when a fuller copy contains both texts: one group
    remains, with the right size and one original."""
    first_half, second_half = STORY[:3], OTHER_REPORT[1:3]
    a = store_one(make.outlet(), text(first_half), n=1, at=time(7))
    b = store_one(make.outlet(), text(first_half), n=2, at=time(8))
    c = store_one(make.outlet(), text(second_half), n=3, at=time(9))
    d = store_one(make.outlet(), text(second_half), n=4, at=time(10))
    group_reprints([a, b])
    group_reprints([c, d])
    assert len({r.reprint_group_id for r in grouped(db, a, b, c, d)}) == 2
    e = store_one(make.outlet(), text(first_half + second_half), n=5, at=time(11))
    group_reprints([e])
    rows = grouped(db, a, b, c, d, e)
    assert len({r.reprint_group_id for r in rows}) == 1
    assert [r.is_original for r in rows] == [True, False, False, False, False]
    assert rows[0].reprint_group.size == 5
    assert len(db.session.scalars(select(ReprintGroup)).all()) == 1


def test_grouping_twice_changes_nothing(db, make):
    """Running the grouping again over the same articles keeps the same group and flags."""
    a = store_one(make.outlet(), text(STORY), n=1, at=time(7))
    b = store_one(make.outlet(), light_edit(STORY), n=2, at=time(9))
    group_reprints([a, b])
    before = [(r.reprint_group_id, r.is_original) for r in grouped(db, a, b)]
    group_reprints([a, b])
    assert [(r.reprint_group_id, r.is_original) for r in grouped(db, a, b)] == before
    assert len(db.session.scalars(select(ReprintGroup)).all()) == 1


def test_later_copy_found_from_stored_signatures_alone(db, make):
    """A new process (empty signature cache) still finds the earlier copies through the
    signatures stored in ArticleBody.minhash."""
    from campaign.reprints import linking as reprints

    a = store_one(make.outlet(), text(STORY), n=1, at=time(7))
    group_reprints([a])
    reprints._cache.entries.clear()
    b = store_one(make.outlet(), light_edit(STORY), n=2, day=date(2006, 4, 30))
    group_reprints([b])
    first, second = grouped(db, a, b)
    assert first.reprint_group_id == second.reprint_group_id is not None
    assert first.is_original and not second.is_original


def test_copy_outside_the_window_is_not_linked(db, make):
    """An edited copy more than WINDOW_DAYS later is not compared (exact copies still are)."""
    a = store_one(make.outlet(), text(STORY), n=1, day=date(2006, 4, 1))
    b = store_one(make.outlet(), light_edit(STORY), n=2, day=date(2006, 4, 20))
    c = store_one(make.outlet(), text(STORY), n=3, day=date(2006, 6, 1))
    group_reprints([a, b, c])
    first, second, third = grouped(db, a, b, c)
    assert second.reprint_group_id is None
    assert first.reprint_group_id == third.reprint_group_id is not None


def test_daily_item_copied_each_day_does_not_chain(db, make):
    """A near-identical daily item (a weather report) that another outlet copies each day
    makes one group per day, never one group across days: a group holds at most one article
    of an outlet, so one outlet's own items are never reprints of each other."""
    paper, portal = make.outlet(name="日报"), make.outlet(name="网站")
    forecast = ("省气象台今天发布天气预报：明天全省多云转晴，江淮之间有零星小雨，"
                "气温十五到二十四摄氏度，东南风三到四级。请广大市民合理安排出行，"
                "注意防范强对流天气，农业生产注意做好田间管理和防渍工作。")
    ids = []
    for n in range(5):
        day = date(2006, 4, 20 + n)
        today = forecast.replace("十五", f"{15 + n % 2}")
        ids += [store_one(paper, today, n=10 + n, day=day, title="天气预报"),
                store_one(portal, today, n=20 + n, day=day, at=time(11), title="天气预报")]
        group_reprints(ids[-2:])
        db.session.flush()
    articles = grouped(db, *ids)
    groups: dict[int, list[Article]] = {}
    for article in articles:
        assert article.reprint_group_id is not None
        groups.setdefault(article.reprint_group_id, []).append(article)
    assert len(groups) == 5
    for members in groups.values():
        assert sorted(a.outlet_id for a in members) == sorted([paper.id, portal.id])
        assert len({a.day for a in members}) == 1
        assert [a.outlet_id for a in members if a.is_original] == [paper.id]


def test_copy_whose_text_changes_to_another_story_leaves_its_group(db, make):
    """A copy stored again with another story's text leaves its group of two, which ends (no
    group of one is kept); stored again with the first text, it joins again."""
    first_outlet, second_outlet = make.outlet(), make.outlet()
    a = store_one(first_outlet, text(STORY), n=1, at=time(7))
    b = store_one(second_outlet, text(STORY), n=2, at=time(15))
    group_reprints([a, b])
    group_id = grouped(db, a)[0].reprint_group_id
    b_again = store_one(second_outlet, text(OTHER_REPORT), n=2, at=time(15))
    group_reprints([b_again])
    first, second = grouped(db, a, b)
    assert first.reprint_group_id is None and second.reprint_group_id is None
    assert first.is_original and second.is_original
    assert db.session.get(ReprintGroup, group_id) is None
    store_one(second_outlet, text(STORY), n=2, at=time(15))
    group_reprints([b])
    first, second = grouped(db, a, b)
    assert first.reprint_group_id == second.reprint_group_id is not None


def test_group_of_three_keeps_the_two_copies_left(db, make):
    """When one of three copies changes to another story, the two left are still copies of
    each other: the group keeps its id and original, its size becomes two."""
    outlets = [make.outlet() for _ in range(3)]
    ids = [store_one(outlets[0], text(STORY), n=1, at=time(7)),
           store_one(outlets[1], text(STORY), n=2, at=time(9)),
           store_one(outlets[2], light_edit(STORY), n=3, at=time(11))]
    group_reprints(ids)
    group_id = grouped(db, ids[0])[0].reprint_group_id
    assert {a.reprint_group_id for a in grouped(db, *ids)} == {group_id}
    store_one(outlets[1], text(OTHER_REPORT), n=2, at=time(9))
    group_reprints([ids[1]])
    first, middle, last = grouped(db, *ids)
    assert middle.reprint_group_id is None
    assert first.reprint_group_id == last.reprint_group_id == group_id
    assert first.is_original and not last.is_original
    assert db.session.get(ReprintGroup, group_id).size == 2


def test_group_splits_when_its_bridge_changes(db, make):
    """Two abridged copies that shared only the full story between them (first paragraphs,
    last paragraphs) are not copies of each other: when the full story's text changes, the
    group falls apart and neither stays grouped."""
    outlets = [make.outlet() for _ in range(3)]
    ids = [store_one(outlets[0], text(STORY[:3]), n=1, at=time(7)),
           store_one(outlets[1], text(STORY), n=2, at=time(9)),
           store_one(outlets[2], text(STORY[2:]), n=3, at=time(11))]
    group_reprints(ids)
    group_id = grouped(db, ids[0])[0].reprint_group_id
    assert group_id is not None
    assert {a.reprint_group_id for a in grouped(db, *ids)} == {group_id}
    store_one(outlets[1], text(OTHER_REPORT), n=2, at=time(9))
    group_reprints([ids[1]])
    assert [a.reprint_group_id for a in grouped(db, *ids)] == [None, None, None]
    assert db.session.get(ReprintGroup, group_id) is None
