"""Manual clippings' scans in the 报道汇编 DOCX: a scan uploaded through the event's clipping
form (the media store in a folder of the test's own) is drawn in the document as a picture
with its caption; a PDF scan is listed, not drawn. Read back with python-docx."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from flask import Flask
from PIL import Image
from sqlalchemy import select

from campaign.coverage.models import Clipping
from campaign.planning.models import Outlet
from tests.factories import beijing

UPLOAD = "/campaigns/pm/events/rally/clippings"
DOCX = "/campaigns/pm/exports/clippings.docx"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def scan_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (90, 140), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def media_folder(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A media folder of the test's own."""
    monkeypatch.setitem(app.config, "MEDIA_FOLDER", str(tmp_path / "media"))
    return tmp_path / "media"


@pytest.fixture
def outlet(make) -> Outlet:
    """Campaign pm with the event "rally"; returns the outlet the clippings ran in."""
    campaign = make.campaign(slug="pm", name="宣传月")
    make.event(campaign, key="rally", title="动员大会", starts_at=beijing(date(2006, 4, 27)))
    return make.outlet(name="安徽工人日报")


def upload(client, db, outlet: Outlet, data: bytes, name: str, title: str) -> Clipping:
    """Post the event's clipping form with `data` as the scan; returns the stored clipping."""
    response = client.post(UPLOAD, data={
        "outlet_id": str(outlet.id), "published_on": "2006-04-28", "page": "第02版",
        "genre": "消息", "title": title, "note": "", "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    clipping = db.session.scalar(select(Clipping).filter_by(title=title))
    assert clipping is not None and clipping.file_name
    return clipping


def compilation(client) -> DocumentObject:
    response = client.get(DOCX)
    assert response.status_code == 200
    return Document(io.BytesIO(response.data))


def picture_blobs(document: DocumentObject) -> list[bytes]:
    """The bytes of each inline picture, in document order (its blip's related image part)."""
    blobs = []
    for shape in document.inline_shapes:
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        blobs.append(document.part.related_parts[blip.get(qn("r:embed"))].blob)
    return blobs


def test_uploaded_png_scan_is_a_captioned_picture_in_the_docx(client, login, db, outlet,
                                                              media_folder):
    """A PNG scan uploaded for a manual clipping is in the DOCX as one inline picture whose
    image part is the uploaded file, followed by its caption (outlet · date · 版面)."""
    login("officer")
    scan = scan_png()
    upload(client, db, outlet, scan, "扫描件.png", "职工之家挂牌")
    document = compilation(client)
    assert picture_blobs(document) == [scan]
    texts = [p.text for p in document.paragraphs]
    drawn = next(n for n, p in enumerate(document.paragraphs)
                 if p._p.xpath(".//pic:pic"))
    assert texts.index("1. 职工之家挂牌") < drawn
    caption = document.paragraphs[drawn + 1]
    assert caption.style.name == "Caption"
    assert caption.text == "安徽工人日报 · 2006年4月28日 · 第02版"


def test_pdf_scan_is_listed_but_not_drawn(client, login, db, outlet, media_folder):
    """A PDF scan's clipping is listed in the DOCX with no picture (Word cannot draw a PDF)."""
    login("officer")
    upload(client, db, outlet, PDF, "scan.pdf", "职工书屋揭牌")
    document = compilation(client)
    assert "1. 职工书屋揭牌" in [p.text for p in document.paragraphs]
    assert len(document.inline_shapes) == 0
