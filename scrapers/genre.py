"""The genre (体裁) of a Chinese news piece, from the marks newspapers print on it.

Papers do not publish a genre field, but they mark the pieces whose genre a clipping list
cares about most: an editorial is signed 本报社论 (or headed 社论), a commentator's article
本报评论员 (as its author, ``作者：本报评论员``, or opening its text, on a line of its own or
before the first sentence); a news report (消息) opens with its dateline, 本报讯,
新华社北京4月27日电 or 中安在线讯. An interview runs as ——访…. Anything else is left unnamed
("") rather than guessed: telling a feature (通讯) from a long report needs a reader.
"""

from __future__ import annotations

import re

from scrapers.bylines import signature as signed_as

__all__ = ["GENRES", "infer_genre"]

# The genres (体裁) of news pieces, as articles carry them and clipping lists print them: the
# project's one list (the app's choices, slot genres and words derive from it).
GENRES = (
    NEWS := "消息",
    REPORTAGE := "通讯",
    COMMENT := "评论",
    EDITORIAL := "社论",
    COMMENTATOR := "评论员文章",
    COLUMN := "专栏",
    FULL_PAGE := "专题/整版",
    PHOTO := "图片新闻",
    INTERVIEW := "访谈",
)

_EDITORIAL = re.compile(r"社论")
_COMMENTATOR = re.compile(r"评论员")
_INTERVIEW = re.compile(r"^\s*[—─-]{1,2}\s*(?:访|专访|对话)")
# A dateline: 本报讯, 本报合肥4月27日讯, 新华社北京4月27日电, 中安在线讯, 人民网合肥4月27日电 …
_DATELINE = re.compile(
    r"^\s*(?:[（(【\[]?\s*)?"
    r"(?:本报|新华社|中新社|中新网|人民网|新华网|央视网|[\u4e00-\u9fff]{1,6}(?:网|报|台|在线))"
    r"[\u4e00-\u9fff\d月日]{0,16}(?:讯|电)"
)


def infer_genre(*, title: str, intro_title: str = "", author: str = "", body: str = "") -> str:
    """社论, 评论员文章, 访谈 or 消息 when the piece is marked as one; else ""."""
    opening = body.lstrip()[:60]
    first_line = opening.split("\n", 1)[0].strip()
    # The signature is the author field, the 引题, or a short first line of the text
    # ("本报评论员" above an article whose page gives no author).
    signature = f"{author} {intro_title} {first_line if len(first_line) <= 12 else ''}"
    # 作者：本报评论员 in a web page's byline, or the text opening 本报评论员 before its first
    # sentence.
    signed = signed_as(author) or signed_as(opening)
    if _EDITORIAL.search(signature) or _EDITORIAL.search(signed) or title.startswith(EDITORIAL):
        return EDITORIAL
    if _COMMENTATOR.search(signature) or _COMMENTATOR.search(signed):
        return COMMENTATOR
    if _INTERVIEW.search(opening):
        return INTERVIEW
    if _DATELINE.search(opening):
        return NEWS
    return ""
