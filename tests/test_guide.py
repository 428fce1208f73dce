"""The officers' guide (docs/guide.md) served by the app: its page, its screenshots, the footer
link on every page."""

from __future__ import annotations

from tests.html import soup

STEPS = ("制定计划", "配置抓取来源", "审核报道", "查看看板", "导出材料")


def test_guide_renders_the_five_steps_and_serves_its_images(client, login):
    """/guide/ shows the guide with a section per step, and every picture it shows is a PNG
    the app serves itself (from docs/images)."""
    login("officer")
    page = soup(client.get("/guide/").get_data(as_text=True))
    headings = [h.get_text() for h in page.select("#guide h2")]
    assert [any(step in h for h in headings) for step in STEPS] == [True] * len(STEPS)
    images = [img["src"] for img in page.select("#guide img")]
    assert len(images) == len(STEPS)
    for src in images:
        assert not src.startswith(("http:", "https:", "//")), src
        response = client.get(f"/guide/{src}")
        assert response.status_code == 200, src
        assert response.mimetype == "image/png" and response.data.startswith(b"\x89PNG"), src


def test_every_page_links_the_guide_in_its_footer(client, login):
    """The campaign list and the login page carry the footer link to /guide/."""
    assert soup(client.get("/login").get_data(as_text=True)).select_one(
        "footer #guide-link")["href"] == "/guide/"
    login("leader")
    page = soup(client.get("/campaigns").get_data(as_text=True))
    assert page.select_one("footer #guide-link")["href"] == "/guide/"


def test_only_the_guides_pngs_are_served(client, login):
    """A name that is not a PNG of docs/images, or that climbs out of it, is 404."""
    login("officer")
    for name in ("guide.md", "..%2Fguide.md", "missing.png", "..%2F..%2Fpyproject.toml"):
        assert client.get(f"/guide/images/{name}").status_code == 404, name
