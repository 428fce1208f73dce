"""The review queue shows a suggested e-paper piece's clipping: cut from its page image along
its image-map area (the media store in a folder of the test's own), the thumbnail in the piece's
row links the whole page, and the image it points at is that cut."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from PIL import Image, ImageDraw

from campaign.articles.media import cut_clippings, keep_file
from campaign.articles.models import ArticleMedia
from campaign.coverage.models import Match
from tests.factories import beijing
from tests.html import soup

AREA = (40, 60, 300, 220)  # the story's map area on the page image: left, top, right, bottom
COORDS = "40,60,300,60,300,220,40,220"
INK = (20, 40, 160)


def page_image() -> bytes:
    """A white 600×880 page with the story drawn as a blue box where its map area lies."""
    image = Image.new("RGB", (600, 880), "white")
    ImageDraw.Draw(image).rectangle(AREA, fill=INK)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def media_folder(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A media folder of the test's own."""
    monkeypatch.setitem(app.config, "MEDIA_FOLDER", str(tmp_path / "media"))
    return tmp_path / "media"


def test_suggested_epaper_piece_shows_its_cut_clipping_in_the_review_queue(
        client, login, make, db, media_folder):
    """A suggested e-paper piece whose page image was cut along its map area shows that
    clipping in its review-queue row (linking the whole page), and the thumbnail served is
    the area's box (with its margin) in the story's ink."""
    campaign = make.campaign(slug="pm")
    event = make.event(campaign, key="rally", title="动员大会")
    article = make.article(make.outlet(name="安徽日报"), title="动员大会隆重召开",
                           page_number=1, page_name="要闻",
                           published_at=beijing(date(2006, 4, 27)))
    match = Match(event_id=event.id, article_id=article.id, day=article.day, score=0.4)
    row = ArticleMedia(article_id=article.id, page_image_url="http://paper.test/pic/01.png",
                       area_coords=COORDS)
    db.session.add_all([match, row])
    db.session.flush()
    page = page_image()
    assert cut_clippings([row], page, keep_file("pages", page, ".png").path) == [True]
    db.session.commit()

    login("officer")
    queue = soup(client.get("/campaigns/pm/review").get_data(as_text=True))
    queue_row = queue.select_one(f'tr.review-row[data-match-id="{match.id}"]')
    assert queue_row is not None
    image = queue_row.select_one("figure.clipping-thumb img")
    assert image is not None and image["src"] == f"/articles/{article.id}/clipping.png"
    assert image.find_parent("a")["href"] == f"/articles/{article.id}/page-image"

    served = client.get(image["src"])
    assert served.status_code == 200 and served.content_type == "image/png"
    clip = Image.open(io.BytesIO(served.data)).convert("RGB")
    margin_left, margin_top = AREA[0] - row.crop_left, AREA[1] - row.crop_top
    assert 0 < margin_left <= 10 and 0 < margin_top <= 10
    assert clip.size == (row.crop_right - row.crop_left, row.crop_bottom - row.crop_top)
    assert clip.size[0] - (AREA[2] - AREA[0]) <= 22 and clip.size[1] - (AREA[3] - AREA[1]) <= 22
    assert clip.getpixel((margin_left + 5, margin_top + 5)) == INK
    assert clip.getpixel((0, 0)) == (255, 255, 255)
