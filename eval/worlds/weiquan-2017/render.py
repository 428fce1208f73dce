"""The six outlets' sites, written from the resolved articles.

Each outlet imitates a kind of system Chinese newsrooms use: the newer Founder e-paper with a
bare page number in ``nowLayout`` (闽江日报), the older Founder e-paper in GB18030 bytes labelled
GB2312 (海峡工人报), an evening paper's CMS list (榕城晚报), a TRS-style union portal with a short
RSS feed and complete list pages (八闽职工网), a TV station's Atom feed of video news
(闽江广播电视台) and a national workers' paper's web channel (中华工人报).
"""
from collections import defaultdict
from datetime import date, datetime, timedelta
from html import escape

from content.plan import (HX_ISSUES, HX_PAGES, HX_WEEKDAYS, MJ_ISSUES, MJ_PAGE_NAMES,
                          MJ_PAGES_WEEKDAY, MJ_PAGES_WEEKEND, TZ)
from worldkit import pictures

WEEK = "一二三四五六日"
BASE = "{{BASE}}"  # serve.py writes the scheme, host and port here in the feeds
SHEET = pictures.Sheet(width=180, height=260, paper=0xFA, band=0x60, band_rows=(6, 18),
                       band_margin=7, ink=0x28, hatch=0xBE, hatch_every=4, hatch_at=2,
                       hatch_inset=5, pdf_scale=3, pdf_pen="0.25 G 0.9 w", pdf_binary_mark=True)
HX_SHEET = pictures.Sheet(width=150, height=210, paper=0xFF, band=0x90, band_rows=(4, 14),
                          band_margin=5, ink=0x10, hatch=0xD0, hatch_every=5, hatch_at=3,
                          hatch_inset=4, pdf_scale=4, pdf_pen="0 G 1 w", pdf_binary_mark=False)
BM_FEED_ITEMS = 20  # the portal's feed holds only its newest items

SOURCES_TOML = """\
# weiquan-2017: the outlets and their sources, in the tracker's import-sources format.
# serve.py writes sources.local.toml beside this file with {PORT} filled in.
# 闽江日报: newer Founder e-paper, every day (8 pages Monday-Friday, 4 at weekends).
# 海峡工人报: older Founder e-paper, GB18030 bytes labelled GB2312; Tuesday, Thursday and
#   Saturday only, four pages.
# 八闽职工网: the feed holds only its 20 newest items; the list pages hold every item (2016 too).
# 闽江人民广播电台 and 中新社福建分社 are invited but have no source: they are listed at the end
#   without one, so that the outlets exist when campaign.json invites them.

[[outlet]]
name = "闽江日报"
tier = "provincial"
kind = "newspaper"
  [[outlet.source]]
  type = "epaper"
  url = "http://127.0.0.1:{PORT}/mjrb/pc/layout/{yyyy}{mm}/{dd}/node_01.html"

[[outlet]]
name = "海峡工人报"
tier = "provincial"
kind = "newspaper"
  [[outlet.source]]
  type = "epaper"
  url = "http://127.0.0.1:{PORT}/hxgrb/html/{yyyy}-{mm}/{dd}/node_1.htm"

[[outlet]]
name = "榕城晚报"
tier = "municipal"
kind = "newspaper"
  [[outlet.source]]
  type = "html"
  url = "http://127.0.0.1:{PORT}/rcwb/bdxw/index.html"
  link_selector = "div.newslist h3 a"
  next_selector = "div.page a.next"
  max_pages = 10

[[outlet]]
name = "八闽职工网"
tier = "industry"
kind = "web"
  [[outlet.source]]
  type = "rss"
  url = "http://127.0.0.1:{PORT}/bmzgw/rss/ghyw.xml"
  [[outlet.source]]
  type = "html"
  url = "http://127.0.0.1:{PORT}/bmzgw/ghyw/index.htm"
  link_selector = "ul.list_con li a"
  next_selector = "div.page a.next"
  max_pages = 10

[[outlet]]
name = "闽江广播电视台"
tier = "provincial"
kind = "tv"
  [[outlet.source]]
  type = "rss"
  url = "http://127.0.0.1:{PORT}/mjtv/atom/news.xml"

[[outlet]]
name = "中华工人报"
tier = "central"
kind = "newspaper"
  [[outlet.source]]
  type = "html"
  url = "http://127.0.0.1:{PORT}/zhgrb/ghwq/index.html"
  link_selector = "div.news_list li a.tit"
  next_selector = "div.turnpage a.nextpage"
  max_pages = 10

[[outlet]]
name = "闽江人民广播电台"
tier = "provincial"
kind = "radio"

[[outlet]]
name = "中新社福建分社"
tier = "central"
kind = "web"
"""


def day(text):
    return date.fromisoformat(text[:10])


def days(first, last):
    d, end = day(first), day(last)
    while d <= end:
        yield d
        d += timedelta(days=1)


def cn_date(d):
    return f"{d.year}年{d.month}月{d.day}日 星期{WEEK[d.weekday()]}"


def paras_html(paras, indent="　　"):
    return "\n".join(f"<p>{indent}{escape(p)}</p>" for p in paras)


def html_head(title, charset="utf-8"):
    return ('<!DOCTYPE html>\n<html>\n<head>\n'
            f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n'
            f"<title>{escape(title)}</title>\n</head>\n<body>\n")


class Writer:
    """Writes files under www in each outlet's encoding; notes what cannot be encoded."""

    def __init__(self, www, problems):
        self.www, self.problems, self.files = www, problems, 0

    def put(self, path, content, encoding="utf-8"):
        target = self.www / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            try:
                content = content.encode(encoding)
            except UnicodeEncodeError as err:
                self.problems.append(f"{path}: {content[err.start:err.end]!r} not in {encoding}")
                content = content.encode(encoding, "xmlcharrefreplace")
        target.write_bytes(content)
        self.files += 1


def build(articles, www, rng, problems):
    """Write every site; set url, published_at and the outlet's extras on each article."""
    w = Writer(www, problems)
    groups = defaultdict(list)
    for a in articles:
        groups[a["outlet"]].append(a)
    for items in groups.values():
        items.sort(key=lambda a: (a["when"], str(a.get("page") or ""), a["key"]))
    mj_epaper(groups["mj"], w, rng)
    hx_epaper(groups["hx"], w, rng)
    rc_site(groups["rc"], w, rng)
    bm_site(groups["bm"], w, rng)
    tv_site(groups["tv"], w, rng)
    zh_site(groups["zh"], w, rng)
    w.put("/mjtv/img/player.png", pictures.png([], SHEET))
    w.put("/robots.txt", "User-agent: *\nDisallow: /bmzgw/search/\n")
    w.put("/index.html", front_page())
    for path, name, links in SECTION_HOMES:
        items = "\n".join(f'<li><a href="{u}">{t}</a></li>' for u, t in links)
        w.put(path, html_head(name) + f"<ul>\n{items}\n</ul>\n</body>\n</html>\n")
    return w.files


# The outlets' home pages, which their other pages link to.
SECTION_HOMES = [
    ("/rcwb/index.html", "榕城晚报", [("/rcwb/bdxw/index.html", "本地新闻")]),
    ("/bmzgw/index.html", "八闽职工网", [("/bmzgw/ghyw/index.htm", "工会要闻"),
                                       ("/bmzgw/rss/ghyw.xml", "RSS订阅")]),
    ("/mjtv/index.html", "闽江网络台", [("/mjtv/atom/news.xml", "新闻订阅")]),
]


def front_page():
    links = [("/mjrb/pc/layout/201703/08/node_01.html", "闽江日报 数字报"),
             ("/hxgrb/html/2017-03/07/node_1.htm", "海峡工人报 电子版"),
             ("/rcwb/bdxw/index.html", "榕城晚报 本地新闻"),
             ("/bmzgw/ghyw/index.htm", "八闽职工网 工会要闻"),
             ("/mjtv/atom/news.xml", "闽江广播电视台 新闻 Atom"),
             ("/zhgrb/ghwq/index.html", "中华工人报 工会维权")]
    items = "\n".join(f'<li><a href="{u}">{t}</a></li>' for u, t in links)
    return (html_head("weiquan-2017") + f"<h1>weiquan-2017</h1><ul>\n{items}\n</ul>\n"
            "</body>\n</html>\n")


# ------------------------------------------------------------ 闽江日报 (newer Founder)

def mj_pages(d):
    pages = MJ_PAGES_WEEKDAY if d.weekday() < 5 else MJ_PAGES_WEEKEND
    return {p: MJ_PAGE_NAMES.get((d.isoformat(), p), name) for p, name in pages.items()}


def mj_epaper(items, w, rng):
    by_page = defaultdict(list)
    first, last = day(MJ_ISSUES[0]), day(MJ_ISSUES[1])
    for a in items:
        d = day(a["when"])
        if not first <= d <= last or a.get("page") not in mj_pages(d):
            w.problems.append(f"{a['key']}: 闽江日报 has no page {a.get('page')} on {d}")
            continue
        by_page[d, a["page"]].append(a)
    issues = list(days(*MJ_ISSUES))
    number = 3310402
    for d in issues:
        for p, name in mj_pages(d).items():
            for a in by_page[d, p]:
                number += rng.randint(1, 7)
                a["n"] = number
                a["url"] = f"/mjrb/pc/content/{d:%Y%m}/{d:%d}/content_{number}.html"
                a["published_at"] = f"{d}T00:00:00{TZ}"
                a["page_label"] = f"第{p:02d}版：{name}"
    for i, d in enumerate(issues):
        pages = mj_pages(d)
        stem = f"{d:%Y%m}/{d:%d}"
        for p in pages:
            arts = by_page[d, p]
            rects = pictures.lead_and_columns(len(arts), rng, SHEET)
            w.put(f"/mjrb/pc/pic/{stem}/{p:02d}_b.png", pictures.png(rects, SHEET))
            w.put(f"/mjrb/pc/attachement/{stem}/mjrb{d:%Y%m%d}{p:02d}.pdf",
                  pictures.pdf(rects, SHEET))
            w.put(f"/mjrb/pc/layout/{stem}/node_{p:02d}.html",
                  mj_page(d, p, pages, arts, rects, issues, i))
            for a in arts:
                w.put(a["url"], mj_article(d, p, pages, a))


def mj_page(d, p, pages, arts, rects, issues, i):
    stem = f"{d:%Y%m}/{d:%d}"
    nav = "\n".join(f'<li><a href="node_{q:02d}.html">{q:02d}版：{escape(name)}</a></li>'
                    for q, name in pages.items())
    areas = "\n".join(
        f'<area shape="rect" coords="{x1},{y1},{x2},{y2}" '
        f'href="../../../content/{stem}/content_{a["n"]}.html" alt="{escape(a["title"])}">'
        for a, (x1, y1, x2, y2) in zip(arts, rects, strict=True))
    titles = "\n".join(f'<li><a href="../../../content/{stem}/content_{a["n"]}.html">'
                       f'{escape(a["title"])}</a></li>' for a in arts) or "<li>本版无稿件</li>"
    turn = []
    if i:
        e = issues[i - 1]
        turn.append(f'<a class="prev" href="../../{e:%Y%m}/{e:%d}/node_01.html">上一期</a>')
    if i + 1 < len(issues):
        e = issues[i + 1]
        turn.append(f'<a class="next" href="../../{e:%Y%m}/{e:%d}/node_01.html">下一期</a>')
    return (html_head(f"闽江日报 - {p:02d}版：{pages[p]}")
            + f'<div class="top"><span class="logo">闽江日报</span>'
            f'<span class="date">{cn_date(d)}</span> {" ".join(turn)}</div>\n'
            f'<div class="layout-bar"><span id="nowLayout">{p:02d}版</span>'
            f'<span class="lname">：{escape(pages[p])}</span>'
            f'<a class="pdf" href="../../../attachement/{stem}/mjrb{d:%Y%m%d}{p:02d}.pdf">'
            "下载本版PDF</a></div>\n"
            f'<div class="pic"><img src="../../../pic/{stem}/{p:02d}_b.png" '
            f'usemap="#PagePicMap" width="{SHEET.width}" height="{SHEET.height}">'
            f'<map name="PagePicMap" id="PagePicMap">\n{areas}\n</map></div>\n'
            f'<div class="layout-list"><ul>\n{nav}\n</ul></div>\n'
            f'<div class="title-list"><ul>\n{titles}\n</ul></div>\n'
            "</body>\n</html>\n")


def mj_article(d, p, pages, a):
    stem = f"{d:%Y%m}/{d:%d}"
    author = f'<p class="author">{escape(a["by"])}</p>\n' if a.get("by") else ""
    return (html_head(a["title"] + " - 闽江日报")
            + f'<div class="top"><span class="logo">闽江日报</span>'
            f'<span class="date">{cn_date(d)}</span></div>\n'
            f'<div class="article">\n<h3>{escape(a.get("kicker", ""))}</h3>\n'
            f'<h1>{escape(a["title"])}</h1>\n<h2>{escape(a.get("sub", ""))}</h2>\n{author}'
            f'<p class="info">闽江日报 {d.year}年{d.month:02d}月{d.day:02d}日 '
            f'<a href="../../../layout/{stem}/node_{p:02d}.html">第{p:02d}版：'
            f"{escape(pages[p])}</a></p>\n"
            f'<div id="ozoom"><founder-content>\n{paras_html(a["paras"], "")}\n'
            "</founder-content></div>\n</div>\n</body>\n</html>\n")


# ------------------------------------------------------------ 海峡工人报 (older Founder)

def hx_issue_days():
    return [d for d in days(*HX_ISSUES) if d.weekday() in HX_WEEKDAYS]


def hx_epaper(items, w, rng):
    issue_days = hx_issue_days()
    by_page = defaultdict(list)
    for a in items:
        d = day(a["when"])
        if d not in issue_days or a.get("page") not in HX_PAGES:
            w.problems.append(f"{a['key']}: 海峡工人报 has no page {a.get('page')} on {d}")
            continue
        by_page[d, a["page"]].append(a)
    number = 58120
    for d in issue_days:
        for p in HX_PAGES:
            for a in by_page[d, p]:
                number += rng.randint(3, 11)
                a["n"] = number
                a["url"] = f"/hxgrb/html/{d:%Y-%m}/{d:%d}/content_{number}.htm"
                a["published_at"] = f"{d}T00:00:00{TZ}"
                a["page_label"] = f"第{p:02d}版：{HX_PAGES[p]}"
    for i, d in enumerate(issue_days):
        for p in HX_PAGES:
            arts = by_page[d, p]
            rects = pictures.stacked_boxes(len(arts), HX_SHEET)
            stem = f"{d:%Y-%m}/{d:%d}/{p:02d}"
            w.put(f"/hxgrb/images/{stem}/hx{d:%m%d}{p:02d}.png", pictures.png(rects, HX_SHEET))
            w.put(f"/hxgrb/page/{stem}/hx{d:%Y%m%d}_{p:02d}.pdf", pictures.pdf(rects, HX_SHEET))
            w.put(f"/hxgrb/html/{d:%Y-%m}/{d:%d}/node_{p}.htm",
                  hx_page(d, p, arts, rects, issue_days, i), "gb18030")
            for a in arts:
                w.put(a["url"], hx_article(d, p, a), "gb18030")


def hx_page(d, p, arts, rects, issue_days, i):
    nav = "\n".join(f'<tr><td class="bmdh"><a id=pageLink href=node_{q}.htm>第{q:02d}版：'
                    f"{name}</a></td></tr>" for q, name in HX_PAGES.items())
    areas = "\n".join(f'<area shape="polygon" coords="{x1},{y1},{x2},{y1},{x2},{y2},{x1},{y2}" '
                      f"href=content_{a['n']}.htm>"
                      for a, (x1, y1, x2, y2) in zip(arts, rects, strict=True))
    rows = "\n".join(f'<tr><td class="title"><a href=content_{a["n"]}.htm>'
                     f'{escape(a["title"])}</a></td></tr>' for a in arts) \
        or '<tr><td class="title">本版无稿件</td></tr>'
    turn = []
    if i:
        e = issue_days[i - 1]
        turn.append(f"<a href=../../{e:%Y-%m}/{e:%d}/node_1.htm>上一期</a>")
    if i + 1 < len(issue_days):
        e = issue_days[i + 1]
        turn.append(f"<a href=../../{e:%Y-%m}/{e:%d}/node_1.htm>下一期</a>")
    stem = f"{d:%Y-%m}/{d:%d}/{p:02d}"
    return (html_head(f"海峡工人报 第{p:02d}版：{HX_PAGES[p]}", "gb2312")
            + f'<table width="980"><tr><td class="logo">海峡工人报</td><td>{cn_date(d)}</td>'
            f"<td>{' '.join(turn)}</td></tr></table>\n"
            f'<table width="980"><tr><td valign="top" width="420">\n'
            f'<img src="../../../images/{stem}/hx{d:%m%d}{p:02d}.png" usemap="#PagePicMap" '
            f'width="{HX_SHEET.width}" height="{HX_SHEET.height}" border="0">\n'
            f'<map name="PagePicMap">\n{areas}\n</map></td>\n'
            f'<td valign="top"><table><tr><td class="now">第{p:02d}版：{HX_PAGES[p]}</td>'
            f'<td><a href="../../../page/{stem}/hx{d:%Y%m%d}_{p:02d}.pdf">本版PDF</a></td></tr>'
            f"</table>\n<table>\n{rows}\n</table>\n<table>\n{nav}\n</table></td></tr></table>\n"
            "</body>\n</html>\n")


def hx_article(d, p, a):
    return (html_head(a["title"], "gb2312")
            + '<table width="760" class="article">\n'
            f'<tr><td class="font01">{escape(a.get("kicker", ""))}</td></tr>\n'
            f'<tr><td class="font02"><founder-title>{escape(a["title"])}</founder-title>'
            "</td></tr>\n"
            f'<tr><td class="font01">{escape(a.get("sub", ""))}</td></tr>\n'
            f'<tr><td class="font03">{escape(a.get("by", ""))}</td></tr>\n</table>\n'
            f'<div class="date">海峡工人报 {d.year}年{d.month}月{d.day}日 '
            f"<a href=node_{p}.htm>第{p:02d}版：{HX_PAGES[p]}</a></div>\n"
            f'<div id="ozoom"><founder-content>\n{paras_html(a["paras"])}\n'
            "</founder-content></div>\n"
            f"<a href=node_{p}.htm>返回版面</a>\n</body>\n</html>\n")


# ------------------------------------------------------------ list pages, shared by the sites

def pages_of(items, per_page):
    newest = items[::-1]
    return [newest[i:i + per_page] for i in range(0, len(newest), per_page)]


# ------------------------------------------------------------ 榕城晚报 (evening paper CMS)

def rc_site(items, w, rng):
    number = 1408830
    for a in items:
        number += rng.randint(5, 60)
        a["n"] = number
        d = day(a["when"])
        a["url"] = f"/rcwb/news/{d:%Y}/{d:%m%d}/{number}.shtml"
        a["published_at"] = f"{d}T{a['when'][11:16]}:00{TZ}"
        w.put(a["url"], rc_article(a))
    chunks = pages_of(items, 10)
    for i, chunk in enumerate(chunks):
        w.put(f"/rcwb/bdxw/{rc_list_name(i)}", rc_list_page(chunk, i, len(chunks)))


def rc_list_name(i):
    return "index.html" if i == 0 else f"index_{i + 1}.html"


def rc_list_page(chunk, i, total):
    rows = "\n".join(f'<div class="item"><h3><a href="{a["url"]}" target="_blank">'
                     f'{escape(a["title"])}</a></h3><p class="time">{a["when"]}</p>'
                     f'<p class="sum">{escape(a["paras"][0][:40])}…</p></div>' for a in chunk)
    turn = [f'<a href="{rc_list_name(0)}">首页</a>']
    if i:
        turn.append(f'<a class="prev" href="{rc_list_name(i - 1)}">上一页</a>')
    turn += [f'<a href="{rc_list_name(k)}">{k + 1}</a>' if k != i else f"<b>{k + 1}</b>"
             for k in range(total)]
    if i + 1 < total:
        turn.append(f'<a class="next" href="{rc_list_name(i + 1)}">下一页</a>')
    turn.append(f'<a href="{rc_list_name(total - 1)}">尾页</a>')
    return (html_head("本地新闻_榕城晚报")
            + '<div class="nav"><a href="/rcwb/">首页</a> <a href="/rcwb/bdxw/index.html">本地新闻'
            '</a> <a href="/rcwb/bdxw/index.html">榕城</a></div>\n'
            f'<div class="newslist">\n{rows}\n</div>\n'
            f'<div class="page">{" ".join(turn)}</div>\n</body>\n</html>\n')


def rc_article(a):
    credit = a.get("credit") or "榕城晚报"
    parts = [a["when"], f"来源：{escape(credit)}"]
    if a.get("by"):
        parts.append(escape(a["by"]))
    if a.get("page"):
        parts.append(f"{a['page']}版")
    kicker = f'<p class="yinti">{escape(a["kicker"])}</p>\n' if a.get("kicker") else ""
    sub = f'<p class="futi">{escape(a["sub"])}</p>\n' if a.get("sub") else ""
    return (html_head(a["title"] + "_榕城晚报")
            + '<div class="nav"><a href="/rcwb/bdxw/index.html">本地新闻</a> &gt; 正文</div>\n'
            f'<div class="main">\n{kicker}<h1>{escape(a["title"])}</h1>\n{sub}'
            f'<div class="info">{"　".join(parts)}</div>\n'
            f'<div class="text">\n{paras_html(a["paras"])}\n</div>\n'
            '<div class="edit">编辑：阿敏</div>\n</div>\n</body>\n</html>\n')


# ------------------------------------------------------------ 八闽职工网 (TRS-style portal)

def rfc822(when):
    moment = datetime.fromisoformat(when)
    names = "Mon Tue Wed Thu Fri Sat Sun".split()
    months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    return (f"{names[moment.weekday()]}, {moment.day:02d} {months[moment.month - 1]} "
            f"{moment.year} {moment:%H:%M}:00 +0800")


def bm_site(items, w, rng):
    number = 21560
    for a in items:
        number += rng.randint(2, 30)
        a["n"] = number
        d = day(a["when"])
        a["url"] = f"/bmzgw/ghyw/{d:%Y%m}/t{d:%Y%m%d}_{number}.htm"
        a["published_at"] = f"{d}T{a['when'][11:16]}:00{TZ}"
        a["feed_date"] = rfc822(a["when"])
        w.put(a["url"], bm_article(a))
    newest = items[::-1]
    entries = "\n".join(
        f"<item>\n<title>{escape(a['title'])}</title>\n<link>{BASE}{a['url']}</link>\n"
        f"<description>{escape(a['paras'][0][:80])}</description>\n"
        f"<pubDate>{a['feed_date']}</pubDate>\n</item>" for a in newest[:BM_FEED_ITEMS])
    w.put("/bmzgw/rss/ghyw.xml", '<?xml version="1.0" encoding="utf-8"?>\n'
          '<rss version="2.0">\n<channel>\n<title>八闽职工网-工会要闻</title>\n'
          f"<link>{BASE}/bmzgw/ghyw/index.htm</link>\n<description>福建省总工会主办</description>\n"
          f"<language>zh-cn</language>\n{entries}\n</channel>\n</rss>\n")
    chunks = pages_of(items, 15)
    for i, chunk in enumerate(chunks):
        w.put(f"/bmzgw/ghyw/{bm_list_name(i)}", bm_list_page(chunk, i, len(chunks)))


def bm_list_name(i):
    return "index.htm" if i == 0 else f"index_{i}.htm"


def short(title, size=18):
    return title if len(title) <= size else title[:size] + "…"


def bm_list_page(chunk, i, total):
    rows = "\n".join(f'<li><a href="./{a["url"][len("/bmzgw/ghyw/"):]}" '
                     f'title="{escape(a["title"])}">{escape(short(a["title"]))}</a>'
                     f'<span>{a["when"][:10]}</span></li>' for a in chunk)
    turn = []
    if i:
        turn.append(f'<a class="prev" href="{bm_list_name(i - 1)}">上一页</a>')
    turn.append(f"<span>第{i + 1}页/共{total}页</span>")
    if i + 1 < total:
        turn.append(f'<a class="next" href="{bm_list_name(i + 1)}">下一页</a>')
    return (html_head("工会要闻-八闽职工网")
            + '<div class="crumb"><a href="/bmzgw/">首页</a> &gt; 工会要闻 '
            '<a href="/bmzgw/rss/ghyw.xml">RSS</a></div>\n'
            f'<ul class="list_con">\n{rows}\n</ul>\n'
            f'<div class="page">{" ".join(turn)}</div>\n</body>\n</html>\n')


def bm_article(a):
    credit = a.get("credit") or "八闽职工网"
    by = f"　作者：{escape(a['by'])}" if a.get("by") else ""
    sub = f'<h2 class="sub">{escape(a["sub"])}</h2>\n' if a.get("sub") else ""
    return (html_head(a["title"] + "-八闽职工网")
            + '<div class="crumb"><a href="/bmzgw/">首页</a> &gt; '
            '<a href="../index.htm">工会要闻</a></div>\n'
            f'<div class="article-title"><h1>{escape(a["title"])}</h1>\n{sub}</div>\n'
            f'<div class="article-info">发布时间：{a["when"]}　来源：{escape(credit)}{by}</div>\n'
            '<div class="TRS_Editor"><style type="text/css">.TRS_Editor P{line-height:2;}'
            f"</style>\n{paras_html(a['paras'])}\n</div>\n"
            '<div class="print"><a href="javascript:window.print()">打印本页</a></div>\n'
            "</body>\n</html>\n")


# ------------------------------------------------------------ 闽江广播电视台 (Atom, video news)

def tv_site(items, w, rng):
    entries = []
    for a in items:
        d = day(a["when"])
        a["n"] = f"v{rng.randint(100000, 999999)}"
        a["url"] = f"/mjtv/news/{d:%Y}/{d:%m%d}/{a['n']}.shtml"
        a["published_at"] = f"{d}T{a['when'][11:16]}:00{TZ}"
        a["feed_date"] = f"{d}T{a['when'][11:16]}:00{TZ}"
        w.put(a["url"], tv_article(a, rng))
        entries.append(
            f"<entry>\n<title>{escape(a['title'])}</title>\n"
            f'<link rel="alternate" type="text/html" href="{BASE}{a["url"]}"/>\n'
            f"<id>tag:mjtv.example,{d:%Y}:{a['n']}</id>\n<updated>{a['feed_date']}</updated>\n"
            f"<summary>{escape(a['paras'][0][:50])}</summary>\n</entry>")
    last = items[-1]["feed_date"] if items else "2017-01-01T00:00:00+08:00"
    w.put("/mjtv/atom/news.xml", '<?xml version="1.0" encoding="utf-8"?>\n'
          '<feed xmlns="http://www.w3.org/2005/Atom">\n<title>闽江广播电视台 新闻</title>\n'
          f'<link rel="self" href="{BASE}/mjtv/atom/news.xml"/>\n'
          f"<id>tag:mjtv.example,2017:news</id>\n<updated>{last}</updated>\n"
          + "\n".join(reversed(entries)) + "\n</feed>\n")


def tv_article(a, rng):
    program = a.get("column") or "闽江新闻联播"
    return (html_head(f"【{program}】{a['title']}_闽江广播电视台")
            + '<div class="head"><a href="/mjtv/">闽江网络台</a> &gt; 新闻</div>\n'
            f'<div class="vtitle"><h1>【{escape(program)}】{escape(a["title"])}</h1>\n'
            f'<span class="time">{a["when"]}</span> <span class="src">来源：{escape(program)}'
            "</span></div>\n"
            f'<div class="player" data-vid="{a["n"]}" data-len="{rng.randint(45, 240)}">'
            '<img src="/mjtv/img/player.png" alt="视频"></div>\n'
            f'<div class="intro">【导读】{escape(a["paras"][0])}</div>\n'
            f'<div class="wzg"><b>文字稿：</b>\n{paras_html(a["paras"], "")}\n</div>\n'
            "</body>\n</html>\n")


# ------------------------------------------------------------ 中华工人报 (web channel)

def zh_site(items, w, rng):
    number = 770120
    for a in items:
        number += rng.randint(40, 400)
        a["n"] = number
        d = day(a["when"])
        a["url"] = f"/zhgrb/ghwq/{d:%Y%m}/{d:%d}/c{number}.html"
        a["published_at"] = f"{d}T{a['when'][11:16]}:00{TZ}"
        w.put(a["url"], zh_article(a))
    chunks = pages_of(items, 10)
    for i, chunk in enumerate(chunks):
        w.put(f"/zhgrb/ghwq/{zh_list_name(i)}", zh_list_page(chunk, i, len(chunks)))


def zh_list_name(i):
    return "index.html" if i == 0 else f"index_{i + 1}.html"


def zh_list_page(chunk, i, total):
    rows = "\n".join(f'<li><a class="tit" href="{a["url"]}">{escape(a["title"])}</a>'
                     f'<em>{a["when"][:16]}</em></li>' for a in chunk)
    turn = []
    if i:
        turn.append(f'<a class="prevpage" href="{zh_list_name(i - 1)}">上一页</a>')
    if i + 1 < total:
        turn.append(f'<a class="nextpage" href="{zh_list_name(i + 1)}">下一页</a>')
    return (html_head("工会维权_中华工人报")
            + '<div class="channel">中华工人报 &gt; 工会维权</div>\n'
            f'<div class="news_list"><ul>\n{rows}\n</ul></div>\n'
            f'<div class="turnpage">{" ".join(turn)}</div>\n</body>\n</html>\n')


def zh_article(a):
    credit = a.get("credit") or "中华工人报"
    by = f'<p class="author">{escape(a["by"])}</p>\n' if a.get("by") else ""
    return (html_head(a["title"] + "_中华工人报")
            + '<div class="channel"><a href="/zhgrb/ghwq/index.html">工会维权</a></div>\n'
            f'<div class="art">\n<h1>{escape(a["title"])}</h1>\n{by}'
            f'<div class="pub">来源：{escape(credit)}　{a["when"]}</div>\n'
            f'<div class="content">\n{paras_html(a["paras"])}\n</div>\n</div>\n'
            "</body>\n</html>\n")
