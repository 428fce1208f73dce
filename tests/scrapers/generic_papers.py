"""Two small e-papers of publishing systems that are not Founder's, written here for the tests.

* The *div paper* (``/epaper/YYYY-MM-DD/index.html``): the day page links its pages by labels
  (``A01版：要闻``, ``第A02版 综合`` and a third page named only ``文体`` beside them); page A01
  draws its stories with an image map and lists their titles, page A02 puts absolutely
  positioned boxes over its image. Articles (``/article/YYYY-MM-DD/N.html``) carry their
  titles in ``div.yinti``/``div.zhuti``/``div.futi`` and an author line. Pages link the
  previous issue, an article of another day and a footer.
* The *manifest paper* (``/news/YYYYMMDD/index.html``): the page is drawn by a script from a
  JSON file (``data-src="/news/data/YYYYMMDD.json"``) listing pages and articles; the HTML
  links its pages too, whose lists hold the same stories. Articles use h3/h1/h2 headings.

With ``empty=True`` the div paper's pages show their image but link no article.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from tests.scrapers.scraper_server import LocalServer, Reply


@dataclass(frozen=True)
class Story:
    """One story of a made-up paper."""

    key: int
    page: str  # A01, A02 …
    intro: str
    title: str
    subtitle: str
    byline: str  # as printed
    author: str  # as the reader should give it
    first_line: str


DIV_PAGES = {"A01": ("A01版：要闻", "要闻"), "A02": ("第A02版 综合", "综合"), "A03": ("文体", "")}
DIV_STORIES = (
    Story(1, "A01", "劳动创造幸福", "全省职工技能大赛开幕", "三十个工种同台竞技", "作者：张三",
          "张三", "全省职工技能大赛今天开幕，来自各地的选手同台竞技。"),
    Story(2, "A01", "", "让劳动者共享发展成果", "", "本报评论员", "本报评论员",
          "劳动者是发展的主体，也应当是发展成果的享有者。"),
    Story(3, "A02", "", "百名劳模进校园", "讲述奋斗故事", "记者 李四", "记者 李四",
          "百名劳模走进全省各地校园，为学生讲述奋斗故事。"),
)
MANIFEST_PAGES = {"A01": "要闻", "A02": "经济"}
MANIFEST_STORIES = (
    Story(501, "A01", "聚焦产业工人", "产业工人队伍建设改革推进会召开", "", "记者 王五",
          "记者 王五", "产业工人队伍建设改革推进会昨天召开，部署下一阶段工作。"),
    Story(502, "A02", "", "职工书屋覆盖千家企业", "阅读点亮职工生活", "记者 赵六", "记者 赵六",
          "全省职工书屋已覆盖一千家企业，累计藏书百万册。"),
)


def div_day_path(day: date) -> str:
    return f"/epaper/{day:%Y-%m-%d}/index.html"


def div_page_path(day: date, page: str) -> str:
    return f"/epaper/{day:%Y-%m-%d}/page_{page}.html"


def div_article_path(day: date, story: Story) -> str:
    return f"/article/{day:%Y-%m-%d}/{story.key}.html"


def _page_nav(day: date) -> str:
    links = "".join(f'<li><a href="page_{code}.html">{label}</a></li>'
                    for code, (label, _name) in DIV_PAGES.items())
    previous = day - timedelta(days=1)
    return (f'<div class="bm-nav"><ul>{links}</ul></div>'
            f'<div class="tools"><a href="/epaper/{previous:%Y-%m-%d}/index.html">上一期</a> '
            f'<a href="page_A02.html">下一版</a></div>')


def _footer() -> str:
    return ('<div class="footer"><a href="/about.html">关于我们本报</a> '
            '<a href="/copyright.html">版权声明事项</a></div>')


def div_day_html(day: date) -> str:
    """The day's entry page: the page list and a welcome text, no story."""
    return (f'<html><head><meta charset="utf-8"><title>职工报 {day}</title></head><body>'
            f'<h1>职工报电子版</h1>{_page_nav(day)}<p>欢迎阅读。</p>{_footer()}</body></html>')


def _map_links(day: date, stories: list[Story]) -> str:
    areas = "".join(f'<area shape="rect" coords="0,{s.key * 100},500,{s.key * 100 + 90}" '
                    f'href="/article/{day:%Y-%m-%d}/{s.key}.html">' for s in stories)
    return (f'<img src="/img/{day:%Y-%m-%d}/A01.jpg" usemap="#pm" width="500" height="800">'
            f'<map name="pm">{areas}</map>')


def _boxes(day: date, stories: list[Story]) -> str:
    boxes = "".join(f'<a class="box" style="position: absolute; left:10px; top:{s.key * 50}px;'
                    f' width:200px; height:40px" href="/article/{day:%Y-%m-%d}/{s.key}.html">'
                    '</a>' for s in stories)
    return (f'<div class="paper" style="position:relative"><img class="page-img" '
            f'src="/img/{day:%Y-%m-%d}/A02.jpg">{boxes}</div>')


def div_page_html(day: date, code: str, *, empty: bool = False) -> str:
    """A page: its image with a map (A01) or boxes (A02), its title list, other links."""
    ours = [] if empty else [s for s in DIV_STORIES if s.page == code]
    drawing = _map_links(day, ours) if code == "A01" else _boxes(day, ours)
    titles = "".join(f'<li><a href="/article/{day:%Y-%m-%d}/{s.key}.html">{s.title}</a></li>'
                     for s in ours)
    older = day - timedelta(days=1)
    recall = ("" if empty else f'<li><a href="/article/{older:%Y-%m-%d}/9.html">'
              "昨日要闻回顾一览</a></li>")
    return (f'<html><head><meta charset="utf-8"><title>职工报</title></head><body>'
            f'{_page_nav(day)}<div class="main">{drawing}<div class="news-list"><ul>{titles}'
            f'{recall}</ul></div><a href="/pdf/{day:%Y-%m-%d}/{code}.pdf">PDF下载</a></div>'
            f'{_footer()}</body></html>')


def div_article_html(story: Story) -> str:
    """A story: 引题/主题/副题 divs, an author line and the text."""
    return (f'<html><head><meta charset="utf-8"><title>{story.title}-职工报</title></head>'
            f'<body><div class="bm-nav"><a href="page_A01.html">A01版：要闻</a></div>'
            f'<div class="article"><div class="yinti">{story.intro}</div>'
            f'<div class="zhuti">{story.title}</div><div class="futi">{story.subtitle}</div>'
            f'<div class="author">{story.byline}</div><div class="content">'
            f'<p>{story.first_line}</p><p>各级工会将认真抓好落实，推动各项工作见到实效。</p>'
            f'</div></div>{_footer()}</body></html>')


def publish_div_paper(server: LocalServer, day: date, *, empty: bool = False) -> None:
    """Serve the div paper's issue of ``day``."""
    server.route(div_day_path(day), Reply(body=div_day_html(day).encode()))
    for code in DIV_PAGES:
        server.route(div_page_path(day, code),
                     Reply(body=div_page_html(day, code, empty=empty).encode()))
    for story in DIV_STORIES:
        server.route(div_article_path(day, story), Reply(body=div_article_html(story).encode()))


def manifest_day_path(day: date) -> str:
    return f"/news/{day:%Y%m%d}/index.html"


def manifest_json_path(day: date) -> str:
    return f"/news/data/{day:%Y%m%d}.json"


def manifest_article_path(day: date, story: Story) -> str:
    return f"/news/{day:%Y%m%d}/a/{story.key}.html"


def manifest_json(day: date) -> str:
    """The day's manifest: pages with their number, name, image and articles."""
    pages = [{"pageNo": code, "pageName": name, "pageImage": f"/news/img/{day:%Y%m%d}/{code}.jpg",
              "articles": [{"id": s.key, "title": s.title,
                            "url": manifest_article_path(day, s)}
                           for s in MANIFEST_STORIES if s.page == code]}
             for code, name in MANIFEST_PAGES.items()]
    return json.dumps({"date": f"{day:%Y-%m-%d}", "paper": "工人日报", "pages": pages},
                      ensure_ascii=False)


def manifest_day_html(day: date) -> str:
    """The entry page: an app filled by script from the manifest, and the page links."""
    links = "".join(f'<a href="{code}.html">{code}版 {name}</a>'
                    for code, name in MANIFEST_PAGES.items())
    return (f'<html><head><meta charset="utf-8"><title>工人日报</title></head><body>'
            f'<div id="app" data-src="{manifest_json_path(day)}"></div>'
            f'<div class="layout-nav">{links}</div><script>var d = "{day:%Y%m%d}";'
            f"fetch('/news/data/' + d + '.json').then(r => r.json());</script></body></html>")


def manifest_page_html(day: date, code: str) -> str:
    """A page of the manifest paper as plain HTML: its list of titles."""
    items = "".join(f'<li><a href="a/{s.key}.html">{s.title}</a></li>'
                    for s in MANIFEST_STORIES if s.page == code)
    return (f'<html><head><meta charset="utf-8"></head><body><p class="cur">{code}版 '
            f'{MANIFEST_PAGES[code]}</p><ul class="titles">{items}</ul></body></html>')


def manifest_article_html(story: Story) -> str:
    """A story with h3/h1/h2 headings and a byline paragraph."""
    return (f'<html><head><meta charset="utf-8"><title>{story.title}</title></head><body>'
            f'<h3>{story.intro}</h3><h1>{story.title}</h1><h2>{story.subtitle}</h2>'
            f'<p class="byline">{story.byline}</p><div id="zoom"><p>{story.first_line}</p>'
            f'<p>相关工作将持续推进，惠及更多职工群众。</p></div></body></html>')


def publish_manifest_paper(server: LocalServer, day: date, *, manifest: str | None = None
                           ) -> None:
    """Serve the manifest paper's issue; ``manifest`` replaces the JSON file's text."""
    server.route(manifest_day_path(day), Reply(body=manifest_day_html(day).encode()))
    body = manifest_json(day) if manifest is None else manifest
    server.route(manifest_json_path(day), Reply(body=body.encode(),
                                                content_type="application/json"))
    for code in MANIFEST_PAGES:
        server.route(f"/news/{day:%Y%m%d}/{code}.html",
                     Reply(body=manifest_page_html(day, code).encode()))
    for story in MANIFEST_STORIES:
        server.route(manifest_article_path(day, story),
                     Reply(body=manifest_article_html(story).encode()))
