"""Bylines: who wrote a story, told apart from the words around them.

A Chinese byline names people as 2–4 Han characters (``张三``, ``欧阳明华``) or a transcribed
name with a middle dot (``阿不都·热合曼``), separated by spaces, ``、`` or ``，``. What else gets
caught after a ``记者`` or ``作者：`` label is grammar (``记者了解到``, ``记者近日获悉``), an outlet
(``新浪科技``, ``参考消息``) or an organisation. :func:`person_names` keeps only the names.

E-paper articles often carry no author field; the byline is the first words of the text
(``（记者 张三 通讯员 李四）``, ``本报记者 王五 报道``): :func:`body_byline` reads it. A sentence
such as ``记者了解到`` starts the same way, so a would-be name that is a reporting verb makes the
whole byline void rather than an author. One list of reporting words serves both readers.
"""

from __future__ import annotations

import re

__all__ = ["body_byline", "byline_author", "clean_author", "is_link_list", "is_reporting_verb",
           "person_names", "signature"]

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

_SEPARATORS = re.compile(r"[\s、，,;；/|｜]+")
_HAN_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")
_DOT_NAME = re.compile(r"[\u4e00-\u9fff]{1,6}(?:[·•・][\u4e00-\u9fff]{1,8}){1,3}")
# A role printed before or after the name, not part of it.
_ROLE_BEFORE = re.compile(r"^(?:特约记者|首席记者|本报记者|记者|通讯员|实习生|作者|摄影|撰文)")
_ROLE_AFTER = re.compile(r"(?:报道|摄影|摄|编辑|通讯员|实习生|供图|等)+$")
# Reporting verbs and the grammar words around them: a name never holds one.
_REPORTING = re.compile("|".join(map(re.escape, (*_VERBS, "报道", "指出", "近日", "日前", "了",
                                                 "的"))))
# Outlets and organisations name themselves with these endings; people do not.
_OUTLET_END = re.compile(
    r"(?:报|网|社|台|刊|站|科技|消息|新闻|频道|在线|客户端|杂志|传媒|媒体|财经|视频|中心)$"
)
_BODY_END = re.compile(r"(?:工会|委员会|政府|集团|公司|协会|学校|大学|医院|[局厅委部院办])$")


def _strip_roles(token: str) -> str:
    stripped = _ROLE_BEFORE.sub("", token)
    trimmed = _ROLE_AFTER.sub("", stripped)
    return trimmed if len(trimmed) >= 2 else stripped


def _is_person(token: str) -> bool:
    if _DOT_NAME.fullmatch(token):
        return True
    if not _HAN_NAME.fullmatch(token) or _REPORTING.search(token):
        return False
    if _OUTLET_END.search(token):
        return False
    return not (len(token) >= 3 and _BODY_END.search(token))


def person_names(text: str) -> list[str]:
    """The people named in a byline such as ``记者 张三、李四 报道``, in order, without repeats.

    Tokens that are not a 2–4 character Han name (or a ``·`` name), that hold a reporting verb
    (``了解到``, ``获悉``) or that end like an outlet or organisation (``参考消息``, ``新华社``,
    ``省总工会``) are dropped.
    """
    names: list[str] = []
    for raw in _SEPARATORS.split(text):
        token = _strip_roles(raw.strip("：:()（）【】[]"))
        if token and _is_person(token) and token not in names:
            names.append(token)
    return names


def is_link_list(text: str, link_texts: frozenset[str]) -> bool:
    """True when ``text`` is three or more items, most of them texts of the page's links."""
    tokens = [t for t in (raw.strip("：:()（）【】[]") for raw in _SEPARATORS.split(text)) if t]
    linked = sum(token in link_texts for token in tokens)
    return len(tokens) >= 3 and linked * 2 > len(tokens)


def clean_author(
    text: str, *, link_texts: frozenset[str] = frozenset(), line: str | None = None
) -> str | None:
    """The byline's people joined by ``、``, or None when it names none.

    ``link_texts`` are the texts of the page's links and ``line`` the whole line the byline
    was read from (``text`` when not given): a line that is mostly links is a navigation list,
    not a byline, whatever its items look like.
    """
    if link_texts and is_link_list(text if line is None else line, link_texts):
        return None
    names = person_names(text)
    return "、".join(names) if names else None


# The paper's own signature, signed instead of a person: 本报评论员, 本报特约评论员, 本刊评论员,
# 本报编辑部, 本报社论 — as a line of its own, after 作者：, or opening the text.
_SIGNATURE = re.compile(
    r"(?:^|作者\s*[:：]\s*)[■●◆▲\s]*((?:本报|本刊)(?:特约)?(?:评论员|编辑部)|本报社论)"
    r"(?=$|[\s　，,：:])")


def signature(line: str) -> str:
    """The paper's signature a byline line or a text's opening carries (``作者：本报评论员``,
    ``本报评论员 劳动创造幸福…``), or ""."""
    match = _SIGNATURE.search(line.strip()[:_HEAD])
    return match.group(1) if match else ""
