"""The demo's news sources, in the shape the tracker imports (``{base}`` is the server URL)."""

from __future__ import annotations

import copy
from typing import Any

SOURCES: list[dict[str, Any]] = [
    {
        "outlet": "安徽日报", "tier": "provincial", "kind": "newspaper", "type": "epaper",
        "url": "{base}/ahrb/html/{yyyy}-{mm}/{dd}/node_1.htm", "encoding": "utf-8",
        "layout": "founder", "first_date": "2006-04-20", "last_date": "2006-05-20",
    },
    {
        "outlet": "安徽工人日报", "tier": "provincial", "kind": "newspaper", "type": "rss",
        "url": "{base}/ahgrb/rss.xml", "encoding": "utf-8",
    },
    {
        "outlet": "中安在线", "tier": "provincial", "kind": "web", "type": "html",
        "url": "{base}/ahnews/list_1.html", "encoding": "gbk",
        "link_selector": "ul.news-list li a", "date_selector": "ul.news-list li span.date",
        "next_selector": "div.pages a.next",
    },
    {
        "outlet": "合肥日报", "tier": "municipal", "kind": "newspaper", "type": "html",
        "url": "{base}/hfrb/news/index.html", "encoding": "gb18030",
        "link_selector": "table.list td.title a", "date_selector": "table.list td.time",
        "next_selector": 'div.page a[title="下一页"]',
    },
    {
        "outlet": "工人日报", "tier": "central", "kind": "newspaper", "type": "html",
        "url": "{base}/grrb/dfgh/index.html", "encoding": "utf-8",
        "link_selector": "table.list td.title a", "date_selector": "table.list td.date",
        "next_selector": None,
    },
]


def sources_for(base: str) -> list[dict[str, Any]]:
    """``SOURCES`` with ``{base}`` replaced by ``base`` (other placeholders are kept)."""
    base = base.rstrip("/")
    out = copy.deepcopy(SOURCES)
    for s in out:
        s["url"] = s["url"].replace("{base}", base)
    return out
