"""Five list pages of the kinds Add by URL meets, written here for the tests: a channel list in
a portal template, a rolling-news list, a portal home whose articles live on a sibling host, a
forum thread list and a Discuz board.

Each builder returns the page's URL, its HTML and the article links a proposed selector should
capture. Around each list sit what real templates put there: a channel nav, a 排行 (rank) and
a 热点 (hot) sidebar of the same headline shape, a pager, a footer, per-row ids and classes.
"""

from __future__ import annotations

from dataclasses import dataclass

PLACES = ("合肥", "芜湖", "蚌埠", "淮南", "马鞍山", "淮北", "铜陵", "安庆", "黄山", "滁州",
          "阜阳", "宿州", "六安", "亳州", "池州", "宣城")
TOPICS = ("职工技能大赛决赛开幕", "劳模工作室授牌仪式举行", "农民工入会集中行动启动",
          "困难职工帮扶中心走访企业", "女职工权益保护专项检查展开", "工会送清凉活动走进工地",
          "职工书屋建设推进会召开", "企业民主管理座谈会举行")
CHANNELS = ("时政", "经济", "社会", "体育", "专题")


def headlines(count: int, start: int = 0) -> list[str]:
    """`count` distinct made-up headlines."""
    pairs = [(p, t) for t in TOPICS for p in PLACES]
    return [f"{p}{t}" for p, t in pairs[start:start + count]]


@dataclass(frozen=True)
class ListSite:
    """A list page: where it is, its HTML, and the article links its list holds."""

    url: str
    html: str
    articles: list[str]


def _nav(base: str, hosts: bool = False) -> str:
    channels = ("首页", *CHANNELS)
    links = "".join(
        f'<li><a href="{f"http://{n}.hwportal.com.cn/" if hosts else f"{base}/c{n}/"}">{c}</a></li>'
        for n, c in enumerate(channels))
    return f'<div class="top-nav"><ul class="nav">{links}</ul></div>'


def _side(base: str) -> str:
    """A rank list and a hot list, both of article links shaped like the main list's."""
    rank = "".join(f'<li><em class="n{i}">{i}</em><a href="{base}/2024/05/0{i % 9 + 1}/'
                   f'art_{900 + i}.html">{t}</a></li>'
                   for i, t in enumerate(headlines(10, 60), start=1))
    hot = "".join(f'<li><a href="{base}/2024/05/02/art_{800 + i}.html">{t}</a></li>'
                  for i, t in enumerate(headlines(8, 80)))
    return (f'<div class="col-side"><div class="box rank"><h3>排行</h3><ol>{rank}</ol></div>'
            f'<div class="box hot"><h3>热点</h3><ul>{hot}</ul></div></div>')


def _foot(base: str) -> str:
    return (f'<div class="foot"><a href="{base}/about.html">关于我们</a> '
            f'<a href="{base}/contact.html">联系方式</a> <a href="https://beian.miit.gov.cn/">'
            '皖ICP备00000000号</a></div>')


def _channel_row(index: int, url: str, title: str) -> str:
    link = f'<a href="{url}" target="_blank">{title}</a>'
    if index < 3:  # pinned rows: the title in bold
        link = f"<strong>{link}</strong>"
    return f'<li>{link}<span class="date">2024-05-{1 + index // 6:02d}</span></li>'


def channel_list() -> ListSite:
    """A channel list inside a portal template: nav, breadcrumb, a list cut into blocks of
    five by rules, its three pinned rows in bold, a pager, rank and hot sidebars, a footer."""
    base = "http://www.hwportal.com.cn"
    articles = [f"{base}/2024/05/{1 + i // 6:02d}/art_{1000 + i}.html" for i in range(20)]
    blocks = []
    for first in range(0, 20, 5):
        rows = "".join(_channel_row(first + i, u, t)
                       for i, (u, t) in enumerate(zip(articles[first:first + 5],
                                                      headlines(5, first), strict=True)))
        blocks.append(f'<ul class="list">{rows}</ul><div class="line"></div>')
    pager = ('<div class="pager"><a href="index.html">首页</a><a href="index_1.html">2</a>'
             '<a href="index_2.html">3</a><a href="index_1.html">下一页</a></div>')
    html = (f'<html><head><title>时政 - 江淮职工在线</title></head><body>{_nav(base)}'
            f'<div class="crumb"><a href="{base}/">首页</a> &gt; <a href="{base}/c1/">时政</a>'
            f'</div><div class="col-main"><div class="box list-box"><h2>时政</h2>'
            f'{"".join(blocks)}{pager}</div></div>{_side(base)}{_foot(base)}</body></html>')
    return ListSite(f"{base}/c1/index.html", html, articles)


def rolling_list() -> ListSite:
    """A rolling-news list: each row has its own id and alternating, numbered classes, a
    channel link before the title and a time after it."""
    base = "http://news.hwportal.com.cn"
    articles = [f"{base}/c/2024-05-0{1 + i // 10}/doc-i{7000 + i}.shtml" for i in range(40)]
    rows = "".join(
        f'<li id="roll_{7000 + i}" class="{"odd" if i % 2 else "even"} r{i}">'
        f'<span class="chl">[<a href="{base}/c{i % 5}/">{CHANNELS[i % 5]}</a>]'
        f'</span><span class="tit"><a href="{u}" target="_blank">{t}</a></span>'
        f'<span class="time">05-0{1 + i // 10} 1{i % 10}:00</span></li>'
        for i, (u, t) in enumerate(zip(articles, headlines(40), strict=True)))
    html = (f'<html><head><title>滚动新闻</title></head><body>{_nav(base)}'
            f'<div class="roll-main"><div id="d_list"><ul>{rows}</ul></div>'
            f'<div class="pagebox"><a href="?page=2">下一页</a></div></div>'
            f'{_side(base)}{_foot(base)}</body></html>')
    return ListSite(f"{base}/roll/index.shtml", html, articles)


def portal_home() -> ListSite:
    """A portal home on www. whose articles live on news. and sports.: channel nav to
    sibling hosts, a top story, the 要闻 list, a smaller sports module, rank, ads elsewhere."""
    news, sports = "http://news.hwportal.com.cn", "http://sports.hwportal.com.cn"
    articles = [f"{news}/a/2024/0501/{3000 + i}.html" for i in range(15)]
    rows = "".join(f'<li><a href="{u}">{t}</a></li>'
                   for u, t in zip(articles, headlines(15, 20), strict=True))
    sport = "".join(f'<li><a href="{sports}/a/2024/0501/{4000 + i}.html">{t}</a></li>'
                    for i, t in enumerate(headlines(5, 40)))
    ads = "".join(f'<li><a href="http://ad{i}.example.com/landing?id={i}">推广：{t}</a></li>'
                  for i, t in enumerate(headlines(6, 100)))
    html = (f'<html><head><title>江淮职工在线</title></head><body>{_nav("", hosts=True)}'
            f'<div class="focus"><h1><a href="{news}/a/2024/0501/2999.html">'
            f'全省劳动模范表彰大会隆重举行</a></h1></div>'
            f'<div class="mod" id="yaowen"><h2>要闻</h2><ul class="txt-list">{rows}</ul></div>'
            f'<div class="mod" id="tiyu"><h2>体育</h2><ul class="txt-list">{sport}</ul></div>'
            f'<div class="mod ad"><ul>{ads}</ul></div>{_side(news)}{_foot("")}</body></html>')
    return ListSite("http://www.hwportal.com.cn/", html, articles)


def forum_threads() -> ListSite:
    """A forum's thread list: pinned and ordinary threads in one list, each row with its own
    id and data, the title link beside the author's and the last replier's links."""
    base = "http://bbs.hwportal.com.cn"
    articles = [f"{base}/p/{55000 + i}" for i in range(25)]
    rows = "".join(
        f'<li id="t{55000 + i}" class="thread{" thread_top" if i < 2 else ""} clearfix" '
        f'data-tid="{55000 + i}"><div class="reply-num">{i * 3}</div><div class="t_con">'
        f'<div class="title"><a class="th_tit" href="/p/{55000 + i}">{t}</a></div>'
        f'<div class="author"><a href="/home/u{i}">职工之家用户{i:03d}</a></div>'
        f'<div class="last"><a href="/home/u{i + 50}">工友{i}</a></div></div></li>'
        for i, t in enumerate(headlines(25, 30)))
    html = (f'<html><head><title>职工论坛</title></head><body><div class="header">'
            f'<a href="/">论坛首页</a><a href="/f?kw=labour">劳动维权</a>'
            f'<a href="/f?kw=life">职工生活</a></div><ul id="thread_list">{rows}</ul>'
            f'<div class="pager"><a href="/f?kw=labour&pn=50">下一页</a></div>'
            f'{_side(base)}</body></html>')
    return ListSite(f"{base}/f?kw=labour", html, articles)


def discuz_board() -> ListSite:
    """A Discuz! board: a table of one tbody per thread (stickthread_N, normalthread_N), the
    title cell's class telling new from old, page links after long threads, author and
    last-post cells linked, sub-forums and a breadcrumb above."""
    base = "http://bbs.hwportal.com.cn"
    articles = [f"{base}/forum.php?mod=viewthread&tid={800 + i}&extra=page%3D1"
                for i in range(20)]
    bodies = []
    for i, t in enumerate(headlines(20, 50)):
        tid, kind = 800 + i, "stickthread" if i < 3 else "normalthread"
        pages = (f'<span class="tps"><a href="forum.php?mod=viewthread&tid={tid}&page=2">2</a>'
                 '</span>' if i % 4 == 0 else "")
        bodies.append(
            f'<tbody id="{kind}_{tid}"><tr><td class="icn"><a href="forum.php?mod=viewthread'
            f'&tid={tid}" title="新窗口打开"><img src="static/folder_common.gif"></a></td>'
            f'<th class="{"new" if i % 3 else "common"}"><em>[<a href="forum.php?mod='
            f'forumdisplay&fid=2&typeid={i % 3}">分类{i % 3}</a>]</em> <a href="forum.php?mod='
            f'viewthread&tid={tid}&extra=page%3D1" class="s xst">{t}</a>{pages}</th>'
            f'<td class="by"><cite><a href="home.php?mod=space&uid={i}">会员{i}</a></cite>'
            f'<em><span>2024-5-{1 + i % 9}</span></em></td><td class="num"><a href="forum.php'
            f'?mod=viewthread&tid={tid}" class="xi2">{i * 7}</a><em>{i * 90}</em></td>'
            f'<td class="by"><cite><a href="home.php?mod=space&username=m{i}">m{i}</a></cite>'
            f'<em><a href="forum.php?mod=redirect&tid={tid}&goto=lastpost#lastpost">'
            f'2024-5-{1 + i % 9} 1{i % 10}:05</a></em></td></tr></tbody>')
    html = (f'<html><head><title>劳动维权 - 职工论坛</title></head><body>'
            f'<div id="nv"><ul><li><a href="forum.php">论坛</a></li><li><a href="home.php">'
            f'家园</a></li></ul></div><div id="pt"><a href="./">职工论坛</a> <em>›</em> '
            f'<a href="forum.php?mod=forumdisplay&fid=2">劳动维权</a></div>'
            f'<div id="threadlist" class="tl bm"><div class="bm_c"><form id="moderate">'
            f'<table summary="forum_2" cellspacing="0" cellpadding="0" id="threadlisttableid">'
            f'<tbody id="separatorline"><tr class="ts"><td></td><th>版块主题</th></tr></tbody>'
            f'{"".join(bodies)}</table></form></div></div>'
            f'<div class="pg"><a href="forum.php?mod=forumdisplay&fid=2&page=2" class="nxt">'
            f'下一页</a></div></body></html>')
    return ListSite(f"{base}/forum.php?mod=forumdisplay&fid=2", html, articles)
