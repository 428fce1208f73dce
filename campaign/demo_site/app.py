"""The WSGI app serving the invented media world (a small Flask app, separate from the tracker)."""

from __future__ import annotations

import datetime as dt

from flask import Flask, Response, abort, redirect, request
from flask.typing import ResponseReturnValue

from . import render_epaper as ep
from . import render_web as web
from .articles import by_path, epaper_day
from .model import EPAPER_FIRST, EPAPER_LAST, Article
from .sources import sources_for


def _html(text: str, charset: str = "utf-8") -> Response:
    return Response(text.encode(charset), content_type=f"text/html; charset={charset}")


def _base() -> str:
    return request.host_url.rstrip("/")


def _article(path: str, outlet: str) -> Article:
    a = by_path().get(path)
    if a is None or a.outlet != outlet:
        abort(404)
    return a


def _epaper_date(month: str, day: str) -> dt.date:
    try:
        date = dt.date.fromisoformat(f"{month}-{day}")
    except ValueError:
        abort(404)
    if not EPAPER_FIRST <= date <= EPAPER_LAST or not epaper_day(date):
        abort(404)
    return date


def create_demo_site() -> Flask:
    """Build the demo news site: one WSGI app, one path prefix per outlet."""
    app = Flask("campaign.demo_site")

    @app.get("/")
    def home() -> ResponseReturnValue:
        return _html(web.render_home(_base(), sources_for(_base())))

    # ---- 安徽日报 e-paper ---------------------------------------------------------------
    @app.get("/ahrb/")
    @app.get("/ahrb/index.htm")
    def ahrb_index() -> ResponseReturnValue:
        return _html(ep.render_archive())

    @app.get("/ahrb/html/<month>/<day>/node_<int:page>.htm")
    def ahrb_node(month: str, day: str, page: int) -> ResponseReturnValue:
        text = ep.render_node(_epaper_date(month, day), page)
        if text is None:
            abort(404)
        return _html(text)

    @app.get("/ahrb/html/<month>/<day>/content_<int:aid>.htm")
    def ahrb_content(month: str, day: str, aid: int) -> ResponseReturnValue:
        _epaper_date(month, day)
        return _html(ep.render_content(_article(request.path, "ahrb")))

    @app.get("/ahrb/page/1/<month>/<day>/<int:page>/<name>")
    def ahrb_page_media(month: str, day: str, page: int, name: str) -> ResponseReturnValue:
        kind = name.rsplit(".", 1)[-1]
        expected = {"png": "_b.png", "pdf": ".pdf"}.get(kind)
        date = _epaper_date(month, day)
        if expected is None or name != f"{date:%Y%m%d}{page:02d}{expected}":
            abort(404)
        body = ep.page_media(date, page, kind)
        if body is None:
            abort(404)
        return Response(body, content_type="image/png" if kind == "png" else "application/pdf")

    @app.get("/ahrb/image/<path:rest>")
    def ahrb_page_image(rest: str) -> ResponseReturnValue:
        if not rest.endswith(".gif"):
            abort(404)
        return Response(ep.GIF_1X1, content_type="image/gif")

    # ---- 安徽工人日报 RSS -----------------------------------------------------------------
    @app.get("/ahgrb/")
    def ahgrb_index() -> ResponseReturnValue:
        return _html(web.render_ahgrb_index())

    @app.get("/ahgrb/rss.xml")
    def ahgrb_rss() -> ResponseReturnValue:
        return Response(web.render_rss(_base()).encode("utf-8"),
                        content_type="application/rss+xml; charset=utf-8")

    @app.get("/ahgrb/<y>/<m>/<d>/art_<int:aid>.html")
    def ahgrb_article(y: str, m: str, d: str, aid: int) -> ResponseReturnValue:
        return _html(web.render_ahgrb_article(_article(request.path, "ahgrb")))

    # ---- 中安在线 portal (GBK) ------------------------------------------------------------
    @app.get("/ahnews/")
    @app.get("/ahnews/index.html")
    def ahnews_index() -> ResponseReturnValue:
        return redirect("/ahnews/list_1.html")

    @app.get("/ahnews/list_<int:page>.html")
    def ahnews_list(page: int) -> ResponseReturnValue:
        text = web.render_portal_list(page)
        if text is None:
            abort(404)
        return _html(text, "gbk")

    @app.get("/ahnews/system/<y>/<m>/<d>/<name>.shtml")
    def ahnews_article(y: str, m: str, d: str, name: str) -> ResponseReturnValue:
        return _html(web.render_portal_article(_article(request.path, "ahnews")), "gbk")

    # ---- 合肥日报 (gb2312 declared in the page, no charset in the header) ------------------
    @app.get("/hfrb/news/index.html")
    @app.get("/hfrb/news/index_<int:page>.html")
    def hfrb_list(page: int = 1) -> ResponseReturnValue:
        if page == 1 and request.path.endswith("index_1.html"):
            abort(404)
        text = web.render_hfrb_list(page)
        if text is None:
            abort(404)
        return Response(text.encode("gb18030"), content_type="text/html")

    @app.get("/hfrb/news/<month>/<day>/art_<int:aid>.html")
    def hfrb_article(month: str, day: str, aid: int) -> ResponseReturnValue:
        text = web.render_hfrb_article(_article(request.path, "hfrb"))
        return Response(text.encode("gb18030"), content_type="text/html")

    # ---- 工人日报 -------------------------------------------------------------------------
    @app.get("/grrb/dfgh/index.html")
    def grrb_list() -> ResponseReturnValue:
        return _html(web.render_grrb_list())

    @app.get("/grrb/html/<month>/<day>/content_<int:aid>.htm")
    def grrb_article(month: str, day: str, aid: int) -> ResponseReturnValue:
        return _html(web.render_grrb_article(_article(request.path, "grrb")))

    return app
