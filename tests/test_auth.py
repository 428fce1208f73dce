"""Login, logout, roles, password hashing, CSRF and the create-user command."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from campaign import create_app
from campaign.auth.models import User
from campaign.commands import create_user_command
from tests.conftest import base_config


def test_login_with_right_password(client, make):
    """The right username and password log the user in and go to the campaign list."""
    make.user(username="wang", password="secret-pass-1")
    response = client.post("/login", data={"username": "wang", "password": "secret-pass-1"})
    assert (response.status_code, response.location) == (302, "/")
    home = client.get(response.location)
    assert (home.status_code, home.location) == (302, "/campaigns")
    assert client.get("/campaigns").status_code == 200


def test_login_does_not_tell_which_part_was_wrong(client, make):
    """A wrong password and an unknown user get the same message (no user enumeration)."""
    make.user(username="wang", password="secret-pass-1")
    wrong_password = client.post("/login", data={"username": "wang", "password": "nope-nope"})
    unknown_user = client.post("/login", data={"username": "li", "password": "nope-nope"})
    assert wrong_password.status_code == unknown_user.status_code == 401
    assert "用户名或密码不正确" in wrong_password.get_data(as_text=True)
    assert "用户名或密码不正确" in unknown_user.get_data(as_text=True)


def test_inactive_user_cannot_log_in(client, make):
    """A deactivated account cannot log in."""
    make.user(username="gone", password="secret-pass-1", active=False)
    response = client.post("/login", data={"username": "gone", "password": "secret-pass-1"})
    assert response.status_code == 401


def test_passwords_are_hashed(make):
    """The stored password is a salted hash, never the password itself."""
    user = make.user(password="secret-pass-1")
    assert "secret-pass-1" not in user.password_hash
    assert user.check_password("secret-pass-1") and not user.check_password("secret-pass-2")


def test_logout(client, login):
    """Logging out ends the session: pages redirect to the login page again."""
    login("officer")
    assert client.post("/logout").status_code == 302
    response = client.get("/campaigns")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_login_redirects_only_inside_the_site(client, make):
    """The `next` parameter may not send a user off-site after login."""
    make.user(username="wang", password="secret-pass-1")
    response = client.post("/login?next=https://evil.example/", data={
        "username": "wang", "password": "secret-pass-1"})
    assert response.headers["Location"] == "/"


def test_login_refuses_a_backslash_path_as_next(client, make):
    """`next=/\\host` is not taken as a local page (browsers read it as //host, another site)."""
    make.user(username="wang", password="secret-pass-1")
    response = client.post("/login?next=/\\evil.example/", data={
        "username": "wang", "password": "secret-pass-1"})
    assert response.headers["Location"] == "/"


def test_admin_creates_user(client, login, db):
    """An admin creates a user with a role through the form."""
    login("admin")
    response = client.post("/users/new", data={"username": "zhao", "display_name": "赵",
                                               "role": "leader", "password": "long-enough-1",
                                               "active": "y"})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "zhao"))
    assert user.role == "leader"


def test_short_password_is_refused(client, login):
    """A password under 8 characters is refused on the password field."""
    login("admin")
    response = client.post("/users/new", data={"username": "zhao", "role": "leader",
                                               "password": "short"})
    assert response.status_code == 422
    assert "密码至少 8 位" in response.get_data(as_text=True)


def test_admin_cannot_demote_self(client, login):
    """An admin cannot remove their own admin role (and lock everyone out)."""
    admin = login("admin")
    response = client.post(f"/users/{admin.id}/edit", data={
        "username": admin.username, "role": "officer", "active": "y"})
    assert response.status_code == 422
    assert admin.role == "admin"


@pytest.fixture
def csrf_app(tmp_path):
    config = base_config(tmp_path, f"sqlite:///{tmp_path / 'csrf.db'}")
    config["WTF_CSRF_ENABLED"] = True
    app = create_app(config)
    from campaign.extensions import db

    with app.app_context():
        db.create_all()
        user = User(username="wang", role="officer")
        user.set_password("secret-pass-1")
        db.session.add(user)
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


def test_forms_need_csrf_token(csrf_app):
    """A POST without the CSRF token is refused with a clear message, even for login."""
    client = csrf_app.test_client()
    response = client.post("/login", data={"username": "wang", "password": "secret-pass-1"})
    assert response.status_code == 400
    assert "表单已过期" in response.get_data(as_text=True)


def test_create_user_command(app, db):
    """`campaign-tracker create-user` creates a user with the role asked for."""
    runner = app.test_cli_runner()
    result = runner.invoke(create_user_command, ["liu", "--role", "leader",
                                                 "--password", "long-enough-1"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "liu"))
    assert user.role == "leader"
    again = runner.invoke(create_user_command, ["liu", "--password", "long-enough-1"])
    assert again.exit_code != 0 and "username" in again.output
