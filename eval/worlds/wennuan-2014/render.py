"""The six outlets' sites, written from the resolved articles.

Each outlet is modelled on a kind of system Chinese newsrooms use: the newer Founder e-paper
(松辽日报), the older Founder e-paper with its node numbering and enpproperty comments
(关东工人报), a DedeCMS-style list (春州晚报), an RSS feed with GMT dates (关东职工网), a TV
station's TRS-style video list (松辽广播电视台) and a national paper's web channel (劳动者日报).
"""
from collections import defaultdict
from datetime import date, datetime, timedelta
from html import escape

import pictures
from content.plan import (GD_HOLIDAY, GD_ISSUES, GD_PAGES, GD_WEEKDAYS, SL_ISSUES,
                          SL_PAGES_WEEKDAY, SL_PAGES_WEEKEND, TZ)

WEEK = "一二三四五六日"
BASE = "{{BASE}}"  # serve.py writes the scheme, host and port here in the feed
# a 1x1 grey GIF, the bullet before each title on the older Founder pages
DOT_GIF = bytes.fromhex("47494638396101000100800000808080ffffff21f90401000000002c00000000"
                        "010001000002024401003b")

SOURCES_TOML = """\
# wennuan-2014: the outlets and their sources, in the tracker's import-sources format.
# serve.py writes sources.local.toml beside this file with {PORT} filled in.
# 松辽日报: newer Founder e-paper, every day (8 pages on weekdays, 4 at weekends).
# 关东工人报: older Founder e-paper, GBK; Monday, Wednesday and Friday, no issue 1/30-2/9
#   (春节休刊); the day index is node_2.htm (node numbers are not page numbers).
# 关东职工网's feed holds every item of its 工会新闻 column, last winter's too.
# 松辽人民广播电台 and 新华社吉林分社 are invited but have no source: they are listed at the end
#   without one, so that the outlets exist when campaign.json invites them.

[[outlet]]
name = "松辽日报"
tier = "provincial"
kind = "newspaper"
  [[outlet.source]]
  type = "epaper"
  url = "http://127.0.0.1:{PORT}/slrb/pc/layout/{yyyy}{mm}/{dd}/node_01.html"

[[outlet]]
name = "关东工人报"
tier = "provincial"
kind = "newspaper"
  [[outlet.source]]
  type = "epaper"
  url = "http://127.0.0.1:{PORT}/gdgrb/html/{yyyy}-{mm}/{dd}/node_2.htm"

[[outlet]]
name = "春州晚报"
tier = "municipal"
kind = "newspaper"
  [[outlet.source]]
  type = "html"
  url = "http://127.0.0.1:{PORT}/czwb/news/list_12_1.html"
  link_selector = "ul.e2 li a.title"
  next_selector = "div.dede_pages a.next"
  max_pages = 10

[[outlet]]
name = "关东职工网"
tier = "industry"
kind = "web"
  [[outlet.source]]
  type = "rss"
  url = "http://127.0.0.1:{PORT}/zgw/rss/ghxw.xml"

[[outlet]]
name = "松辽广播电视台"
tier = "provincial"
kind = "tv"
  [[outlet.source]]
  type = "html"
  url = "http://127.0.0.1:{PORT}/sltv/xwpd/index.html"
  link_selector = "div.listBox dl dt a"
  next_selector = "div.page a.pageNext"
  max_pages = 10

[[outlet]]
name = "劳动者日报"
tier = "central"
kind = "newspaper"
  [[outlet.source]]
  type = "html"
  url = "http://127.0.0.1:{PORT}/ldrb/dfgh/node_77.htm"
  link_selector = "div.list ul li a"
  next_selector = "div.turn a.nextpage"
  max_pages = 10

[[outlet]]
name = "松辽人民广播电台"
tier = "provincial"
kind = "radio"

[[outlet]]
name = "新华社吉林分社"
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
    return f"{d.year}年{d.month:02d}月{d.day:02d}日 星期{WEEK[d.weekday()]}"


def paras_html(paras, indent="　　"):
    return "\n".join(f"<p>{indent}{escape(p)}</p>" for p in paras)


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
    sl_epaper(groups["sl"], w, rng)
    gd_epaper(groups["gd"], w, rng)
    cz_list(groups["cz"], w, rng)
    zg_feed(groups["zg"], w, rng)
    tv_list(groups["tv"], w, rng)
    ld_list(groups["ld"], w, rng)
    w.put("/sltv/img/v.png", pictures.png([]))
    w.put("/gdgrb/image/dot.gif", DOT_GIF)
    w.put("/robots.txt", "User-agent: *\nDisallow: /czwb/plus/\nDisallow: /zgw/search/\n")
    w.put("/index.html", front_page())
    return w.files


def front_page():
    links = [("/slrb/pc/layout/201401/08/node_01.html", "松辽日报 数字报"),
             ("/gdgrb/html/2014-01/08/node_2.htm", "关东工人报 电子版"),
             ("/czwb/news/list_12_1.html", "春州晚报 本地新闻"),
             ("/zgw/rss/ghxw.xml", "关东职工网 工会新闻 RSS"),
             ("/sltv/xwpd/index.html", "松辽广播电视台 新闻频道"),
             ("/ldrb/dfgh/node_77.htm", "劳动者日报 地方工会")]
    items = "\n".join(f'<li><a href="{u}">{t}</a></li>' for u, t in links)
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>wennuan-2014</title>'
            f"</head><body><h1>wennuan-2014</h1><ul>\n{items}\n</ul></body></html>\n")


# ------------------------------------------------------------ 松辽日报 (newer Founder)

def sl_pages(d):
    return SL_PAGES_WEEKDAY if d.weekday() < 5 else SL_PAGES_WEEKEND


def sl_epaper(items, w, rng):
    by_page = defaultdict(list)
    first, last = day(SL_ISSUES[0]), day(SL_ISSUES[1])
    for a in items:
        d = day(a["when"])
        if not first <= d <= last or a.get("page") not in sl_pages(d):
            w.problems.append(f"{a['key']}: 松辽日报 has no page {a.get('page')} on {d}")
            continue
        by_page[d, a["page"]].append(a)
    number = 1204517
    issues = list(days(*SL_ISSUES))
    for d in issues:
        for p in sl_pages(d):
            for a in by_page[d, p]:
                number += rng.randint(1, 9)
                a["n"] = number
                a["url"] = f"/slrb/pc/content/{d:%Y%m}/{d:%d}/content_{number}.html"
                a["published_at"] = f"{d}T00:00:00{TZ}"
                a["page_label"] = f"第{p:02d}版：{sl_pages(d)[p]}"
    for i, d in enumerate(issues):
        pages = sl_pages(d)
        for p in pages:
            arts = by_page[d, p]
            rects = pictures.blocks(len(arts), rng)
            stem = f"{d:%Y%m}/{d:%d}"
            w.put(f"/slrb/pc/pic/{stem}/P{p:02d}_b.png", pictures.png(rects))
            w.put(f"/slrb/pc/pdf/{stem}/P{p:02d}.pdf", pictures.pdf(rects))
            w.put(f"/slrb/pc/layout/{stem}/node_{p:02d}.html",
                  sl_page(d, p, pages, arts, rects, issues, i))
            for a in arts:
                w.put(a["url"], sl_article(d, p, pages, a))


def sl_head(title):
    return ('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n</head>\n<body>\n")


def sl_page(d, p, pages, arts, rects, issues, i):
    stem = f"{d:%Y%m}/{d:%d}"
    nav = "\n".join(f'<div class="swiper-slide"><a id="pageLink" href="node_{q:02d}.html">'
                    f"第{q:02d}版：{name}</a></div>" for q, name in pages.items())
    areas = "\n".join(
        f'<area coords="{x1},{y1},{x2},{y1},{x2},{y2},{x1},{y2}" shape="polygon" '
        f'href="../../../content/{stem}/content_{a["n"]}.html">'
        for a, (x1, y1, x2, y2) in zip(arts, rects, strict=True))
    titles = "\n".join(f'<li><a href="../../../content/{stem}/content_{a["n"]}.html">'
                       f'{escape(a["title"])}</a></li>' for a in arts)
    turn = []
    if i:
        e = issues[i - 1]
        turn.append(f'<a href="../../{e:%Y%m}/{e:%d}/node_01.html">上一期</a>')
    if i + 1 < len(issues):
        e = issues[i + 1]
        turn.append(f'<a href="../../{e:%Y%m}/{e:%d}/node_01.html">下一期</a>')
    return (sl_head(f"松辽日报数字报 第{p:02d}版：{pages[p]}")
            + f'<div class="header"><span class="logo">松辽日报</span>'
            f'<span class="date">{cn_date(d)}</span> {" ".join(turn)}</div>\n'
            f'<div class="paper-box">\n<div class="paper-bt"><p id="nowLayout">第{p:02d}版：'
            f"{pages[p]}</p>"
            f'<a class="pdf" href="../../../pdf/{stem}/P{p:02d}.pdf">PDF</a></div>\n'
            f'<div class="paper"><img src="../../../pic/{stem}/P{p:02d}_b.png" '
            f'usemap="#PagePicMap" width="{pictures.W}" height="{pictures.H}">'
            f'<map name="PagePicMap">\n{areas}\n</map></div>\n</div>\n'
            f'<div class="swiper-box">\n{nav}\n</div>\n'
            f'<div class="news"><ul class="news-list">\n{titles}\n</ul></div>\n'
            "</body>\n</html>\n")


def sl_article(d, p, pages, a):
    stem = f"{d:%Y%m}/{d:%d}"
    author = f'<p class="author">{escape(a["by"])}</p>\n' if a.get("by") else ""
    return (sl_head(a["title"])
            + f'<div class="header"><span class="logo">松辽日报</span>'
            f'<span class="date">{cn_date(d)}</span></div>\n'
            f'<div class="article">\n<h3>{escape(a.get("kicker", ""))}</h3>\n'
            f'<h1>{escape(a["title"])}</h1>\n<h2>{escape(a.get("sub", ""))}</h2>\n{author}'
            f'<p class="sec"><span class="date">{d.year}年{d.month:02d}月{d.day:02d}日</span>'
            f'<a href="../../../layout/{stem}/node_{p:02d}.html">第{p:02d}版：{pages[p]}</a></p>\n'
            f'<div id="ozoom">\n{paras_html(a["paras"], "")}\n</div>\n</div>\n'
            "</body>\n</html>\n")


# ------------------------------------------------------------ 关东工人报 (older Founder)

def gd_issue_days():
    hol = (day(GD_HOLIDAY[0]), day(GD_HOLIDAY[1]))
    return [d for d in days(*GD_ISSUES)
            if d.weekday() in GD_WEEKDAYS and not hol[0] <= d <= hol[1]]


def gd_epaper(items, w, rng):
    issue_days = gd_issue_days()
    by_page = defaultdict(list)
    for a in items:
        d = day(a["when"])
        if d not in issue_days or a.get("page") not in GD_PAGES:
            w.problems.append(f"{a['key']}: 关东工人报 has no page {a.get('page')} on {d}")
            continue
        by_page[d, a["page"]].append(a)
    number = 310250
    for d in issue_days:
        for p in GD_PAGES:
            for a in by_page[d, p]:
                number += rng.randint(2, 6)
                a["n"] = number
                a["url"] = f"/gdgrb/html/{d:%Y-%m}/{d:%d}/content_{number}.htm"
                a["published_at"] = f"{d}T00:00:00{TZ}"
                a["page_label"] = f"第{p:02d}版：{GD_PAGES[p]}"
    for i, d in enumerate(issue_days):
        for p in GD_PAGES:
            arts = by_page[d, p]
            rects = pictures.blocks(len(arts), rng)
            stem = f"{d:%Y-%m}/{d:%d}/{p:02d}/gd{d:%m%d}{p:02d}"
            w.put(f"/gdgrb/images/{stem}.png", pictures.png(rects))
            w.put(f"/gdgrb/page/{stem}.pdf", pictures.pdf(rects))
            w.put(f"/gdgrb/html/{d:%Y-%m}/{d:%d}/node_{p + 1}.htm",
                  gd_page(d, p, arts, rects, issue_days, i), "gbk")
            for a in arts:
                w.put(a["url"], gd_article(d, p, a), "gbk")


def gd_head(title):
    return ('<HTML>\n<HEAD>\n<META http-equiv="Content-Type" content="text/html; charset=gbk">\n'
            f"<TITLE>{escape(title)}</TITLE>\n</HEAD>\n<BODY>\n")


def gd_page(d, p, arts, rects, issue_days, i):
    nav = "\n".join(f'<tr><td><a id=pageLink href=node_{q + 1}.htm>第{q:02d}版：{name}</a>'
                    f"</td></tr>" for q, name in GD_PAGES.items())
    areas = "\n".join(f'<area shape="rect" coords="{x1},{y1},{x2},{y2}" '
                      f'href="content_{a["n"]}.htm">'
                      for a, (x1, y1, x2, y2) in zip(arts, rects, strict=True))
    if arts:
        rows = "\n".join(f'<tr><td class="default"><img src="../../../image/dot.gif">'
                         f'<a href=content_{a["n"]}.htm><div style="display:inline" '
                         f'id=mp{a["n"]}>{escape(a["title"])}</div></a></td></tr>'
                         for a in arts)
    else:
        rows = '<tr><td class="default">本版暂无文字稿</td></tr>'
    turn = []
    if i:
        e = issue_days[i - 1]
        turn.append(f"<a href=../../{e:%Y-%m}/{e:%d}/node_2.htm>上一期</a>")
    if i + 1 < len(issue_days):
        e = issue_days[i + 1]
        turn.append(f"<a href=../../{e:%Y-%m}/{e:%d}/node_2.htm>下一期</a>")
    stem = f"{d:%Y-%m}/{d:%d}/{p:02d}/gd{d:%m%d}{p:02d}"
    return (gd_head(f"关东工人报-第{p:02d}版：{GD_PAGES[p]}")
            + f'<table width="1000" border="0"><tr><td class="top">关东工人报</td>'
            f"<td>{cn_date(d)}</td><td>{' '.join(turn)}</td></tr></table>\n"
            f'<table width="1000"><tr><td valign="top">\n'
            f'<img src="../../../images/{stem}.png" border="0" usemap="#PagePicMap">'
            f'<map name="PagePicMap">\n{areas}\n</map>\n'
            f'<br><a href="../../../page/{stem}.pdf">PDF版</a>\n</td>\n'
            f'<td valign="top"><table class="bmdh">\n{nav}\n</table>\n'
            f'<table><tr><td>第{p:02d}版：{GD_PAGES[p]}</td></tr>\n{rows}\n</table></td></tr>'
            "</table>\n</BODY>\n</HTML>\n")


def gd_article(d, p, a):
    kicker, sub, by = a.get("kicker", ""), a.get("sub", ""), a.get("by", "")
    enp = (f"<!--enpproperty <articleid>{a['n']}</articleid><date>{d}</date>"
           f"<author>{escape(by)}</author><title>{escape(a['title'])}</title>"
           f"<keyword></keyword><subtitle>{escape(sub)}</subtitle>"
           f"<introtitle>{escape(kicker)}</introtitle><siteid>1</siteid>"
           f"<nodeid>{p + 1}</nodeid><nodename>第{p:02d}版：{GD_PAGES[p]}</nodename>"
           "/enpproperty-->")
    return (gd_head(a["title"]) + enp + "\n"
            + '<table width="660" border="0" class="article">\n'
            f'<tr><td class="font01">{escape(kicker)}</td></tr>\n'
            f'<tr><td class="font02"><founder-title>{escape(a["title"])}</founder-title>'
            "</td></tr>\n"
            f'<tr><td class="font01">{escape(sub)}</td></tr>\n'
            f'<tr><td class="font03"><founder-author>{escape(by)}</founder-author></td></tr>\n'
            "</table>\n"
            f'<div class="sj">关东工人报 {d.year}年{d.month}月{d.day}日 '
            f"<a href=node_{p + 1}.htm>第{p:02d}版：{GD_PAGES[p]}</a></div>\n"
            f'<div id="ozoom"><founder-content>\n{paras_html(a["paras"])}\n'
            "</founder-content></div>\n"
            f"<a href=node_{p + 1}.htm>返回本版</a>\n</BODY>\n</HTML>\n")


# ------------------------------------------------------------ 春州晚报 (DedeCMS-style list)

def cz_list(items, w, rng):
    per_page = 10
    number = 40310
    for a in items:
        number += rng.randint(3, 40)
        a["n"] = number
        d = day(a["when"])
        a["url"] = f"/czwb/news/{d:%Y}/{d:%m%d}/{number}.html"
        a["published_at"] = f"{d}T{a['when'][11:16]}:00{TZ}"
        w.put(a["url"], cz_article(a))
    newest = items[::-1]
    chunks = [newest[i:i + per_page] for i in range(0, len(newest), per_page)]
    for i, chunk in enumerate(chunks):
        w.put(f"/czwb/news/list_12_{i + 1}.html", cz_list_page(chunk, i, len(chunks), len(items)))
    w.put("/czwb/index.html", '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
          "<title>春州晚报</title>\n</head>\n<body>\n"
          '<a href="/czwb/news/list_12_1.html">本地新闻</a>\n</body>\n</html>\n')


def cz_list_page(chunk, i, total, count):
    rows = "\n".join(f'<li><a href="{a["url"]}" class="title" target="_blank">'
                     f'{escape(a["title"])}</a><span class="info"><small>日期：</small>'
                     f'{a["when"]}</span></li>' for a in chunk)
    pages = ['<a href="list_12_1.html">首页</a>']
    if i:
        pages.append(f'<a href="list_12_{i}.html">上一页</a>')
    for k in range(total):
        pages.append(f'<span class="thisclass">{k + 1}</span>' if k == i
                     else f'<a href="list_12_{k + 1}.html">{k + 1}</a>')
    if i + 1 < total:
        pages.append(f'<a class="next" href="list_12_{i + 2}.html">下一页</a>')
    pages.append(f'<a href="list_12_{total}.html">末页</a>')
    pages.append(f'<span class="pageinfo">共 <strong>{total}</strong>页<strong>{count}</strong>条'
                 "</span>")
    return ('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
            "<title>本地新闻_春州晚报</title>\n</head>\n<body>\n"
            '<div class="position">当前位置：<a href="/czwb/">首页</a> &gt; 本地新闻</div>\n'
            f'<div class="listbox"><ul class="e2">\n{rows}\n</ul></div>\n'
            f'<div class="dede_pages">{" ".join(pages)}</div>\n'
            '<div class="hot"><h3>热点排行</h3><ul><li><a href="/czwb/news/list_12_1.html">'
            "本地新闻</a></li></ul></div>\n</body>\n</html>\n")


def cz_article(a):
    credit = a.get("credit") or "春州晚报"
    by = f"　作者：{a['by']}" if a.get("by") else ""
    page = f"　版次：{a['page']}" if a.get("page") else ""
    kicker = f'<div class="yt">{escape(a["kicker"])}</div>\n' if a.get("kicker") else ""
    sub = f'<div class="ft">{escape(a["sub"])}</div>\n' if a.get("sub") else ""
    return ('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
            f'<title>{escape(a["title"])}_春州晚报</title>\n</head>\n<body>\n'
            '<div class="position">当前位置：<a href="/czwb/">首页</a> &gt; '
            '<a href="/czwb/news/list_12_1.html">本地新闻</a> &gt; 正文</div>\n'
            f'<div class="viewbox">\n{kicker}<h2>{escape(a["title"])}</h2>\n{sub}'
            f'<div class="info">时间：{a["when"]}　来源：{escape(credit)}{escape(by)}{page}</div>\n'
            f'<div class="content">\n{paras_html(a["paras"])}\n</div>\n</div>\n'
            "</body>\n</html>\n")


# ------------------------------------------------------------ 关东职工网 (RSS, GMT dates)

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
DAYS = "Mon Tue Wed Thu Fri Sat Sun".split()


def zg_feed(items, w, rng):
    entries = []
    number = 10270
    for a in items:
        number += rng.randint(1, 12)
        a["n"] = number
        d = day(a["when"])
        a["url"] = f"/zgw/system/{d:%Y/%m/%d}/0{number:08d}.shtml"
        a["published_at"] = f"{d}T{a['when'][11:16]}:00{TZ}"
        utc = datetime.fromisoformat(a["when"]) - timedelta(hours=8)
        a["feed_date"] = (f"{DAYS[utc.weekday()]}, {utc.day:02d} {MONTHS[utc.month - 1]} "
                          f"{utc.year} {utc:%H:%M}:00 GMT")
        w.put(a["url"], zg_article(a))
        lead = a["paras"][0]
        entries.append(f"<item>\n<title>{escape(a['title'])}</title>\n"
                       f"<link>{BASE}{a['url']}</link>\n"
                       f"<description><![CDATA[{lead[:60]}]]></description>\n"
                       f"<category>工会新闻</category>\n"
                       f"<pubDate>{a['feed_date']}</pubDate>\n"
                       f'<guid isPermaLink="true">{BASE}{a["url"]}</guid>\n</item>')
    feed = ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0">\n<channel>\n'
            f"<title>关东职工网 - 工会新闻</title>\n<link>{BASE}/zgw/</link>\n"
            "<description>吉林省总工会主办</description>\n<language>zh-cn</language>\n"
            "<generator>关东职工网 RSS</generator>\n<ttl>30</ttl>\n"
            + "\n".join(reversed(entries)) + "\n</channel>\n</rss>\n")
    w.put("/zgw/rss/ghxw.xml", feed)
    newest = items[::-1]
    rows = "\n".join(f'<li><a href="{a["url"]}">{escape(a["title"])}</a>'
                     f'<span>{a["when"][:10]}</span></li>' for a in newest)
    w.put("/zgw/ghxw/index.html", zg_section("工会新闻", rows))
    w.put("/zgw/index.html", zg_section("首页", "\n".join(rows.split("\n")[:10])
                                        + '\n<li><a href="/zgw/rss/ghxw.xml">RSS订阅</a></li>'))


def zg_section(name, rows):
    return ('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
            f"<title>{name} - 关东职工网</title>\n</head>\n<body>\n"
            '<div class="nav"><a href="/zgw/">首页</a> &gt; '
            '<a href="/zgw/ghxw/">工会新闻</a></div>\n'
            f'<ul class="list">\n{rows}\n</ul>\n</body>\n</html>\n')


def zg_article(a):
    credit = a.get("credit") or "关东职工网"
    by = f"　作者：{a['by']}" if a.get("by") else ""
    sub = f'<h3 class="sub">{escape(a["sub"])}</h3>\n' if a.get("sub") else ""
    return ('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
            f'<title>{escape(a["title"])} - 关东职工网</title>\n</head>\n<body>\n'
            '<div class="nav"><a href="/zgw/">首页</a> &gt; '
            '<a href="/zgw/ghxw/">工会新闻</a></div>\n'
            f'<div class="detail">\n<h1>{escape(a["title"])}</h1>\n{sub}'
            f'<div class="property">{a["when"]}:00　来源：{escape(credit)}{escape(by)}</div>\n'
            f'<div class="detail-body">\n{paras_html(a["paras"])}\n</div>\n'
            f'<div class="editor">【责任编辑：{"于" if a["n"] % 2 else "甘"}编】</div>\n'
            '<div class="share">分享到：<a href="#">微博</a> <a href="#">微信</a></div>\n'
            "</div>\n</body>\n</html>\n")


# ------------------------------------------------------------ 松辽广播电视台 (video news)

def tv_list(items, w, rng):
    per_page = 8
    for a in items:
        d = day(a["when"])
        a["n"] = f"t{d:%Y%m%d}_{rng.randint(100000, 999999)}"
        a["url"] = f"/sltv/xwpd/{d:%Y%m}/{a['n']}.html"
        a["published_at"] = f"{d}T{a['when'][11:16]}:00{TZ}"
        w.put(a["url"], tv_article(a, rng))
    newest = items[::-1]
    chunks = [newest[i:i + per_page] for i in range(0, len(newest), per_page)]
    for i, chunk in enumerate(chunks):
        w.put(f"/sltv/xwpd/{tv_list_name(i)}", tv_list_page(chunk, i, len(chunks)))


def tv_list_name(i):
    return "index.html" if i == 0 else f"index_{i}.html"


def tv_list_page(chunk, i, total):
    rows = "\n".join(f'<dl><dd class="pic"><img src="../img/v.png" alt=""></dd>'
                     f'<dt><a href="./{a["url"][len("/sltv/xwpd/"):]}" target="_blank">'
                     f'{escape(a["title"])}</a></dt><dd class="time">{a["when"]}</dd></dl>'
                     for a in chunk)
    turn = []
    if i:
        turn.append(f'<a class="pagePrev" href="{tv_list_name(i - 1)}">上一页</a>')
    turn.append(f"<span>{i + 1}/{total}</span>")
    if i + 1 < total:
        turn.append(f'<a class="pageNext" href="{tv_list_name(i + 1)}">下一页</a>')
    return ('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
            "<title>新闻频道_松辽广播电视台</title>\n</head>\n<body>\n"
            '<div class="topnav"><a href="index.html">新闻频道</a> <a href="#">直播</a></div>\n'
            f'<div class="listBox">\n{rows}\n</div>\n'
            f'<div class="page">{" ".join(turn)}</div>\n</body>\n</html>\n')


def tv_article(a, rng):
    program = a.get("column") or "松辽新闻联播"
    return ('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
            f'<title>【{program}】{escape(a["title"])}_松辽广播电视台</title>\n</head>\n<body>\n'
            '<div class="topnav"><a href="../index.html">新闻频道</a></div>\n'
            f'<div class="video-title"><h1>【{escape(program)}】{escape(a["title"])}</h1>\n'
            f'<p class="info">发布时间：{a["when"]}　栏目：{escape(program)}</p></div>\n'
            f'<div class="player" id="player_{a["n"]}" data-duration="{rng.randint(60, 300)}">'
            '<img src="../../img/v.png" alt="点击播放"></div>\n'
            f'<div class="brief">【内容提要】{escape(a["paras"][0])}</div>\n'
            f'<div class="wzg"><h4>文字稿</h4>\n{paras_html(a["paras"], "")}\n</div>\n'
            "</body>\n</html>\n")


# ------------------------------------------------------------ 劳动者日报 (web channel)

def ld_list(items, w, rng):
    per_page = 10
    number = 5510
    for a in items:
        number += rng.randint(20, 90)
        a["n"] = number
        d = day(a["when"])
        a["url"] = f"/ldrb/content/{d:%Y-%m}/{d:%d}/content_{number}.htm"
        a["published_at"] = f"{d}T{a['when'][11:16]}:00{TZ}"
        w.put(a["url"], ld_article(a))
    newest = items[::-1]
    chunks = [newest[i:i + per_page] for i in range(0, len(newest), per_page)]
    for i, chunk in enumerate(chunks):
        w.put(f"/ldrb/dfgh/{ld_list_name(i)}", ld_list_page(chunk, i, len(chunks)))


def ld_list_name(i):
    return "node_77.htm" if i == 0 else f"node_77_{i + 1}.htm"


def ld_list_page(chunk, i, total):
    rows = "\n".join(f'<li><span class="d">[{a["when"][5:10]}]</span>'
                     f'<a href="..{a["url"][len("/ldrb"):]}">{escape(a["title"])}</a></li>'
                     for a in chunk)
    turn = []
    if i:
        turn.append(f'<a href="{ld_list_name(i - 1)}">上一页</a>')
    if i + 1 < total:
        turn.append(f'<a class="nextpage" href="{ld_list_name(i + 1)}">下一页</a>')
    return ('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
            "<title>地方工会-劳动者日报</title>\n</head>\n<body>\n"
            '<div class="channel">劳动者日报 &gt; 地方工会</div>\n'
            f'<div class="list"><ul>\n{rows}\n</ul></div>\n'
            f'<div class="turn">{" ".join(turn)}</div>\n</body>\n</html>\n')


def ld_article(a):
    d = day(a["when"])
    page = f" {a['page']:02d}版" if a.get("page") else ""
    kicker = f'<p class="yt">{escape(a["kicker"])}</p>\n' if a.get("kicker") else ""
    sub = f'<p class="ft">{escape(a["sub"])}</p>\n' if a.get("sub") else ""
    by = f'<p class="author">{escape(a["by"])}</p>\n' if a.get("by") else ""
    credit = f"　来源：{escape(a['credit'])}" if a.get("credit") else ""
    return ('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
            f'<title>{escape(a["title"])}-劳动者日报</title>\n</head>\n<body>\n'
            '<div class="channel"><a href="../../../dfgh/node_77.htm">地方工会</a></div>\n'
            f'<div class="art">\n{kicker}<h1>{escape(a["title"])}</h1>\n{sub}{by}'
            f'<div class="from">《劳动者日报》（{d.year}年{d.month:02d}月{d.day:02d}日{page}）'
            f'　{a["when"]}{credit}</div>\n'
            f'<div class="text">\n{paras_html(a["paras"])}\n</div>\n</div>\n'
            "</body>\n</html>\n")
