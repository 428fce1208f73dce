"""The clipping images' ZIP of one event (剪报图片 ZIP with ?event=KEY), read back with zipfile:
its files, their Chinese names (flagged UTF-8, so Windows shows them), the images' bytes and
the index 目录.csv."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from PIL import Image

from campaign.articles.media import keep_file
from campaign.articles.models import Article, ArticleMedia
from campaign.coverage.clippings import add_clipping
from tests.factories import beijing
from tests.plugins.worlds import accept

UTF8_FLAG = 0x800  # general purpose bit 11: the name is UTF-8 (APPNOTE 4.4.4)
TITLE = '劳模/表彰:大会"隆重"召开'
CLEAN_TITLE = "劳模_表彰_大会_隆重_召开"
WEB_URL = "http://www.ahwang.test/news/1.htm"
URL = "/campaigns/zip2006/exports/clippings.zip"


def picture(colour: str, size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


@dataclass
class ZipWorld:
    clippings: dict[int, bytes]  # article id → its clipping's bytes
    scan: bytes
    other: Article


@pytest.fixture
def zip_world(make: Any, db: Any, app: Flask, tmp_path: Path,
              monkeypatch: pytest.MonkeyPatch) -> ZipWorld:
    """A campaign whose event "rally" has two e-paper stories of one title with clippings, a
    web article (no picture) with a formula-like title, and a manual clipping with a scanned
    PNG; its event "other" has a clipped story of its own."""
    monkeypatch.setitem(app.config, "MEDIA_FOLDER", str(tmp_path / "media"))
    campaign = make.campaign(slug="zip2006")
    rally = make.event(campaign, key="rally", title="劳模表彰大会")
    other = make.event(campaign, key="other", title="其他活动",
                       starts_at=beijing(date(2006, 5, 3)))
    paper = make.outlet(name="安徽日报", tier="provincial")
    web = make.outlet(name="中安在线", tier="provincial")
    day = beijing(date(2006, 4, 27))
    stories = [make.article(paper, title=TITLE, page_number=1, page_name="要闻",
                            published_at=day) for _ in range(2)]
    elsewhere = make.article(paper, title="别的活动的报道", page_number=3, page_name="综合",
                             published_at=beijing(date(2006, 5, 3)))
    online = make.article(web, title="=网上报道", url=WEB_URL, published_at=day)
    clippings = {}
    for n, article in enumerate([*stories, elsewhere]):
        data = picture(("red", "green", "blue")[n], (120 + n, 80))
        db.session.add(ArticleMedia(article_id=article.id, page_image_url="http://p.test/1.png",
                                    clipping_path=keep_file("clippings", data, ".png").path))
        clippings[article.id] = data
    for article in (*stories, online):
        accept(db, rally, article)
    accept(db, other, elsewhere)
    scan = picture("yellow", (60, 90))
    add_clipping(rally, outlet=paper, published_on=date(2006, 4, 28), title="职工之家挂牌",
                 page="第02版", upload=io.BytesIO(scan))
    db.session.commit()
    return ZipWorld(clippings, scan, elsewhere)


def read_index(archive: zipfile.ZipFile) -> list[list[str]]:
    text = archive.read("目录.csv").decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def test_event_zip_holds_the_events_pictures_under_chinese_names(client, login,
                                                                zip_world: ZipWorld) -> None:
    """The event's ZIP holds its two clippings (the second of one name numbered -2) and its
    scan, named 日期-媒体-版面-标题 with what Windows refuses replaced, each name flagged
    UTF-8, each file the kept image's bytes; nothing of the other event."""
    login("leader")
    response = client.get(f"{URL}?event=rally")
    assert response.status_code == 200 and response.content_type == "application/zip"
    assert "zip2006-rally-clippings.zip" in response.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert archive.testzip() is None
        infos = {info.filename: info for info in archive.infolist()}
        first = f"2006-04-27-安徽日报-第01版 要闻-{CLEAN_TITLE}.png"
        second = f"2006-04-27-安徽日报-第01版 要闻-{CLEAN_TITLE}-2.png"
        scan = "2006-04-28-安徽日报-第02版-职工之家挂牌.png"
        assert set(infos) == {first, second, scan, "目录.csv"}
        assert all(info.flag_bits & UTF8_FLAG for info in infos.values())
        kept = {archive.read(first), archive.read(second)}
        assert kept == {data for article_id, data in zip_world.clippings.items()
                        if article_id != zip_world.other.id}
        assert archive.read(scan) == zip_world.scan
        assert Image.open(io.BytesIO(archive.read(scan))).size == (60, 90)
    raw_names = response.data.split(b"PK\x01\x02")[1:]  # the central directory's entries
    assert any("职工之家挂牌".encode() in entry for entry in raw_names)


def test_event_zip_index_lists_every_piece_with_its_file_and_link(client, login,
                                                                  zip_world: ZipWorld) -> None:
    """目录.csv (UTF-8 with a BOM) lists the event's four pieces in date order: each with the
    name of its picture in the ZIP, the web article with none but its link, its formula-like
    title neutralised."""
    login("leader")
    response = client.get(f"{URL}?event=rally")
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        table = read_index(archive)
        names = set(archive.namelist())
    assert table[0] == ["序号", "图片文件", "日期", "媒体", "版面", "标题", "活动", "链接"]
    lines = table[1:]
    assert [line[0] for line in lines] == ["1", "2", "3", "4"]
    assert [line[2] for line in lines] == ["2006-04-27"] * 3 + ["2006-04-28"]
    web = next(line for line in lines if line[3] == "中安在线")
    assert web[1] == "" and web[5] == "'=网上报道" and web[7] == WEB_URL
    pictured = [line for line in lines if line[1]]
    assert len(pictured) == 3 and {line[1] for line in pictured} == names - {"目录.csv"}
    assert all(line[6] == "劳模表彰大会" for line in lines)
    assert "别的活动的报道" not in {line[5] for line in lines}


def test_campaign_zip_holds_every_event(client, login, zip_world: ZipWorld) -> None:
    """Without ?event the ZIP holds the pictures of both events (four) and indexes five
    pieces."""
    login("leader")
    response = client.get(URL)
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert len(archive.namelist()) == 4 + 1
        assert len(read_index(archive)) == 1 + 5
