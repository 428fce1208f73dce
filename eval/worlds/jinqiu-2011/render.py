"""The five sites: each outlet's pages written from the resolved articles."""
from collections import defaultdict
from datetime import date, timedelta
from html import escape

import pictures
from content import OUTLETS
from content.plan import GJ_ISSUES, GJ_PAGES, GP_ISSUES, GP_PAGES, TZ

WEEK = "一二三四五六日"
BASE = "{{BASE}}"  # serve.py puts the scheme, host and port here in feeds

SOURCES_TOML = """\
# jinqiu-2011: the five outlets and their sources, in the tracker's import-sources format.
# serve.py writes sources.local.toml next to this file with {PORT} filled in.
# 赣江日报: older Founder e-paper, GB2312; issues every day 2011-07-11 … 2011-10-08, 8 pages.
# 赣鄱工人报: newer Founder e-paper; issues Monday to Friday 2011-07-11 … 2011-10-07, 4 pages;
#   weekend days have no issue (404).
# 赣工网's feed holds every item of its 工会动态 column, old ones included.
# The invited 赣江人民广播电台 and 新华社江西分社 have no source on purpose: they are listed at
#   the end without one, so that the outlets exist when campaign.json invites them.

[[outlet]]
name = "赣江日报"
tier = "provincial"
kind = "newspaper"
  [[outlet.source]]
  type = "epaper"
  url = "http://127.0.0.1:{PORT}/gjrb/html/{yyyy}-{mm}/{dd}/node_1.htm"

[[outlet]]
name = "赣鄱工人报"
tier = "provincial"
kind = "newspaper"
  [[outlet.source]]
  type = "epaper"
  url = "http://127.0.0.1:{PORT}/gpgrb/pc/layout/{yyyy}{mm}/{dd}/node_01.html"

[[outlet]]
name = "洪城晚报"
tier = "municipal"
kind = "newspaper"
  [[outlet.source]]
  type = "html"
  url = "http://127.0.0.1:{PORT}/hcwb/hcxw/index.html"
  link_selector = "ul.newslist li a"
  next_selector = "div.pages a.pgnext"
  max_pages = 8

[[outlet]]
name = "赣工网"
tier = "industry"
kind = "web"
  [[outlet.source]]
  type = "rss"
  url = "http://127.0.0.1:{PORT}/ggw/rss/ghdt.xml"

[[outlet]]
name = "赣江电视台"
tier = "provincial"
kind = "tv"
  [[outlet.source]]
  type = "html"
  url = "http://127.0.0.1:{PORT}/gjtv/xwzx/index.shtml"
  link_selector = "div.vlist h3 a"
  next_selector = "div.turnpage a.next"
  max_pages = 8

[[outlet]]
name = "赣江人民广播电台"
tier = "provincial"
kind = "radio"

[[outlet]]
name = "新华社江西分社"
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


def body_html(paras, indent="　　"):
    return "\n".join(f"<p>{indent}{escape(p)}</p>" for p in paras)


class Writer:
    """Writes files under www, encoding each as its outlet does, and notes problems."""

    def __init__(self, www, problems):
        self.www, self.problems, self.files = www, problems, 0

    def put(self, path, text, encoding="utf-8"):
        target = self.www / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            data = text.encode(encoding) if isinstance(text, str) else text
        except UnicodeEncodeError as err:
            bad = text[err.start:err.end]
            self.problems.append(f"{path}: {bad!r} is not in {encoding}")
            data = text.encode("gb18030")
        target.write_bytes(data)
        self.files += 1


def build(articles, www, rng, problems):
    """Write every site; set url, published_at and the outlet's extras on each article."""
    w = Writer(www, problems)
    groups = defaultdict(list)
    for a in articles:
        groups[a["outlet"]].append(a)
    for outlet in groups.values():
        outlet.sort(key=lambda a: (a["when"], a.get("page") or 0, a["key"]))
    gj_founder_old(groups["gj"], w)
    gp_founder_new(groups["gp"], w)
    hc_list(groups["hc"], w, rng)
    gw_feed(groups["gw"], w)
    tv_list(groups["tv"], w, rng)
    w.put("/gjtv/img/play.png", pictures.png([]))
    w.put("/index.html", front_page())
    return w.files


def front_page():
    links = [("/gjrb/html/2011-08/09/node_1.htm", "赣江日报数字报"),
             ("/gpgrb/pc/layout/201108/09/node_01.html", "赣鄱工人报电子版"),
             ("/hcwb/hcxw/index.html", "洪城晚报·洪城新闻"),
             ("/ggw/rss/ghdt.xml", "赣工网·工会动态 RSS"),
             ("/gjtv/xwzx/index.shtml", "赣江电视台·新闻中心")]
    items = "\n".join(f'<li><a href="{u}">{t}</a></li>' for u, t in links)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>jinqiu-2011</title>'
            f"</head><body><h1>jinqiu-2011</h1><ul>{items}</ul></body></html>\n")


# ---------------------------------------------------------------- 赣江日报 (older Founder)

def gj_founder_old(items, w):
    by_page = defaultdict(list)
    for a in items:
        d = day(a["when"])
        if not (day(GJ_ISSUES[0]) <= d <= day(GJ_ISSUES[1])) or a.get("page") not in GJ_PAGES:
            w.problems.append(f"{a['key']}: no 赣江日报 page {a.get('page')} on {d}")
            continue
        by_page[d, a["page"]].append(a)
    number = 1830001
    for d in days(*GJ_ISSUES):
        for p in GJ_PAGES:
            for a in by_page[d, p]:
                a["n"], number = number, number + 1
                a["url"] = f"/gjrb/html/{d:%Y-%m}/{d:%d}/content_{a['n']}.htm"
                a["published_at"] = f"{d}T00:00:00{TZ}"
                a["page_label"] = f"第{p:02d}版：{GJ_PAGES[p]}"
    issues = list(days(*GJ_ISSUES))
    for i, d in enumerate(issues):
        prev_d = issues[i - 1] if i else None
        next_d = issues[i + 1] if i + 1 < len(issues) else None
        for p in GJ_PAGES:
            arts = by_page[d, p]
            rects = pictures.boxes(len(arts))
            w.put(f"/gjrb/images/{d:%Y-%m}/{d:%d}/{p:02d}/gj{d:%m%d}{p:02d}.png", pictures.png(rects))
            w.put(f"/gjrb/page/{d:%Y-%m}/{d:%d}/{p:02d}/gj{d:%m%d}{p:02d}.pdf", pictures.pdf(rects))
            w.put(f"/gjrb/html/{d:%Y-%m}/{d:%d}/node_{p}.htm",
                  gj_page(d, p, arts, rects, prev_d, next_d), "gb2312")
            for a in arts:
                w.put(a["url"], gj_article(d, p, a), "gb2312")


def gj_head(title):
    return ('<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=gb2312">\n'
            f"<title>{escape(title)}</title>\n</head>\n<body>\n")


def gj_page(d, p, arts, rects, prev_d, next_d):
    nav = "\n".join(f'<tr><td class="bmdh"><a id="pageLink" href="node_{q}.htm">'
                    f"第{q:02d}版：{name}</a></td></tr>" for q, name in GJ_PAGES.items())
    areas = "\n".join(f'<area shape="rect" coords="{x1},{y1},{x2},{y2}" href="content_{a["n"]}.htm">'
                      for a, (x1, y1, x2, y2) in zip(arts, rects))
    if arts:
        rows = "\n".join(f'<tr><td class="bt"><a href="content_{a["n"]}.htm">'
                         f'<div style="display:inline" id="mp{a["n"]}">{escape(a["title"])}</div>'
                         f"</a></td></tr>" for a in arts)
    else:
        rows = '<tr><td class="bt">本版无文字稿件</td></tr>'
    turn = []
    if prev_d:
        turn.append(f'<a href="../../{prev_d:%Y-%m}/{prev_d:%d}/node_1.htm">上一期</a>')
    if next_d:
        turn.append(f'<a href="../../{next_d:%Y-%m}/{next_d:%d}/node_1.htm">下一期</a>')
    stem = f"{d:%Y-%m}/{d:%d}/{p:02d}/gj{d:%m%d}{p:02d}"
    return (gj_head(f"赣江日报数字报-第{p:02d}版：{GJ_PAGES[p]}")
            + f'<table width="980" class="top"><tr><td>赣江日报</td><td>{cn_date(d)}</td>'
            f'<td>{" ".join(turn)}</td></tr></table>\n'
            f'<table class="bmdh"><tr><td>版面导航</td></tr>\n{nav}\n</table>\n'
            f'<div class="pagepic"><img src="../../../images/{stem}.png" border="0" '
            f'usemap="#PagePicMap"><map name="PagePicMap">\n{areas}\n</map></div>\n'
            f'<a href="../../../page/{stem}.pdf">本版PDF</a>\n'
            f'<table class="bmwz"><tr><td>第{p:02d}版：{GJ_PAGES[p]} 本版标题导航</td></tr>\n'
            f"{rows}\n</table>\n</body>\n</html>\n")


def gj_article(d, p, a):
    byline = a.get("byline", "")
    return (gj_head(a["title"])
            + '<table width="640" class="article">\n'
            f'<tr><td class="font01">{escape(a.get("kicker", ""))}</td></tr>\n'
            f'<tr><td class="font02"><strong>{escape(a["title"])}</strong></td></tr>\n'
            f'<tr><td class="font01">{escape(a.get("subtitle", ""))}</td></tr>\n'
            f'<tr><td class="font03">{escape(byline)}</td></tr>\n</table>\n'
            f'<div class="info">赣江日报 {d.year}年{d.month}月{d.day}日 '
            f'<a href="node_{p}.htm">第{p:02d}版：{GJ_PAGES[p]}</a></div>\n'
            f'<div id="ozoom"><founder-content>\n{body_html(a["paras"])}\n</founder-content></div>\n'
            f'<a href="node_{p}.htm">返回本版</a>\n</body>\n</html>\n')


# ---------------------------------------------------------------- 赣鄱工人报 (newer Founder)

def gp_issue_days():
    return [d for d in days(*GP_ISSUES) if d.weekday() < 5]


def gp_founder_new(items, w):
    issue_days = gp_issue_days()
    by_page = defaultdict(list)
    for a in items:
        d = day(a["when"])
        if d not in issue_days or a.get("page") not in GP_PAGES:
            w.problems.append(f"{a['key']}: no 赣鄱工人报 page {a.get('page')} on {d}")
            continue
        by_page[d, a["page"]].append(a)
    number = 52001
    for d in issue_days:
        for p in GP_PAGES:
            for a in by_page[d, p]:
                a["n"], number = number, number + 3
                a["url"] = f"/gpgrb/pc/content/{d:%Y%m}/{d:%d}/content_{a['n']}.html"
                a["published_at"] = f"{d}T00:00:00{TZ}"
                a["page_label"] = f"{p:02d}版：{GP_PAGES[p]}"
    for i, d in enumerate(issue_days):
        for p in GP_PAGES:
            arts = by_page[d, p]
            rects = pictures.boxes(len(arts))
            w.put(f"/gpgrb/pc/pic/{d:%Y%m}/{d:%d}/b{p:02d}.png", pictures.png(rects))
            w.put(f"/gpgrb/pc/pdf/{d:%Y%m}/{d:%d}/b{p:02d}.pdf", pictures.pdf(rects))
            w.put(f"/gpgrb/pc/layout/{d:%Y%m}/{d:%d}/node_{p:02d}.html",
                  gp_page(d, p, arts, rects, issue_days, i))
            for a in arts:
                w.put(a["url"], gp_article(d, p, a))


def gp_head(title):
    return ('<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(title)}</title>\n</head>\n<body>\n")


def gp_page(d, p, arts, rects, issue_days, i):
    nav = "\n".join(f'<li><a href="node_{q:02d}.html">{q:02d}版：{name}</a></li>'
                    for q, name in GP_PAGES.items())
    back = "../../../content/"
    areas = "\n".join(f'<area shape="poly" coords="{x1},{y1},{x2},{y1},{x2},{y2},{x1},{y2}" '
                      f'href="{back}{d:%Y%m}/{d:%d}/content_{a["n"]}.html?div=0">'
                      for a, (x1, y1, x2, y2) in zip(arts, rects))
    titles = "\n".join(f'<li><a href="{back}{d:%Y%m}/{d:%d}/content_{a["n"]}.html">'
                       f'{escape(a["title"])}</a></li>' for a in arts)
    turn = []
    if i:
        e = issue_days[i - 1]
        turn.append(f'<a class="prev" href="../../{e:%Y%m}/{e:%d}/node_01.html">上一期</a>')
    if i + 1 < len(issue_days):
        e = issue_days[i + 1]
        turn.append(f'<a class="next" href="../../{e:%Y%m}/{e:%d}/node_01.html">下一期</a>')
    return (gp_head(f"赣鄱工人报 {p:02d}版：{GP_PAGES[p]}")
            + f'<div class="paper-top"><span class="date">{cn_date(d)}</span> {" ".join(turn)}</div>\n'
            f'<div class="layout-nav"><ul>\n{nav}\n</ul></div>\n'
            f'<div class="layout-title"><p id="nowLayout">{p:02d}版：{GP_PAGES[p]}</p>'
            f'<a href="../../../pdf/{d:%Y%m}/{d:%d}/b{p:02d}.pdf">PDF下载</a></div>\n'
            f'<div class="paper-pic"><img src="../../../pic/{d:%Y%m}/{d:%d}/b{p:02d}.png" '
            f'usemap="#PagePicMap"><map name="PagePicMap">\n{areas}\n</map></div>\n'
            f'<div class="news-list"><ul>\n{titles}\n</ul></div>\n</body>\n</html>\n')


def gp_article(d, p, a):
    return (gp_head(a["title"])
            + f'<div class="paper-top"><span class="date">{cn_date(d)}</span></div>\n'
            f'<div class="article">\n<h3>{escape(a.get("kicker", ""))}</h3>\n'
            f'<h1>{escape(a["title"])}</h1>\n<h2>{escape(a.get("subtitle", ""))}</h2>\n'
            f'<p class="sec">{escape(a.get("byline", ""))}</p>\n'
            f'<p class="layout"><a href="../../../layout/{d:%Y%m}/{d:%d}/node_{p:02d}.html">'
            f"{p:02d}版：{GP_PAGES[p]}</a></p>\n"
            f'<div id="ozoom">\n{body_html(a["paras"], "")}\n</div>\n</div>\n</body>\n</html>\n')


# ---------------------------------------------------------------- 洪城晚报 (HTML list)

def hc_list(items, w, rng):
    per_page = 12
    for i, a in enumerate(items):
        d = day(a["when"])
        a["n"] = 11870000 + i * 7 + rng.randint(0, 5)
        a["url"] = f"/hcwb/system/{d:%Y/%m/%d}/0{a['n']}.shtml"
        a["published_at"] = f"{d}T{a['when'][11:16]}:00{TZ}"
        w.put(a["url"], hc_article(a, rng))
    newest = items[::-1]
    chunks = [newest[i:i + per_page] for i in range(0, len(newest), per_page)]
    for i, chunk in enumerate(chunks):
        w.put(f"/hcwb/hcxw/{hc_list_name(i)}", hc_list_page(chunk, i, len(chunks)))


def hc_list_name(i):
    return "index.html" if i == 0 else f"index_{i + 1}.html"


def hc_list_page(chunk, i, total):
    rows = "\n".join(f'<li><span class="time">{a["when"][:10]}</span>'
                     f'<a href="../system/{a["when"][:10].replace("-", "/")}/0{a["n"]}.shtml" '
                     f'target="_blank">{escape(a["title"])}</a></li>' for a in chunk)
    pages = [f'<a href="{hc_list_name(0)}">首页</a>']
    if i:
        pages.append(f'<a href="{hc_list_name(i - 1)}">上一页</a>')
    if i + 1 < total:
        pages.append(f'<a class="pgnext" href="{hc_list_name(i + 1)}">下一页</a>')
    pages.append(f'<a href="{hc_list_name(total - 1)}">尾页</a>')
    return ('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>洪城新闻_洪城晚报</title>\n'
            '</head>\n<body>\n<div class="nav"><a href="index.html">洪城新闻</a></div>\n'
            f'<ul class="newslist">\n{rows}\n</ul>\n'
            f'<div class="pages">{" ".join(pages)} 第{i + 1}页/共{total}页</div>\n</body>\n</html>\n')


def hc_article(a, rng):
    credit = f"来源：{a['credit']}" if a.get("credit") else "来源：洪城晚报"
    page = f"　{a['page']}版" if a.get("page") else ""
    byline = f"　作者：{a['byline']}" if a.get("byline") else ""
    stamp = f"{a['when']}:{rng.randint(0, 59):02d}"
    kicker = f'<p class="yt">{escape(a["kicker"])}</p>\n' if a.get("kicker") else ""
    sub = f'<p class="ft">{escape(a["subtitle"])}</p>\n' if a.get("subtitle") else ""
    return ('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
            f'<title>{escape(a["title"])}_洪城晚报</title>\n</head>\n<body>\n'
            '<div class="nav"><a href="../../../../hcxw/index.html">洪城新闻</a> &gt; 正文</div>\n'
            f'<div class="art">\n{kicker}<h1>{escape(a["title"])}</h1>\n{sub}'
            f'<div class="meta">{stamp}　{escape(credit)}{escape(byline)}{page}</div>\n'
            f'<div class="content">\n{body_html(a["paras"])}\n</div>\n</div>\n</body>\n</html>\n')


# ---------------------------------------------------------------- 赣工网 (RSS, GBK)

def gw_feed(items, w):
    entries = []
    for i, a in enumerate(items):
        d = day(a["when"])
        a["n"] = 3400 + i * 3
        a["url"] = f"/ggw/html/{d:%Y}/{d:%m%d}/{a['n']}.html"
        a["published_at"] = f"{d}T{a['when'][11:16]}:00{TZ}"
        wk = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][d.weekday()]
        mon = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
               "Dec"][d.month - 1]
        a["feed_date"] = f"{wk}, {d.day:02d} {mon} {d.year} {a['when'][11:16]}:00 +0800"
        w.put(a["url"], gw_article(a), "gbk")
        lead = a["paras"][0][:80]
        entries.append(f"<item>\n<title>{escape(a['title'])}</title>\n"
                       f"<link>{BASE}{a['url']}</link>\n<guid>{BASE}{a['url']}</guid>\n"
                       f"<pubDate>{a['feed_date']}</pubDate>\n"
                       f"<description>{escape(lead)}</description>\n</item>")
    feed = ('<?xml version="1.0" encoding="gbk"?>\n<rss version="2.0">\n<channel>\n'
            f"<title>赣工网-工会动态</title>\n<link>{BASE}/ggw/</link>\n"
            "<description>江西省总工会主办</description>\n<language>zh-cn</language>\n"
            + "\n".join(reversed(entries)) + "\n</channel>\n</rss>\n")
    w.put("/ggw/rss/ghdt.xml", feed, "gbk")


def gw_article(a):
    d = day(a["when"])
    credit = a.get("credit") or "赣工网"
    author = f"　作者：{a['byline']}" if a.get("byline") else ""
    sub = f'<h2 class="sub">{escape(a["subtitle"])}</h2>\n' if a.get("subtitle") else ""
    return ('<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=gbk">\n'
            f'<title>{escape(a["title"])}-赣工网</title>\n</head>\n<body>\n'
            '<div class="crumb">当前位置：<a href="../../../rss/ghdt.xml">工会动态</a></div>\n'
            f'<h1 class="title">{escape(a["title"])}</h1>\n{sub}'
            f'<div class="info">发布时间：{d}　{a["when"][11:16]}　来源：{escape(credit)}{escape(author)}'
            "</div>\n"
            f'<div class="TRS_Editor">\n{body_html(a["paras"])}\n</div>\n'
            f'<div class="editor">（责任编辑：{"邹" if a["n"] % 2 else "温"}编）</div>\n'
            "</body>\n</html>\n")


# ---------------------------------------------------------------- 赣江电视台 (video news)

def tv_list(items, w, rng):
    per_page = 10
    for a in items:
        d = day(a["when"])
        a["n"] = "VIDE" + "".join(str(rng.randint(0, 9)) for _ in range(13))
        a["url"] = f"/gjtv/xwzx/{d:%Y/%m/%d}/{a['n']}.shtml"
        a["published_at"] = f"{d}T{a['when'][11:16]}:00{TZ}"
        w.put(a["url"], tv_article(a, rng))
    newest = items[::-1]
    chunks = [newest[i:i + per_page] for i in range(0, len(newest), per_page)]
    for i, chunk in enumerate(chunks):
        w.put(f"/gjtv/xwzx/{tv_list_name(i)}", tv_list_page(chunk, i, len(chunks)))


def tv_list_name(i):
    return "index.shtml" if i == 0 else f"index_{i}.shtml"


def tv_list_page(chunk, i, total):
    rows = "\n".join(f'<div class="vitem"><img src="../img/play.png" alt="">'
                     f'<h3><a href="{a["url"][len("/gjtv/xwzx/"):]}">{escape(a["title"])}</a></h3>'
                     f'<span>{a["when"]}</span></div>' for a in chunk)
    turn = []
    if i:
        turn.append(f'<a class="prev" href="{tv_list_name(i - 1)}">上一页</a>')
    if i + 1 < total:
        turn.append(f'<a class="next" href="{tv_list_name(i + 1)}">下一页</a>')
    return ('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>新闻中心_赣江电视台</title>\n'
            f'</head>\n<body>\n<div class="vlist">\n{rows}\n</div>\n'
            f'<div class="turnpage">{" ".join(turn)}</div>\n</body>\n</html>\n')


def tv_article(a, rng):
    program = a.get("column") or "赣江新闻联播"
    lead = a["paras"][0]
    return ('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
            f'<title>[{program}]{escape(a["title"])}_赣江电视台</title>\n</head>\n<body>\n'
            f'<div class="crumb"><a href="../../../index.shtml">新闻中心</a></div>\n'
            f'<h1>[{escape(program)}]{escape(a["title"])}</h1>\n'
            f'<div class="info">{a["when"]}　来源：赣江电视台　栏目：{escape(program)}</div>\n'
            f'<div class="player" data-vid="{a["n"]}" data-len="{rng.randint(70, 260)}">'
            f'<img src="../../../../img/play.png" alt="视频"></div>\n'
            f'<div class="summary">【导读】{escape(lead)}</div>\n'
            f'<div class="transcript"><h4>文字稿</h4>\n{body_html(a["paras"], "")}\n</div>\n'
            "</body>\n</html>\n")
