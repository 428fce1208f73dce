"""The screenshot camera (`scrapers.screenshot.PageCamera`) with the real Chromium against two
local servers: the article's site, and an "internal service" the URL guard refuses. Every
request the page makes is put to the guard, and so is every redirect's target, before the
browser's request is made: the internal service is never asked for anything."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image

from scrapers.screenshot import PageCamera, ScreenshotError, ScreenshotSettings
from tests.plugins.services import unavailable
from tests.scrapers.scraper_server import LocalServer, Reply, serving

CHROMIUM = "/usr/bin/chromium"


def png(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 60), colour).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def internal() -> Iterator[LocalServer]:
    """A service on the machine that pages must not reach (the guard refuses its port)."""
    with serving() as local:
        local.route("/secret.png", Reply(body=png("green"), content_type="image/png"))
        local.route("/admin", Reply(body=b"<h1>internal admin</h1>"))
        yield local


@pytest.fixture
def camera(internal: LocalServer) -> Iterator[PageCamera]:
    """A camera whose guard refuses the internal service, as the fetcher's guard refuses a
    local address that is not allow-listed."""
    if not Path(CHROMIUM).exists():
        unavailable(f"{CHROMIUM} is missing: install Debian's chromium")

    def guard(url: str) -> str | None:  # reads the address as the fetcher's guard does
        parts = urlsplit(url)
        if (parts.hostname, parts.port) == ("127.0.0.1", internal.port):
            return "a local address that is not allow-listed"
        return None

    with PageCamera(ScreenshotSettings(executable=CHROMIUM, timeout=20.0), guard) as running:
        yield running


def redirect(to: str, status: int = 302) -> Reply:
    return Reply(status=status, body=b"", headers={"Location": to})


def test_an_image_redirected_to_a_refused_address_is_never_asked_for(
        camera: PageCamera, server: LocalServer, internal: LocalServer) -> None:
    """An image whose redirect chain (two hops on the site, then the internal service) ends
    at a refused address: the internal service gets no request, the refusal is recorded,
    and the page is still drawn."""
    server.route("/news/1.html", Reply(
        body=b'<html><body><h1>news</h1><img src="/img/hop"></body></html>'))
    server.route("/img/hop", redirect("/img/hop2"))
    server.route("/img/hop2", redirect(internal.url("/secret.png"), 307))
    picture = camera.shoot(server.url("/news/1.html"))
    assert picture.startswith(b"\x89PNG")
    assert server.paths().count("/img/hop2") == 1
    assert internal.requests == []
    assert camera.refused == [internal.url("/secret.png")]


def test_a_redirect_target_read_two_ways_is_refused(
        camera: PageCamera, server: LocalServer, internal: LocalServer) -> None:
    """A frame redirected to http://127.0.0.1:PORT\\@allowed.example/ (Python reads the host
    allowed.example, a browser 127.0.0.1:PORT) is refused, not guarded by the reading the
    browser does not use: the internal service gets no request."""
    server.route("/news/3.html", Reply(
        body=b'<html><body><h1>news</h1><iframe src="/frame"></iframe></body></html>'))
    server.route("/frame", redirect(f"http://127.0.0.1:{internal.port}\\@allowed.example/admin"))
    assert camera.shoot(server.url("/news/3.html")).startswith(b"\x89PNG")
    assert internal.requests == []
    assert len(camera.refused) == 1 and "allowed.example" in camera.refused[0]


def test_a_page_redirected_to_a_refused_address_is_not_shot(
        camera: PageCamera, server: LocalServer, internal: LocalServer) -> None:
    """A page that redirects to the internal service gives no screenshot but a
    ScreenshotError naming the refused address; the internal service gets no request."""
    server.route("/news/2.html", redirect(internal.url("/admin"), 301))
    with pytest.raises(ScreenshotError, match=f"127.0.0.1:{internal.port}/admin"):
        camera.shoot(server.url("/news/2.html"))
    assert internal.requests == []


def test_an_allowed_redirect_of_the_page_is_followed_to_its_new_address(
        camera: PageCamera, server: LocalServer) -> None:
    """A page moved within its site is drawn from its new address: its relative image is
    asked for next to it (the page kept its real address), and shows in the picture."""
    server.route("/old", redirect("/2024/story.html", 301))
    server.route("/2024/story.html", Reply(
        body=b'<html><body style="margin:0"><img src="photo.png"></body></html>'))
    server.route("/2024/photo.png", Reply(body=png("blue"), content_type="image/png"))
    picture = camera.shoot(server.url("/old"))
    assert server.paths() == ["/old", "/2024/story.html", "/2024/photo.png"]
    with Image.open(io.BytesIO(picture)) as image:
        assert image.convert("RGB").getpixel((10, 10)) == (0, 0, 255)
