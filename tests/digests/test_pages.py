"""The digests pages: preview, subscriptions (leaders too), robots (admins), the test
buttons and the unsubscribe link."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from campaign.commands import demo_command
from campaign.digests.models import DigestSubscription, Robot
from campaign.digests.sending import unsubscribe_token


def test_preview_shows_the_digest_of_a_day(client: Any, login: Any, world: Any) -> None:
    """The preview of 27 April shows the page-one piece, the unmonitored outlet and the
    robot markdown, with links inside the app."""
    login("leader")
    page = client.get("/campaigns/labour-month/digest?date=2006-04-27").get_data(as_text=True)
    assert "职工技能大赛开幕" in page and "江城晚报（未监测）" in page
    assert 'href="/campaigns/labour-month/events/rally"' in page
    assert "### 劳动宣传月 日报（4月26日）" in page


def test_demo_campaign_has_its_digest_preview(app: Any, client: Any, login: Any) -> None:
    """After `demo` (what `make run` loads) the demo campaign's page links to its digest
    preview, which shows the 28 April digest: the slot due that day, the invited outlets
    without a source as 未监测, and when it goes out (DIGEST_AT's default)."""
    assert app.test_cli_runner().invoke(demo_command).exit_code == 0
    login("leader")
    campaign = client.get("/campaigns/propaganda-month-2006").get_data(as_text=True)
    assert 'href="/campaigns/propaganda-month-2006/digest"' in campaign
    page = client.get("/campaigns/propaganda-month-2006/digest?date=2006-04-28"
                      ).get_data(as_text=True)
    assert "2006年工人阶级和工会工作宣传月 日报（4月27日）" in page
    assert "4月28日 安徽工人日报 一版" in page and "人民日报（未监测）" in page
    assert "这一天会在 08:00（北京时间）发送日报。" in page


def test_leader_saves_address_language_and_subscriptions(client: Any, login: Any,
                                                         world: Any, db: Any) -> None:
    """A leader's form post stores the address, the language and the chosen campaign's
    digest and alerts, and redirects back to the page."""
    user = login("leader")
    cid = world.campaign.id
    response = client.post("/digests/subscriptions", data={
        "email": "leader@union.test", "language": "en", f"digest-{cid}": "on",
        f"alerts-{cid}": "on"})
    assert response.status_code == 302 and response.location == "/digests/subscriptions"
    db.session.refresh(user)
    assert (user.email, user.language) == ("leader@union.test", "en")
    row = db.session.scalar(select(DigestSubscription).where(
        DigestSubscription.user_id == user.id))
    assert (row.campaign_id, row.digest, row.alerts) == (cid, True, True)


def test_bad_address_is_refused_with_nothing_written(client: Any, login: Any, world: Any,
                                                     db: Any) -> None:
    """An address with a line break (a header injection) answers 422 and stores nothing."""
    user = login("officer")
    response = client.post("/digests/subscriptions", data={
        "email": "a@union.test\r\nBcc: x@evil.test", "language": "zh_Hans_CN",
        f"digest-{world.campaign.id}": "on"})
    assert response.status_code == 422
    db.session.refresh(user)
    assert user.email == ""
    assert db.session.scalar(select(DigestSubscription)) is None


def test_send_a_test_mail(client: Any, login: Any, world: Any, db: Any, app: Any, smtp: Any,
                          monkeypatch: Any) -> None:
    """The "send a test" button mails the user a digest through the SMTP server."""
    for name, value in smtp.config().items():
        monkeypatch.setitem(app.config, name, value)
    user = login("leader")
    user.email = "leader@union.test"
    db.session.commit()
    response = client.post("/digests/test")
    assert response.status_code == 302
    assert [e.rcpt_tos for e in smtp.inbox.envelopes] == [["leader@union.test"]]


def test_admin_adds_tests_and_deletes_a_robot(client: Any, login: Any, world: Any, db: Any,
                                              webhook: Any) -> None:
    """An admin adds a DingTalk robot (stored), its test button posts to it, and delete
    removes it."""
    login("admin")
    response = client.post("/campaigns/labour-month/robots", data={
        "name": "宣教群", "kind": "dingtalk", "url": webhook.url + "/send", "secret": "SECx",
        "keyword": "简报", "digest": "y", "alerts": "y"})
    assert response.status_code == 302
    robot = db.session.scalar(select(Robot))
    assert (robot.kind, robot.secret, robot.keyword) == ("dingtalk", "SECx", "简报")
    client.post(f"/campaigns/labour-month/robots/{robot.id}/test")
    assert webhook.hooks and "sign" in webhook.hooks[0].query
    client.post(f"/campaigns/labour-month/robots/{robot.id}/delete")
    assert db.session.scalar(select(Robot)) is None


def test_robot_form_refuses_a_bad_url(client: Any, login: Any, world: Any, db: Any) -> None:
    """A webhook that is not an http(s) URL answers 422 and stores nothing."""
    login("admin")
    response = client.post("/campaigns/labour-month/robots", data={
        "kind": "wecom", "url": "javascript:alert(1)"})
    assert response.status_code == 422 and db.session.scalar(select(Robot)) is None


def test_unsubscribe_link_cancels_without_a_login(client: Any, make: Any, world: Any,
                                                  db: Any) -> None:
    """The mail's signed link, posted without a login, removes the subscription; a forged
    token answers 400."""
    user = make.user(role="leader", email="l@union.test")
    db.session.add(DigestSubscription(user_id=user.id, campaign_id=world.campaign.id))
    db.session.commit()
    token = unsubscribe_token(user.id, world.campaign.id)
    assert client.get(f"/digests/unsubscribe/{token}").status_code == 200
    assert client.post(f"/digests/unsubscribe/{token}").status_code == 200
    assert db.session.scalar(select(DigestSubscription)) is None
    assert client.post(f"/digests/unsubscribe/{token[:-2]}xx").status_code == 400
