"""API tokens: bearer authentication, every way a token is refused, and the admin pages."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import select

from campaign.api.models import ApiToken
from campaign.api.tokens import revoke_token


def test_leader_token_reads(client, token):
    """A leader's token reads the API."""
    secret, _record = token("leader")
    response = client.get("/api/v1/campaigns", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200 and response.json == {"items": []}


@pytest.mark.parametrize(("header", "error"), [
    (None, "missing_token"),
    ("Basic dXNlcjpwYXNz", "malformed_token"),
    ("Bearer", "malformed_token"),
    ("Bearer two words", "malformed_token"),
    ("Bearer not-a-token", "malformed_token"),
    ("Bearer ct_" + "x" * 43, "invalid_token"),
])
def test_refused_tokens(client, header, error):
    """Missing, malformed and unknown tokens are answered 401 with a JSON error."""
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/campaigns", headers=headers)
    assert response.status_code == 401
    assert response.json["error"] == error
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_refused(client, token, db):
    """A revoked token is refused with 401 revoked_token."""
    secret, record = token("admin")
    revoke_token(record)
    db.session.commit()
    response = client.get("/api/v1/outlets", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401 and response.json["error"] == "revoked_token"


def test_inactive_user_refused(client, token, db):
    """The token of a deactivated user no longer works."""
    secret, record = token("officer")
    record.user.active = False
    db.session.commit()
    response = client.get("/api/v1/outlets", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401


def test_session_login_is_not_enough(client, login):
    """A logged-in browser session does not open the API: a token is required."""
    login("admin")
    assert client.get("/api/v1/campaigns").status_code == 401


def test_token_stored_hashed_and_use_recorded(client, token, db):
    """Only the SHA-256 of the token is stored; a use sets last_used_at."""
    secret, record = token("leader")
    assert record.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {record.token_hash, record.prefix}
    client.get("/api/v1/outlets", headers={"Authorization": f"Bearer {secret}"})
    db.session.expire_all()
    assert db.session.get(ApiToken, record.id).last_used_at is not None


def test_admin_issues_token_shown_once(client, login, make, db):
    """An admin issues a token: it is shown once, works, and the list never shows it again."""
    login("admin")
    user = make.user(role="leader")
    response = client.post("/admin/tokens", data={"user_id": user.id, "name": "报表系统"})
    page = response.get_data(as_text=True)
    secret = re.search(r'id="token-secret">(ct_[^<]+)<', page).group(1)
    assert client.get("/api/v1/campaigns",
                      headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    assert secret not in client.get("/admin/tokens").get_data(as_text=True)
    assert db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id)).name == "报表系统"


def test_admin_revokes_token(client, login, token, db):
    """Revoking through the page stops the token at once."""
    secret, record = token("leader")
    login("admin")
    response = client.post("/admin/tokens/revoke", data={"token_id": record.id})
    assert response.status_code == 302
    assert client.get("/api/v1/campaigns", headers={"Authorization": f"Bearer {secret}"}
                      ).json["error"] == "revoked_token"


@pytest.mark.parametrize("token_id", [str(10**23), "-1", "x"])
def test_revoking_an_impossible_token_says_so(client, login, token_id):
    """A token id no token can have (huge, negative, not a number) gives the 没有这个令牌
    message, not a 500."""
    login("admin")
    response = client.post("/admin/tokens/revoke", data={"token_id": token_id},
                           follow_redirects=True)
    assert response.status_code == 200 and "没有这个令牌" in response.get_data(as_text=True)


def test_issue_form_errors(client, login):
    """A missing name or user is a 422 with the form again."""
    login("admin")
    assert client.post("/admin/tokens", data={"name": ""}).status_code == 422


@pytest.mark.parametrize("role", ["leader", "officer"])
def test_token_pages_are_admin_only(client, login, token, role):
    """Leaders and officers may neither see, issue nor revoke tokens."""
    _secret, record = token("leader")
    login(role)
    assert client.get("/admin/tokens").status_code == 403
    assert client.post("/admin/tokens", data={"user_id": record.user_id, "name": "x"}
                       ).status_code == 403
    assert client.post("/admin/tokens/revoke", data={"token_id": record.id}).status_code == 403


API_PATHS = ["/api/v1/campaigns", "/api/v1/campaigns/{slug}", "/api/v1/campaigns/{slug}/events",
             "/api/v1/campaigns/{slug}/coverage", "/api/v1/outlets", "/api/v1/sources"]


@pytest.mark.parametrize("path", API_PATHS)
def test_calendar_token_reads_no_api_endpoint(client, token, make, path):
    """A calendar-scoped token, as a Bearer header or ?token=, is refused by every API
    endpoint but the calendar feed (403 insufficient_scope, or 401 when in the URL)."""
    make.campaign(slug="pm")
    secret, _record = token("admin", "calendar")
    url = path.format(slug="pm")
    as_header = client.get(url, headers={"Authorization": f"Bearer {secret}"})
    assert as_header.status_code == 403
    assert as_header.json["error"] == "insufficient_scope"
    assert client.get(f"{url}?token={secret}").status_code == 401


def test_calendar_token_reads_the_calendar_feed(client, token, make):
    """The calendar token opens the feed, in the URL and as a header."""
    make.campaign(slug="pm")
    secret, _record = token("leader", "calendar")
    assert client.get(f"/api/v1/campaigns/pm/calendar.ics?token={secret}").status_code == 200
    assert client.get("/api/v1/campaigns/pm/calendar.ics",
                      headers={"Authorization": f"Bearer {secret}"}).status_code == 200


def test_api_token_is_not_read_from_a_url(client, token, make):
    """An API token in ?token= (a URL that leaks into logs) does not open the calendar feed;
    as a header it does."""
    make.campaign(slug="pm")
    secret, _record = token("leader", "api")
    response = client.get(f"/api/v1/campaigns/pm/calendar.ics?token={secret}")
    assert response.status_code == 403 and response.json["error"] == "insufficient_scope"
    assert client.get("/api/v1/campaigns/pm/calendar.ics",
                      headers={"Authorization": f"Bearer {secret}"}).status_code == 200


def test_issue_calendar_token_replaces_the_previous_one(make, db):
    """issue_calendar_token leaves one live calendar token per user (the old one revoked);
    revoke_calendar_token ends it; API tokens are untouched."""
    from campaign.auth.tokens import (
        check_token,
        issue_calendar_token,
        issue_token,
        revoke_calendar_token,
    )

    user = make.user(role="leader")
    _api, api_secret = issue_token(user, "报表")
    first, first_secret = issue_calendar_token(user)
    second, second_secret = issue_calendar_token(user)
    assert first.scope == second.scope == "calendar"
    assert check_token(first_secret, ("calendar",)).error == "revoked_token"
    assert check_token(second_secret, ("calendar",)).user == user
    assert revoke_calendar_token(user) == 1
    assert check_token(second_secret, ("calendar",)).error == "revoked_token"
    assert check_token(api_secret).user == user
