"""API fixtures: the exports' coverage world, and tokens for users of each role."""

from __future__ import annotations

from typing import Any

import pytest

from campaign.api.tokens import issue_token
from tests.plugins.worlds import World


@pytest.fixture
def world(coverage_world: World) -> World:
    """The exports' coverage world (tests/plugins/worlds.py), read back through the API."""
    return coverage_world


@pytest.fixture
def token(make: Any, db: Any):  # type: ignore[no-untyped-def]
    """Issue a token of `scope` ("api" or "calendar") to a new user of `role`; returns
    (secret, token record)."""

    def _token(role: str = "leader", scope: str = "api") -> tuple[str, Any]:
        user = make.user(role=role)
        record, secret = issue_token(user, "测试", scope)
        db.session.commit()
        return secret, record

    return _token


@pytest.fixture
def api(client: Any, token: Any):  # type: ignore[no-untyped-def]
    """GET an API path with a leader's token."""
    secret, _record = token("leader")

    def _get(path: str, **kw: Any) -> Any:
        return client.get(path, headers={"Authorization": f"Bearer {secret}"}, **kw)

    return _get
