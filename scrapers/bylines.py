"""Tell the people in a byline from the words around them.

A Chinese byline names people as 2–4 Han characters (``张三``, ``欧阳明华``) or a transcribed
name with a middle dot (``阿不都·热合曼``), separated by spaces, ``、`` or ``，``. What else gets
caught after a ``记者`` or ``作者：`` label is grammar (``记者了解到``, ``记者近日获悉``), an outlet
(``新浪科技``, ``参考消息``) or an organisation. :func:`person_names` keeps only the names; it is
shared by the article extractor and the e-paper reader.
"""

from __future__ import annotations

import re

__all__ = ["clean_author", "is_link_list", "person_names"]

_SEPARATORS = re.compile(r"[\s、，,;；/|｜]+")
_HAN_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")
_DOT_NAME = re.compile(r"[\u4e00-\u9fff]{1,6}(?:[·•・][\u4e00-\u9fff]{1,8}){1,3}")
# A role printed before or after the name, not part of it.
_ROLE_BEFORE = re.compile(r"^(?:特约记者|首席记者|本报记者|记者|通讯员|实习生|作者|摄影|撰文)")
_ROLE_AFTER = re.compile(r"(?:报道|摄影|摄|编辑|通讯员|实习生|供图|等)+$")
# Reporting verbs and the grammar words around them: a name never holds one.
_REPORTING = re.compile(
    r"了解|注意到|获悉|透露|表示|报道|指出|介绍|得知|发现|看到|采访|近日|日前|了|的"
)
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
