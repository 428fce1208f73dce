#!/usr/bin/env python3
"""Write the jinqiu-2011 world: five outlets' sites, labels.json, campaign.json, sources.toml.

    python3 generate.py --out DIR [--strict]

Standard library only; the output depends on nothing but the files of this directory.
"""
import argparse
import json
import random
import shutil
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from content import OUTLETS, load  # noqa: E402
from content.plan import CAMPAIGN, EVENTS  # noqa: E402
import render  # noqa: E402
from worldkit.copies import apply_ops, paragraphs  # noqa: E402

SEED = 20110809
GENRES = {"消息", "通讯", "评论", "评论员文章", "专栏", "整版", "图片新闻", "访谈", "视频新闻",
          "简讯", "服务"}
KNOWN = {"key", "outlet", "when", "title", "body", "event", "decoy", "page", "genre", "kicker",
         "subtitle", "byline", "column", "of", "edits", "credit"}
EVENT_KEYS = {e["key"] for e in EVENTS}


def resolve(items, problems):
    """Turn copies into full articles; check fields. Returns the usable articles."""
    by_key = {a["key"]: a for a in items}
    out = []
    for a in items:
        for field in sorted(set(a) - KNOWN):
            problems.append(f"{a['key']}: unknown field {field}")
        if a["outlet"] not in OUTLETS:
            problems.append(f"{a['key']}: unknown outlet {a['outlet']}")
            continue
        if "of" in a:
            src = by_key.get(a["of"])
            if src is None or "of" in src:
                problems.append(f"{a['key']}: copies {a['of']}, which is missing or a copy")
                continue
            if a["when"][:10] < src["when"][:10]:
                problems.append(f"{a['key']}: copy dated before its original")
            merged = {k: v for k, v in src.items() if k not in ("key", "outlet", "when", "page")}
            merged.update({k: v for k, v in a.items() if k != "edits"})
            merged["paras"], _ = apply_ops(a["key"], a["edits"], paras(src), problems,
                                           unknown="edit")
            merged.setdefault("credit", OUTLETS[src["outlet"]])
            merged.pop("body", None)
            a = merged
        else:
            a = dict(a, paras=paras(a))
        a.setdefault("genre", "消息")
        if a["genre"] not in GENRES:
            problems.append(f"{a['key']}: unknown genre {a['genre']}")
        if a.get("event") is not None and a["event"] not in EVENT_KEYS:
            problems.append(f"{a['key']}: unknown event {a['event']}")
        if a.get("event") and a.get("decoy"):
            problems.append(f"{a['key']}: both an event and a decoy")
        out.append(a)
    return out


def paras(a):
    return paragraphs(a["body"])


def labels(articles):
    rows = []
    for a in articles:
        rows.append({
            "url": a["url"], "outlet": OUTLETS[a["outlet"]],
            "published_at": a["published_at"], "page": a.get("page"),
            "genre": a["genre"], "title": a["title"],
            "event_key": a.get("event"), "is_reprint_of": a.get("reprint_of_url"),
            "hard_negative": a.get("decoy"), "id": a["key"],
            "credit": a.get("credit"), "column": a.get("column"),
            "page_label": a.get("page_label"), "feed_date": a.get("feed_date"),
        })
    return sorted(rows, key=lambda r: r["url"])


def pad(text, width):
    """Left-justify counting CJK characters as two columns."""
    return text + " " * max(0, width - sum(2 if ord(c) > 0x2E80 else 1 for c in text))


def counts(articles):
    by_outlet = defaultdict(Counter)
    by_event = defaultdict(Counter)
    for a in articles:
        c = by_outlet[OUTLETS[a["outlet"]]]
        c["articles"] += 1
        c["positives"] += bool(a.get("event"))
        c["hard"] += bool(a.get("decoy"))
        c["reprints"] += "of" in a
        if a.get("event"):
            by_event[a["event"]]["positives"] += 1
            by_event[a["event"]]["reprints"] += "of" in a
            by_event[a["event"]][OUTLETS[a["outlet"]]] += 1
    print(f"{'outlet':<12}{'articles':>9}{'positive':>9}{'hard neg':>9}{'reprint':>8}")
    total = Counter()
    for name in OUTLETS.values():
        c = by_outlet[name]
        total.update(c)
        print(f"{pad(name, 12)}{c['articles']:>9}{c['positives']:>9}{c['hard']:>9}{c['reprints']:>8}")
    print(f"{'total':<12}{total['articles']:>9}{total['positives']:>9}{total['hard']:>9}"
          f"{total['reprints']:>8}")
    print()
    print(f"{'event':<12}{'positive':>9}{'reprint':>8}   by outlet")
    for e in EVENTS:
        c = by_event[e["key"]]
        outs = " ".join(f"{n} {c[n]}" for n in OUTLETS.values() if c[n])
        print(f"{e['key']:<12}{c['positives']:>9}{c['reprints']:>8}   {outs}")
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
    pages = render.build(articles, www, random.Random(SEED), problems)
    articles = [a for a in articles if "url" in a]  # the rest were reported as problems
    urls = {a["key"]: a["url"] for a in articles}
    for a in articles:
        if "of" in a:
            a["reprint_of_url"] = urls.get(a["of"])
    dump = {"ensure_ascii": False, "indent": 1}
    (args.out / "labels.json").write_text(json.dumps(labels(articles), **dump) + "\n", "utf-8")
    plan = dict(CAMPAIGN, events=EVENTS)
    (args.out / "campaign.json").write_text(json.dumps(plan, **dump) + "\n", "utf-8")
    (args.out / "sources.toml").write_text(render.SOURCES_TOML, "utf-8")
    print(f"wrote {pages} files under {www}")
    counts(articles)
    for p in problems:
        print("problem:", p)
    return 1 if problems and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
