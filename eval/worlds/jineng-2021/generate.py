#!/usr/bin/env python3
"""Write the jineng-2021 world: five outlets' sites, labels.json, campaign.json, sources.toml.

    python3 generate.py --out DIR [--strict]

Python 3.11 standard library only; the bytes written depend on nothing but this folder and the
shared `worldkit` beside it.
"""
import argparse
import json
import random
import re
import shutil
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import render  # noqa: E402
import render_web  # noqa: E402
from content import OUTLETS, load  # noqa: E402
from content.plan import CAMPAIGN, EVENTS  # noqa: E402
from worldkit.copies import apply_ops, paragraphs  # noqa: E402

SEED = 20210514
GENRES = {"消息", "通讯", "评论", "评论员文章", "专栏", "图片新闻", "访谈", "视频新闻", "简讯",
          "数据", "散文"}
FIELDS = {"key", "outlet", "when", "title", "body", "event", "hard", "page", "genre", "kicker",
          "sub", "by", "column", "of", "ops", "credit", "trad", "reprints"}
EVENT_KEYS = {e["key"] for e in EVENTS}
EPAPERS = ("bs", "jc")
# A dateline a copy may drop: 蜀网讯, 本报讯（记者 …）, 本报绵阳5月25日电（…）.
DATELINE = re.compile(r"^(?:本报|本网|蜀网|本台)[\u4e00-\u9fff\d月日]{0,10}(?:讯|电)"
                      r"(?:（[^）]{1,40}）)?\s*")
# What a copy takes from its original unless it sets its own.
INHERITED_NOT = ("key", "outlet", "when", "page", "body", "by", "ops")


def resolve(items, problems):
    """Copies made into full articles, fields checked: the usable articles."""
    by_key = {a["key"]: a for a in items}
    seen, out = set(), []
    for a in items:
        if a["key"] in seen:
            problems.append(f"{a['key']}: key used twice")
            continue
        seen.add(a["key"])
        for name in sorted(set(a) - FIELDS):
            problems.append(f"{a['key']}: unknown field {name}")
        if a["outlet"] not in OUTLETS or not a["key"].startswith(a["outlet"] + "-"):
            problems.append(f"{a['key']}: outlet {a['outlet']} unknown or not the key's prefix")
            continue
        a = copy_of(a, by_key, problems) if "of" in a else dict(a, paras=paragraphs(a["body"]))
        if a is None:
            continue
        a.pop("body", None)
        a.setdefault("genre", "消息")
        check(a, problems)
        out.append(a)
    return out


def copy_of(a, by_key, problems):
    src = by_key.get(a["of"])
    if src is None or "of" in src:
        problems.append(f"{a['key']}: copies {a['of']}, missing or itself a copy")
        return None
    if src["outlet"] == a["outlet"]:
        problems.append(f"{a['key']}: copies an article of its own outlet")
    if a["when"][:10] < src["when"][:10]:
        problems.append(f"{a['key']}: copy dated before its original")
    merged = {k: v for k, v in src.items() if k not in INHERITED_NOT}
    merged.update({k: v for k, v in a.items() if k != "ops"})
    merged["paras"], title = apply_ops(a["key"], a["ops"], paragraphs(src["body"]), problems,
                                       DATELINE)
    if title:
        merged["title"] = title
    if a["outlet"] in EPAPERS:
        merged.pop("credit", None)  # the e-papers print no 来源 line
    else:
        merged.setdefault("credit", OUTLETS[src["outlet"]])
    return merged


def check(a, problems):
    if a["genre"] not in GENRES:
        problems.append(f"{a['key']}: unknown genre {a['genre']}")
    if a.get("event") is not None and a["event"] not in EVENT_KEYS:
        problems.append(f"{a['key']}: unknown event {a['event']}")
    if a.get("event") and a.get("hard"):
        problems.append(f"{a['key']}: both an event and a look-alike")
    if a["outlet"] in EPAPERS and not isinstance(a.get("page"), int):
        problems.append(f"{a['key']}: an e-paper piece needs a page number")


def labels(articles):
    rows = [{
        "url": a["url"], "outlet": OUTLETS[a["outlet"]], "published_at": a["published_at"],
        "page": a.get("page"), "genre": a["genre"], "title": a["title"],
        "event_key": a.get("event"), "is_reprint_of": a.get("reprint_of_url"),
        "hard_negative": a.get("hard"), "id": a["key"], "credit": a.get("credit"),
        "column": a.get("column"), "page_label": a.get("page_label"),
        "feed_date": a.get("feed_date"),
        "traditional": bool(a.get("trad")),
    } for a in articles]
    return sorted(rows, key=lambda r: r["url"])


def width(text):
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def pad(text, size):
    return text + " " * max(0, size - width(text))


def counts(articles):
    by_outlet, by_event = defaultdict(Counter), defaultdict(Counter)
    for a in articles:
        c = by_outlet[OUTLETS[a["outlet"]]]
        c["articles"] += 1
        c["positives"] += bool(a.get("event"))
        c["hard"] += bool(a.get("hard"))
        c["reprints"] += "of" in a or "reprints" in a
        if a.get("event"):
            e = by_event[a["event"]]
            e["positives"] += 1
            e["reprints"] += "of" in a or "reprints" in a
            e[OUTLETS[a["outlet"]]] += 1
    print(f"{pad('outlet', 16)}{'articles':>9}{'positive':>9}{'hard neg':>9}{'reprint':>8}")
    total = Counter()
    for name in OUTLETS.values():
        c = by_outlet[name]
        total.update(c)
        print(f"{pad(name, 16)}{c['articles']:>9}{c['positives']:>9}{c['hard']:>9}"
              f"{c['reprints']:>8}")
    print(f"{pad('total', 16)}{total['articles']:>9}{total['positives']:>9}{total['hard']:>9}"
          f"{total['reprints']:>8}\n")
    print(f"{pad('event', 12)}{'positive':>9}{'reprint':>8}   by outlet")
    for e in EVENTS:
        c = by_event[e["key"]]
        outs = " ".join(f"{n} {c[n]}" for n in OUTLETS.values() if c[n])
        print(f"{pad(e['key'], 12)}{c['positives']:>9}{c['reprints']:>8}   {outs}")
    negatives = total["articles"] - total["positives"]
    print(f"\nnegatives {negatives} (hard {total['hard']}, ordinary {negatives - total['hard']})")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--strict", action="store_true", help="exit 1 on any content problem")
    args = parser.parse_args(argv)
    problems = []
    articles = resolve(load(), problems)
    www = args.out / "www"
    if www.exists():
        shutil.rmtree(www)
    www.mkdir(parents=True)
    files = render.build(articles, www, random.Random(SEED), problems)
    articles = [a for a in articles if "url" in a]  # the others were reported as problems
    urls = {a["key"]: a["url"] for a in articles}
    for a in articles:
        if "of" in a or "reprints" in a:  # "reprints": a copy whose text is written out
            a["reprint_of_url"] = urls.get(a.get("of") or a["reprints"])
    dump = {"ensure_ascii": False, "indent": 1}
    (args.out / "labels.json").write_text(json.dumps(labels(articles), **dump) + "\n", "utf-8")
    plan = dict(CAMPAIGN, events=EVENTS)
    (args.out / "campaign.json").write_text(json.dumps(plan, **dump) + "\n", "utf-8")
    (args.out / "sources.toml").write_text(render_web.SOURCES_TOML, "utf-8")
    print(f"wrote {files} files under {www}")
    counts(articles)
    for p in problems:
        print("problem:", p)
    return 1 if problems and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
