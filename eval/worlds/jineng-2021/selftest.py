#!/usr/bin/env python3
"""Check the jineng-2021 world end to end, standard library only.

    python3 selftest.py [--work DIR]

The shared walk (`worldkit.walk`): generates the world twice and compares the bytes; serves
it; walks every source as a fetcher would; checks that each outlet's sources reach exactly its
labelled articles; fetches every link of every page reached (page pictures and PDFs checked by
their magic bytes); checks the labels against the plan. 锦城日报's e-paper is not Founder's, so
the walk reads it through its own day file (data.json) and page links. Then this world's own
traps: 蜀网's GBK bytes, the image maps of both e-papers, the traditional-character reprint,
the slots as they ran. Exit 1 on any failure.
"""
import json
import re
import sys
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urljoin

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import serve  # noqa: E402
from content.plan import CAMPAIGN, EVENTS  # noqa: E402
from worldkit import walk  # noqa: E402

FOUNDER_WALK = walk.walk_epaper


def walk_epaper(client, pattern, first, last):
    """Founder e-papers through the shared walk; 锦城日报 through its page-A0N links."""
    if "/jcrb/" not in pattern:
        return FOUNDER_WALK(client, pattern, first, last)
    articles, pages, d = set(), set(), first
    while d <= last:
        url = pattern.replace("{yyyy}", f"{d:%Y}").replace("{mm}", f"{d:%m}").replace(
            "{dd}", f"{d:%d}")
        status, ctype, data = client.get(url)
        if status == 200:
            index = walk.Page()
            index.feed(walk.decode(ctype, data))
            todo = [urljoin(url, h) for h in index.links if re.search(r"page-A\d+\.html$", h)]
            for page_url in [url, *todo]:
                if page_url in pages:
                    continue
                pages.add(page_url)
                s, c, body = client.get(page_url)
                page = walk.Page()
                page.feed(walk.decode(c, body))
                articles |= {urljoin(page_url, h) for h in page.links
                             if re.search(r"article/\d+\.html$", h)}
        d += timedelta(days=1)
    return articles, pages


def main(argv=None):
    walk.walk_epaper = walk_epaper
    return walk.main(argv, doc=__doc__, default_work="/tmp/jineng-2021-selftest",
                     generate=generate, serve=serve, campaign=CAMPAIGN, events=EVENTS,
                     extra=world_checks)


def world_checks(check, client, folder, labels, port):
    base = f"http://127.0.0.1:{port}"
    check_gbk(check, client, base, labels)
    check_image_maps(check, client, base, labels)
    check_day_files(check, client, base, labels)
    check_traditional(check, client, base, labels)
    check_slots(check, labels)


def check_gbk(check, client, base, labels):
    """蜀网's article pages are GBK bytes, declared only in the meta tag."""
    rows = [r for r in labels if r["outlet"] == "蜀网"]
    bad = []
    for row in rows:
        status, ctype, data = client.get(base + row["url"])
        try:
            data.decode("utf-8")
            bad.append(row["url"] + " (decodes as UTF-8)")
        except UnicodeDecodeError:
            pass
        if "charset" in ctype or b"charset=gbk" not in data[:300]:
            bad.append(f"{row['url']} ({ctype})")
    check(not bad, f"蜀网: {len(rows)} article pages in GBK, no charset in the header"
          + (f"; bad {bad[:3]}" if bad else ""))


def page_url(row):
    folder, name = row["url"].rsplit("/", 1)
    if row["outlet"] == "巴蜀日报":
        return f"{folder}/node_{row['page']}.htm", name
    return f"{folder.rsplit('/', 1)[0]}/page-A{row['page']:02d}.html", "article/" + name


def check_image_maps(check, client, base, labels):
    """Every e-paper article is outlined on its page picture (one <area> per article)."""
    by_page, missing, areas = {}, [], 0
    for row in labels:
        if row["outlet"] in ("巴蜀日报", "锦城日报"):
            page, link = page_url(row)
            by_page.setdefault(page, []).append(link)
    for page, links in sorted(by_page.items()):
        status, ctype, data = client.get(base + page)
        hrefs = re.findall(r'<area [^>]*href="([^"]+)"', walk.decode(ctype, data))
        areas += len(hrefs)
        missing += [f"{page} {link}" for link in links if link not in hrefs]
    check(not missing, f"e-papers: {areas} image-map areas on {len(by_page)} pages, one per "
          f"labelled article" + (f"; missing {missing[:3]}" if missing else ""))


def check_day_files(check, client, base, labels):
    """锦城日报's data.json of each day lists exactly that day's labelled pieces."""
    rows = [r for r in labels if r["outlet"] == "锦城日报"]
    wrong = []
    for day in sorted({r["published_at"][:10] for r in rows}):
        stem = f"/jcrb/epaper/{day.replace('-', '')}"
        status, ctype, data = client.get(f"{base}{stem}/data.json")
        listed = {f"{stem}/{a['url']}" for p in json.loads(data)["pages"] for a in p["articles"]}
        if listed != {r["url"] for r in rows if r["published_at"][:10] == day}:
            wrong.append(day)
    check(not wrong, f"锦城日报: data.json lists each day's pieces ({len(rows)} pieces)"
          + (f"; wrong on {wrong[:3]}" if wrong else ""))


def check_traditional(check, client, base, labels):
    """One reprint is printed in traditional characters and credits its original."""
    rows = [r for r in labels if r["traditional"]]
    ok = len(rows) == 1 and rows[0]["is_reprint_of"]
    if ok:
        status, ctype, data = client.get(base + rows[0]["url"])
        text = walk.decode(ctype, data)
        ok = "來源：蜀網" in text and "職工職業技能大賽" in text
    check(bool(ok), "神州工人网: one reprint in traditional characters, crediting 蜀網")


def check_slots(check, labels):
    """The column ran 9 of its 10 planned days (not 6/15); the feature's four pieces are on
    巴蜀日报 6/25 page 5; the commentary on 天府工人报 5/15 page one."""
    slot = next(e for e in EVENTS if e["key"] == "column")["slot"]
    first, last = date.fromisoformat(slot["starts_on"]), date.fromisoformat(slot["ends_on"])
    planned = {(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)
               if (first + timedelta(days=i)).isoweekday() in slot["weekdays"]}
    ran = {r["published_at"][:10] for r in labels if r["event_key"] == "column"
           and r["outlet"] == slot["outlet"]}
    check(len(planned) == 10 and len(ran) == 9 and ran <= planned,
          f"column: {len(planned)} planned days, {len(ran)} instalments ran "
          f"(missing {sorted(planned - ran)})")
    feature = [r for r in labels if r["event_key"] == "feature" and not r["is_reprint_of"]]
    check(len(feature) == 4 and all((r["outlet"], r["page"], r["published_at"][:10])
                                    == ("巴蜀日报", 5, "2021-06-25") for r in feature),
          f"feature: {len(feature)} pieces, all on 巴蜀日报 2021-06-25 第05版")
    comm = [r for r in labels if r["event_key"] == "commentary" and not r["is_reprint_of"]]
    check([(r["outlet"], r["page"], r["published_at"][:10]) for r in comm]
          == [("天府工人报", 1, "2021-05-15")], "commentary: 天府工人报 2021-05-15 一版")


if __name__ == "__main__":
    sys.exit(main())
