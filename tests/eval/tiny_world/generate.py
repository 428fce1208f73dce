"""A tiny labelled world for the evaluation harness's end-to-end test, written for the tests:
one invented outlet (测试晨报) with an RSS feed of five article pages around one invented
rally, in the format ``eval.worlds`` expects of a world folder.

    python3 generate.py --out DIR   # DIR/www, DIR/labels.json, DIR/campaign.json, DIR/sources.toml
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

OUTLET = "测试晨报"
# (number, day, title, paragraphs, event key or None, hard negative reason or None)
ARTICLES = [
    (1, "2010-03-09", "全省职工技能大赛启动仪式在省体育馆举行",
     ["3月9日上午，全省职工技能大赛启动仪式在省体育馆举行，省总工会负责同志宣布大赛启动。",
      "本届技能大赛设焊工、车工、电工等十个工种，全省各市代表队参加。"], "rally", None),
    (2, "2010-03-10", "技能大赛启动 各市代表队摩拳擦掌",
     ["昨日全省职工技能大赛启动仪式举行后，各市代表队纷纷开展赛前集训。",
      "省总工会表示，技能大赛启动仪式标志着今年劳动竞赛全面铺开。"], "rally", None),
    (3, "2010-03-11", "邻省职工技能大赛启动仪式举行",
     ["3月10日，邻省总工会在其省会举行职工技能大赛启动仪式。",
      "该省大赛与我省无关，设八个工种。"], None, "another province's rally with the same name"),
    (4, "2010-03-09", "本市春季蔬菜价格平稳",
     ["近日本市各大农贸市场蔬菜供应充足，价格总体平稳。"], None, None),
    (5, "2010-03-12", "市区部分路段今起施工",
     ["因管网改造，市区部分路段自今日起封闭施工，请市民绕行。"], None, None),
]


def article_path(number: int, day: str) -> str:
    """Where article `number` is served."""
    return f"/news/{day.replace('-', '')}/art_{number}.html"


def article_page(title: str, day: str, paragraphs: list[str]) -> str:
    """An article page: title, date line, body."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>'
            f'<body><h1>{title}</h1><div class="info">{day} 08:00 来源：{OUTLET}</div>'
            f'<div class="content">{body}</div></body></html>')


def feed() -> str:
    """The RSS feed; __BASE__ is replaced by the server's address."""
    items = "".join(
        f"<item><title>{title}</title><link>__BASE__{article_path(n, day)}</link>"
        f"<pubDate>{day_rfc822(day)}</pubDate></item>"
        for n, day, title, _p, _e, _h in ARTICLES)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{OUTLET}</title><link>__BASE__/</link><description>tiny</description>"
            f"{items}</channel></rss>")


def day_rfc822(day: str) -> str:
    """An RSS date at 08:00 Beijing time."""
    year, month, dom = day.split("-")
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return f"{dom} {months[int(month) - 1]} {year} 08:00:00 +0800"


def campaign() -> dict[str, object]:
    """The plan: one rally, inviting the outlet."""
    return {"slug": "tiny-2010", "name": "测试劳动竞赛宣传月", "starts_on": "2010-03-01",
            "ends_on": "2010-03-31", "planning_starts_on": "2010-03-01",
            "timezone": "Asia/Shanghai",
            "events": [{"key": "rally", "title": "全省职工技能大赛启动仪式", "type": "rally",
                        "starts_at": "2010-03-09T09:00:00+08:00", "venue": "省体育馆",
                        "keywords": ["技能大赛", "启动仪式"], "invited_outlets": [OUTLET],
                        "target_outlets": 1}]}


def labels() -> list[dict[str, object]]:
    """One record per article page."""
    return [{"url": article_path(n, day), "outlet": OUTLET,
             "published_at": f"{day}T08:00:00+08:00", "page": None, "genre": "消息",
             "title": title, "event_key": event, "is_reprint_of": None, "hard_negative": hard}
            for n, day, title, _p, event, hard in ARTICLES]


def sources() -> str:
    """The tracker's sources file, with {PORT} for serve.py to fill in."""
    return (f'[[outlet]]\nname = "{OUTLET}"\ntier = "municipal"\nkind = "newspaper"\n'
            '  [[outlet.source]]\n  type = "rss"\n  url = "http://127.0.0.1:{PORT}/rss.xml"\n')


def write(out: Path) -> None:
    """Write the whole world under `out`."""
    for n, day, title, paragraphs, _e, _h in ARTICLES:
        path = out / "www" / article_path(n, day).lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article_page(title, day, paragraphs), encoding="utf-8")
    (out / "www" / "rss.xml").write_text(feed(), encoding="utf-8")
    (out / "labels.json").write_text(json.dumps(labels(), ensure_ascii=False, indent=1),
                                     encoding="utf-8")
    (out / "campaign.json").write_text(json.dumps(campaign(), ensure_ascii=False, indent=1),
                                       encoding="utf-8")
    (out / "sources.toml").write_text(sources(), encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    write(parser.parse_args().out)
    print(f"{len(ARTICLES)} articles")
