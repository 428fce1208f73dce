"""Fuzzing query parameters: every page a user reads (list pages, dashboards and their
filters, exports, article search) and the API's pagination answer random query strings
without a 500; ids, page numbers, months and dates at and past the limits of the databases'
integers and of Python's dates are answered in full."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign.core.values import int_param
from tests.security.fuzzing import FUZZ, TEXT, VALUE, fill_rule
from tests.test_access import API_TOKEN_ONLY, READ, RULES

# Every name a view reads from request.args, and a few it does not.
PARAMS = ["q", "outlet", "tier", "from", "to", "page", "per_page", "page_one", "kind", "type",
          "day", "event", "status", "per_event", "month", "date", "next", "lang", "token",
          "since", "until", "campaign", "sort", "limit"]
QUERY = st.dictionaries(st.one_of(st.sampled_from(PARAMS), TEXT), VALUE, max_size=6)
PAGES = [r for r in RULES if r[0] in READ and "GET" in r[2]]
API = [r for r in RULES if r[0] in API_TOKEN_ONLY]
# Past PostgreSQL's int4, past SQLite's 64 bits, negative, and the largest that fits.
HUGE_INTS = ["9" * 23, str(2**31), str(2**63), "-" + "9" * 23, str(2**31 - 1)]
INT_PARAMS = ["outlet", "page", "per_page", "event"]
# Python's first and last dates and months, where date arithmetic overflows.
EDGE_DATES = ["9999-12", "0001-01", "9999-12-31", "0001-01-01", "0207-04-25"]
DATE_PARAMS = ["month", "day", "from", "to", "date", "date_from", "date_to", "since", "until"]


@pytest.mark.parametrize("endpoint,rule,methods", PAGES, ids=[r[1] for r in PAGES])
def test_pages_take_any_query_string(client, login, route_world, endpoint, rule,
                                     methods):
    """A leader's GET of a read page with random parameters is answered below 500."""
    login("leader")
    url = fill_rule(rule, route_world)

    @FUZZ
    @given(query=QUERY)
    def get(query: dict[str, str]) -> None:
        response = client.get(url, query_string=query)
        assert response.status_code < 500, (url, query, response.status_code)

    get()


@pytest.mark.parametrize("raw,expected", [
    ("1", 1), (str(2**31 - 1), 2**31 - 1), (str(2**31), None), ("9" * 23, None), ("0", None),
    ("-5", None), ("", None), (None, None), ("1e3", None), ("9" * 5000, None),
])
def test_int_param_reads_out_of_range_as_absent(raw, expected):
    """int_param gives ids and page numbers from 1 to 2**31-1 and None for anything else."""
    assert int_param(raw) == expected


def assert_whole_answers(client, url: str, names: list[str], values: list[str]) -> None:
    """GET `url` with each of `names` set to each of `values`: every answer, read to its end
    (a streamed download must not be cut off), is below 500."""
    for name in names:
        for value in values:
            response = client.get(url, query_string={name: value})
            response.get_data()
            assert response.status_code < 500, (url, name, value, response.status_code)


@pytest.mark.parametrize("endpoint,rule,methods", PAGES, ids=[r[1] for r in PAGES])
def test_pages_take_huge_integers(client, login, route_world, endpoint, rule, methods):
    """Ids and page numbers past the databases' integer columns get a whole answer below
    500 (a streamed download is read to its end: it must not be cut off)."""
    login("leader")
    assert_whole_answers(client, fill_rule(rule, route_world), INT_PARAMS, HUGE_INTS)


@pytest.mark.parametrize("endpoint,rule,methods", PAGES, ids=[r[1] for r in PAGES])
def test_pages_take_edge_dates(client, login, route_world, endpoint, rule, methods):
    """Months and dates at the ends of Python's calendar get a whole answer below 500."""
    login("leader")
    assert_whole_answers(client, fill_rule(rule, route_world), DATE_PARAMS, EDGE_DATES)


@pytest.mark.parametrize("endpoint,rule,methods", API, ids=[r[1] for r in API])
def test_api_takes_any_query_string(client, make, db, route_world, endpoint, rule,
                                    methods):
    """The API with a valid token answers random pagination and filters with data or a 4xx
    JSON error, never a 500."""
    from campaign.api.tokens import issue_token

    _record, secret = issue_token(make.user(role="leader"), "fuzz")
    db.session.commit()
    url = fill_rule(rule, route_world)
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


INT_RULES = [r for r in RULES if "<int:" in r[1]]


@pytest.mark.parametrize("endpoint,rule,methods", INT_RULES, ids=[r[1] for r in INT_RULES])
def test_huge_ids_in_paths_are_not_found(client, login, route_world, endpoint, rule,
                                         methods):
    """An id in the path past the databases' integer columns (/articles/10**23, a match or a
    user of that number) is a 404 for every method, never an overflow's 500."""
    login("admin")
    url = fill_rule(re.sub(r"<int:\w+>", "9" * 23, rule), route_world)
    for method in sorted(set(methods) - {"HEAD", "OPTIONS"}):
        response = client.open(url, method=method)
        assert response.status_code == 404, (method, url, response.status_code)
