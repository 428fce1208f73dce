"""Bylines printed at the top of a newspaper story: ``（记者 张三 通讯员 李四）``,
``本报记者 王五 报道``.

E-paper articles often carry no author field; the byline is the first words of the text. A
sentence such as ``记者了解到`` starts the same way, so a would-be name that is a reporting verb
(了解到, 获悉, 注意到, 透露 …) makes the whole byline void rather than an author.
"""

from __future__ import annotations

import re

__all__ = ["body_byline", "byline_author", "is_reporting_verb"]

_ROLE = r"(?:特约记者|见习记者|首席记者|记者|通讯员|实习生|摄影)"
_ROLE_SPLIT = re.compile(rf"({_ROLE})\s*[:：]?\s*")
_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$|^[\u4e00-\u9fff]{1,4}[·•][\u4e00-\u9fff·•]{1,8}$")
# 本报讯（记者 张三）, 本报合肥4月25日讯（…）, or the bracket alone.
_BRACKETED = re.compile(
    rf"^(?:[^（()]{{0,24}}[讯电])?\s*[（(]\s*((?:本报)?{_ROLE}[^（）()]{{1,40}})[）)]")
# 本报记者 王五 报道 (the closing 报道 or 摄 is required: 记者了解到，… is a sentence).
_OPEN = re.compile(
    rf"^(?:本报讯\s*)?((?:本报)?{_ROLE}[^，。,；;：:（）()]{{1,40}}?)\s*(?:报道|摄)(?=$|[\s，。,])")
_TRAILER = re.compile(r"\s*(?:报道|摄影|摄|等)$")
# Words a sentence starts with after 记者 that are not names (记者了解到, 记者从…获悉).
_VERBS = ("了解", "获悉", "注意到", "透露", "得知", "看到", "发现", "采访", "走访", "探访",
          "观察", "调查", "证实", "表示", "介绍", "询问")
_NOT_NAME_START = ("从", "在", "于", "向", "对", "日前", "近日", "昨日", "今日", "昨天", "今天",
                   "近期", "一行", "随", "跟")
_HEAD = 80  # characters of a paragraph a byline may take


def is_reporting_verb(word: str) -> bool:
    """True when ``word`` (what follows 记者) is a reporting verb or phrase, not a name."""
    return any(verb in word for verb in _VERBS) or word.startswith(_NOT_NAME_START)


def byline_author(text: str) -> str:
    """``记者 张三 通讯员 李四`` from a byline's words, roles and names spaced; empty when a
    supposed name is not one (too long, a reporting verb)."""
    text = _TRAILER.sub("", " ".join(text.replace("本报", " ").split()))
    parts = _ROLE_SPLIT.split(text)
    if parts[0].strip():
        return ""
    found = []
    for role, names_text in zip(parts[1::2], parts[2::2], strict=True):
        names = [name for name in re.split(r"[\s、，,/]+", names_text) if name]
        if not names or not all(_NAME.match(n) and not is_reporting_verb(n) for n in names):
            return ""
        found.append(" ".join([role, *names]))
    return " ".join(found)


def body_byline(body: str) -> str:
    """The author printed at the start of a story's text (its first two paragraphs), or ""."""
    for paragraph in body.splitlines()[:2]:
        head = paragraph.strip()[:_HEAD]
        for pattern in (_BRACKETED, _OPEN):
            match = pattern.match(head)
            if match:
                return byline_author(match.group(1))
    return ""
