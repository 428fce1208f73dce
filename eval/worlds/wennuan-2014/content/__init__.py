"""Articles of the wennuan-2014 world (what the world is: ../README.md).

A record is a dict made by ``A()`` (a piece written here) or ``R()`` (another outlet running a
piece written here, edited by generate.py). Bodies are plain text, one paragraph per line. Every
person, outlet and sentence is invented for this world.

A(key, outlet, when, title, body, **fields)
    key     unique id, prefixed with the outlet code (sl, gd, cz, zg, tv, ld)
    when    "YYYY-MM-DD" for the e-papers (the issue day); "YYYY-MM-DD HH:MM" elsewhere
    event   the planned event the piece reports, or absent
    hard    for a look-alike that reports no planned event: why it looks like one
    page    e-paper page (int), 春州晚报's print page ("A04"), 劳动者日报's print page (int)
    genre   消息 通讯 评论 评论员文章 专栏 图片新闻 访谈 视频新闻 简讯 服务 数据
    kicker  引题; sub 副题; by the byline as printed; column the column or programme name
R(key, outlet, when, of, ops=(), **fields)
    of      key of the original (never itself a copy)
    ops     ("same",) | ("title", new) | ("sub", old, new) | ("keep", share) | ("drop", i)
            | ("lead", text) | ("tail", text) | ("nodateline",)
    credit  the 来源 printed on the copy (default: the original outlet's name)
"""

OUTLETS = {
    "sl": "松辽日报",
    "gd": "关东工人报",
    "cz": "春州晚报",
    "zg": "关东职工网",
    "tv": "松辽广播电视台",
    "ld": "劳动者日报",
}

MODULES = ("events", "decoys", "daily")


def A(key, outlet, when, title, body, **fields):
    """A piece written for this world."""
    return {"key": key, "outlet": outlet, "when": when, "title": title, "body": body, **fields}


def R(key, outlet, when, of, ops=(), **fields):
    """Another outlet's run of the piece ``of``."""
    return {"key": key, "outlet": outlet, "when": when, "of": of, "ops": tuple(ops), **fields}


def load():
    """Every record of every module, in module order; a key seen twice is an error."""
    from importlib import import_module

    found, seen = [], set()
    for name in MODULES:
        for item in import_module(f"{__name__}.{name}").ARTICLES:
            if item["key"] in seen:
                raise ValueError(f"duplicate key {item['key']}")
            seen.add(item["key"])
            found.append(dict(item))
    return found
