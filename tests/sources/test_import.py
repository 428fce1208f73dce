"""Importing sources from TOML and OPML files: good files, bad files, idempotence, the command,
the upload form and the demo site's sources."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from campaign.commands import demo_command
from campaign.demo_site import SOURCES
from campaign.planning.models import Outlet
from campaign.sources.cli import import_sources_command
from campaign.sources.importing import (
    SourceFileError,
    import_sources_file,
    load_demo_sources,
)
from campaign.sources.models import Source
from tests.html import field_errors

GOOD_TOML = """
[[outlet]]
name = "安徽日报"
tier = "provincial"
kind = "newspaper"
  [[outlet.source]]
  type = "epaper"
  url = "http://epaper.ahrb.test/html/{yyyy}-{mm}/{dd}/node_1.htm"
  [[outlet.source]]
  type = "rss"
  url = "http://www.ahrb.test/rss.xml"
  interval_minutes = 30
  [[outlet.source]]
  type = "html"
  url = "http://www.ahrb.test/news/list_1.html"
  link_selector = "ul.list a"
  next_selector = "a.next"

[[outlet]]
name = "皖江晚报"
tier = "municipal"
kind = "newspaper"
  [[outlet.source]]
  type = "rss"
  url = "https://wjwb.test/feed"
"""

GOOD_OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>订阅</title></head>
  <body>
    <outline text="工人日报">
      <outline text="要闻" title="要闻" type="rss" xmlUrl="http://grrb.test/yw.xml"/>
      <outline text="地方工会" type="rss" xmlUrl="http://grrb.test/dfgh.xml"/>
    </outline>
    <outline text="新闻">
      <outline text="安徽日报" title="安徽日报" type="rss" xmlUrl="http://ahrb.test/rss.xml"/>
    </outline>
    <outline title="江淮网" text="江淮网" type="rss" xmlUrl="https://jhw.test/rss"/>
  </body>
</opml>
"""


def _counts(db):
    return (db.session.scalar(select(func.count()).select_from(Source)),
            db.session.scalar(select(func.count()).select_from(Outlet)))


def _outlet(db, name):
    return db.session.scalar(select(Outlet).where(Outlet.name == name))


def test_toml_creates_sources_and_missing_outlets(db, make):
    """A TOML file adds its sources to existing outlets and creates the missing outlet with
    the tier and kind it gives."""
    existing = make.outlet(name="安徽日报")
    result = import_sources_file(GOOD_TOML.encode())
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    assert result.outlets_created == ["皖江晚报"]
    sources = {s.type: s for s in db.session.scalars(
        select(Source).where(Source.outlet_id == existing.id))}
    assert sources["epaper"].url.endswith("/html/{yyyy}-{mm}/{dd}/node_1.htm")
    assert sources["rss"].interval_minutes == 30
    assert sources["html"].selectors == {"link_selector": "ul.list a", "next_selector": "a.next"}
    created = _outlet(db, "皖江晚报")
    assert (created.tier, created.kind) == ("municipal", "newspaper")


def test_outlet_matched_by_alias(db, make):
    """An outlet named in the file by one of its aliases gets the sources; none is created."""
    outlet = make.outlet(name="安徽日报社", aliases=["安徽日报"])
    result = import_sources_file(GOOD_TOML.encode())
    assert "安徽日报" not in result.outlets_created
    assert db.session.scalar(select(func.count()).select_from(Source)
                             .where(Source.outlet_id == outlet.id)) == 3


def test_same_file_twice_changes_nothing(db, make):
    """Importing the same file a second time adds, updates and creates nothing."""
    import_sources_file(GOOD_TOML.encode())
    before = _counts(db)
    again = import_sources_file(GOOD_TOML.encode())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert not again.changed
    assert _counts(db) == before


def test_changed_setting_updates_the_existing_source(db, make):
    """A source already imported with other settings is updated in place, not duplicated."""
    import_sources_file(GOOD_TOML.encode())
    result = import_sources_file(GOOD_TOML.replace("interval_minutes = 30",
                                                   "interval_minutes = 90").encode())
    assert (result.created, result.updated) == (0, 1)
    feed = db.session.scalar(select(Source).where(Source.url == "http://www.ahrb.test/rss.xml"))
    assert feed.interval_minutes == 90


BAD_TOML = [
    ('url = "http://www.ahrb.test/rss.xml"', 'url = "ftp://www.ahrb.test/rss.xml"', "安徽日报",
     "url", "http"),
    ('url = "https://wjwb.test/feed"', 'url = "file:///etc/passwd"', "皖江晚报", "url", "http"),
    ("{dd}/node_1.htm", "node_1.htm", "安徽日报", "url", "{dd}"),
    ('  link_selector = "ul.list a"\n', "", "安徽日报", "link_selector", "选择器"),
    ('link_selector = "ul.list a"', 'link_selector = "ul..list a"', "安徽日报", "link_selector",
     "CSS"),
    ('tier = "municipal"', 'tier = "city"', "皖江晚报", "tier", "city"),
    ("interval_minutes = 30", 'interval_minutes = "half an hour"', "安徽日报",
     "interval_minutes", "整数"),
    ("interval_minutes = 30", "interval_minutes = 1", "安徽日报", "interval_minutes", "5"),
    ('type = "rss"\n  url = "https://wjwb.test/feed"', 'type = "podcast"\n  url = "https://wjwb.test/feed"',
     "皖江晚报", "type", "podcast"),
    ("interval_minutes = 30", "interval = 30", "安徽日报", "interval", "未知"),
]


@pytest.mark.parametrize(("old", "new", "outlet", "field", "words"), BAD_TOML,
                         ids=[f"{case[3]}-{i}" for i, case in enumerate(BAD_TOML)])
def test_bad_toml_names_outlet_and_field_and_writes_nothing(db, make, old, new, outlet, field,
                                                            words):
    """Each kind of mistake is refused with the outlet and the field named; nothing is written,
    not even the sources of the file's good entries."""
    make.outlet(name="安徽日报")
    before = _counts(db)
    text = GOOD_TOML.replace(old, new)
    assert text != GOOD_TOML
    with pytest.raises(SourceFileError) as caught:
        import_sources_file(text.encode())
    assert caught.value.where == outlet
    assert caught.value.field == field
    assert words in str(caught.value)
    assert _counts(db) == before


def test_broken_toml_and_empty_file_are_refused(db):
    """Text that is not TOML, and a file without sources, are refused in words."""
    with pytest.raises(SourceFileError, match="TOML"):
        import_sources_file(b"[[outlet]\nname = ")
    with pytest.raises(SourceFileError) as caught:
        import_sources_file('[[outlet]]\nname = "安徽日报"\n'.encode())
    assert caught.value.field == "source"


def test_opml_creates_rss_sources_named_by_outline_or_parent(db, make):
    """OPML: each outline with an xmlUrl is an RSS source; its outlet is its own title when that
    outlet exists, else its parent outline's text, else its own title."""
    make.outlet(name="安徽日报")
    result = import_sources_file(GOOD_OPML.encode())
    assert result.created == 4
    assert sorted(result.outlets_created) == ["工人日报", "江淮网"]
    by_url = {s.url: s for s in db.session.scalars(select(Source))}
    assert by_url["http://grrb.test/yw.xml"].outlet.name == "工人日报"
    assert by_url["http://grrb.test/yw.xml"].name == "要闻"
    assert by_url["http://ahrb.test/rss.xml"].outlet.name == "安徽日报"
    assert by_url["https://jhw.test/rss"].outlet.name == "江淮网"
    assert {s.type for s in by_url.values()} == {"rss"}
    assert import_sources_file(GOOD_OPML.encode()).created == 0


def test_opml_feed_already_subscribed_keeps_its_outlet(db, make):
    """A feed URL already a source of some outlet, under another title in a reader's OPML, is
    that outlet's source again (unchanged), not a second source under a new outlet."""
    paper = make.outlet(name="安徽工人日报")
    make.source(paper, url="http://ahgrb.test/rss.xml")
    opml = ('<opml version="2.0"><body><outline text="工人报 RSS" title="工人报 RSS" '
            'type="rss" xmlUrl="http://ahgrb.test/rss.xml"/></body></opml>')
    result = import_sources_file(opml.encode())
    assert (result.created, result.outlets_created) == (0, [])
    sources = db.session.scalars(select(Source).where(Source.url == "http://ahgrb.test/rss.xml"))
    assert [s.outlet_id for s in sources] == [paper.id]


def test_opml_with_non_http_feed_names_outlet_and_writes_nothing(db):
    """An OPML feed URL that is not http(s) is refused naming its outlet and xmlUrl; the good
    outlines before it are not written either."""
    before = _counts(db)
    bad = GOOD_OPML.replace("https://jhw.test/rss", "javascript:alert(1)")
    with pytest.raises(SourceFileError) as caught:
        import_sources_file(bad.encode())
    assert (caught.value.where, caught.value.field) == ("江淮网", "xmlUrl")
    assert _counts(db) == before


def test_malformed_opml_is_refused(db):
    """XML that does not parse is refused as OPML, without resolving entities."""
    with pytest.raises(SourceFileError, match="OPML"):
        import_sources_file(b"<opml><body><outline xmlUrl='http://a.test/'></body>")


def test_import_command_reports_and_refuses(app, db, tmp_path):
    """`campaign-tracker import-sources FILE` imports, and exits non-zero naming the outlet and
    field for a bad file."""
    runner = app.test_cli_runner()
    good = tmp_path / "sources.toml"
    good.write_text(GOOD_TOML, encoding="utf-8")
    result = runner.invoke(import_sources_command, [str(good)])
    assert result.exit_code == 0, result.output
    assert "4 sources added" in result.output
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD_TOML.replace("https://wjwb.test/feed", "ftp://wjwb.test/feed"),
                   encoding="utf-8")
    result = runner.invoke(import_sources_command, [str(bad)])
    assert result.exit_code != 0
    assert "皖江晚报" in result.output
    assert "url" in result.output


def test_upload_form_imports_and_shows_errors(client, login, db, make):
    """An admin uploads a TOML file on the sources page; a bad file shows the outlet and field
    under the file field with 422 and writes nothing."""
    login("admin")
    response = client.post("/sources/import", data={
        "file": (io.BytesIO(GOOD_TOML.encode()), "sources.toml")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    shown = client.get(response.location).get_data(as_text=True)
    assert "新建了媒体" in shown  # the outlets the file created are named, to check
    assert db.session.scalar(select(func.count()).select_from(Source)) == 4
    bad = GOOD_OPML.replace("https://jhw.test/rss", "ftp://jhw.test/rss")
    response = client.post("/sources/import", data={
        "file": (io.BytesIO(bad.encode()), "feeds.opml")}, content_type="multipart/form-data")
    assert response.status_code == 422
    errors = field_errors(response.get_data(as_text=True))["file"]
    assert "江淮网" in errors[0] and "xmlUrl" in errors[0]
    assert db.session.scalar(select(func.count()).select_from(Source)) == 4


def test_demo_sources_loaded_idempotently(db):
    """load_demo_sources creates each demo-site source once, with the demo's selectors."""
    first = load_demo_sources("http://127.0.0.1:5050")
    assert first.created == len(SOURCES)
    assert load_demo_sources("http://127.0.0.1:5050/").created == 0
    portal = db.session.scalar(select(Source).where(Source.url.like("%/ahnews/list_1.html")))
    assert portal.selectors["link_selector"] == "ul.news-list li a"
    assert portal.outlet.name == "中安在线"


def test_demo_command_loads_demo_sources(app, db, monkeypatch):
    """`campaign-tracker demo` adds the demo site's sources at DEMO_SITE_URL."""
    monkeypatch.setitem(app.config, "DEMO_SITE_URL", "http://127.0.0.1:6060")
    result = app.test_cli_runner().invoke(demo_command)
    assert result.exit_code == 0, result.output
    urls = set(db.session.scalars(select(Source.url)))
    assert "http://127.0.0.1:6060/ahgrb/rss.xml" in urls
