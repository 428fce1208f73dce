"""Fuzzing query parameters: every page a user reads (list pages, dashboards and their
filters, exports, article search) and the API's pagination answer random query strings
without a 500."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.security.fuzzing import FUZZ, TEXT, VALUE, fill_rule
from tests.test_access import API_TOKEN_ONLY, READ, RULES, world  # noqa: F401

# Every name a view reads from request.args, and a few it does not.
PARAMS = ["q", "outlet", "tier", "from", "to", "page", "per_page", "page_one", "kind", "type",
          "day", "event", "status", "per_event", "month", "date", "next", "lang", "token",
          "since", "until", "campaign", "sort", "limit"]
QUERY = st.dictionaries(st.one_of(st.sampled_from(PARAMS), TEXT), VALUE, max_size=6)
PAGES = [r for r in RULES if r[0] in READ and "GET" in r[2]]
API = [r for r in RULES if r[0] in API_TOKEN_ONLY]


@pytest.mark.parametrize("endpoint,rule,methods", PAGES, ids=[r[1] for r in PAGES])
def test_pages_take_any_query_string(client, login, world, endpoint, rule,  # noqa: F811
                                     methods):
    """A leader's GET of a read page with random parameters is answered below 500."""
    login("leader")
    url = fill_rule(rule, world)

    @FUZZ
    @given(query=QUERY)
    def get(query: dict[str, str]) -> None:
        response = client.get(url, query_string=query)
        assert response.status_code < 500, (url, query, response.status_code)

    get()


@pytest.mark.parametrize("endpoint,rule,methods", API, ids=[r[1] for r in API])
def test_api_takes_any_query_string(client, make, db, world, endpoint, rule,  # noqa: F811
                                    methods):
    """The API with a valid token answers random pagination and filters with data or a 4xx
    JSON error, never a 500."""
    from campaign.api.tokens import issue_token

    _record, secret = issue_token(make.user(role="leader"), "fuzz")
    db.session.commit()
    url = fill_rule(rule, world)
    headers = {"Authorization": f"Bearer {secret}"}

    @FUZZ
    @given(query=QUERY)
    def get(query: dict[str, str]) -> None:
        query.pop("token", None)  # a wrong ?token= next to the header is a 401 by design
        response = client.get(url, query_string=query, headers=headers)
        assert response.status_code < 500, (url, query, response.status_code)
        if response.status_code >= 400:
            assert response.is_json and "error" in response.get_json(), response.data[:200]

    get()
