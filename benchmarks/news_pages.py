"""A generated news site on disk for the ingestion benchmark: list pages and article pages.

`write_site(folder, pages=..., sources=..., seed=...)` writes ``s{k}/list_{n}.html`` (100 links
each, with a 下一页 link) and ``s{k}/2006-04-{dd}/content_{i}.html`` for each of ``sources``
outlets, and returns what each article page says (its `PageTruth`). The pages look like the
portals the tracker reads: a navigation bar, a breadcrumb, a credit line (来源, 作者, 发布时间),
the story, an editor line, related links, a rank list and a footer with 版权所有 and an ICP
number; a third of the outlets write GBK and declare gb2312. `serve(folder)` answers them over
HTTP from a child process, as static files.
"""

from __future__ import annotations

import functools
import math
import multiprocessing
import random
import socket
from dataclasses import dataclass
from html import escape
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PER_LIST = 100
_CHARS = ("工会职工劳动模范全省组织开展活动建设发展企业经济社会服务群众工作会议精神学习宣传"
          "技能竞赛创新安全生产权益维护和谐关系农民工就业培训帮扶困难家庭表彰先进集体个人"
          "代表大会主席同志领导部署要求推进落实深入基层一线岗位奉献青年女工文化体育健康"
          "城市乡村道路交通教育医疗住房保障环境保护科技项目投资市场价格消费旅游")
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华"
_NAV = ("首页", "新闻", "要闻", "本地", "国内", "国际", "财经", "体育", "文化", "教育", "健康",
        "旅游", "汽车", "房产", "科技", "评论", "图片", "视频", "专题", "网站地图")


@dataclass(frozen=True, slots=True)
class PageTruth:
    """What an article page says: its headline, paragraphs, publication time and credits."""

    url_path: str
    title: str
    paragraphs: tuple[str, ...]
    published: str  # "2006-04-25 10:05", Beijing time
    author: str
    editor: str
    credit: str


def _words(rng: random.Random) -> list[str]:
    return ["".join(rng.choice(_CHARS) for _ in range(rng.choice((2, 2, 3, 4))))
            for _ in range(600)]


def _sentence(rng: random.Random, words: list[str]) -> str:
    parts = [rng.choice(words) for _ in range(rng.randint(6, 16))]
    text = "".join(p + ("，" if rng.random() < 0.18 else "") for p in parts)
    return text.rstrip("，") + "。"


def _paragraph(rng: random.Random, words: list[str]) -> str:
    return "".join(_sentence(rng, words) for _ in range(rng.randint(2, 5)))


def _name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.randint(1, 2)))


def _article_html(truth: PageTruth, site: str, charset: str, related: list[tuple[str, str]],
                  ranks: list[tuple[str, str]]) -> str:
    nav = " | ".join(f'<a href="/{n}/">{n}</a>' for n in _NAV)
    body = "\n".join(f"<p>　　{escape(p)}</p>" for p in truth.paragraphs)
    rel = "\n".join(f'<li><a href="{u}">{escape(t)}</a></li>' for u, t in related)
    rank = "\n".join(f'<li><span>{n + 1}</span><a href="{u}">{escape(t)}</a></li>'
                     for n, (u, t) in enumerate(ranks))
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" \
"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<title>{escape(truth.title)}_{site}</title>
<meta name="keywords" content="{escape(truth.title[:8])},{site}" />
<meta name="description" content="{escape(truth.paragraphs[0][:60])}" />
<link rel="stylesheet" href="/css/main.css" />
<script type="text/javascript">var _hmt = _hmt || []; (function() {{ var hm = 1; }})();</script>
<style>.content p {{ text-indent: 2em; line-height: 1.8; }}</style>
</head>
<body>
<div id="top"><div class="logo"><a href="/">{site}</a></div>
<div class="topnav">{nav}</div>
<div class="search"><form action="/search"><input name="q" /><button>搜索</button></form></div>
</div>
<div class="crumb">当前位置：<a href="/">{site}</a> &gt; <a href="/news/">新闻</a> &gt; 正文</div>
<div id="main">
<div class="left">
<h1>{escape(truth.title)}</h1>
<div class="info">来源：{escape(truth.credit)}　作者：{escape(truth.author)}　\
发布时间：{truth.published}　<a href="javascript:window.print()">打印</a>　字号：大 中 小</div>
<div class="content" id="artibody">
{body}
</div>
<div class="editor">（责任编辑：{escape(truth.editor)}）</div>
<div class="share">分享到：<a href="#">微博</a> <a href="#">微信</a></div>
<div class="related"><h3>相关新闻</h3><ul>
{rel}
</ul></div>
</div>
<div class="right"><h3>点击排行</h3><ol>
{rank}
</ol>
<div class="ad"><a href="/ad/1"><img src="/ad/1.gif" alt="广告" /></a></div>
</div>
</div>
<div id="footer"><a href="/about/">关于我们</a> | <a href="/ads/">广告服务</a> | \
<a href="/contact/">联系我们</a> | <a href="/map/">网站地图</a><br />
{site} 版权所有 未经授权禁止转载<br />皖ICP备06000000号</div>
</body>
</html>
"""


def _list_html(site: str, charset: str, entries: list[tuple[str, str, str]],
               next_path: str | None) -> str:
    rows = "\n".join(f'<li><a href="{u}" target="_blank">{escape(t)}</a><span>{d}</span></li>'
                     for u, t, d in entries)
    more = f'<a href="{next_path}">下一页</a>' if next_path else ""
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<title>新闻_{site}</title></head>
<body><div class="topnav"><a href="/">首页</a></div>
<ul class="news-list">
{rows}
</ul>
<div class="pages">{more}</div>
</body></html>
"""


def write_site(folder: Path, *, pages: int, sources: int, seed: int) -> dict[str, PageTruth]:
    """Write the site under ``folder``; return each article page's truth by URL path."""
    rng = random.Random(seed)
    words = _words(rng)
    truths: dict[str, PageTruth] = {}
    per_source = math.ceil(pages / sources)
    made = 0
    for k in range(sources):
        site = f"第{k + 1}新闻网"
        gbk = k % 3 == 2
        charset, encoding = ("gb2312", "gb18030") if gbk else ("utf-8", "utf-8")
        count = min(per_source, pages - made)
        made += count
        own: list[PageTruth] = []
        for i in range(count):
            day = 1 + i % 30
            path = f"/s{k}/2006-04-{day:02d}/content_{i}.html"
            title = "".join(rng.choice(words) for _ in range(rng.randint(4, 7)))
            paragraphs = tuple(_paragraph(rng, words) for _ in range(rng.randint(4, 12)))
            when = f"2006-04-{day:02d} {rng.randint(6, 22):02d}:{rng.randrange(60):02d}"
            own.append(PageTruth(path, title, paragraphs, when, _name(rng), _name(rng),
                                 rng.choice(("新华社", "安徽日报", site, "中安在线"))))
        for i, truth in enumerate(own):
            others = [own[(i + j) % len(own)] for j in (1, 2, 3, 5, 8, 13, 21, 34, 55, 89)]
            links = [(t.url_path, t.title) for t in others]
            page = _article_html(truth, site, charset, links[:6], links[4:])
            target = folder / truth.url_path.lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(page.encode(encoding))
            truths[truth.url_path] = truth
        lists = [own[n:n + PER_LIST] for n in range(0, len(own), PER_LIST)]
        for n, chunk in enumerate(lists):
            following = f"/s{k}/list_{n + 1}.html" if n + 1 < len(lists) else None
            entries = [(t.url_path, t.title, t.published[:10]) for t in chunk]
            (folder / f"s{k}" / f"list_{n}.html").write_bytes(
                _list_html(site, charset, entries, following).encode(encoding))
    return truths


def list_pages(pages: int, sources: int) -> int:
    """How many list pages each source has (at most)."""
    return math.ceil(math.ceil(pages / sources) / PER_LIST)


class _Quiet(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real server

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes: without this, Nagle's algorithm holds the
        # body until the client's delayed ACK (40 ms a page).
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return


def _serve(folder: str, sock: socket.socket) -> None:
    handler = functools.partial(_Quiet, directory=folder)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler, bind_and_activate=False)
    server.socket.close()
    server.socket = sock
    server.daemon_threads = True
    server.serve_forever()


def serve(folder: Path) -> tuple[multiprocessing.process.BaseProcess, str]:
    """Serve ``folder`` on 127.0.0.1 from a child process (a real site is another machine:
    its work must not count as ours); returns the process and the base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port = sock.getsockname()[1]
    process = multiprocessing.get_context("fork").Process(
        target=_serve, args=(str(folder), sock), daemon=True)
    process.start()
    sock.close()
    return process, f"http://127.0.0.1:{port}"
