"""Fuzzing every form in the URL map: random field values (and random files) posted as an
administrator never give a 500, and an error answer never leaves rows behind."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from tests.security.fuzzing import FUZZ, TEXT, VALUE, fill_rule, row_counts
from tests.test_access import RULES

SKIPPED = {"auth.logout"}  # ends the session the other examples need
FORM_RULES = [r for r in RULES if "POST" in r[2] and not r[0].startswith("api.")
              and r[0] not in SKIPPED]
EXTRA_NAMES = ["match_ids", "status", "event", "outlet", "type", "url", "next", "q", "day",
               "slots", "file", "update", "selectors"]
FILES = st.one_of(st.binary(max_size=2000), st.sampled_from([
    b"", b"\xef\xbb\xbf{}", b'{"slug": 1}', b"[[outlet]]\nname = 1",
    b'<opml><body><outline xmlUrl="http://10.0.0.1/"/></body></opml>', b"%PDF-1.4\n%%EOF",
    b"PK\x03\x04broken"]))


def form_fields(html: str) -> dict[str, dict[str, Any]]:
    """The named fields of the page's forms: kind ('file', 'select', 'text') and options."""
    fields: dict[str, dict[str, Any]] = {}
    for tag in BeautifulSoup(html, "html.parser").select("form [name]"):
        name = str(tag.get("name"))
        if name == "csrf_token":
            continue
        kind = "file" if tag.get("type") == "file" else tag.name
        options = [str(o.get("value", o.get_text())) for o in tag.select("option")]
        if tag.get("value") is not None:
            options.append(str(tag.get("value")))
        fields.setdefault(name, {"kind": kind, "options": []})["options"] += options
    return fields


def field_value(field: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A strategy for one field: often a real option, else anything."""
    if field["kind"] == "file":
        return st.tuples(FILES, TEXT).map(lambda f: (BytesIO(f[0]), f[1] or "x.bin"))
    if field["options"]:
        return st.one_of(st.sampled_from(field["options"]), VALUE)
    return VALUE


@pytest.mark.parametrize("endpoint,rule,methods", FORM_RULES, ids=[r[1] for r in FORM_RULES])
def test_random_form_posts_never_fail_or_write_partially(
        client, login, route_world, endpoint, rule, methods):
    """Random values for the page's own fields (and a few strangers) get an answer below
    500; when the answer is an error, every table has the rows it had before."""
    login("admin")
    url = fill_rule(rule, route_world)
    fields = form_fields(client.get(url).get_data(as_text=True)) if "GET" in methods else {}
    names = {**{n: {"kind": "text", "options": []} for n in EXTRA_NAMES}, **fields}

    @FUZZ
    @given(data=st.data())
    def post(data: st.DataObject) -> None:
        chosen = data.draw(st.lists(st.sampled_from(sorted(names)), unique=True,
                                    max_size=len(names)), label="fields")
        form = {name: data.draw(field_value(names[name]), label=name) for name in chosen}
        before = row_counts()
        response = client.post(url, data=form, content_type="multipart/form-data")
        assert response.status_code < 500, (url, form, response.status_code)
        if response.status_code >= 400:
            assert row_counts() == before, (url, form, response.status_code)

    post()


def test_a_nul_character_in_a_form_or_query_never_reaches_the_database(client, login, db):
    """NUL characters are dropped from query and form values (PostgreSQL refuses them in
    text), so a search or a saved name with %00 works on both backends."""
    from campaign.planning.models import Outlet

    login("admin")
    assert client.get("/articles?q=%E5%8D%97%00%E6%96%B9").status_code == 200
    response = client.post("/outlets/new", data={"name": "安徽\x00日报", "tier": "provincial",
                                                 "kind": "newspaper"})
    assert response.status_code == 302
    assert db.session.scalar(db.select(Outlet.name).where(Outlet.name == "安徽日报"))
