"""Manual clippings: the form, uploads checked by content and size, random stored names,
nothing left behind on failure, and files served back only to logged-in users."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from sqlalchemy import func, select

from campaign.articles.media import stored_bytes
from campaign.articles.models import MediaUsage
from campaign.coverage.clippings import sniff
from campaign.coverage.models import Clipping, CoverageRule
from campaign.extensions import db as _db
from tests.factories import beijing
from tests.html import field_errors, soup

URL = "/campaigns/pm/events/rally/clippings"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture
def world(make):
    campaign = make.campaign(slug="pm")
    event = make.event(campaign, key="rally", starts_at=beijing(date(2006, 4, 27)))
    outlet = make.outlet(name="安徽电视台", kind="tv")
    return {"event": event, "outlet": outlet}


@pytest.fixture
def folder(app) -> Path:
    """Where scans go: `scans/` of the media store."""
    path = Path(app.config.get("MEDIA_FOLDER") or Path(app.config["INSTANCE_PATH"]) / "media"
                ) / "scans"
    path.mkdir(parents=True, exist_ok=True)
    return path


def form(world, **overrides):
    data = {"outlet_id": str(world["outlet"].id), "published_on": "2006-04-27", "page": "一版",
            "genre": "消息", "title": "全省职工庆祝五一", "note": "晚间新闻"}
    return {**data, **overrides}


def count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Clipping))


def test_png_clipping_is_stored_under_a_random_name_and_served_back(client, login, db, world,
                                                                    folder):
    """A PNG scan is kept under a random name and served with its type, inline, nosniff."""
    login("officer")
    response = client.post(URL, data=form(world, file=(BytesIO(PNG), "我的扫描.png")),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    clipping = db.session.scalar(select(Clipping))
    assert (clipping.page_number, clipping.genre, clipping.file_type) == (1, "消息", "image/png")
    assert clipping.file_size == len(PNG) and "扫描" not in clipping.file_name
    assert (folder / clipping.file_name).read_bytes() == PNG
    page = soup(client.get("/campaigns/pm/events/rally/coverage").get_data(as_text=True))
    link = page.select_one(f'tr.clipping-row[data-clipping-id="{clipping.id}"] a')["href"]
    served = client.get(link)
    assert served.status_code == 200 and served.data == PNG
    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Disposition"].startswith("inline; filename=clipping-")


def test_pdf_clipping_is_accepted(client, login, db, world):
    """A PDF is recognised by its %PDF- header."""
    login("officer")
    client.post(URL, data=form(world, file=(BytesIO(PDF), "scan")),
                content_type="multipart/form-data")
    assert db.session.scalar(select(Clipping)).file_type == "application/pdf"


def test_clipping_without_a_file(client, login, db, world):
    """A TV report with no scan is recorded with no file."""
    login("officer")
    assert client.post(URL, data=form(world)).status_code == 302
    assert db.session.scalar(select(Clipping)).file_name is None


def test_text_renamed_png_is_refused_and_nothing_is_written(client, login, db, world, folder):
    """A text file named .png is refused by its content; no row and no file remain."""
    login("officer")
    before = set(folder.iterdir())
    response = client.post(URL, data=form(world, file=(BytesIO(b"hello, not an image"),
                                                       "fake.png", "image/png")),
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "PNG" in field_errors(response.get_data(as_text=True))["file"][0]
    assert count(db) == 0 and set(folder.iterdir()) == before


def test_oversize_file_is_refused_with_a_clear_message(client, login, db, world, folder):
    """A scan over 10 MB (below the request limit) is refused and says the limit."""
    login("officer")
    before = set(folder.iterdir())
    big = PNG + b"\x00" * (10 * 1024 * 1024)
    response = client.post(URL, data=form(world, file=(BytesIO(big), "big.png")),
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "10 MB" in field_errors(response.get_data(as_text=True))["file"][0]
    assert count(db) == 0 and set(folder.iterdir()) == before


def test_failed_commit_leaves_no_orphan_file(client, login, db, world, folder, monkeypatch):
    """When the commit fails after the file was written, the file is removed again."""
    login("officer")
    before = set(folder.iterdir())

    def broken_commit():
        raise RuntimeError("disk full")

    monkeypatch.setattr(_db.session, "commit", broken_commit)
    response = client.post(URL, data=form(world, file=(BytesIO(PNG), "a.png")),
                           content_type="multipart/form-data")
    monkeypatch.undo()
    assert response.status_code == 500
    assert set(folder.iterdir()) == before


def test_missing_fields_are_refused(client, login, db, world):
    """No outlet and no title: 422 with the fields marked, nothing stored."""
    login("officer")
    response = client.post(URL, data=form(world, outlet_id="0", title=""))
    assert response.status_code == 422
    assert set(field_errors(response.get_data(as_text=True))) >= {"outlet_id", "title"}
    assert count(db) == 0


def test_delete_removes_the_row_and_the_file(client, login, db, world, folder):
    """Deleting a clipping removes its row and its stored file."""
    login("officer")
    client.post(URL, data=form(world, file=(BytesIO(PNG), "a.png")),
                content_type="multipart/form-data")
    clipping = db.session.scalar(select(Clipping))
    path = folder / clipping.file_name
    response = client.post(f"{URL}/{clipping.id}/delete")
    assert response.status_code == 302
    assert count(db) == 0 and not path.exists()


def test_files_are_served_only_to_logged_in_users(client, login, db, world):
    """An anonymous visitor is sent to the login page instead of the file; a leader may read."""
    login("officer")
    client.post(URL, data=form(world, file=(BytesIO(PNG), "a.png")),
                content_type="multipart/form-data")
    clipping = db.session.scalar(select(Clipping))
    client.post("/logout")
    file_url = f"{URL}/{clipping.id}/file"
    response = client.get(file_url)
    assert response.status_code == 302 and "/login" in response.location
    login("leader")
    assert client.get(file_url).data == PNG


def test_leader_cannot_add_or_delete_and_sees_no_form(client, login, db, world):
    """A leader gets 403 on upload and sees no clipping form."""
    login("leader")
    assert client.post(URL, data=form(world)).status_code == 403
    page = soup(client.get("/campaigns/pm/events/rally/coverage").get_data(as_text=True))
    assert page.select_one("#clipping-form") is None
    assert count(db) == 0


def test_sniff_knows_the_four_kinds():
    """PNG, JPEG, WebP and PDF are recognised by their first bytes; others are not."""
    assert sniff(PNG).extension == "png"
    assert sniff(b"\xff\xd8\xff\xe0\x00\x10JFIF").extension == "jpg"
    assert sniff(b"RIFF\x10\x00\x00\x00WEBPVP8 ").extension == "webp"
    assert sniff(PDF).extension == "pdf"
    assert sniff(b"GIF89a") is None and sniff(b"<svg") is None


def test_refused_clipping_keeps_the_rule_form_as_stored(client, login, make, world):
    """A refused clipping re-shows the page with the rule form still holding the stored rule."""
    login("officer")
    make.db.session.add(CoverageRule(event_id=world["event"].id, query="动员大会 五一",
                                     use_synonyms=False, days_after=4))
    make.db.session.commit()
    response = client.post(URL, data=form(world, title=""))
    assert response.status_code == 422
    page = soup(response.get_data(as_text=True))
    assert page.select_one("#rule-form textarea[name=query]").get_text().strip() == "动员大会 五一"
    assert not page.select_one("#rule-form input[name=use_synonyms]").has_attr("checked")
    assert page.select_one("#rule-form input[name=days_after]")["value"] == "4"
    assert page.select_one("#clipping-form input[name=title]").get("value", "") == ""
    assert page.select_one("#clipping-form input[name=page]")["value"] == "一版"


@pytest.mark.parametrize("day", ["1999-01-01", "2006-03-31", "2006-07-25", "9999-12-31",
                                 "0001-01-01"])
def test_date_outside_the_campaign_is_refused(client, login, db, world, folder, day):
    """A clipping dated before the campaign's preparation or more than 60 days after its end
    is refused on the date field with the allowed range; no row and no file are written."""
    login("officer")
    before = set(folder.iterdir())
    response = client.post(URL, data=form(world, published_on=day,
                                          file=(BytesIO(PNG), "scan.png")),
                           content_type="multipart/form-data")
    assert response.status_code == 422
    message = field_errors(response.get_data(as_text=True))["published_on"][0]
    assert "2006-04-01" in message and "2006-07-24" in message
    assert count(db) == 0 and set(folder.iterdir()) == before


@pytest.mark.parametrize("day", ["2006-04-01", "2006-07-24"])
def test_dates_at_the_ends_of_the_allowed_range_are_accepted(client, login, db, world, day):
    """The preparation's first day and the 60th day after the campaign's end are accepted."""
    login("officer")
    assert client.post(URL, data=form(world, published_on=day)).status_code == 302
    assert db.session.scalar(select(Clipping.published_on)) == date.fromisoformat(day)


def test_clipping_keeps_its_link(client, login, db, world):
    """A WeChat post typed by hand keeps its link: stored, shown as the title's link on the
    event page, and written in the clipping list's 链接 column."""
    from campaign.exports.rows import ClippingFilter, iter_clipping_rows

    login("officer")
    link = "https://mp.weixin.qq.com/s/AbC123"
    assert client.post(URL, data=form(world, url=link)).status_code == 302
    assert db.session.scalar(select(Clipping)).url == link
    page = soup(client.get("/campaigns/pm/events/rally/coverage").get_data(as_text=True))
    assert page.select_one("a.clipping-link")["href"] == link
    campaign_id = world["event"].campaign_id
    [row] = iter_clipping_rows(ClippingFilter(campaign_id=campaign_id))
    assert row.url == link


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://x.test/a", "不是链接"])
def test_clipping_link_must_be_http(client, login, db, world, link):
    """A link that is not http(s) is refused on its field; nothing is stored."""
    login("officer")
    response = client.post(URL, data=form(world, url=link))
    assert response.status_code == 422
    assert "url" in field_errors(response.get_data(as_text=True))
    assert count(db) == 0


def test_scan_is_refused_when_the_media_store_is_full(client, login, db, world, folder, app,
                                                      monkeypatch):
    """A scan that would take the media store's running total past MEDIA_MAX_TOTAL_MB is
    refused with a clear message: no row, no file, the total unchanged; a scan that fits adds
    its size to the total and deleting it takes the size off again."""
    monkeypatch.setitem(app.config, "MEDIA_MAX_TOTAL_MB", 1.0)
    login("officer")
    before = set(folder.iterdir())
    full = 1024 * 1024 - len(PNG) + 1
    db.session.merge(MediaUsage(id=1, bytes=full))
    db.session.commit()
    response = client.post(URL, data=form(world, file=(BytesIO(PNG), "a.png")),
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "媒体存储已满" in field_errors(response.get_data(as_text=True))["file"][0]
    assert count(db) == 0 and set(folder.iterdir()) == before and stored_bytes() == full
    db.session.merge(MediaUsage(id=1, bytes=full - 1))
    db.session.commit()
    response = client.post(URL, data=form(world, file=(BytesIO(PNG), "a.png")),
                           content_type="multipart/form-data")
    assert response.status_code == 302 and stored_bytes() == full - 1 + len(PNG)
    clipping = db.session.scalar(select(Clipping))
    client.post(f"{URL}/{clipping.id}/delete")
    assert stored_bytes() == full - 1
