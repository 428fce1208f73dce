"""RSS feed (安徽工人日报), GBK portal pages (中安在线), the city paper (合肥日报) and the central
paper's regional column (工人日报). Functions return ``str``; the app encodes them."""

from __future__ import annotations

import datetime as dt
from html import escape

from .articles import for_outlet
from .model import Article

PORTAL_PAGE_SIZE = 20
HFRB_PAGE_SIZE = 8
RSS_MAX_ITEMS = 200
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def newest_first(outlet: str) -> list[Article]:
    return sorted(for_outlet(outlet), key=lambda a: (a.date, a.time, a.id), reverse=True)


def _pubdate(a: Article) -> str:
    """Half the items use a naive Beijing-time string, half RFC 822 with +0800."""
    if a.id % 2:
        return f"{a.date:%Y-%m-%d} {a.time}"
    d = a.date
    return f"{_DAYS[d.weekday()]}, {d.day:02d} {_MONTHS[d.month - 1]} {d.year} {a.time}:00 +0800"


# ---- 安徽工人日报 -------------------------------------------------------------------------


def render_rss(base: str) -> str:
    items = []
    for a in newest_first("ahgrb")[:RSS_MAX_ITEMS]:
        page = f"<category>{a.page_label}</category>" if a.page else ""
        items.append(f"""  <item>
    <title>{escape(a.title)}</title>
    <link>{base}{a.url_path}</link>
    <description>{escape(a.body[0])}</description>
    <author>{escape(a.author or "安徽工人日报")}</author>
    {page}
    <pubDate>{_pubdate(a)}</pubDate>
    <guid isPermaLink="true">{base}{a.url_path}</guid>
  </item>""")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
<channel>
  <title>安徽工人日报</title>
  <link>{base}/ahgrb/</link>
  <description>安徽工人日报 新闻</description>
  <language>zh-cn</language>
  <generator>demo-site</generator>
{chr(10).join(items)}
</channel>
</rss>
"""


def render_ahgrb_article(a: Article) -> str:
    paras = "\n".join(f"<p>{escape(p)}</p>" for p in a.body)
    intro = f'<h3 class="intro">{escape(a.introtitle)}</h3>' if a.introtitle else ""
    page = f" &nbsp; {a.page_label}" if a.page else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{escape(a.title)}_安徽工人日报</title>
</head>
<body>
<div class="top"><a href="/ahgrb/">安徽工人日报</a> | <a href="/ahgrb/rss.xml">RSS订阅</a></div>
<div class="article">
{intro}
<h1>{escape(a.title)}</h1>
<div class="meta">安徽工人日报 {a.date.year}年{a.date.month}月{a.date.day}日{page}
 &nbsp; 作者：{escape(a.author or "本报")}</div>
<div class="content">
{paras}
</div>
</div>
<div class="footer">安徽工人日报社 版权所有</div>
</body>
</html>
"""


def render_ahgrb_index() -> str:
    rows = "\n".join(
        f'<li><a href="{a.url_path}">{escape(a.title)}</a> {a.date:%Y-%m-%d}</li>'
        for a in newest_first("ahgrb")[:20]
    )
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>安徽工人日报</title>
<link rel="alternate" type="application/rss+xml" title="安徽工人日报" href="/ahgrb/rss.xml">
</head><body><h1>安徽工人日报</h1><p><a href="/ahgrb/rss.xml">RSS订阅</a></p>
<ul>
{rows}
</ul></body></html>
"""


# ---- 中安在线 (GBK) -----------------------------------------------------------------------

_XHTML_DOCTYPE = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
)
_PORTAL_NAV = """<div id="topnav"><a href="/ahnews/index.html">首页</a> |
 <a href="/ahnews/list_1.html">新闻</a> |
 <a href="/ahnews/list_1.html">财经</a> | <a href="/ahnews/list_1.html">旅游</a> |
 <a href="/ahnews/sitemap.html">网站地图</a></div>"""
_PORTAL_FOOTER = """<div id="footer">关于我们 | 广告服务 | 联系方式 | 网站地图<br>
中安在线 版权所有 未经授权禁止转载、摘编、复制或建立镜像<br>
皖ICP备05000000号（演示）</div>"""


def portal_page_count() -> int:
    n = len(for_outlet("ahnews"))
    return max(1, -(-n // PORTAL_PAGE_SIZE))


def portal_rel_link(a: Article) -> str:
    return a.url_path.removeprefix("/ahnews/")


def render_portal_list(page: int) -> str | None:
    total = portal_page_count()
    if not 1 <= page <= total:
        return None
    chunk = newest_first("ahnews")[(page - 1) * PORTAL_PAGE_SIZE: page * PORTAL_PAGE_SIZE]
    rows = "\n".join(
        f'  <li><a href="{portal_rel_link(a)}" target="_blank">{escape(a.title)}</a>'
        f'<span class="date">{a.date:%Y-%m-%d}</span></li>'
        for a in chunk
    )
    parts = [f"共{total}页", '<a href="list_1.html">首页</a>']
    parts.append(f'<a href="list_{page - 1}.html">上一页</a>' if page > 1 else "上一页")
    parts += [f"<b>{p}</b>" if p == page else f'<a href="list_{p}.html">{p}</a>'
              for p in range(1, total + 1)]
    parts.append(f'<a class="next" href="list_{page + 1}.html">下一页</a>' if page < total
                 else "下一页")
    parts.append(f'<a href="list_{total}.html">尾页</a>')
    return f"""{_XHTML_DOCTYPE}
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>安徽新闻_中安在线</title>
</head>
<body>
{_PORTAL_NAV}
<div id="position">您的位置：<a href="/ahnews/index.html">中安在线</a> &gt;
 新闻中心 &gt; 安徽新闻</div>
<ul class="news-list">
{rows}
</ul>
<div class="pages">{" ".join(parts)}</div>
{_PORTAL_FOOTER}
</body>
</html>
"""


def render_portal_article(a: Article) -> str:
    paras = "\n".join(f"<p>　　{escape(p)}</p>" for p in a.body)
    source = a.source or "中安在线"
    author = f"  作者：{escape(a.author)}" if a.author else ""
    return f"""{_XHTML_DOCTYPE}
<html>
<head>
<meta charset="gb2312">
<title>{escape(a.title)}_安徽新闻_中安在线</title>
<meta name="keywords" content="{escape(a.keyword)}">
</head>
<body>
{_PORTAL_NAV}
<div id="position">您的位置：<a href="/ahnews/index.html">中安在线</a> &gt;
 <a href="/ahnews/list_1.html">新闻中心</a> &gt; 安徽新闻</div>
<div id="adtop">【广告】五一黄金周 皖南古村落旅游线路火热报名中</div>
<div id="article">
<h1>{escape(a.title)}</h1>
<div class="info">发布时间：{a.date:%Y-%m-%d} {a.time}  来源：{escape(source)}{author}</div>
<div id="content">
{paras}
</div>
<div class="editor">责任编辑：{escape(a.editor or "钱伟")}</div>
</div>
<div id="related">相关新闻：<a href="/ahnews/list_1.html">更多安徽新闻</a> |
 【打印本页】 【关闭窗口】</div>
{_PORTAL_FOOTER}
</body>
</html>
"""


# ---- 合肥日报 -----------------------------------------------------------------------------


def hfrb_page_count() -> int:
    return max(1, -(-len(for_outlet("hfrb")) // HFRB_PAGE_SIZE))


def _hfrb_list_name(page: int) -> str:
    return "index.html" if page == 1 else f"index_{page}.html"


def render_hfrb_list(page: int) -> str | None:
    total = hfrb_page_count()
    if not 1 <= page <= total:
        return None
    chunk = newest_first("hfrb")[(page - 1) * HFRB_PAGE_SIZE: page * HFRB_PAGE_SIZE]
    rows = "\n".join(
        f'<tr><td class="title"><a href="{a.url_path.removeprefix("/hfrb/news/")}">'
        f'{escape(a.title)}</a></td><td class="time">{a.date.year}年{a.date.month}月'
        f"{a.date.day}日</td></tr>"
        for a in chunk
    )
    nxt = (f'<a href="{_hfrb_list_name(page + 1)}" title="下一页">下一页</a>' if page < total
           else "下一页")
    prv = (f'<a href="{_hfrb_list_name(page - 1)}" title="上一页">上一页</a>' if page > 1
           else "")
    return f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>合肥新闻-合肥日报</title>
</head>
<body>
<div class="nav">合肥日报 | 合肥晚报 | 本地新闻</div>
<table class="list" width="760">
{rows}
</table>
<div class="page">{prv} {nxt}</div>
<div class="foot">合肥报业传媒集团 版权所有</div>
</body>
</html>
"""


def render_hfrb_article(a: Article) -> str:
    paras = "\n".join(f"<p>　　{escape(p)}</p>" for p in a.body)
    page = f"第{a.page}版" if a.page else ""
    source = f"<div class=\"source\">来源：{escape(a.source)}</div>" if a.source else ""
    return f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{escape(a.title)}-合肥日报</title>
</head>
<body>
<div class="nav"><a href="../../index.html">本地新闻</a></div>
<h2>{escape(a.title)}</h2>
<div class="info">合肥日报 {a.date.year}年{a.date.month}月{a.date.day}日 {page}
 {escape(a.author)}</div>
<div class="text">
{paras}
</div>
{source}
<div class="foot">合肥报业传媒集团 版权所有</div>
</body>
</html>
"""


# ---- 工人日报 -----------------------------------------------------------------------------


def render_grrb_list() -> str:
    rows = "\n".join(
        f'<tr><td class="title"><a href="../html/{a.date:%Y-%m}/{a.date:%d}/content_{a.id}.htm">'
        f'{escape(a.title)}</a></td><td class="date">{a.date:%Y-%m-%d}</td></tr>'
        for a in newest_first("grrb")
    )
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>地方工会-工人日报</title></head>
<body>
<div class="nav">工人日报 &gt; 地方工会</div>
<table class="list">
{rows}
</table>
<div class="foot">工人日报社 版权所有</div>
</body></html>
"""


def render_grrb_article(a: Article) -> str:
    paras = "\n".join(f"<p>{escape(p)}</p>" for p in a.body)
    source = a.source or "工人日报"
    page = f"{a.page_label} " if a.page else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(a.title)}-工人日报</title></head>
<body>
<div class="nav"><a href="../../../dfgh/index.html">地方工会</a></div>
<h1>{escape(a.title)}</h1>
<div class="info">工人日报 {a.date:%Y-%m-%d} {page} 来源：{escape(source)}</div>
<div class="content">
{paras}
</div>
<div class="foot">工人日报社 版权所有</div>
</body></html>
"""


def render_home(base: str, sources: list[dict[str, object]]) -> str:
    rows = "\n".join(
        f"<li>{escape(str(s['outlet']))}（{escape(str(s['type']))}）："
        f'<a href="{escape(str(s["url"]))}">{escape(str(s["url"]))}</a></li>'
        for s in sources
    )
    first = dt.date(2006, 4, 20)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>演示新闻站点</title></head>
<body>
<h1>演示新闻站点（内容均为虚构）</h1>
<p>为 campaign-tracker 演示而编写的安徽省虚构媒体环境。</p>
<ul>
{rows}
</ul>
<p><a href="{base}/ahrb/html/{first:%Y-%m}/{first:%d}/node_1.htm">安徽日报数字报 第一期</a></p>
</body></html>
"""
