"""The domain's fixed vocabularies, with labels shown to users.

Labels are Chinese message ids: the interface is Chinese first, and the English catalogue
translates them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import (  # type: ignore[attr-defined]
    SelectChoice,  # new in WTForms 3.3, which types-WTForms (3.2) does not describe yet
)

from scrapers.genre import COLUMN, COMMENTATOR, EDITORIAL, FULL_PAGE, GENRES

EVENT_TYPES = {
    "press_briefing": _l("新闻通气会/发布会"),
    "send_off": _l("欢送活动"),
    "rally": _l("动员大会/庆祝大会"),
    "editorial_slot": _l("媒体版面（社论/专栏/整版）"),
    "broadcast": _l("直播/热线"),
    "notice": _l("下发通知"),
    "other": _l("其他"),
}

EVENT_STATUSES = {
    "planned": _l("计划中"),
    "confirmed": _l("已确认"),
    "held": _l("已举办"),
    "cancelled": _l("已取消"),
}

SLOT_GENRES = {
    "editorial": _l("社论"),
    "commentator": _l("评论员文章"),
    "column": _l("专栏"),
    "feature": _l("整版专题"),
    "other": _l("其他"),
}

# The article genre (`scrapers.genre.GENRES`) that the planned piece of each slot genre carries.
SLOT_ARTICLE_GENRE = {"editorial": EDITORIAL, "commentator": COMMENTATOR, "column": COLUMN,
                      "feature": FULL_PAGE, "other": ""}

# Chinese names officers type in a file, mapped to the codes above: the article genres, the
# labels, and shorter words.
SLOT_GENRE_ALIASES = {
    **{genre: code for code, genre in SLOT_ARTICLE_GENRE.items() if genre},
    "评论员": "commentator",
    "系列": "column",
    "系列报道": "column",
    "整版专题": "feature",
    "整版": "feature",
    "专题": "feature",
    "其他": "other",
}

# The article genres with their labels (the labels are written out for the catalogue).
ARTICLE_GENRES = dict(zip(GENRES, (
    _l("消息"), _l("通讯"), _l("评论"), _l("社论"), _l("评论员文章"), _l("专栏"), _l("专题/整版"),
    _l("图片新闻"), _l("访谈")), strict=True))

TIERS = {
    "central": _l("中央"),
    "provincial": _l("省级"),
    "municipal": _l("市级"),
    "industry": _l("行业"),
    "other": _l("其他"),
}

KINDS = {
    "newspaper": _l("报纸"),
    "tv": _l("电视"),
    "radio": _l("广播"),
    "web": _l("网站"),
    "new_media": _l("新媒体"),
}

EXPORT_JOB_STATES = {
    "queued": _l("排队等待"),
    "running": _l("正在生成"),
    "done": _l("已完成"),
    "failed": _l("失败"),
    "expired": _l("已过期"),
}

ROLES = {
    "admin": _l("管理员"),
    "officer": _l("宣教干部"),
    "leader": _l("领导"),
}

# Colours of event types on the calendar (also used by the legend).
EVENT_COLOURS = {
    "press_briefing": "#1f6feb",
    "send_off": "#2da44e",
    "rally": "#cf222e",
    "editorial_slot": "#8250df",
    "broadcast": "#bf8700",
    "notice": "#57606a",
    "other": "#0a7f8c",
}


def select_choices(pairs: Iterable[tuple[Any, Any]] | dict[Any, Any]) -> list[SelectChoice]:
    """(value, label) pairs or a {code: label} vocabulary as WTForms select choices."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice(value, label) for value, label in items]
