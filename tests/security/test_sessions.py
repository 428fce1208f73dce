"""Revocable logins: a copied session or remember cookie stops working after logout, 退出所有设备,
a password change or reset, a role change and deactivation; remember tokens rotate on use and
last 14 days; idle logins end; the login audit log; leaders write to their own account."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from campaign.auth.models import ApiToken, LoginAttempt, LoginSession, User
from campaign.auth.tokens import check_token, issue_calendar_token, issue_token
from campaign.core.times import utcnow

PASSWORD = "password-123"
HOST = "tracker.test"  # the suite's SERVER_NAME: the test clients' cookies live there
PAGE = "/campaigns"


def sign_in(app, username: str, *, remember: bool = False):
    """A new browser (test client) logged in as `username`."""
    browser = app.test_client()
    data = {"username": username, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = browser.post("/login", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return browser


def cookie(browser, name: str) -> str:
    found = browser.get_cookie(name, domain=HOST)
    assert found is not None, f"no {name} cookie"
    return found.value


def thief(app, name: str, value: str):
    """Another browser holding only a copy of one cookie."""
    browser = app.test_client()
    browser.set_cookie(name, value, domain=HOST)
    return browser


def opens_pages(browser) -> bool:
    """Whether the browser's cookies still open a page (not sent to the login page)."""
    response = browser.get(PAGE)
    assert response.status_code in (200, 302)
    return response.status_code == 200


@pytest.fixture
def victim(make):
    return make.user(role="officer", username="victim", password=PASSWORD)


@pytest.fixture
def stolen(app, victim):
    """The victim logged in with 记住我, and two thieves: one with a copy of the session
    cookie, one with a copy of the remember cookie (both work before anything happens)."""
    browser = sign_in(app, "victim", remember=True)
    copies = (thief(app, "session", cookie(browser, "session")),
              thief(app, "remember_token", cookie(browser, "remember_token")))
    # The remember copy is checked last: using it rotates it (tested on its own below).
    assert opens_pages(copies[0])
    return browser, copies


def admin_edit(app, make, victim, **changes):
    """An administrator saves the victim's user form with `changes`."""
    make.user(role="admin", username="boss", password=PASSWORD)
    admin = sign_in(app, "boss")
    form = {"username": victim.username, "display_name": victim.display_name,
            "role": victim.role, "active": "y", "password": ""}
    form.update(changes)
    form = {k: v for k, v in form.items() if v is not None}
    response = admin.post(f"/users/{victim.id}/edit", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)


def test_copies_work_before_anything_happens(app, stolen):
    """Control: a copied session cookie and a copied remember cookie both open pages."""
    _browser, (session_copy, remember_copy) = stolen
    assert opens_pages(session_copy)
    assert opens_pages(remember_copy)


def test_logout_ends_the_session_and_remember_cookie_server_side(app, stolen, db):
    """After a plain logout, copies of that browser's session and remember cookies are
    refused; the login's row is revoked."""
    browser, (session_copy, remember_copy) = stolen
    assert browser.post("/logout").status_code == 302
    assert not opens_pages(session_copy)
    assert not opens_pages(remember_copy)
    rows = db.session.scalars(select(LoginSession)).all()
    assert rows and all(row.revoked_at is not None for row in rows)


def test_logout_everywhere_ends_every_login(app, stolen, victim):
    """退出所有设备 on another device ends the stolen session and remember cookies."""
    other = sign_in(app, "victim")
    response = other.post("/account/logout-everywhere")
    assert response.status_code == 302 and response.location == "/login"
    assert not opens_pages(other)
    _browser, (session_copy, remember_copy) = stolen
    assert not opens_pages(session_copy)
    assert not opens_pages(remember_copy)


def test_password_reset_by_an_admin_ends_every_login(app, make, stolen, victim):
    """An administrator setting a new password ends the stolen cookies."""
    admin_edit(app, make, victim, password="a-new-password-1")
    _browser, (session_copy, remember_copy) = stolen
    assert not opens_pages(session_copy)
    assert not opens_pages(remember_copy)


def test_role_change_ends_every_login(app, make, stolen, victim, db):
    """A new role ends the stolen cookies (the user logs in again with the new role)."""
    admin_edit(app, make, victim, role="leader")
    assert db.session.get(User, victim.id).role == "leader"
    _browser, (session_copy, remember_copy) = stolen
    assert not opens_pages(session_copy)
    assert not opens_pages(remember_copy)


def test_deactivation_ends_logins_and_revokes_tokens(app, make, stolen, victim, db):
    """Deactivating ends the stolen cookies and revokes the user's API and calendar tokens,
    so reactivating the user does not bring them back."""
    _api, api_secret = issue_token(victim, "报表")
    _cal, calendar_secret = issue_calendar_token(victim)
    db.session.commit()
    admin_edit(app, make, victim, active=None)
    _browser, (session_copy, remember_copy) = stolen
    assert not opens_pages(session_copy)
    assert not opens_pages(remember_copy)
    tokens = db.session.scalars(select(ApiToken).where(ApiToken.user_id == victim.id)).all()
    assert len(tokens) == 2 and all(t.revoked_at is not None for t in tokens)
    admin = sign_in(app, "boss")
    admin.post(f"/users/{victim.id}/edit", data={
        "username": "victim", "display_name": "v", "role": "officer", "active": "y"})
    assert db.session.get(User, victim.id).active
    assert check_token(api_secret).error == "revoked_token"
    assert check_token(calendar_secret, ("calendar",)).error == "revoked_token"


def test_own_password_change_ends_other_logins_and_keeps_this_one(app, stolen, victim, db):
    """Changing one's own password ends the other devices' cookies; this browser goes on."""
    browser, (session_copy, remember_copy) = stolen
    response = browser.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "another-pass-9",
        "confirm": "another-pass-9"})
    assert response.status_code == 302 and response.location == "/account"
    assert db.session.get(User, victim.id).check_password("another-pass-9")
    assert opens_pages(browser)
    assert not opens_pages(session_copy)
    assert not opens_pages(remember_copy)


def test_wrong_current_password_changes_nothing(app, victim, db):
    """A wrong current password is a 422 with a message; the password and logins stay."""
    browser = sign_in(app, "victim")
    response = browser.post("/account/password", data={
        "current_password": "not-the-one", "new_password": "another-pass-9",
        "confirm": "another-pass-9"})
    assert response.status_code == 422
    assert "当前密码不正确" in response.get_data(as_text=True)
    assert db.session.get(User, victim.id).check_password(PASSWORD)
    assert opens_pages(browser)


def test_remember_token_rotates_on_use(app, victim):
    """A remember cookie that logs a browser in is replaced by a new value, and the old value
    is refused from then on."""
    browser = sign_in(app, "victim", remember=True)
    old = cookie(browser, "remember_token")
    returning = thief(app, "remember_token", old)  # the same person after closing the browser
    assert opens_pages(returning)
    new = cookie(returning, "remember_token")
    assert new != old
    assert not opens_pages(thief(app, "remember_token", old))
    assert opens_pages(thief(app, "remember_token", new))


def test_a_browser_the_remember_cookie_logged_in_stays_logged_in(app, victim):
    """After the remember cookie logs a returning browser in, the following pages open too
    (the session it gets carries Flask-Login's marks: strong session protection would
    otherwise end it, remember cookie and all, on the next request)."""
    browser = sign_in(app, "victim", remember=True)
    returning = thief(app, "remember_token", cookie(browser, "remember_token"))
    assert [opens_pages(returning) for _ in range(3)] == [True, True, True]
    assert returning.get_cookie("remember_token", domain=HOST) is not None


def test_each_login_gets_its_own_remember_token(app, victim):
    """Two logins with 记住我 get different remember cookies (not one value per user)."""
    first = cookie(sign_in(app, "victim", remember=True), "remember_token")
    second = cookie(sign_in(app, "victim", remember=True), "remember_token")
    assert first != second


def test_remember_cookie_lasts_fourteen_days(app, victim, db):
    """The remember cookie expires in 14 days, and its login is refused once 14 days passed."""
    browser = sign_in(app, "victim", remember=True)
    response = browser.post("/login", data={})  # already signed in: a redirect, no new login
    assert response.status_code == 302
    login = db.session.scalar(select(LoginSession).where(LoginSession.user_id == victim.id))
    assert login.expires_at - login.created_at == timedelta(days=14)
    login.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert not opens_pages(thief(app, "remember_token", cookie(browser, "remember_token")))
    assert not opens_pages(browser)


def test_remember_cookie_header_says_fourteen_days(app, victim):
    """The Set-Cookie of the remember cookie has an expiry about 14 days ahead."""
    from email.utils import parsedate_to_datetime

    browser = app.test_client()
    response = browser.post("/login", data={"username": "victim", "password": PASSWORD,
                                            "remember": "y"})
    header = next(h for h in response.headers.getlist("Set-Cookie")
                  if h.startswith("remember_token="))
    expires = parsedate_to_datetime(header.split("Expires=")[1].split(";")[0])
    assert timedelta(days=13, hours=23) < expires - utcnow() <= timedelta(days=14)


def test_idle_login_ends(app, victim, db):
    """A login without 记住我 unused for longer than SESSION_IDLE_HOURS (8) is refused; one
    used within them goes on."""
    browser = sign_in(app, "victim")
    login = db.session.scalar(select(LoginSession).where(LoginSession.user_id == victim.id))
    login.last_seen_at = utcnow() - timedelta(hours=7, minutes=50)
    db.session.commit()
    assert opens_pages(browser)  # and the use is noted
    assert utcnow() - db.session.get(LoginSession, login.id).last_seen_at < timedelta(minutes=1)
    login.last_seen_at = utcnow() - timedelta(hours=8, minutes=1)
    db.session.commit()
    assert not opens_pages(browser)


def test_login_audit_log_records_success_and_failure(app, make, client, db):
    """Each login attempt is a row: who, when, from which address, success or failure; the
    admin page lists them, officers get 403."""
    make.user(role="admin", username="boss", password=PASSWORD)
    make.user(role="officer", username="olga", password=PASSWORD)
    client.post("/login", data={"username": "olga", "password": "wrong-one"},
                environ_base={"REMOTE_ADDR": "10.1.2.3"})
    client.post("/login", data={"username": "ghost", "password": "whatever"},
                environ_base={"REMOTE_ADDR": "10.1.2.4"})
    client.post("/login", data={"username": "boss", "password": PASSWORD},
                environ_base={"REMOTE_ADDR": "10.1.2.5"})
    rows = db.session.scalars(select(LoginAttempt).order_by(LoginAttempt.id)).all()
    assert [(r.username, r.address, r.succeeded) for r in rows] == [
        ("olga", "10.1.2.3", False), ("ghost", "10.1.2.4", False), ("boss", "10.1.2.5", True)]
    assert rows[0].user_id is not None and rows[1].user_id is None
    assert all(utcnow() - r.at < timedelta(minutes=5) for r in rows)
    page = client.get("/admin/logins", environ_base={"REMOTE_ADDR": "10.1.2.5"}
                      ).get_data(as_text=True)
    for address in ("10.1.2.3", "10.1.2.4", "10.1.2.5"):
        assert address in page
    assert "失败" in page and "成功" in page
    officer = sign_in(app, "olga")
    assert officer.get("/admin/logins").status_code == 403


def test_leader_writes_to_own_account(app, make, db):
    """A leader may change their password, issue and revoke their calendar token and log out
    everywhere; other writes stay 403."""
    leader = make.user(role="leader", username="lead", password=PASSWORD)
    browser = sign_in(app, "lead")
    response = browser.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "leader-pass-2",
        "confirm": "leader-pass-2"})
    assert response.status_code == 302
    assert db.session.get(User, leader.id).check_password("leader-pass-2")
    page = browser.post("/account/calendar-token").get_data(as_text=True)
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == leader.id))
    assert token.scope == "calendar" and token.prefix in page
    assert browser.post("/account/calendar-token/revoke").status_code == 302
    assert db.session.get(ApiToken, token.id).revoked_at is not None
    assert browser.post("/campaigns/new", data={}).status_code == 403
    assert browser.post("/account/logout-everywhere").status_code == 302
    assert not opens_pages(browser)


def _login_row(user, *, days_ago: float, remember: bool = False, revoked_days_ago=None):
    """A login of `user` started and last used `days_ago` days ago (revoked when asked)."""
    now = utcnow()
    started = now - timedelta(days=days_ago)
    return LoginSession(user_id=user.id, secret_hash="0" * 64, remember=remember,
                        created_at=started, last_seen_at=started,
                        expires_at=started + timedelta(days=14) if remember else None,
                        revoked_at=(now - timedelta(days=revoked_days_ago)
                                    if revoked_days_ago is not None else None))


def test_old_audit_lines_and_ended_logins_are_pruned(victim, db):
    """prune_logins deletes audit lines older than 90 days and logins that ended (revoked, out
    of remember time, idle) more than 90 days ago; newer lines, logins that ended lately and
    live logins stay."""
    from campaign.auth.logins import prune_logins

    rows = {
        "revoked long ago": _login_row(victim, days_ago=120, revoked_days_ago=100),
        "expired long ago": _login_row(victim, days_ago=110, remember=True),
        "idle long ago": _login_row(victim, days_ago=95),
        "revoked lately": _login_row(victim, days_ago=85, revoked_days_ago=80),
        "expired lately": _login_row(victim, days_ago=90, remember=True),
        "live remembered": _login_row(victim, days_ago=3, remember=True),
        "live": _login_row(victim, days_ago=0),
    }
    db.session.add_all(rows.values())
    for days in (91, 89):
        db.session.add(LoginAttempt(username=f"{days} days", address="10.0.0.1",
                                    succeeded=False, at=utcnow() - timedelta(days=days)))
    db.session.flush()
    assert prune_logins() == (3, 1)
    left = set(db.session.scalars(select(LoginSession.id)))
    assert {name for name, row in rows.items() if row.id in left} == {
        "revoked lately", "expired lately", "live remembered", "live"}
    assert list(db.session.scalars(select(LoginAttempt.username))) == ["89 days"]


def test_the_scheduler_prunes_old_login_rows(tmp_path, committed_app):
    """`campaign-tracker scheduler --once` runs the logins job: an audit line of 100 days ago
    is gone afterwards, today's stays."""
    from campaign.extensions import db

    with committed_app(tmp_path) as app:
        with app.app_context():
            for days in (100, 0):
                db.session.add(LoginAttempt(username=f"{days} days", address="10.0.0.1",
                                            succeeded=True, at=utcnow() - timedelta(days=days)))
            db.session.commit()
        result = app.test_cli_runner().invoke(args=["scheduler", "--once"])
        assert result.exit_code == 0, result.output
        with app.app_context():
            assert list(db.session.scalars(select(LoginAttempt.username))) == ["0 days"]
