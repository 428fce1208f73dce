"""CSS selectors of a source are capped in length and bracket depth: a 2,000-deep `:not(`
costs soupsieve tens of seconds per select. The source form and the sources file refuse them
with a clear message and write nothing."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from campaign.sources.models import Source
from scrapers.urls import MAX_SELECTOR_DEPTH, selector_nesting
from tests.html import field_errors

DEEP = ":not(" * 2000 + "a" + ")" * 2000
LONG = ", ".join(f"ul.list{n} a" for n in range(40))


def _sources(db) -> int:
    return int(db.session.scalar(select(func.count()).select_from(Source)))


def test_nesting_counts_brackets_outside_quotes():
    """Depth counts nested parentheses and brackets; quoted text does not count."""
    assert selector_nesting("ul.list a") == 0
    assert selector_nesting("li:not(.ad) a[href]") == 1
    assert selector_nesting(":not(:not(:not(a)))") == 3
    assert selector_nesting('a[title="(((("]') == 1
    assert selector_nesting(DEEP) == 2000


@pytest.mark.parametrize(("selector", "message"), [
    (DEEP, "300"),  # the form's own length limit answers first
    (LONG, "300"),
    (":not(" * (MAX_SELECTOR_DEPTH + 1) + "a" + ")" * (MAX_SELECTOR_DEPTH + 1),
     "CSS 选择器的括号嵌套过深"),
])
def test_the_source_form_refuses_an_oversized_selector(client, login, make, db, selector,
                                                       message):
    """The source form answers 422 with the message under the selector, nothing written."""
    login("admin")
    outlet = make.outlet()
    response = client.post("/sources/new", data={
        "outlet": outlet.id, "type": "html", "url": "http://news.example.cn/list.html",
        "link_selector": selector, "interval_minutes": 60, "max_pages": 3,
        "timezone": "Asia/Shanghai"})
    assert response.status_code == 422
    errors = field_errors(response.get_data(as_text=True))
    assert any(message in error for error in errors.get("link_selector", [])), errors
    assert _sources(db) == 0


@pytest.mark.parametrize(("selector", "message"), [
    (DEEP, "link_selector: CSS 选择器过长（最多 300 个字符）"),
    (":not(" * 9 + "a" + ")" * 9, "link_selector: CSS 选择器的括号嵌套过深（最多 8 层）"),
])
def test_a_sources_file_with_a_deep_selector_is_refused(client, login, db, selector, message):
    """An uploaded sources file with a 2,000-deep selector (too long too) or a short 9-deep
    one is refused with 422, naming the outlet and the field, and writes nothing."""
    login("admin")
    toml = ('[[outlet]]\nname = "新闻网"\ntier = "provincial"\nkind = "web"\n'
            '[[outlet.source]]\ntype = "html"\nurl = "http://news.example.cn/list.html"\n'
            f'link_selector = "{selector}"\n')
    response = client.post("/sources/import", data={
        "file": (io.BytesIO(toml.encode()), "sources.toml")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True))["file"] == [f"新闻网: {message}"]
    assert _sources(db) == 0


def test_an_ordinary_selector_is_accepted(client, login, make, db):
    """A real selector with one level of :not() is saved."""
    login("admin")
    outlet = make.outlet()
    response = client.post("/sources/new", data={
        "outlet": outlet.id, "type": "html", "url": "http://news.example.cn/list.html",
        "link_selector": "ul.list li:not(.ad) > a[href]", "interval_minutes": 60,
        "max_pages": 3, "timezone": "Asia/Shanghai"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert _sources(db) == 1
