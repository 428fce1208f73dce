"""The articles of the jineng-2021 world, as records.

A record is a dict:

* ``key``: unique, starting with the outlet's prefix and a dash (``bs-launch``);
* ``outlet``: a key of ``OUTLETS``;
* ``when``: ``YYYY-MM-DD`` for an e-paper piece (the issue day), ``YYYY-MM-DD HH:MM`` (Beijing
  time) for the others;
* ``title`` and ``body`` (paragraphs, one a line); ``kicker`` (引题), ``sub`` (副题), ``by``;
* ``page``: the print page (int) for 巴蜀日报, 锦城日报 and 天府工人报's print pieces;
* ``genre`` (default 消息), ``column`` (the column a piece belongs to, as printed);
* ``event``: the planned event it reports, or absent; ``hard``: for a look-alike, why;
* a copy (转载) names its original in ``of`` and its edits in ``ops`` (see worldkit.copies),
  and may set ``credit`` (the 来源 it prints; default the original's outlet);
* ``trad``: the page is printed in traditional characters (the title and body are written so).
"""
from . import daily, decoys, events, more

OUTLETS = {
    "bs": "巴蜀日报",
    "tf": "天府工人报",
    "sw": "蜀网",
    "jc": "锦城日报",
    "sz": "神州工人网",
}


def load():
    """Every record, in a fixed order."""
    return [*events.ARTICLES, *more.ARTICLES, *decoys.ARTICLES, *daily.ARTICLES]
