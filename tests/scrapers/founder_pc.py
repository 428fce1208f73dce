"""A small newspaper on the newer Founder layout, written here for the tests: pages under
``pc/layout/YYYYMM/DD/node_NN.html``, articles under ``pc/content/YYYYMM/DD/content_N.html``.

Each page has a page image with an image map that links every story twice (``?div=0`` and
``?div=-1``), a page list with labels with and without 第 (``01版：要闻``, ``第02版：综 合``),
a link to the previous issue, and a footer whose links look like articles. Articles carry their
page in ``<p id="nowLayout">`` after a page menu, their byline in the text, and one a 来源
credit in its header.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from tests.scrapers.scraper_server import LocalServer, Reply

LABELS = {1: "01版：要闻", 2: "第02版：综 合"}
PAGE_NAMES = {1: "要闻", 2: "综 合"}


@dataclass(frozen=True)
class Story:
    """One story of the made-up paper."""

    key: int
    page: int
    intro: str
    title: str
    subtitle: str
    first_line: str
    author: str  # what the walk should read from the byline
    credit: str = ""  # the outlet a 来源 line in the article's header credits


STORIES = (
    Story(1, 1, "劳动创造幸福", "全省职工技能竞赛启动", "五十个工种同场比武",
          "（记者 张三 通讯员 李四）全省职工技能竞赛今天启动。", "记者 张三 通讯员 李四"),
    Story(2, 1, "", "百名劳模走进车间", "",
          "本报记者 王五 报道", "记者 王五"),
    Story(3, 2, "", "困难职工帮扶资金发放到位", "",
          "记者了解到，帮扶资金已全部发放。", "", credit="江城工人网"),
)


def layout_path(day: date, page: int) -> str:
    """The path of a page (版面) of the day's issue."""
    return f"/pc/layout/{day:%Y%m}/{day:%d}/node_{page:02d}.html"


def content_path(day: date, story: Story) -> str:
    """The path of a story of the day's issue."""
    return f"/pc/content/{day:%Y%m}/{day:%d}/content_{day.day * 100 + story.key}.html"


def _rel_content(day: date, story: Story) -> str:
    return "../../.." + content_path(day, story).removeprefix("/pc")


def page_html(day: date, page: int) -> str:
    """The HTML of a page (版面) of the day's issue."""
    ours = [s for s in STORIES if s.page == page]
    areas = "".join(
        f'<area shape="poly" coords="{s.key},0,{s.key},{9 + div}" '
        f'href="{_rel_content(day, s)}?div={div}">'
        for s in ours for div in (0, -1))
    titles = "".join(f'<li><a href="{_rel_content(day, s)}">{s.title}</a></li>' for s in ours)
    page_list = "".join(
        f'<li><a id="pageLink" href="node_{n:02d}.html">{label}</a> '
        f'<a href="../../../../pc/pdf/{day:%Y%m}/{day:%d}/page_{n:02d}.pdf">PDF</a></li>'
        for n, label in LABELS.items())
    previous = day - timedelta(days=1)
    return f"""<html><head><meta charset="utf-8"><title>职工日报</title></head><body>
    <div class="top"><a href="../../{previous:%Y%m}/{previous:%d}/node_01.html">上一期</a></div>
    <p id="nowLayout">{LABELS[page]}</p>
    <img src="../../../pic/{day:%Y%m}/{day:%d}/page_{page:02d}.jpg" usemap="#PagePicMap">
    <map name="PagePicMap">{areas}</map>
    <ul id="pageList">{page_list}</ul><ul class="news-list">{titles}</ul>
    <div class="footer"><a href="../../../content/about/content_9.html">关于我们</a>
    <a href="/pc/content/201901/01/content_1.html">版权声明</a></div></body></html>"""


def article_html(story: Story) -> str:
    """The HTML of a story's page."""
    options = "".join(f"<option>{label}</option>" for label in LABELS.values())
    credit = f'<span class="source">来源：{story.credit}</span>' if story.credit else ""
    return f"""<html><head><meta charset="utf-8"><title>{story.title}</title></head><body>
    <select id="pageMenu">{options}</select>
    <p id="nowLayout">{LABELS[story.page]}</p>
    <div class="article"><h3>{story.intro}</h3><h1>{story.title}</h1><h2>{story.subtitle}</h2>
    {credit}<div id="ozoom"><p>{story.first_line}</p><p>各级工会将跟进落实。</p></div></div>
    <div class="footer"><a href="../../../content/about/content_9.html">关于我们</a></div>
    </body></html>"""


def publish_pc_paper(server: LocalServer, day: date, *, readable: bool = True) -> None:
    """Serve the day's issue; with ``readable=False`` the pages link stories that answer 404
    (a day whose pages hold articles none of which can be read)."""
    for page in LABELS:
        server.route(layout_path(day, page), Reply(body=page_html(day, page).encode()))
    for story in STORIES:
        if readable:
            body = article_html(story).encode()
            server.route(content_path(day, story), Reply(body=body))
        else:
            server.routes.pop(content_path(day, story), None)



def publish_pc_days(server: LocalServer, days: list[date]) -> None:
    """Serve several days' issues, each day's stories told in words of their own (no two days'
    stories share a title or a body, so none is taken for another's copy)."""
    for day in days:
        publish_pc_paper(server, day)
        for story in STORIES:
            told = replace(story, title=f"{story.title}（{day:%m月%d日}）",
                           first_line=f"{day:%m月%d日}，{story.first_line}")
            server.route(content_path(day, story), Reply(body=article_html(told).encode()))
