"""The two e-papers, and what the sites share; the web sites are in `render_web.py`.

巴蜀日报 is the older Founder e-paper (pages and articles in one day folder, table layout,
引题/主题/副题 rows and the ``enpproperty`` comment); 锦城日报 is a modern, div-based e-paper
that is not Founder's: a day folder with ``page-A0N.html`` pages, an image map of ``rect``
areas over each page picture, ``article/N.html`` pieces and a ``data.json`` of the day.
"""
import json
from collections import defaultdict
from html import escape

import render_web
from common import Writer, cn_date, day, days, html_head, paras_html
from content.plan import (BS_ISSUES, BS_PAGES_WEEKDAY, BS_PAGES_WEEKEND, JC_ISSUES,
                          JC_PAGES_WEEKDAY, JC_PAGES_WEEKEND, TZ)
from worldkit import pictures

BS_SHEET = pictures.Sheet(width=160, height=230, paper=0xFC, band=0x70, band_rows=(5, 17),
                          band_margin=6, ink=0x20, hatch=0xC4, hatch_every=5, hatch_at=2,
                          hatch_inset=5, pdf_scale=3, pdf_pen="0.2 G 0.8 w", pdf_binary_mark=True)
JC_SHEET = pictures.Sheet(width=200, height=280, paper=0xF6, band=0x50, band_rows=(8, 22),
                          band_margin=10, ink=0x33, hatch=0xB8, hatch_every=4, hatch_at=1,
                          hatch_inset=6, pdf_scale=2, pdf_pen="0.3 G 1 w", pdf_binary_mark=False)

# The bullet before each title of 巴蜀日报's page lists (a 1x1 GIF, as the old templates use).
DOT_GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01"
           b"\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


def build(articles, www, rng, problems):
    """Write every site; set url, published_at and the outlet's extras on each article."""
    w = Writer(www, problems)
    groups = defaultdict(list)
    for a in articles:
        groups[a["outlet"]].append(a)
    for items in groups.values():
        items.sort(key=lambda a: (a["when"], str(a.get("page") or ""), a["key"]))
    bs_epaper(groups["bs"], w, rng)
    jc_epaper(groups["jc"], w, rng)
    render_web.tf_site(groups["tf"], w, rng)
    render_web.sw_site(groups["sw"], w, rng)
    render_web.sz_site(groups["sz"], w, rng)
    w.put("/bsrb/image/dot.gif", DOT_GIF)
    w.put("/robots.txt", "User-agent: *\nDisallow: /swnews/search/\n")
    w.put("/index.html", front_page())
    return w.files


def front_page():
    links = [("/bsrb/html/2021-05/15/node_1.htm", "巴蜀日报 数字报"),
             ("/jcrb/epaper/20210515/index.html", "锦城日报 电子版"),
             ("/tfgrb/rss/all.xml", "天府工人报 RSS"),
             ("/swnews/gonghui/index.shtml", "蜀网 工会频道"),
             ("/szgr/dfgh/index.html", "神州工人网 地方工会")]
    items = "\n".join(f'<li><a href="{u}">{t}</a></li>' for u, t in links)
    return (html_head("jineng-2021") + f"<h1>jineng-2021</h1><ul>\n{items}\n</ul>\n"
            "</body>\n</html>\n")


def place(items, w, pages_of, first, last, name):
    """Articles by (day, page); a problem for a piece on a day or page the paper lacks."""
    by_page = defaultdict(list)
    for a in items:
        d = day(a["when"])
        if not day(first) <= d <= day(last) or a.get("page") not in pages_of(d):
            w.problems.append(f"{a['key']}: {name} has no page {a.get('page')} on {d}")
            continue
        by_page[d, a["page"]].append(a)
    return by_page


# ------------------------------------------------------------ 巴蜀日报 (older Founder)

def bs_pages(d):
    return BS_PAGES_WEEKDAY if d.weekday() < 5 else BS_PAGES_WEEKEND


def bs_epaper(items, w, rng):
    by_page = place(items, w, bs_pages, *BS_ISSUES, "巴蜀日报")
    issues = list(days(*BS_ISSUES))
    number = 1204410
    for d in issues:
        for p, name in bs_pages(d).items():
            for a in by_page[d, p]:
                number += rng.randint(1, 9)
                a["n"] = number
                a["url"] = f"/bsrb/html/{d:%Y-%m}/{d:%d}/content_{number}.htm"
                a["published_at"] = f"{d}T00:00:00{TZ}"
                a["page_label"] = f"第{p:02d}版：{name}"
    for i, d in enumerate(issues):
        pages = bs_pages(d)
        for p in pages:
            arts = by_page[d, p]
            rects = pictures.lead_and_columns(len(arts), rng, BS_SHEET)
            stem = f"{d:%Y-%m}/{d:%d}"
            w.put(f"/bsrb/images/{stem}/{p}/bs{d:%Y%m%d}{p:02d}_b.png",
                  pictures.png(rects, BS_SHEET))
            w.put(f"/bsrb/page/{stem}/{p:02d}/bs{d:%Y%m%d}{p:02d}.pdf",
                  pictures.pdf(rects, BS_SHEET))
            w.put(f"/bsrb/html/{stem}/node_{p}.htm", bs_page(d, p, pages, arts, rects, issues, i))
            for a in arts:
                w.put(a["url"], bs_article(d, p, pages, a))


def bs_page(d, p, pages, arts, rects, issues, i):
    stem = f"{d:%Y-%m}/{d:%d}"
    nav = "\n".join(f'<tr><td class="default"><a id="pageLink" href="node_{q}.htm">'
                    f"第{q:02d}版：{name}</a></td></tr>" for q, name in pages.items())
    areas = "\n".join(
        f'<area shape="polygon" coords="{x1},{y1},{x2},{y1},{x2},{y2},{x1},{y2}" '
        f'href="content_{a["n"]}.htm">' for a, (x1, y1, x2, y2) in zip(arts, rects, strict=True))
    rows = "\n".join(f'<tr><td class="title"><img src="../../../image/dot.gif">'
                     f'<a href="content_{a["n"]}.htm"><div style="display:inline" '
                     f'id="mp{a["n"]}">{escape(a["title"])}</div></a></td></tr>'
                     for a in arts) or '<tr><td class="title">本版无稿件</td></tr>'
    turn = []
    if i:
        turn.append(f'<a href="../../{issues[i - 1]:%Y-%m}/{issues[i - 1]:%d}/node_1.htm">上一期</a>')
    if i + 1 < len(issues):
        turn.append(f'<a href="../../{issues[i + 1]:%Y-%m}/{issues[i + 1]:%d}/node_1.htm">下一期</a>')
    return (html_head(f"巴蜀日报数字报-第{p:02d}版：{pages[p]}")
            + f'<table width="1000" class="top"><tr><td class="logo">巴蜀日报</td>'
            f'<td class="date">{cn_date(d)}</td><td>{" ".join(turn)}</td></tr></table>\n'
            '<table width="1000"><tr><td width="470" valign="top">\n'
            f'<img src="../../../images/{stem}/{p}/bs{d:%Y%m%d}{p:02d}_b.png" border="0" '
            f'usemap="#PagePicMap" width="{BS_SHEET.width}" height="{BS_SHEET.height}">\n'
            f'<map name="PagePicMap">\n{areas}\n</map></td>\n<td valign="top">\n'
            f'<table><tr><td class="px12">第{p:02d}版：{pages[p]}</td>'
            f'<td><a href="../../../page/{stem}/{p:02d}/bs{d:%Y%m%d}{p:02d}.pdf">'
            'PDF版</a></td></tr></table>\n'
            f'<table class="titles">\n{rows}\n</table>\n<table class="pages">\n{nav}\n</table>\n'
            "</td></tr></table>\n</body>\n</html>\n")


def enp(d, p, pages, a):
    """The Founder `enpproperty` comment of an article page."""
    return (f"<!--enpproperty <articleid>{a['n']}</articleid><date>{d}</date>"
            f"<author>{escape(a.get('by', ''))}</author><title>{escape(a['title'])}</title>"
            f"<keyword></keyword><subtitle>{escape(a.get('sub', ''))}</subtitle>"
            f"<introtitle>{escape(a.get('kicker', ''))}</introtitle>"
            f"<siteid>1</siteid><nodeid>{p}</nodeid><nodename>{pages[p]}</nodename>"
            "/enpproperty-->")


def bs_article(d, p, pages, a):
    return (html_head(a["title"]) + enp(d, p, pages, a) + "\n"
            + '<table width="760" class="article">\n'
            f'<tr><td class="font01">{escape(a.get("kicker", ""))}</td></tr>\n'
            f'<tr><td class="font02"><founder-title>{escape(a["title"])}</founder-title>'
            "</td></tr>\n"
            f'<tr><td class="font01">{escape(a.get("sub", ""))}</td></tr>\n'
            f'<tr><td class="font03"><founder-author>{escape(a.get("by", ""))}'
            "</founder-author></td></tr>\n</table>\n"
            f'<div class="info">巴蜀日报 {d.year}年{d.month}月{d.day}日 '
            f'<a href="node_{p}.htm">第{p:02d}版：{pages[p]}</a></div>\n'
            f'<div id="ozoom"><founder-content>\n{paras_html(a["paras"])}\n'
            "</founder-content></div>\n"
            f'<a href="node_{p}.htm">返回本版</a>\n</body>\n</html>\n')


# ------------------------------------------------------------ 锦城日报 (modern, not Founder)

def jc_pages(d):
    return JC_PAGES_WEEKDAY if d.weekday() < 5 else JC_PAGES_WEEKEND


def jc_epaper(items, w, rng):
    by_page = place(items, w, jc_pages, *JC_ISSUES, "锦城日报")
    issues = list(days(*JC_ISSUES))
    number = 318200
    for d in issues:
        for p, name in jc_pages(d).items():
            for a in by_page[d, p]:
                number += rng.randint(2, 12)
                a["n"] = number
                a["url"] = f"/jcrb/epaper/{d:%Y%m%d}/article/{number}.html"
                a["published_at"] = f"{d}T00:00:00{TZ}"
                a["page_label"] = f"A{p:02d}：{name}"
    for i, d in enumerate(issues):
        pages = jc_pages(d)
        layout = {p: pictures.stacked_boxes(len(by_page[d, p]), JC_SHEET, top=30, gap=8)
                  for p in pages}
        base = f"/jcrb/epaper/{d:%Y%m%d}"
        for p in pages:
            arts, rects = by_page[d, p], layout[p]
            w.put(f"{base}/img/A{p:02d}.png", pictures.png(rects, JC_SHEET))
            w.put(f"{base}/pdf/A{p:02d}.pdf", pictures.pdf(rects, JC_SHEET))
            page = jc_page(d, p, pages, arts, rects, issues, i)
            w.put(f"{base}/page-A{p:02d}.html", page)
            if p == 1:
                w.put(f"{base}/index.html", page)
            for a in arts:
                w.put(a["url"], jc_article(d, p, pages, a))
        w.put(f"{base}/data.json", jc_data(d, pages, by_page, layout))


def jc_turn(issues, i):
    out = []
    if i:
        out.append(f'<a class="prev-issue" href="../{issues[i - 1]:%Y%m%d}/index.html">前一天</a>')
    if i + 1 < len(issues):
        out.append(f'<a class="next-issue" href="../{issues[i + 1]:%Y%m%d}/index.html">后一天</a>')
    return " ".join(out)


def jc_page(d, p, pages, arts, rects, issues, i):
    nav = "\n".join(f'<a class="bm{" active" if q == p else ""}" href="page-A{q:02d}.html">'
                    f"A{q:02d}：{name}</a>" for q, name in pages.items())
    areas = "\n".join(f'<area shape="rect" coords="{x1},{y1},{x2},{y2}" '
                      f'href="article/{a["n"]}.html" title="{escape(a["title"])}">'
                      for a, (x1, y1, x2, y2) in zip(arts, rects, strict=True))
    titles = "\n".join(f'<li><a href="article/{a["n"]}.html">{escape(a["title"])}</a></li>'
                       for a in arts) or '<li class="empty">本版暂无文字稿</li>'
    return (html_head(f"锦城日报 A{p:02d}：{pages[p]}")
            + '<link rel="alternate" type="application/json" href="data.json">\n'
            f'<header class="epaper-top"><span class="brand">锦城日报</span>'
            f'<time datetime="{d}">{cn_date(d)}</time> {jc_turn(issues, i)}</header>\n'
            f'<main class="epaper"><section class="paper" data-page="A{p:02d}">\n'
            f'<div class="paper-img"><img src="img/A{p:02d}.png" usemap="#pagemap" '
            f'width="{JC_SHEET.width}" height="{JC_SHEET.height}" alt="A{p:02d}版">\n'
            f'<map name="pagemap">\n{areas}\n</map></div>\n'
            f'<div class="paper-tools"><span class="cur-page">A{p:02d}：{pages[p]}</span>'
            f'<a class="pdf" href="pdf/A{p:02d}.pdf">下载PDF</a></div></section>\n'
            f'<aside class="side"><nav class="bm-list">\n{nav}\n</nav>\n'
            f'<ul class="news-list">\n{titles}\n</ul></aside></main>\n</body>\n</html>\n')


def jc_article(d, p, pages, a):
    kicker = f'<p class="yt">{escape(a["kicker"])}</p>\n' if a.get("kicker") else ""
    sub = f'<p class="ft">{escape(a["sub"])}</p>\n' if a.get("sub") else ""
    by = f'<p class="byline">{escape(a["by"])}</p>\n' if a.get("by") else ""
    return (html_head(f"{a['title']} - 锦城日报")
            + f'<header class="epaper-top"><span class="brand">锦城日报</span>'
            f'<time datetime="{d}">{cn_date(d)}</time></header>\n'
            f'<article class="art">\n<div class="art-head">\n{kicker}'
            f'<h1 class="zt">{escape(a["title"])}</h1>\n{sub}{by}'
            f'<div class="art-meta"><span class="date">{d}</span> '
            f'<a class="page" href="../page-A{p:02d}.html">A{p:02d}：{pages[p]}</a></div>\n'
            f'</div>\n<div class="art-body">\n{paras_html(a["paras"], "")}\n</div>\n'
            "</article>\n</body>\n</html>\n")


def jc_data(d, pages, by_page, layout):
    data = {"paper": "锦城日报", "date": str(d), "pages": [
        {"no": f"A{p:02d}", "name": name, "image": f"img/A{p:02d}.png",
         "pdf": f"pdf/A{p:02d}.pdf", "html": f"page-A{p:02d}.html",
         "articles": [{"id": a["n"], "title": a["title"], "url": f"article/{a['n']}.html",
                       "coords": list(r)} for a, r in zip(by_page[d, p], layout[p],
                                                           strict=True)]}
        for p, name in pages.items()]}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
