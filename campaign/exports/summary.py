"""The work-summary draft: the campaign's coverage told the way officers write it.

"4月24日，欢送赴京受表彰先进集体和先进个人代表活动，省内8家新闻媒体作了报道，其中头版3篇。"
Each event gives one or two sentences in date order; editorial slots that ran are told together
("安徽日报、安徽工人日报分别刊发了社论和评论员文章", "用三个整版集中宣传"); a closing sentence
counts the whole campaign by tier. The text is Chinese whatever the interface language: it goes
into a Chinese report.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from campaign.core.choices import SLOT_ARTICLE_GENRE
from campaign.core.times import local_today
from campaign.coverage.cells import TOTAL_DAY, refresh_pending
from campaign.coverage.models import CoverageCell
from campaign.coverage.stats import EventStats, SlotState, event_stats, slot_states
from campaign.extensions import db
from campaign.planning.models import Campaign, Event, Outlet

TIER_ORDER = ("central", "provincial", "municipal", "industry", "other")
TIER_WORDS = {"central": "中央", "provincial": "省级", "municipal": "市级", "industry": "行业",
              "other": "其他"}
IN_PROVINCE = {"provincial", "municipal"}
NUMERALS = "零一二三四五六七八九十"
RAN = {"fulfilled", "partial"}
# A slot's genre in the summary's sentences: its article genre, but a feature is told as 整版
# and another genre as a piece (稿件).
GENRE_WORDS = {**SLOT_ARTICLE_GENRE, "feature": "整版", "other": "稿件"}


@dataclass(frozen=True)
class Sentence:
    """A sentence of the draft and the day it is told under."""

    day: date
    text: str


def month_day(value: date) -> str:
    return f"{value.month}月{value.day}日"


def about(count: int) -> str:
    """Officers' round numbers: 8 → "8", 10 → "10", 13 → "10余"."""
    if count < 10 or count % 10 == 0:
        return str(count)
    return f"{count // 10 * 10}余"


def chinese_number(count: int) -> str:
    """一 … 十 for small counts (两 for two, as in "两个整版"), digits above."""
    if count == 2:
        return "两"
    return NUMERALS[count] if 0 < count <= 10 else str(count)


def join_words(words: list[str], last: str = "和") -> str:
    """"甲", "甲和乙", "甲、乙和丙"."""
    if len(words) <= 1:
        return "".join(words)
    return "、".join(words[:-1]) + last + words[-1]


# Quotation marks: the sentences quote with “”, a quote inside a quote takes ‘’ (GB/T 15834),
# never “…“…””. Plan titles typed with straight quotes (庆祝五一暨"当好主力军"动员大会) are paired.
QUOTE_THEME = re.compile(r"[“\"「《]([^”\"」》]+)[”\"」》]")
# Verbs a plan title may open with: the sentence then needs no verb of its own.
TITLE_VERBS = ("召开", "举行", "举办", "开展", "组织", "启动", "下发", "印发", "发布", "开设",
               "刊发", "播出", "欢送", "慰问", "表彰", "走访", "参加")
# The verb that tells an event of each type that has no verb in its title.
TYPE_VERBS = {"press_briefing": "召开", "send_off": "举行", "rally": "召开", "broadcast": "开展",
              "notice": "下发", "editorial_slot": "刊发", "other": "举办"}


def _pair_straight(text: str, left: str, right: str) -> str:
    """Straight double quotes turned into a pair of ``left`` and ``right``, in turn."""
    parts = text.split('"')
    if len(parts) % 2 == 0:  # an odd quote cannot be paired: drop it rather than guess
        return "".join(parts)
    return "".join(part if i % 2 == 0 else f"{left}{part}{right}"
                   for i, part in enumerate(parts))


def plain(text: str) -> str:
    """A plan text said outside any quote: its straight quotes as “”."""
    return _pair_straight(text, "“", "”")


def quoted(text: str) -> str:
    """``text`` in “”, its own quotes nested as ‘’ (“一版专栏‘劳模风采’”)."""
    inner = plain(text.strip()).translate(str.maketrans("“”", "‘’"))
    return f"“{inner}”"


def tiers_of(outlets: list[Outlet]) -> list[str]:
    present = {o.tier for o in outlets}
    return [t for t in TIER_ORDER if t in present]


def outlets_phrase(outlets: list[Outlet]) -> str:
    """"省内8家新闻媒体", "中央和省级10余家新闻媒体"."""
    tiers = tiers_of(outlets)
    scope = "省内" if tiers and set(tiers) <= IN_PROVINCE else join_words(
        [TIER_WORDS[t] for t in tiers])
    return f"{scope}{about(len(outlets))}家新闻媒体"


def tier_breakdown(outlets: list[Outlet]) -> str:
    """"中央媒体2家、省级媒体6家" (only worth saying with more than one tier)."""
    counts: dict[str, int] = defaultdict(int)
    for outlet in outlets:
        counts[outlet.tier] += 1
    return "、".join(f"{TIER_WORDS[t]}媒体{counts[t]}家" for t in TIER_ORDER if counts[t])


def coverage_clause(stats: EventStats) -> str:
    """"省内8家新闻媒体作了报道，其中头版3篇" — or that nothing has been found yet."""
    if not stats.pieces:
        return "暂未收集到媒体报道"
    tiers = tiers_of(stats.reporting)
    if len(tiers) > 1 and not set(tiers) <= IN_PROVINCE:
        # The breakdown names the tiers; naming them before the count too would say it twice.
        clause = (f"{about(len(stats.reporting))}家新闻媒体作了报道"
                  f"（{tier_breakdown(stats.reporting)}）")
    else:
        clause = f"{outlets_phrase(stats.reporting)}作了报道"
        if len(tiers) > 1:
            clause += f"（{tier_breakdown(stats.reporting)}）"
    if stats.pieces > len(stats.reporting):
        clause += f"，刊发稿件{stats.pieces}篇"
    if stats.page_one:
        clause += f"，其中头版{stats.page_one}篇"
    return clause


def monitoring_clause(stats: EventStats) -> str:
    """"邀请的7家媒体中可监测5家，其中3家作了报道（新华社、人民日报未纳入监测）" — said when an
    invitee has no enabled source, so that a leader never reads "did not report" for an outlet
    the tracker could not see; nothing when every invitee was monitorable."""
    if not stats.invited_unmonitored:
        return ""
    names = [o.name for o in stats.invited_unmonitored]
    who = "、".join(names) if len(names) <= 3 else f"{'、'.join(names[:3])}等{len(names)}家媒体"
    clause = f"邀请的{stats.invited}家媒体中可监测{stats.monitorable}家"
    invited_reporting = len(stats.reporting) - len(stats.uninvited_reporting)
    if invited_reporting:
        clause += f"，其中{invited_reporting}家作了报道"
    return f"{clause}（{who}未纳入监测）"


def _with_monitoring(text: str, stats: EventStats) -> str:
    clause = monitoring_clause(stats)
    return f"{text}，{clause}" if clause else text


def verb_phrase(event: Event, *, future: bool) -> str:
    """The event as something done: "召开了庆祝五一动员大会", "将召开…" — a title that opens
    with a verb (欢送…, 召开…) keeps it."""
    title = plain(event.title)
    if title.startswith(TITLE_VERBS):
        return f"将{title}" if future else title
    verb = TYPE_VERBS.get(event.type, "举办")
    return f"将{verb}{title}" if future else f"{verb}了{title}"


def event_sentence(event: Event, stats: EventStats, today: date | None = None) -> Sentence:
    """One event told in one sentence, by its type; an event still to come in the future
    tense, with the outlets invited to it (it has no coverage to tell)."""
    day = event.start_date
    if today is not None and day > today:
        text = f"{month_day(day)}，{verb_phrase(event, future=True)}"
        if event.invited_outlets:
            text += f"，拟邀请{outlets_phrase(list(event.invited_outlets))}参加"
        return Sentence(day, text + "。")
    if event.type == "press_briefing" and not plain(event.title).startswith(TITLE_VERBS):
        present = sorted({*event.invited_outlets, *stats.reporting}, key=lambda o: o.id)
        text = f"{month_day(day)}，召开了"
        text += f"有{outlets_phrase(present)}参加的{plain(event.title)}" if present else \
            plain(event.title)
        if stats.pieces or not present:
            text += f"，{coverage_clause(stats)}"
        return Sentence(day, _with_monitoring(text, stats) + "。")
    text = f"{month_day(day)}，{verb_phrase(event, future=False)}，{coverage_clause(stats)}"
    return Sentence(day, _with_monitoring(text, stats) + "。")


def theme_of(event: Event) -> str:
    """"劳模" from "安徽日报整版专题：劳模"; the short title when there is no theme."""
    for mark in ("：", ":"):
        if mark in event.title:
            return event.title.rsplit(mark, 1)[1].strip()
    named = QUOTE_THEME.search(event.title)  # 一版专栏“劳模风采”: the column's name is quoted
    return named.group(1).strip() if named else event.short_title


def _days(days: list[date]) -> str:
    """"5月2日、3日、4日" — the month is said once while it does not change."""
    parts, month = [], 0
    for d in days:
        parts.append(f"{d.day}日" if d.month == month else month_day(d))
        month = d.month
    return "、".join(parts)


def commentary_sentence(ran: list[SlotState]) -> Sentence:
    """Editorials and commentator articles that ran, told together."""
    ran = sorted(ran, key=lambda s: s.day or s.slot.planned_on)
    outlets = list(dict.fromkeys(s.slot.outlet.name for s in ran))
    genres = [GENRE_WORDS[s.slot.genre] for s in ran]
    day = ran[0].day or ran[0].slot.planned_on
    if len(ran) == 1:
        return Sentence(day, f"{month_day(day)}，{outlets[0]}刊发了{genres[0]}。")
    return Sentence(day, f"{month_day(day)}前后，{'、'.join(outlets)}分别刊发了"
                         f"{join_words(genres)}。")


def column_name(event: Event) -> str:
    """“劳模风采”专栏 — 专栏 said once when the name already ends with it."""
    theme = theme_of(event)
    return quoted(theme) + ("" if theme.endswith("专栏") else "专栏")


def column_sentence(event: Event, ran: list[SlotState]) -> Sentence:
    first = min((s.slot for s in ran), key=lambda slot: slot.planned_on)
    page = f"在{first.page}" if first.page else ""
    text = (f"{first.outlet.name}从{month_day(first.planned_on)}开始{page}开设了"
            f"{column_name(event)}，共刊发{sum(s.instalments_ran for s in ran)}期。")
    return Sentence(first.planned_on, text)


def feature_sentence(outlet: str, items: list[tuple[Event, SlotState]]) -> Sentence:
    items = sorted(items, key=lambda pair: pair[1].day or pair[1].slot.planned_on)
    # Each instalment's day: three pages planned as one slot over three days are three days.
    days = [state.day or state.slot.planned_on for _event, state in items]
    themes = "、".join(dict.fromkeys(quoted(theme_of(event)) for event, _state in items))
    count = chinese_number(len(items))
    text = (f"{outlet}分别在{_days(days)}，以{themes}为主题，用{count}个整版集中宣传。"
            if len(items) > 1 else
            f"{outlet}在{_days(days)}以{themes}为主题，用一个整版集中宣传。")
    return Sentence(days[0], text)


def planned_slot_sentence(event: Event) -> Sentence:
    """A slot still to come, in the future tense: what the plan says will run."""
    first = min(event.slots, key=lambda slot: slot.planned_on)
    day, outlet = first.planned_on, first.outlet.name
    page = f"在{first.page}" if first.page else ""
    if first.genre == "column":
        text = f"{outlet}将从{month_day(day)}开始{page}开设{column_name(event)}。"
    elif first.genre == "feature":
        text = f"{month_day(day)}，{outlet}将以{quoted(theme_of(event))}为主题刊发整版。"
    else:
        text = f"{month_day(day)}，{outlet}将{page}刊发{GENRE_WORDS.get(first.genre, '稿件')}。"
    return Sentence(day, text)


def slot_sentences(events: list[Event], today: date) -> list[Sentence]:
    """What the editorial-slot events ran, grouped the way the seed tells it; a slot that has
    not run and whose first day is still to come, in the future tense."""
    commentary: list[SlotState] = []
    features: dict[str, list[tuple[Event, SlotState]]] = defaultdict(list)
    sentences = []
    for event in events:
        ran = [s for s in slot_states(event, today) if s.state in RAN]
        if not ran:
            if min(slot.planned_on for slot in event.slots) > today:
                sentences.append(planned_slot_sentence(event))
            continue
        genre = ran[0].slot.genre
        if genre in ("editorial", "commentator"):
            commentary += ran
        elif genre == "column":
            sentences.append(column_sentence(event, ran))
        elif genre == "feature":
            features[ran[0].slot.outlet.name] += [(event, state) for state in ran]
        else:
            first = ran[0].slot
            sentences.append(Sentence(first.planned_on, f"{month_day(first.planned_on)}，"
                                      f"{first.outlet.name}刊发了{plain(event.short_title)}。"))
    if commentary:
        sentences.append(commentary_sentence(commentary))
    sentences += [feature_sentence(outlet, items) for outlet, items in features.items()]
    return sentences


def totals_sentence(campaign: Campaign, today: date | None = None) -> str:
    """The whole campaign's accepted coverage, counted by tier as the dashboard counts it (an
    article accepted for two events is one piece); while the campaign runs, up to today; before
    it starts and with nothing found, that it has not started."""
    refresh_pending(db.session())
    rows = db.session.execute(
        select(Outlet.tier, func.count(CoverageCell.outlet_id.distinct()),
               func.sum(CoverageCell.pieces), func.sum(CoverageCell.page_one),
               func.sum(CoverageCell.reprints))
        .join(Outlet, Outlet.id == CoverageCell.outlet_id)
        .where(CoverageCell.campaign_id == campaign.id, CoverageCell.event_id == 0,
               CoverageCell.event_type == "", CoverageCell.day == TOTAL_DAY)
        .group_by(Outlet.tier)).all()
    outlets = {tier: n for tier, n, _, _, _ in rows}
    pieces, page_one, reprints = (sum(int(r[i]) for r in rows) for i in (2, 3, 4))
    tense = tense_of(campaign, today)
    if not pieces and tense == "future":
        return "活动尚未开始，报道情况将在活动开展后统计。"
    lead = f"截至{month_day(today)}" if today is not None and tense != "past" else "活动期间"
    if not pieces:
        return f"{lead}，暂未收集到媒体报道。"
    tiers = "、".join(f"{TIER_WORDS[t]}{outlets[t]}家" for t in TIER_ORDER if outlets.get(t))
    text = (f"{lead}，共有{sum(outlets.values())}家新闻媒体（{tiers}）刊发相关报道{pieces}篇，"
            f"其中头版{page_one}篇")
    if reprints:
        text += f"，转载{reprints}篇"
    return text + "。"


def tense_of(campaign: Campaign, today: date | None) -> str:
    """"past", "present" (the campaign runs today) or "future" (it has not started)."""
    if today is None or today > campaign.ends_on:
        return "past"
    return "future" if today < campaign.starts_on else "present"


OPENING_VERBS = {"past": "开展了", "present": "正在开展", "future": "将开展"}


def summary_sentences(campaign: Campaign, today: date | None = None) -> list[Sentence]:
    """Every sentence of the draft, in date order (events of equal day in plan order)."""
    today = today or local_today(campaign.timezone)
    events = [e for e in campaign.events_in_order if e.status != "cancelled"]
    slotted = [e for e in events if e.type == "editorial_slot" and e.slots]
    sentences = [event_sentence(e, event_stats(e), today) for e in events if e not in slotted]
    sentences += slot_sentences(slotted, today)
    return sorted(sentences, key=lambda s: s.day)


def opening_sentence(campaign: Campaign, today: date) -> str:
    """"2006年4月25日至5月25日，我们开展了“…”活动。" — 正在开展 / 将开展 by the dates."""
    period = f"{month_day(campaign.starts_on)}至{month_day(campaign.ends_on)}"
    verb = OPENING_VERBS[tense_of(campaign, today)]
    name = campaign.name.strip()
    thing = quoted(name.removesuffix("活动")) + "活动"
    return f"{campaign.starts_on.year}年{period}，我们{verb}{thing}。"


def summary_text(campaign: Campaign, today: date | None = None) -> str:
    """The draft as plain text: an opening, the sentences, the totals."""
    today = today or local_today(campaign.timezone)
    body = "".join(s.text for s in summary_sentences(campaign, today))
    return "\n".join(line for line in (opening_sentence(campaign, today), body,
                                        totals_sentence(campaign, today)) if line)
