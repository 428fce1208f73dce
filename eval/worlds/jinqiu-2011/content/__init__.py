"""Articles of the jinqiu-2011 world (see ../README.md for what the world is).

Each article is one dict made by ``story()`` (a piece written here) or ``copy()`` (another
outlet running a piece already written, lightly edited by generate.py). Bodies are plain text,
one paragraph per line. The prose and every person in it are invented.

story(key, outlet, when, title, body, ...)
    key      unique id; the outlet code is its prefix (gj, gp, hc, gw, tv)
    outlet   one of OUTLETS below (the code)
    when     "YYYY-MM-DD" for the two e-papers (the issue day), else "YYYY-MM-DD HH:MM"
    title    主题 as printed
    event    the planned event it reports, or None
    decoy    for a piece that reports no planned event but looks like one: why (a sentence)
    page     e-paper page number (int) or the evening paper's page ("A03"); None on the web
    genre    消息 通讯 评论 评论员文章 专栏 整版 图片新闻 访谈 视频新闻 简讯 服务
    kicker   引题;  subtitle 副题;  byline the 作者 line;  column the column's name
copy(key, outlet, when, of, edits=(), credit=None, ...)
    of       key of the piece copied (never itself a copy)
    edits    ("sub", old, new) | ("cut", share) | ("drop", i) | ("lead", text) | ("tail", text)
    credit   the 来源 printed on the copy (default: the original outlet's name)
    title, page, genre, kicker, subtitle, byline override the original's
"""

OUTLETS = {
    "gj": "赣江日报",
    "gp": "赣鄱工人报",
    "hc": "洪城晚报",
    "gw": "赣工网",
    "tv": "赣江电视台",
}


def story(key, outlet, when, title, body, **fields):
    """One written piece."""
    return {"key": key, "outlet": outlet, "when": when, "title": title,
            "body": body, **fields}


def copy(key, outlet, when, of, edits=(), **fields):
    """Another outlet's run of the piece ``of``, edited by ``edits``."""
    return {"key": key, "outlet": outlet, "when": when, "of": of,
            "edits": tuple(edits), **fields}


MODULES = ("events", "decoys", "daily")


def load():
    """Every article of every module, in module order; keys must be unique."""
    from importlib import import_module
    found, seen = [], set()
    for name in MODULES:
        module = import_module(f"{__name__}.{name}")
        for item in module.ARTICLES:
            if item["key"] in seen:
                raise ValueError(f"duplicate key {item['key']}")
            seen.add(item["key"])
            found.append(dict(item))
    return found
