#!/usr/bin/env python3
"""Check the weiquan-2017 world end to end, standard library only.

    python3 selftest.py [--work DIR]

The shared walk (`worldkit.walk`): generates the world twice and compares the bytes; serves
it; walks every source as a fetcher would (e-paper days and pages, list pages with their
selectors and 下一页 links, the RSS and Atom feeds); checks that each outlet's sources reach
exactly its labelled articles; fetches every link of every page reached (page pictures and
PDFs checked by their magic bytes); checks the labels against the plan. Then this world's own
traps: 海峡工人报's bytes, the portal's short feed, the image maps, the slots as they ran.
Exit 1 on any failure.
"""
import re
import sys
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import serve  # noqa: E402
from content.plan import CAMPAIGN, EVENTS  # noqa: E402
from worldkit import walk  # noqa: E402


def main(argv=None):
    return walk.main(argv, doc=__doc__, default_work="/tmp/weiquan-2017-selftest",
                     generate=generate, serve=serve, campaign=CAMPAIGN, events=EVENTS,
                     extra=world_checks)


def world_checks(check, client, folder, labels, port):
    base = f"http://127.0.0.1:{port}"
    check_hx_bytes(check, client, base, labels)
    check_short_feed(check, client, base, labels)
    check_image_maps(check, client, base, labels)
    check_slots(check, labels)


def check_hx_bytes(check, client, base, labels):
    """海峡工人报 says gb2312; some pages only decode as GB18030, all do decode so."""
    strict_fail, bad = 0, []
    for row in labels:
        if row["outlet"] != "海峡工人报":
            continue
        status, ctype, data = client.get(base + row["url"])
        try:
            data.decode("gb2312")
        except UnicodeDecodeError:
            strict_fail += 1
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            bad.append(row["url"])
        if "charset=gb2312" not in ctype:
            bad.append(f"{row['url']} ({ctype})")
    check(strict_fail > 0 and not bad, f"海峡工人报: served as gb2312, {strict_fail} article "
          f"pages fail a strict gb2312 decode, all decode as GB18030" + (f"; bad {bad[:3]}"
                                                                    if bad else ""))


def check_short_feed(check, client, base, labels):
    """八闽职工网's feed holds only its 20 newest items; its list pages hold the rest."""
    status, ctype, data = client.get(base + "/bmzgw/rss/ghyw.xml")
    links = [item.findtext("link") for item in ET.fromstring(data).iter("item")]
    ours = sorted((r for r in labels if r["outlet"] == "八闽职工网"),
                  key=lambda r: r["published_at"], reverse=True)
    newest = {base + r["url"] for r in ours[:20]}
    check(set(links) == newest and len(ours) > 20,
          f"八闽职工网: the feed holds the {len(links)} newest of {len(ours)} items")


def check_image_maps(check, client, base, labels):
    """Every e-paper article is outlined on its page picture (one <area> per article)."""
    by_page, missing = {}, []
    for row in labels:
        if row["outlet"] not in ("闽江日报", "海峡工人报"):
            continue
        folder = row["url"].rsplit("/", 1)[0]
        if row["outlet"] == "闽江日报":
            page = folder.replace("/pc/content/", "/pc/layout/") + f"/node_{row['page']:02d}.html"
        else:
            page = f"{folder}/node_{row['page']}.htm"
        by_page.setdefault(page, []).append(row["url"])
    areas = 0
    for page, urls in sorted(by_page.items()):
        status, ctype, data = client.get(base + page)
        text = walk.decode(ctype, data)
        hrefs = re.findall(r'<area [^>]*href="?([^" >]+)', text)
        areas += len(hrefs)
        found = {re.sub(r".*/", "", h) for h in hrefs}
        missing += [u for u in urls if u.rsplit("/", 1)[1] not in found]
    check(not missing, f"e-papers: {areas} image-map areas on {len(by_page)} pages, one per "
          f"labelled article" + (f"; missing {missing[:3]}" if missing else ""))


def check_slots(check, labels):
    """The slots ran as the README says: the column 8 of its 9 planned days, the feature's
    pieces on 闽江日报 3/8 第07版, the commentary on 海峡工人报 3/7 一版."""
    slot = next(e for e in EVENTS if e["key"] == "column")["slot"]
    first, last = date.fromisoformat(slot["starts_on"]), date.fromisoformat(slot["ends_on"])
    planned = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    planned = [d for d in planned if d.isoweekday() in slot["weekdays"]]
    ran = sorted({r["published_at"][:10] for r in labels if r["event_key"] == "column"
                  and r["outlet"] == slot["outlet"]})
    check(len(planned) == 9 and len(ran) == 8 and set(ran) <= {d.isoformat() for d in planned},
          f"column: {len(planned)} planned days, {len(ran)} instalments ran "
          f"(missing {sorted({d.isoformat() for d in planned} - set(ran))})")
    feature = [r for r in labels if r["event_key"] == "feature" and not r["is_reprint_of"]]
    check(all(r["outlet"] == "闽江日报" and r["page"] == 7 and r["published_at"][:10]
              == "2017-03-08" for r in feature) and len(feature) == 4,
          f"feature: {len(feature)} pieces, all on 闽江日报 2017-03-08 第07版")
    comm = [r for r in labels if r["event_key"] == "commentary" and not r["is_reprint_of"]]
    check([(r["outlet"], r["page"], r["published_at"][:10]) for r in comm]
          == [("海峡工人报", 1, "2017-03-07")], "commentary: 海峡工人报 2017-03-07 一版")


if __name__ == "__main__":
    sys.exit(main())
