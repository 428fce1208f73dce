"""Founder (方正) style e-paper pages for 安徽日报: day/page index ``node_N.htm`` and article
pages ``content_NNN.htm``, UTF-8, mimicking the markup of the real 2006-era template."""

from __future__ import annotations

import datetime as dt
from html import escape

from .articles import epaper_day
from .data_filler import page_names
from .model import EPAPER_FIRST, EPAPER_LAST, Article
from .page_images import SHOWN, coords, render_page_pdf, render_page_png, story_areas

WEEKDAYS = "一二三四五六日"
GIF_1X1 = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00"
           b"\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


def _cn_date(day: dt.date) -> str:
    return f"{day:%Y}年{day:%m}月{day:%d}日 星期{WEEKDAYS[day.weekday()]}"


def _day_href(day: dt.date) -> str:
    return f"../../../html/{day:%Y-%m}/{day:%d}/node_1.htm"


def _node_name(day: dt.date, page: int) -> str:
    return f"第{page:02d}版：{page_names(day)[page]}"


def _head(title: str) -> str:
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{escape(title)}</title>
<style type="text/css">
body {{ margin: 0; font-size: 12px; font-family: "宋体", SimSun, serif; }}
.font01 {{ font-size: 22px; font-weight: bold; color: #000; }}
.font02 {{ font-size: 14px; color: #333; }}
.default {{ font-size: 12px; }}
#ozoom {{ font-size: 14px; line-height: 1.8; }}
</style>
</head>
"""


def _masthead(day: dt.date) -> str:
    prev_day, next_day = day - dt.timedelta(days=1), day + dt.timedelta(days=1)
    links = []
    if prev_day >= EPAPER_FIRST:
        links.append(f'<a href="{_day_href(prev_day)}">前一期</a>')
    if next_day <= EPAPER_LAST:
        links.append(f'<a href="{_day_href(next_day)}">后一期</a>')
    return f"""<table width="1000" border="0" cellspacing="0" cellpadding="0" align="center">
  <tr>
    <td height="60" class="default"><b>安徽日报</b>数字报刊 &nbsp; {_cn_date(day)}</td>
    <td align="right" class="default">{" | ".join(links)} |
      <a href="../../../index.htm">往期回顾</a></td>
  </tr>
</table>
"""


def render_node(day: dt.date, page: int) -> str | None:
    """The page listing (版面导航) plus the articles of ``page`` of the ``day`` edition."""
    pages = epaper_day(day)
    if page not in pages:
        return None
    node = _node_name(day, page)
    nav = "\n".join(
        f'    <tr><td class="default"><img src="../../../image/dot.gif" border="0">'
        f'<a id="pageLink" href="node_{p}.htm">{escape(_node_name(day, p))}</a></td></tr>'
        for p in pages
    )
    areas: list[str] = []
    items: list[str] = []
    for a, outline in zip(pages[page], story_areas(len(pages[page])), strict=False):
        areas.extend(f'  <area shape="polygon" coords="{coords(rect)}" href="content_{a.id}.htm">'
                     for rect in outline)
        items.append(
            f'      <li><a href="content_{a.id}.htm"><div style="display:inline" '
            f'id="mp{a.id}">{escape(a.title)}</div></a></li>'
        )
    prev_link = f'<a href="node_{page - 1}.htm">上一版</a>' if page - 1 in pages else ""
    next_link = f'<a href="node_{page + 1}.htm">下一版</a>' if page + 1 in pages else ""
    img = f"../../../page/1/{day:%Y-%m}/{day:%d}/{page:02d}/{day:%Y%m%d}{page:02d}_b.png"
    pdf = f"../../../page/1/{day:%Y-%m}/{day:%d}/{page:02d}/{day:%Y%m%d}{page:02d}.pdf"
    return (
        _head(f"安徽日报数字报-{node}")
        + "<body>\n"
        + _masthead(day)
        + f"""<table width="1000" border="0" cellspacing="0" cellpadding="0" align="center">
  <tr>
    <td width="500" valign="top">
      <div class="default">{escape(node)} &nbsp; {prev_link} {next_link}
        <a href="{pdf}">PDF版</a></div>
      <img src="{img}" width="{SHOWN[0]}" height="{SHOWN[1]}" usemap="#PagePicMap" border="0">
      <map name="PagePicMap">
{chr(10).join(areas)}
      </map>
    </td>
    <td width="200" valign="top">
      <table id="bmdhTable" border="0" cellspacing="0" cellpadding="2">
{nav}
      </table>
    </td>
    <td width="300" valign="top">
      <div class="default"><b>本版标题导航</b></div>
      <ul id="main-ed-articlenav-list">
{chr(10).join(items)}
      </ul>
    </td>
  </tr>
</table>
<table width="1000" align="center"><tr><td align="center" class="default">
安徽日报社版权所有 未经书面授权不得复制或建立镜像</td></tr></table>
</body>
</html>
"""
    )


def page_media(day: dt.date, page: int, kind: str) -> bytes | None:
    """The page image (``png``) or PDF (``pdf``) of a page of the ``day`` edition."""
    pages = epaper_day(day)
    if page not in pages:
        return None
    titles = tuple(a.title for a in pages[page])
    render = render_page_png if kind == "png" else render_page_pdf
    return render(day, page, _node_name(day, page), titles)


def render_content(a: Article) -> str:
    """One article page with the Founder ``enpproperty`` comment and ``founder-content``."""
    day, page = a.date, a.page or 1
    node = _node_name(day, page)
    siblings = epaper_day(day)[page]
    idx = next(i for i, s in enumerate(siblings) if s.id == a.id)
    prev_a = siblings[idx - 1] if idx > 0 else None
    next_a = siblings[idx + 1] if idx + 1 < len(siblings) else None
    paras = "\n".join(f"<P>　　{escape(p)}</P>" for p in a.body)
    prop = (
        f"<!--enpproperty <articleid>{a.id}</articleid><date>{day:%Y-%m-%d}</date>"
        f"<author>{escape(a.author)}</author><title>{escape(a.title)}</title>"
        f"<keyword>{escape(a.keyword)}</keyword><subtitle>{escape(a.subtitle)}</subtitle>"
        f"<introtitle>{escape(a.introtitle)}</introtitle><siteid>1</siteid>"
        f"<nodeid>{page}</nodeid><nodename>{escape(node)}</nodename>"
        "<nodesearchname></nodesearchname>/enpproperty-->"
    )
    nav = []
    if prev_a:
        nav.append(f'<a href="content_{prev_a.id}.htm">上一篇</a>')
    if next_a:
        nav.append(f'<a href="content_{next_a.id}.htm">下一篇</a>')
    return (
        _head(f"安徽日报数字报-{a.title}")
        + "<body>\n"
        + prop
        + "\n"
        + _masthead(day)
        + f"""<table width="1000" border="0" cellspacing="0" cellpadding="0" align="center">
  <tr>
    <td width="200" valign="top" class="default">
      <a href="node_{page}.htm">{escape(node)}</a><br>
      <a href="node_1.htm">返回目录</a>
    </td>
    <td width="800" valign="top">
      <table width="100%" border="0" cellspacing="0" cellpadding="0">
        <tr><td class="font02" align="center">{escape(a.introtitle)}</td></tr>
        <tr><td class="font01" align="center">
          <founder-title>{escape(a.title)}</founder-title></td></tr>
        <tr><td class="font02" align="center">{escape(a.subtitle)}</td></tr>
        <tr><td class="font02" align="center">
          <founder-author>{escape(a.author)}</founder-author></td></tr>
      </table>
      <div id="ozoom">
<founder-content>{paras}</founder-content>
      </div>
      <div class="default" align="right">{" ".join(nav)}</div>
    </td>
  </tr>
</table>
<table width="1000" align="center"><tr><td align="center" class="default">
安徽日报社版权所有 未经书面授权不得复制或建立镜像</td></tr></table>
</body>
</html>
"""
    )


def render_archive() -> str:
    """往期回顾: a plain list of every edition in the archive."""
    n = (EPAPER_LAST - EPAPER_FIRST).days + 1
    days = [EPAPER_FIRST + dt.timedelta(days=i) for i in range(n)]
    rows = "\n".join(
        f'<li><a href="html/{d:%Y-%m}/{d:%d}/node_1.htm">{_cn_date(d)}</a></li>' for d in days
    )
    body = f"<body>\n<h3>往期回顾</h3>\n<ul>\n{rows}\n</ul>\n</body>\n</html>\n"
    return _head("安徽日报数字报-往期回顾") + body
