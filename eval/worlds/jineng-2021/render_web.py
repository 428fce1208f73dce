"""The three web sites: 天府工人报's site and RSS feed of its print pieces, 蜀网's channel
list pages with GBK article pages, and 神州工人网's 地方工会 channel of reprints and other
provinces' news (one page in traditional characters)."""
from datetime import datetime
from html import escape

from common import day, html_head, paras_html
from content.plan import TF_PAGES, TZ

BASE = "{{BASE}}"  # serve.py writes the scheme, host and port here in the feed
TF_PRINT_TIME = "06:30"  # the site posts each print issue at half past six

SOURCES_TOML = """\
# jineng-2021: the outlets and their sources, in the tracker's import-sources format.
# serve.py writes sources.local.toml beside this file with {PORT} filled in.
# 巴蜀日报: older Founder e-paper, every day (8 pages Monday-Friday, 4 at weekends).
# 锦城日报: a modern e-paper that is not Founder's (page-A0N.html, article/N.html, data.json);
#   listed as the epaper kind, the only one the tracker has for an e-paper.
# 天府工人报: RSS of the print pieces (Tuesday to Saturday), every item of the period.
# 蜀网: channel list pages (UTF-8), article pages in GBK with no charset in the header.
# 神州工人网: a national workers' site's 地方工会 channel.
# 巴蜀人民广播电台 is invited but has no source (not monitored).

[[outlet]]
name = "巴蜀日报"
tier = "provincial"
kind = "newspaper"
  [[outlet.source]]
  type = "epaper"
  url = "http://127.0.0.1:{PORT}/bsrb/html/{yyyy}-{mm}/{dd}/node_1.htm"

[[outlet]]
name = "锦城日报"
tier = "municipal"
kind = "newspaper"
  [[outlet.source]]
  type = "epaper"
  url = "http://127.0.0.1:{PORT}/jcrb/epaper/{yyyy}{mm}{dd}/index.html"

[[outlet]]
name = "天府工人报"
tier = "provincial"
kind = "newspaper"
  [[outlet.source]]
  type = "rss"
  url = "http://127.0.0.1:{PORT}/tfgrb/rss/all.xml"

[[outlet]]
name = "蜀网"
tier = "provincial"
kind = "web"
  [[outlet.source]]
  type = "html"
  url = "http://127.0.0.1:{PORT}/swnews/gonghui/index.shtml"
  link_selector = "div.lst li a.t"
  next_selector = "div.pagination a.next"
  max_pages = 10

[[outlet]]
name = "神州工人网"
tier = "central"
kind = "web"
  [[outlet.source]]
  type = "html"
  url = "http://127.0.0.1:{PORT}/szgr/dfgh/index.html"
  link_selector = "ul.newslist li h4 a"
  next_selector = "div.pages a.pg-next"
  max_pages = 10

[[outlet]]
name = "巴蜀人民广播电台"
tier = "provincial"
kind = "radio"
"""


def rfc822(when):
    moment = datetime.fromisoformat(when)
    names = "Mon Tue Wed Thu Fri Sat Sun".split()
    months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    return (f"{names[moment.weekday()]}, {moment.day:02d} {months[moment.month - 1]} "
            f"{moment.year} {moment:%H:%M}:00 +0800")


def stamp(a):
    """The article's moment as 'YYYY-MM-DD HH:MM' (print pieces: the site's posting time)."""
    return a["when"] if len(a["when"]) > 10 else f"{a['when']} {TF_PRINT_TIME}"


def pages_of(items, per_page):
    newest = items[::-1]
    return [newest[i:i + per_page] for i in range(0, len(newest), per_page)]


# ------------------------------------------------------------ 天府工人报 (site + RSS)

def tf_site(items, w, rng):
    number = 88040
    for a in items:
        number += rng.randint(3, 40)
        a["n"] = number
        d = day(a["when"])
        when = stamp(a)
        a["url"] = f"/tfgrb/news/{d:%Y%m}/{d:%d}/t{d:%Y%m%d}_{number}.html"
        a["published_at"] = f"{when.replace(' ', 'T')}:00{TZ}"
        a["feed_date"] = rfc822(when)
        if a.get("page"):
            a["page_label"] = f"第{a['page']:02d}版：{TF_PAGES[a['page']]}"
        if d.weekday() not in (1, 2, 3, 4, 5) or a.get("page") not in TF_PAGES:
            w.problems.append(f"{a['key']}: 天府工人报 prints no page {a.get('page')} on {d}")
        w.put(a["url"], tf_article(a))
    entries = "\n".join(
        f"<item>\n<title>{escape(a['title'])}</title>\n<link>{BASE}{a['url']}</link>\n"
        f"<description><![CDATA[{a['paras'][0][:60]}]]></description>\n"
        f"<author>{escape(a.get('by', '天府工人报'))}</author>\n"
        f"<pubDate>{a['feed_date']}</pubDate>\n<guid isPermaLink=\"false\">tfgrb-{a['n']}"
        "</guid>\n</item>" for a in items[::-1])
    w.put("/tfgrb/rss/all.xml", '<?xml version="1.0" encoding="utf-8"?>\n'
          '<rss version="2.0">\n<channel>\n<title>天府工人报</title>\n'
          f"<link>{BASE}/tfgrb/</link>\n<description>四川省总工会机关报</description>\n"
          f"<language>zh-cn</language>\n{entries}\n</channel>\n</rss>\n")
    w.put("/tfgrb/index.html", html_head("天府工人报") + '<a href="rss/all.xml">RSS</a>\n'
          "</body>\n</html>\n")


def tf_article(a):
    d = day(a["when"])
    kicker = f'<h3 class="yt">{escape(a["kicker"])}</h3>\n' if a.get("kicker") else ""
    sub = f'<h2 class="ft">{escape(a["sub"])}</h2>\n' if a.get("sub") else ""
    page = f"　版次：{a['page_label']}" if a.get("page_label") else ""
    by = f"　作者：{escape(a['by'])}" if a.get("by") else ""
    return (html_head(f"{a['title']}_天府工人报")
            + '<div class="nav"><a href="/tfgrb/index.html">天府工人报</a> &gt; 新闻</div>\n'
            f'<div class="article">\n{kicker}<h1>{escape(a["title"])}</h1>\n{sub}'
            f'<div class="meta">天府工人报 {d.year}年{d.month:02d}月{d.day:02d}日{page}{by}</div>\n'
            f'<div class="article-content">\n{paras_html(a["paras"])}\n</div>\n'
            '<div class="editor">责任编辑：王晓</div>\n</div>\n</body>\n</html>\n')


# ------------------------------------------------------------ 蜀网 (list pages, GBK articles)

def sw_list_name(i):
    return "index.shtml" if i == 0 else f"index_{i + 1}.shtml"


def sw_site(items, w, rng):
    number = 24731850
    for a in items:
        number += rng.randint(20, 900)
        a["n"] = number
        d = day(a["when"])
        a["url"] = f"/swnews/system/{d:%Y/%m/%d}/0{number}.shtml"
        a["published_at"] = f"{a['when'].replace(' ', 'T')}:00{TZ}"
        w.put(a["url"], sw_article(a), "gbk")
    chunks = pages_of(items, 12)
    for i, chunk in enumerate(chunks):
        w.put(f"/swnews/gonghui/{sw_list_name(i)}", sw_list_page(chunk, i, len(chunks)))


def sw_list_page(chunk, i, total):
    rows = "\n".join(f'<li><span class="date">{a["when"][:10]}</span>'
                     f'<a class="t" href="{a["url"]}" target="_blank">{escape(a["title"])}</a>'
                     "</li>" for a in chunk)
    turn = [f'<a href="{sw_list_name(0)}">首页</a>']
    if i:
        turn.append(f'<a class="prev" href="{sw_list_name(i - 1)}">上一页</a>')
    turn.append(f"<span>{i + 1}/{total}</span>")
    if i + 1 < total:
        turn.append(f'<a class="next" href="{sw_list_name(i + 1)}">下一页</a>')
    turn.append(f'<a href="{sw_list_name(total - 1)}">末页</a>')
    return (html_head("工会_蜀网")
            + '<div class="crumb"><a href="/swnews/">蜀网</a> &gt; 工会</div>\n'
            f'<div class="lst"><ul>\n{rows}\n</ul></div>\n'
            f'<div class="pagination">{" ".join(turn)}</div>\n</body>\n</html>\n')


def sw_article(a):
    credit = a.get("credit") or "蜀网"
    by = f"　{escape(a['by'])}" if a.get("by") else ""
    return (html_head(f"{a['title']}_蜀网", "gbk")
            + '<div class="crumb"><a href="/swnews/gonghui/index.shtml">工会</a> &gt; 正文</div>\n'
            f'<div class="detail"><h1 class="title">{escape(a["title"])}</h1>\n'
            f'<div class="source">{a["when"]}　来源：{escape(credit)}{by}</div>\n'
            f'<div class="content" id="content">\n{paras_html(a["paras"])}\n</div>\n'
            '<div class="zrbj">（责任编辑：苏晴）</div></div>\n</body>\n</html>\n')


# ------------------------------------------------------------ 神州工人网 (national channel)

def sz_list_name(i):
    return "index.html" if i == 0 else f"index_{i}.html"


def sz_site(items, w, rng):
    number = 5521000
    for a in items:
        number += rng.randint(100, 3000)
        a["n"] = number
        d = day(a["when"])
        a["url"] = f"/szgr/dfgh/{d:%Y-%m}/{d:%d}/c_{number}.html"
        a["published_at"] = f"{a['when'].replace(' ', 'T')}:00{TZ}"
        w.put(a["url"], sz_article(a))
    chunks = pages_of(items, 10)
    for i, chunk in enumerate(chunks):
        w.put(f"/szgr/dfgh/{sz_list_name(i)}", sz_list_page(chunk, i, len(chunks)))


def sz_list_page(chunk, i, total):
    rows = "\n".join(f'<li><h4><a href="{a["url"]}">{escape(a["title"])}</a></h4>'
                     f'<span class="time">{a["when"]}</span></li>' for a in chunk)
    turn = []
    if i:
        turn.append(f'<a class="pg-prev" href="{sz_list_name(i - 1)}">上一页</a>')
    if i + 1 < total:
        turn.append(f'<a class="pg-next" href="{sz_list_name(i + 1)}">下一页</a>')
    return (html_head("地方工会_神州工人网")
            + '<div class="channel">神州工人网 &gt; 地方工会</div>\n'
            f'<ul class="newslist">\n{rows}\n</ul>\n'
            f'<div class="pages">{" ".join(turn)}</div>\n</body>\n</html>\n')


def sz_article(a):
    trad = a.get("trad")
    credit = a.get("credit") or "神州工人网"
    by = f'<span class="author">{escape(a["by"])}</span>' if a.get("by") else ""
    label = ("來源", "發佈時間", "繁體版") if trad else ("来源", "发布时间", "简体版")
    return (html_head(f"{a['title']}_神州工人网", lang="zh-Hant" if trad else "zh-CN")
            + f'<div class="channel"><a href="/szgr/dfgh/index.html">地方工会</a>'
            f' <span class="ver">{label[2]}</span></div>\n'
            f'<div class="art">\n<h1>{escape(a["title"])}</h1>\n'
            f'<div class="pub">{label[0]}：{escape(credit)}　{label[1]}：{a["when"]} {by}</div>\n'
            f'<div class="content">\n{paras_html(a["paras"])}\n</div>\n</div>\n'
            "</body>\n</html>\n")
