"""Hostile uploads and forms (issue 16, point 7): each is a 422 with a message and writes
nothing. (The plan-file cases — JSON nested 100,000 deep, integers of 5,000 digits, a lone
surrogate — are in tests/planning/test_plan_import.py.)"""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from campaign.planning.models import Outlet
from campaign.sources.models import Source
from tests.html import field_errors

HOSTILE_TOML = {
    "arrays nested 50,000 deep": "x = " + "[" * 50_000 + "]" * 50_000,
    "tables nested 50,000 deep": "x = " + "{a = " * 50_000 + "1" + "}" * 50_000,
    "an integer of 5,000 digits": '[[outlet]]\nname = "甲报"\nsize = ' + "9" * 5000,
}


@pytest.mark.parametrize("text", HOSTILE_TOML.values(), ids=HOSTILE_TOML.keys())
def test_hostile_sources_toml_is_a_422(client, login, db, text):
    """Deeply nested TOML and a huge integer are refused with a message under the file field;
    no source or outlet is written."""
    login("admin")
    before = (db.session.scalar(select(func.count()).select_from(Source)),
              db.session.scalar(select(func.count()).select_from(Outlet)))
    response = client.post("/sources/import", data={
        "file": (io.BytesIO(text.encode()), "sources.toml")}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "TOML" in field_errors(response.get_data(as_text=True))["file"][0]
    assert (db.session.scalar(select(func.count()).select_from(Source)),
            db.session.scalar(select(func.count()).select_from(Outlet))) == before


def test_outlet_edit_without_aliases_is_a_422_and_keeps_them(client, login, db):
    """An outlet edit posted without the aliases field is a 422 naming it; the outlet's aliases
    and name are unchanged."""
    outlet = Outlet(name="甲报", tier="provincial", kind="newspaper", aliases=["甲"])
    db.session.add(outlet)
    db.session.commit()
    login("officer")
    response = client.post(f"/outlets/{outlet.id}/edit", data={
        "name": "乙报", "tier": "provincial", "kind": "newspaper"})
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True))["aliases"]
    db.session.expire_all()
    assert (outlet.name, outlet.alias_list) == ("甲报", ["甲"])
