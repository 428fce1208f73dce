"""Clippings and archived copies on the demo news site: its e-paper fetched over HTTP and
matched as the scheduler does, then the media pass (`keep_media`) run, then the site stopped."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from docx import Document
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from warcio.archiveiterator import ArchiveIterator

from campaign.articles.media import resolve
from campaign.articles.models import Article, ArticleMedia
from campaign.coverage.demo import load_demo_rules
from campaign.coverage.matching import match_articles
from campaign.coverage.models import Match
from campaign.demo_site import running
from campaign.extensions import db
from campaign.ingest.media import MediaReport, keep_media
from campaign.ingest.write_phase import fetch_source
from campaign.planning.demo import DEMO_SLUG, load_demo
from campaign.planning.operations import get_campaign
from campaign.sources.importing import load_demo_sources
from campaign.sources.models import Source
from scrapers.clipping import area_box, parse_coords, scale_points
from scrapers.fetch import Fetcher, FetchSettings
from tests.plugins.apps import open_committed_app

TOLERANCE = 0.02  # of the page's size
SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass
class DemoMedia:
    report: MediaReport
    epaper: list[ArticleMedia]
    epaper_accepted: set[int]
    web: list[int]


@pytest.fixture(scope="module")
def demo_app(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app (own database and media folder) holding the demo's e-paper (安徽日报) and RSS
    outlet (安徽工人日报) fetched and matched, the media pass run while the site was up; the
    site is stopped before the tests run. One per module: the fetch takes half a minute."""
    folder = tmp_path_factory.mktemp(f"demo-media-{backend}")
    settings = FetchSettings(min_delay=0.0, max_per_host=4, retries=0)
    with open_committed_app(folder, backend, MEDIA_FOLDER=str(folder / "media")) as app, \
            app.app_context():
        with running() as base, Fetcher(settings) as fetcher:
            load_demo()
            load_demo_sources(base)
            load_demo_rules(get_campaign(DEMO_SLUG))
            db.session.commit()
            sources = db.session.scalars(sa.select(Source).where(
                Source.type.in_(["epaper", "rss"])).order_by(Source.id)).all()
            for source in sources:
                run = fetch_source(source, fetcher=fetcher, after_store=match_articles)
                assert run.outcome == "ok", (source.url, run.error)
                db.session.commit()
            app.config["MEDIA_REPORT"] = keep_media(fetcher, keep_pdfs=True, limit=1000)
        yield app


@pytest.fixture
def demo_media(demo_app: Flask) -> Iterator[DemoMedia]:
    """What the demo's media pass kept, read in an app context of the demo app."""
    with demo_app.app_context():
        accepted = sa.select(Match.article_id).where(Match.status == "accepted")
        epaper = db.session.scalars(sa.select(ArticleMedia).where(
            ArticleMedia.page_image_url != "", ArticleMedia.article_id.in_(accepted))).all()

        def of_type(kind: str) -> list[int]:
            return list(db.session.scalars(sa.select(Article.id).join(Source).where(
                Source.type == kind, Article.id.in_(accepted)).order_by(Article.id)))

        yield DemoMedia(demo_app.config["MEDIA_REPORT"], list(epaper), set(of_type("epaper")),
                        of_type("rss"))
        db.session.remove()


def logged_in(app: Flask, role: str) -> FlaskClient:
    """A test client of `app` logged in as the demo user of `role` (`load_demo` made it)."""
    client = app.test_client()
    response = client.post("/login", data={"username": role,
                                           "password": f"{role}-demo-2006"})
    assert response.status_code == 302
    return client


def _map_box(row: ArticleMedia) -> tuple[float, float, float, float]:
    assert row.page_width and row.page_height
    size = (row.page_width, row.page_height)
    return area_box([scale_points(parse_coords(c), row.shown_size, size) for c in row.coords])


def test_every_accepted_epaper_piece_has_a_clipping_matching_its_map_area(
        demo_media: DemoMedia) -> None:
    """Each accepted e-paper piece of the demo has a kept clipping whose crop box lies within
    2 % of the page size of its map areas' box (the map, drawn at half size, scaled up)."""
    assert {row.article_id for row in demo_media.epaper} == demo_media.epaper_accepted
    assert len(demo_media.epaper_accepted) >= 10
    for row in demo_media.epaper:
        assert row.clipping_path and row.note == "", (row.article_id, row.note)
        path = resolve(row.clipping_path)
        assert path is not None
        left, top, right, bottom = _map_box(row)
        assert (row.page_width, row.page_height) == (960, 1440)
        for crop, drawn, size in ((row.crop_left, left, row.page_width),
                                  (row.crop_top, top, row.page_height),
                                  (row.crop_right, right, row.page_width),
                                  (row.crop_bottom, bottom, row.page_height)):
            assert crop is not None and abs(crop - drawn) <= TOLERANCE * size
        with Image.open(path) as clip:
            assert clip.size == (row.crop_right - row.crop_left, row.crop_bottom - row.crop_top)


def test_page_pdfs_are_kept_when_asked(demo_media: DemoMedia) -> None:
    """With keep_pdfs, each accepted e-paper piece's page PDF is kept, and it is a PDF."""
    for row in demo_media.epaper:
        path = resolve(row.page_pdf_path)
        assert path is not None and path.read_bytes().startswith(b"%PDF-")


def test_archived_copy_reopens_after_the_site_is_gone(demo_app: Flask, demo_media: DemoMedia
                                                      ) -> None:
    """An accepted web article's archived copy is served after the demo site stopped, as a
    sandboxed page holding its title, and the article page links it as 存档."""
    assert demo_media.web, "the demo has accepted RSS articles"
    client = logged_in(demo_app, "leader")
    article = db.session.get(Article, demo_media.web[0])
    response = client.get(f"/articles/{article.id}/archive")
    assert response.status_code == 200
    assert article.title in response.get_data(as_text=True)
    assert response.headers["Content-Security-Policy"].startswith("sandbox")
    assert "script-src" not in response.headers["Content-Security-Policy"]
    page = client.get(f"/articles/{article.id}").get_data(as_text=True)
    assert f'href="/articles/{article.id}/archive"' in page and "存档" in page


def test_archived_copy_has_a_warc_record_warcio_reads(demo_media: DemoMedia) -> None:
    """The WARC file of an archived copy reads back with warcio: one response record for the
    article's URL whose payload is the archived HTML."""
    row = db.session.get(ArticleMedia, demo_media.web[0])
    warc, html = resolve(row.warc_path), resolve(row.archive_path)
    assert warc is not None and html is not None
    with warc.open("rb") as stream:
        found = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"),
                  r.content_stream().read()) for r in ArchiveIterator(stream)]
    assert found == [("response", db.session.get(Article, row.article_id).url,
                      html.read_bytes())]


def test_clippings_need_a_login(demo_app: Flask, demo_media: DemoMedia) -> None:
    """The clipping, the page image and the archived copy answer only logged-in users."""
    client = demo_app.test_client()
    article_id = demo_media.epaper[0].article_id
    for path in (f"/articles/{article_id}/clipping.png", f"/articles/{article_id}/page-image",
                 f"/articles/{demo_media.web[0]}/archive"):
        response = client.get(path)
        assert response.status_code in (302, 401), path


def test_clipping_and_whole_page_are_served_on_the_article_page(
        demo_app: Flask, demo_media: DemoMedia) -> None:
    """The article page shows the clipping linked to the whole page image, and both answer
    with their images."""
    client = logged_in(demo_app, "leader")
    article_id = demo_media.epaper[0].article_id
    page = client.get(f"/articles/{article_id}").get_data(as_text=True)
    assert f'src="/articles/{article_id}/clipping.png"' in page
    assert f'href="/articles/{article_id}/page-image"' in page
    clip = client.get(f"/articles/{article_id}/clipping.png")
    whole = client.get(f"/articles/{article_id}/page-image")
    assert clip.content_type == "image/png" and whole.content_type == "image/png"
    assert Image.open(io.BytesIO(whole.data)).size == (960, 1440)


def test_docx_holds_one_captioned_image_per_accepted_epaper_clipping(
        demo_app: Flask, demo_media: DemoMedia) -> None:
    """The 报道汇编 DOCX has one inline image per accepted e-paper clipping listed (a piece
    listed under two events twice), each followed by its caption (outlet · date · 版面)."""
    client = logged_in(demo_app, "officer")
    response = client.get(f"/campaigns/{DEMO_SLUG}/exports/clippings.docx")
    assert response.status_code == 200, response.status_code
    document = Document(io.BytesIO(response.data))
    clipped = [row.article_id for row in demo_media.epaper]
    listed = db.session.scalar(sa.select(sa.func.count()).select_from(Match).where(
        Match.status == "accepted", Match.article_id.in_(clipped)))
    assert listed >= len(clipped) > 0
    assert len(document.inline_shapes) == listed
    captions = [p for p in document.paragraphs if p.style.name == "Caption"]
    assert len(captions) == listed
    assert all(c.text.startswith("安徽日报 · 2006年") and "版" in c.text for c in captions)


def test_zip_of_the_campaigns_clipping_images_is_named_by_date_outlet_page_title(
        demo_app: Flask, demo_media: DemoMedia) -> None:
    """The campaign's clipping ZIP holds each accepted e-paper clipping once, named
    日期-媒体-版面-标题.png, its bytes the kept clipping's."""
    client = logged_in(demo_app, "leader")
    response = client.get(f"/campaigns/{DEMO_SLUG}/exports/clippings.zip")
    assert response.status_code == 200 and response.content_type == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        names = [n for n in archive.namelist() if n != "目录.csv"]
        assert len(names) == len(demo_media.epaper)
        with demo_app.app_context():
            row = demo_media.epaper[0]
            article = db.session.get(Article, row.article_id)
            day = article.published_at.astimezone(SHANGHAI).date().isoformat()
            expected = f"{day}-安徽日报-"
            named = [n for n in names if n.startswith(expected) and n.endswith(
                f"-{article.title}.png")]
            assert len(named) == 1, (expected, article.title, names[:5])
            path = resolve(row.clipping_path)
            assert path is not None and archive.read(named[0]) == path.read_bytes()


def test_clippings_show_on_the_event_dashboard(demo_app: Flask, demo_media: DemoMedia
                                               ) -> None:
    """An accepted e-paper piece's clipping is on its event dashboard's coverage list."""
    client = logged_in(demo_app, "officer")
    row = demo_media.epaper[0]
    match = db.session.scalars(sa.select(Match).where(
        Match.article_id == row.article_id, Match.status == "accepted")).first()
    assert match is not None
    board = client.get(f"/campaigns/{DEMO_SLUG}/events/{match.event.key}/dashboard")
    assert f'src="/articles/{row.article_id}/clipping.png"' in board.get_data(as_text=True)
