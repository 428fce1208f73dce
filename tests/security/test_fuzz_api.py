"""Schemathesis against the API's own OpenAPI description, in process: every operation,
with a valid token and generated path and query parameters, answers as documented (status,
content type, body schema) and never with a 500."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import given

from campaign.api.tokens import issue_token
from tests.security.fuzzing import FUZZ


@pytest.fixture
def api_schema(app, db, route_world):
    """The OpenAPI description loaded from the app itself (WSGI, no network)."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture
def bearer(make, db):
    """A valid leader's token as a request header."""
    _record, secret = issue_token(make.user(role="leader"), "schemathesis")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_every_operation_answers_as_documented(api_schema, bearer):
    """Each operation of the description, fuzzed by schemathesis with a valid token, passes
    its checks (no server error, documented status and content type, valid body)."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 7
    for operation in operations:

        @FUZZ
        @given(case=operation.as_strategy())
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=bearer)

        check()
