"""The articles of the weiquan-2017 world, one record per article page.

A record is a dict made by `A` (an original) or `R` (a copy of an original in another outlet):

    A(key, outlet, when, title, body, event=None, hard=None, page=None, genre="消息",
      kicker="", sub="", by="", column=None, credit=None)
    R(key, outlet, when, of, ops, **same optional fields)

* ``key``: unique, starting with the outlet's prefix (``mj-…``, ``hx-…``).
* ``outlet``: a prefix of `OUTLETS`.
* ``when``: ``"YYYY-MM-DD"`` for an e-paper piece (the issue day), ``"YYYY-MM-DD HH:MM"`` for
  the others (Beijing time).
* ``body``: one paragraph a line.
* ``event``: the key of the planned event it reports (``plan.EVENTS``), or None.
* ``hard``: on a look-alike, one sentence saying why it is confusable. Never with ``event``.
* ``page``: the e-paper page (int), the evening paper's print page (``"A03"``), or None.
* ``kicker`` / ``sub``: 引题 / 副题. ``column``: the column or programme it runs in.
* ``credit``: the 来源 a wire or copied story prints.
* ``of`` / ``ops``: the original's key and the edits (`worldkit.copies`). A copy takes the
  original's title, kicker, sub, genre, event and hard unless it sets its own; it prints the
  original outlet as its 来源 unless ``credit`` says otherwise.
"""
import importlib

OUTLETS = {
    "mj": "闽江日报",
    "hx": "海峡工人报",
    "rc": "榕城晚报",
    "bm": "八闽职工网",
    "tv": "闽江广播电视台",
    "zh": "中华工人报",
}
MODULES = ("events", "decoys", "daily")


def A(key, outlet, when, title, body, **fields):
    """An original article."""
    return {"key": key, "outlet": outlet, "when": when, "title": title, "body": body, **fields}


def R(key, outlet, when, of, ops, **fields):
    """A copy of the article ``of``, made by the edit operations ``ops``."""
    return {"key": key, "outlet": outlet, "when": when, "of": of, "ops": ops, **fields}


def load():
    """Every record of every content module, in module order."""
    items = []
    for name in MODULES:
        items.extend(importlib.import_module(f"content.{name}").ARTICLES)
    return items
