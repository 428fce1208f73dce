"""Digests by e-mail through a local SMTP server: content, once per period, retries."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from campaign.coverage.models import Match
from campaign.digests import sending
from campaign.digests.compose import build_digest, digest_kind
from campaign.digests.models import Delivery, DigestSubscription
from campaign.digests.operations import MAX_TRIES, Key, claim
from campaign.digests.render import render_digest
from campaign.digests.sending import run_pass
from campaign.extensions import db as _db
from tests.digests.conftest import at


def subscribe(make: Any, db: Any, campaign: Any, *, email: str = "leader@union.test",
              language: str = "zh_Hans_CN", digest: bool = True, alerts: bool = False) -> Any:
    user = make.user(role="leader", email=email, language=language)
    db.session.add(DigestSubscription(user_id=user.id, campaign_id=campaign.id, digest=digest,
                                      alerts=alerts))
    db.session.commit()
    return user


@pytest.fixture
def mail_app(app: Any, smtp: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    for name, value in smtp.config(APP_BASE_URL="http://tracker.union.test").items():
        monkeypatch.setitem(app.config, name, value)
    monkeypatch.setitem(app.config, "DIGEST_AT", "08:00")
    monkeypatch.setitem(app.config, "ALERT_QUEUE_MAX", 50)
    monkeypatch.setitem(app.config, "ALERT_SILENT_HOURS", 24 * 365)
    return app


def test_digest_content_counts_page_one_slots_and_silent_outlets(world: Any) -> None:
    """The 27 April digest holds 26 April's accepted page-one piece under its event, the slot
    due on 28 April, and the silent invited outlets: the monitored one counted, the other
    listed as unmonitored."""
    digest = build_digest(world.campaign, date(2006, 4, 27))
    assert [(e.title, [p.title for p in e.pieces]) for e in digest.events] == [
        ("庆祝大会", ["职工技能大赛开幕"])]
    assert [p.title for p in digest.page_one] == ["职工技能大赛开幕"]
    assert [(s.outlet, s.day) for s in digest.slots_due] == [("合肥日报", date(2006, 4, 28))]
    assert (digest.silent, digest.unmonitored) == (["省工人报"], ["江城晚报"])


def test_digest_lists_missed_slots_and_the_queue(world: Any, make: Any, db: Any) -> None:
    """On 30 April the slot planned for 28 April is listed as missed (no longer due), and the
    review queue's two suggestions are counted, in the mail and the robot message."""
    for _ in range(2):
        article = make.article(world.monitored, published_at=at(date(2006, 4, 29)))
        db.session.add(Match(event_id=world.event.id, article_id=article.id,
                             status="suggested", explanation={}, day=article.day))
    db.session.commit()
    digest = build_digest(world.campaign, date(2006, 4, 30))
    assert [(s.outlet, s.day) for s in digest.slots_missed] == [("合肥日报", date(2006, 4, 28))]
    assert (digest.slots_due, digest.queue) == ([], 2)
    message = render_digest(digest)
    assert "待审核 2 条" in message.markdown and "未按计划见报" in message.text
    assert "- 4月28日 合肥日报 一版：庆祝大会" in message.markdown


def test_digest_days_daily_then_weekly_for_four_weeks(world: Any) -> None:
    """Daily from the day after the start to the day after the end, then weekly four times."""
    campaign = world.campaign
    kinds = {d: digest_kind(campaign, d) for d in
             (date(2006, 4, 25), date(2006, 4, 26), date(2006, 5, 26), date(2006, 6, 2),
              date(2006, 6, 3), date(2006, 6, 23), date(2006, 6, 30))}
    assert kinds == {date(2006, 4, 25): None, date(2006, 4, 26): "daily",
                     date(2006, 5, 26): "daily", date(2006, 6, 2): "weekly",
                     date(2006, 6, 3): None, date(2006, 6, 23): "weekly",
                     date(2006, 6, 30): None}


def test_digest_mail_arrives_once_with_both_parts_and_unsubscribe(
        mail_app: Any, world: Any, make: Any, db: Any, smtp: Any) -> None:
    """After 08:00 the subscriber gets one mail (text and HTML, links to APP_BASE_URL, an
    unsubscribe link); a second pass — another scheduler — sends nothing more."""
    subscribe(make, db, world.campaign)
    assert run_pass(worker="a", now=at(date(2006, 4, 27), 8, 1)) == 1
    assert run_pass(worker="b", now=at(date(2006, 4, 27), 8, 2)) == 0
    [mail] = smtp.inbox.messages
    assert mail["To"] == "leader@union.test"
    assert "劳动宣传月 日报（4月26日）" in mail["Subject"]
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "职工技能大赛开幕" in text and "职工技能大赛开幕" in html
    assert "江城晚报（未监测）" in text
    assert "http://tracker.union.test/campaigns/labour-month" in html
    assert "http://tracker.union.test/digests/unsubscribe/" in text
    assert mail["List-Unsubscribe"].startswith("<http://tracker.union.test/digests/unsubscribe/")
    rows = db.session.scalars(select(Delivery)).all()
    assert [(r.kind, r.period, r.recipient, r.state) for r in rows] == [
        ("daily", "2006-04-27", "mail:leader@union.test", "sent")]


def test_english_reader_gets_the_digest_in_english(mail_app: Any, world: Any, make: Any,
                                                   db: Any, smtp: Any) -> None:
    """A user who chose English gets the headings in English."""
    subscribe(make, db, world.campaign, language="en")
    run_pass(worker="a", now=at(date(2006, 4, 27), 9))
    text = smtp.inbox.messages[0].get_body(("plain",)).get_content()
    assert "Unsubscribe" in text and "退订" not in text


def test_nothing_before_digest_at(mail_app: Any, world: Any, make: Any, db: Any,
                                  smtp: Any) -> None:
    """Before 08:00 Beijing time no digest goes out."""
    subscribe(make, db, world.campaign)
    assert run_pass(worker="a", now=at(date(2006, 4, 27), 7, 59)) == 0
    assert smtp.inbox.envelopes == []


def test_live_claim_is_left_and_lapsed_claim_is_taken(world: Any, db: Any) -> None:
    """A row claimed by a running sender is not taken by a second; once its lease lapsed (the
    first crashed between claim and send) the second takes it."""
    key = Key(world.campaign.id, "daily", "2006-04-27", "mail:x@union.test")
    now = at(date(2006, 4, 27), 8)
    assert claim(key, worker="a", now=now) is not None
    assert claim(key, worker="b", now=now + timedelta(minutes=1)) is None
    taken = claim(key, worker="b", now=now + timedelta(minutes=6))
    assert taken is not None and taken.worker == "b"


def test_down_server_is_retried_with_backoff_then_reported(
        mail_app: Any, world: Any, make: Any, db: Any, login: Any, client: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """With the SMTP server down the digest is tried five times, each after a doubling pause
    (not before), then marked failed and shown on the sources page."""
    monkeypatch.setitem(mail_app.config, "MAIL_PORT", 9)  # nothing listens there
    subscribe(make, db, world.campaign)
    now = at(date(2006, 4, 27), 8)
    run_pass(worker="a", now=now)
    row = db.session.scalar(select(Delivery))
    pauses = []
    for attempt in range(2, MAX_TRIES + 1):
        pause = row.next_try_at - now
        pauses.append(pause)
        run_pass(worker="a", now=now + pause - timedelta(seconds=1))  # too early: no try
        db.session.refresh(row)
        assert row.attempts == attempt - 1
        now = now + pause
        run_pass(worker="a", now=now)
        db.session.refresh(row)
        assert row.attempts == attempt, (row.state, row.next_try_at, now, row.lease_until)
    assert pauses == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert row.state == "failed" and "SMTP" in row.last_error
    login("officer")
    page = client.get("/sources").get_data(as_text=True)
    assert "重试 5 次后仍未发出" in page and "mail:leader@union.test" in page


def test_retry_due_after_midnight_is_sent_the_next_day(
        mail_app: Any, world: Any, make: Any, db: Any, smtp: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A digest that failed at 23:50 Beijing time (DIGEST_AT=23:50, server down) and is
    still waiting to retry at midnight is sent at its next-try time the next day — before
    that day's DIGEST_AT, the same 27 April digest in the reader's words, once."""
    monkeypatch.setitem(mail_app.config, "DIGEST_AT", "23:50")
    subscribe(make, db, world.campaign)
    port = mail_app.config["MAIL_PORT"]
    monkeypatch.setitem(mail_app.config, "MAIL_PORT", 9)  # nothing listens there
    now = at(date(2006, 4, 27), 23, 50)
    for pause in (0, 1, 2, 4):  # tries at 23:50, 23:51, 23:53, 23:57
        now += timedelta(minutes=pause)
        run_pass(worker="a", now=now)
    row = db.session.scalar(select(Delivery))
    assert (row.state, row.attempts) == ("retry", 4)
    assert row.next_try_at == at(date(2006, 4, 28), 0, 5)
    monkeypatch.setitem(mail_app.config, "MAIL_PORT", port)  # the server is back
    assert run_pass(worker="b", now=at(date(2006, 4, 28), 0, 4)) == 0  # not due yet
    assert run_pass(worker="b", now=at(date(2006, 4, 28), 0, 5)) == 1
    db.session.refresh(row)
    assert (row.period, row.state, row.attempts) == ("2006-04-27", "sent", 5)
    [mail] = smtp.inbox.messages
    assert "劳动宣传月 日报（4月26日）" in mail["Subject"]
    assert run_pass(worker="a", now=at(date(2006, 4, 28), 0, 30)) == 0


def test_claim_left_by_a_crash_is_sent_after_its_lease_the_next_day(
        mail_app: Any, world: Any, make: Any, db: Any, smtp: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An alert claimed at 23:58 by a scheduler that died before sending is sent by another
    once the lease has lapsed, after midnight, although that day's alerts no longer hold it
    (the queue shrank): the message stored with the claim goes out, once."""
    monkeypatch.setitem(mail_app.config, "ALERT_QUEUE_MAX", 1)
    subscribe(make, db, world.campaign, digest=False, alerts=True)
    for _ in range(2):
        article = make.article(world.monitored, published_at=at(date(2006, 4, 26)))
        db.session.add(Match(event_id=world.event.id, article_id=article.id,
                             status="suggested", explanation={}, day=article.day))
    db.session.commit()

    def crash(*_args: Any) -> None:
        raise SystemExit("killed between claim and send")

    send = sending.send_message
    monkeypatch.setattr(sending, "send_message", crash)
    with pytest.raises(SystemExit):
        run_pass(worker="a", now=at(date(2006, 4, 27), 23, 58))
    db.session.rollback()
    monkeypatch.setattr(sending, "send_message", send)
    monkeypatch.setitem(mail_app.config, "ALERT_QUEUE_MAX", 50)  # no queue alert any more
    row = db.session.scalar(select(Delivery))  # the crash came at the first message
    assert (row.state, row.kind, row.period, row.worker) == (
        "sending", "alert:queue", "2006-04-27/queue", "a")

    def queue_mails() -> list[str]:
        return [str(m["Subject"]) for m in smtp.inbox.messages if "待审核" in m["Subject"]]

    run_pass(worker="b", now=at(date(2006, 4, 28), 0, 2))  # the lease runs to 00:03
    assert queue_mails() == []
    run_pass(worker="b", now=at(date(2006, 4, 28), 0, 4))
    run_pass(worker="a", now=at(date(2006, 4, 28), 0, 10))
    assert queue_mails() == ["待审核报道已有 2 条"]
    db.session.refresh(row)
    assert (row.state, row.worker, row.attempts) == ("sent", "b", 1)


def fail_once(mail_app: Any, monkeypatch: pytest.MonkeyPatch, now: datetime, *,
              count: int = 1) -> list[Delivery]:
    """One scheduler pass at `now` with the SMTP server down: the `count` deliveries made
    wait for their retry (the server is back afterwards)."""
    port = mail_app.config["MAIL_PORT"]
    monkeypatch.setitem(mail_app.config, "MAIL_PORT", 9)  # nothing listens there
    run_pass(worker="a", now=now)
    monkeypatch.setitem(mail_app.config, "MAIL_PORT", port)
    rows = db_rows()
    assert [(r.state, r.attempts) for r in rows] == [("retry", 1)] * count
    return rows


def db_rows() -> list[Delivery]:
    return list(_db.session.scalars(select(Delivery)))


def unsubscribed(client: Any, db: Any, user: Any, campaign: Any) -> None:
    """The reader followed the mail's unsubscribe link."""
    token = sending.unsubscribe_token(user.id, campaign.id)
    assert client.post(f"/digests/unsubscribe/{token}").status_code == 200


def deactivated(client: Any, db: Any, user: Any, campaign: Any) -> None:
    user.active = False
    db.session.commit()


def digest_off(client: Any, db: Any, user: Any, campaign: Any) -> None:
    """The reader kept the alerts and turned the digest off."""
    row = db.session.scalar(select(DigestSubscription).filter_by(user_id=user.id))
    row.digest, row.alerts = False, True
    db.session.commit()


def address_changed(client: Any, db: Any, user: Any, campaign: Any) -> None:
    user.email = "new-leader@union.test"
    db.session.commit()


@pytest.mark.parametrize("lapse", [unsubscribed, deactivated, digest_off, address_changed],
                         ids=["unsubscribed", "deactivated", "digest-off", "address-changed"])
def test_retry_after_the_subscription_lapsed_is_cancelled_unsent(
        mail_app: Any, world: Any, make: Any, db: Any, smtp: Any, client: Any, login: Any,
        monkeypatch: pytest.MonkeyPatch, lapse: Any) -> None:
    """A digest that failed once is not sent on its retry when, in between, its reader
    unsubscribed, was deactivated, turned the digest off or changed address: the row ends
    "cancelled" (no try counted, never retried), the old address gets no digest, and the
    sources page lists no failure."""
    user = subscribe(make, db, world.campaign)
    now = at(date(2006, 4, 27), 8)
    [row] = fail_once(mail_app, monkeypatch, now)
    lapse(client, db, user, world.campaign)
    run_pass(worker="b", now=row.next_try_at)
    db.session.refresh(row)
    assert (row.state, row.attempts, row.next_try_at, row.lease_until) == (
        "cancelled", 1, None, None)
    run_pass(worker="b", now=now + timedelta(hours=2))
    db.session.refresh(row)
    assert row.state == "cancelled"
    assert [m["Subject"] for m in smtp.inbox.messages
            if m["To"] == "leader@union.test" and "劳动宣传月 日报" in m["Subject"]] == []
    login("officer")
    page = client.get("/sources").get_data(as_text=True)
    assert "delivery-failures" not in page and "mail:leader@union.test" not in page


def test_retry_of_an_alert_is_cancelled_when_the_alerts_were_turned_off(
        mail_app: Any, world: Any, make: Any, db: Any, smtp: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An alert's retry is cancelled when its reader turned the alerts off but still takes
    the digest (the alerts, not the digest, are what an alert needs)."""
    monkeypatch.setitem(mail_app.config, "ALERT_QUEUE_MAX", 1)
    user = subscribe(make, db, world.campaign, digest=False, alerts=True)
    for _ in range(2):
        article = make.article(world.monitored, published_at=at(date(2006, 4, 26)))
        db.session.add(Match(event_id=world.event.id, article_id=article.id,
                             status="suggested", explanation={}, day=article.day))
    db.session.commit()
    rows = fail_once(mail_app, monkeypatch, at(date(2006, 4, 27), 7), count=2)  # before 08:00
    assert sorted(r.kind for r in rows) == ["alert:page_one", "alert:queue"]
    subscription = db.session.scalar(select(DigestSubscription).filter_by(user_id=user.id))
    subscription.digest, subscription.alerts = True, False
    db.session.commit()
    assert run_pass(worker="b", now=rows[0].next_try_at) == 0
    for row in rows:
        db.session.refresh(row)
    assert [r.state for r in rows] == ["cancelled"] * 2 and smtp.inbox.envelopes == []


def test_retry_to_an_address_given_by_hand_is_sent_whoever_it_is(
        mail_app: Any, world: Any, make: Any, db: Any, smtp: Any, client: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A digest sent by hand (`digest --to`) to the address of a reader who unsubscribed is
    still retried and sent: an address given by hand is not a subscription."""
    user = subscribe(make, db, world.campaign)
    unsubscribed(client, db, user, world.campaign)
    port = mail_app.config["MAIL_PORT"]
    monkeypatch.setitem(mail_app.config, "MAIL_PORT", 9)  # nothing listens there
    digest = build_digest(world.campaign, date(2006, 4, 27))
    by_hand = sending.Recipient("mail:leader@union.test", "leader@union.test")
    now = at(date(2006, 4, 27), 7)
    assert sending.send_digest(digest, [by_hand], worker="cli", now=now) == {
        "mail:leader@union.test": "retry"}
    monkeypatch.setitem(mail_app.config, "MAIL_PORT", port)
    [row] = db_rows()
    assert run_pass(worker="a", now=row.next_try_at) == 1
    db.session.refresh(row)
    assert row.state == "sent"
    assert [e.rcpt_tos for e in smtp.inbox.envelopes] == [["leader@union.test"]]


def test_retry_stored_before_the_user_was_kept_is_cancelled_by_its_unsubscribe_link(
        mail_app: Any, world: Any, make: Any, db: Any, smtp: Any, client: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A sent-log row stored before messages named their subscriber (no "user" in it) is
    known as a subscriber's by its unsubscribe link: cancelled once its reader unsubscribed."""
    user = subscribe(make, db, world.campaign)
    [row] = fail_once(mail_app, monkeypatch, at(date(2006, 4, 27), 8))
    stored = json.loads(row.message)
    del stored["user"]
    row.message = json.dumps(stored, ensure_ascii=False)
    db.session.commit()
    unsubscribed(client, db, user, world.campaign)
    run_pass(worker="b", now=row.next_try_at)
    db.session.refresh(row)
    assert row.state == "cancelled" and smtp.inbox.envelopes == []
