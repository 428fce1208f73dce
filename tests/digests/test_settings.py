"""What each digest and mail setting of the README does (tests/test_settings.py maps the
settings to these tests): each is set in the environment, read by load_settings, and its
effect observed on a local SMTP server or in what is sent."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from campaign.coverage.models import Match
from campaign.digests.alerts import campaign_alerts
from campaign.digests.channels import Mail, SendError, send_mail
from campaign.digests.compose import build_digest
from campaign.digests.render import render_digest
from campaign.digests.sending import run_pass
from config import ConfigError, load_settings
from tests.digests.conftest import at
from tests.digests.test_sending import subscribe
from tests.test_settings import environ, settle  # noqa: F401 (environ is a fixture)

MAIL = Mail("试发", "正文", "<p>正文</p>", "http://tracker.test/digests/subscriptions")


def _mail_env(smtp: Any, **extra: str) -> dict[str, str]:
    return {"MAIL_SERVER": smtp.host, "MAIL_PORT": str(smtp.port), **extra}


def test_mail_server_is_where_mail_goes(app: Any, smtp: Any, environ: Any,  # noqa: F811
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Unset, no mail can go; MAIL_SERVER and MAIL_PORT name the server that receives it."""
    with pytest.raises(SendError, match="MAIL_SERVER"):
        send_mail({"MAIL_SERVER": ""}, MAIL, "a@union.test")
    settle(app, monkeypatch, **_mail_env(smtp))
    send_mail(app.config, MAIL, "a@union.test")
    assert [e.rcpt_tos for e in smtp.inbox.envelopes] == [["a@union.test"]]


def test_mail_use_tls_asks_for_starttls(app: Any, smtp: Any, environ: Any,  # noqa: F811
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """With MAIL_USE_TLS the sender insists on STARTTLS: a server without it gets no mail."""
    settle(app, monkeypatch, **_mail_env(smtp, MAIL_USE_TLS="true"))
    with pytest.raises(SendError, match="STARTTLS"):
        send_mail(app.config, MAIL, "a@union.test")
    assert smtp.inbox.envelopes == []


def test_mail_use_tls_sends_over_starttls_with_a_login(
        app: Any, smtp_starttls: Any, certificates: Any, environ: Any,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    """With MAIL_USE_TLS the sender upgrades with STARTTLS, checks the server's certificate
    (the private CA of MAIL_CA_FILE) and then logs in: a server that takes neither a login
    nor mail before STARTTLS receives the mail, and sees the login."""
    settle(app, monkeypatch, **_mail_env(smtp_starttls, MAIL_USE_TLS="true",
                                         MAIL_CA_FILE=str(certificates.ca),
                                         MAIL_USERNAME="tracker",
                                         MAIL_PASSWORD="right-password"))
    send_mail(app.config, MAIL, "a@union.test")
    assert smtp_starttls.inbox.logins == [("tracker", "right-password")]
    assert [e.rcpt_tos for e in smtp_starttls.inbox.envelopes] == [["a@union.test"]]
    assert smtp_starttls.inbox.tls == [True]


def test_mail_use_ssl_sends_over_smtps_with_a_login(
        app: Any, smtps: Any, certificates: Any, environ: Any,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    """With MAIL_USE_SSL the sender opens TLS at once (SMTPS), trusts the server through
    MAIL_CA_FILE, and logs in; a wrong password is refused there and sends nothing."""
    settle(app, monkeypatch, **_mail_env(smtps, MAIL_USE_SSL="true",
                                         MAIL_CA_FILE=str(certificates.ca),
                                         MAIL_USERNAME="tracker", MAIL_PASSWORD="wrong"))
    with pytest.raises(SendError, match="535"):
        send_mail(app.config, MAIL, "a@union.test")
    settle(app, monkeypatch, MAIL_PASSWORD="right-password")
    send_mail(app.config, MAIL, "a@union.test")
    assert smtps.inbox.logins == [("tracker", "wrong"), ("tracker", "right-password")]
    assert [e.rcpt_tos for e in smtps.inbox.envelopes] == [["a@union.test"]]
    assert smtps.inbox.messages[0]["Subject"] == "试发"


def test_mail_ca_file_is_the_ca_trusted_for_tls(
        app: Any, smtps: Any, smtp_starttls: Any, certificates: Any, environ: Any,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Unset, a server whose certificate comes from a private CA is refused (SMTPS and
    STARTTLS alike) before any login or mail; MAIL_CA_FILE naming that CA lets the mail go;
    a path that is not a file stops the settings with a message."""
    settle(app, monkeypatch, **_mail_env(smtps, MAIL_USE_SSL="true", MAIL_USERNAME="tracker",
                                         MAIL_PASSWORD="right-password"))
    with pytest.raises(SendError, match="CERTIFICATE_VERIFY_FAILED"):
        send_mail(app.config, MAIL, "a@union.test")
    settle(app, monkeypatch, MAIL_USE_SSL="false", MAIL_USE_TLS="true",
           MAIL_PORT=str(smtp_starttls.port))
    with pytest.raises(SendError, match="CERTIFICATE_VERIFY_FAILED"):
        send_mail(app.config, MAIL, "a@union.test")
    assert smtps.inbox.logins == smtp_starttls.inbox.logins == []
    assert smtps.inbox.envelopes == smtp_starttls.inbox.envelopes == []
    settle(app, monkeypatch, MAIL_CA_FILE=str(certificates.ca))
    send_mail(app.config, MAIL, "a@union.test")
    assert [e.rcpt_tos for e in smtp_starttls.inbox.envelopes] == [["a@union.test"]]
    monkeypatch.setenv("MAIL_CA_FILE", str(certificates.ca.parent / "missing.pem"))
    with pytest.raises(ConfigError, match="MAIL_CA_FILE"):
        load_settings()


def test_mail_use_ssl_speaks_tls_from_the_start(app: Any, smtp: Any, environ: Any,  # noqa: F811
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """With MAIL_USE_SSL the connection opens with a TLS handshake, which a plain SMTP
    server cannot answer: nothing is sent."""
    settle(app, monkeypatch, **_mail_env(smtp, MAIL_USE_SSL="true"))
    with pytest.raises(SendError):
        send_mail(app.config, MAIL, "a@union.test")
    assert smtp.inbox.envelopes == []


def test_mail_username_and_password_log_in(app: Any, smtp: Any, environ: Any,  # noqa: F811
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """MAIL_USERNAME and MAIL_PASSWORD are the login the server sees; a wrong password is
    refused and nothing is sent."""
    settle(app, monkeypatch, **_mail_env(smtp, MAIL_USERNAME="tracker",
                                         MAIL_PASSWORD="wrong"))
    with pytest.raises(SendError):
        send_mail(app.config, MAIL, "a@union.test")
    settle(app, monkeypatch, MAIL_PASSWORD="right-password")
    send_mail(app.config, MAIL, "a@union.test")
    assert smtp.inbox.logins == [("tracker", "wrong"), ("tracker", "right-password")]
    assert len(smtp.inbox.envelopes) == 1


def test_mail_default_sender_is_the_from_address(app: Any, smtp: Any,
                                                 environ: Any,  # noqa: F811
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """MAIL_DEFAULT_SENDER is the From: header and the envelope sender."""
    settle(app, monkeypatch, **_mail_env(smtp, MAIL_DEFAULT_SENDER="office@union.test"))
    send_mail(app.config, MAIL, "a@union.test")
    [envelope] = smtp.inbox.envelopes
    assert envelope.mail_from == "office@union.test"
    assert smtp.inbox.messages[0]["From"] == "office@union.test"


def test_digest_at_is_when_the_digest_goes_out(app: Any, smtp: Any, world: Any, make: Any,
                                               db: Any, environ: Any,  # noqa: F811
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """At 07:31 Beijing time the default (08:00) sends nothing; DIGEST_AT=07:30 sends it."""
    settle(app, monkeypatch, **_mail_env(smtp))
    subscribe(make, db, world.campaign)
    assert run_pass(worker="a", now=at(date(2006, 4, 27), 7, 31)) == 0
    settle(app, monkeypatch, DIGEST_AT="07:30")
    assert run_pass(worker="a", now=at(date(2006, 4, 27), 7, 31)) == 1
    assert len(smtp.inbox.envelopes) == 1


def test_alert_silent_hours_is_when_a_quiet_source_alerts(
        app: Any, world: Any, environ: Any, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """Ten hours into the campaign the invited outlet's source without a new article raises
    no alert under the default 24 hours, and one with ALERT_SILENT_HOURS=6."""
    settle(app, monkeypatch, ALERT_SILENT_HOURS="24")
    now = at(date(2006, 4, 25), 10)
    assert [a.kind for a in campaign_alerts(world.campaign, now=now)
            if a.kind.startswith("source")] == []
    settle(app, monkeypatch, ALERT_SILENT_HOURS="6")
    assert [a.kind for a in campaign_alerts(world.campaign, now=now)
            if a.kind.startswith("source")] == ["source_silent"]


def test_alert_queue_max_is_the_queue_alert_line(app: Any, world: Any, make: Any, db: Any,
                                                 environ: Any,  # noqa: F811
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Two suggested matches raise no queue alert under the default line of 50, and one with
    ALERT_QUEUE_MAX=1."""
    for _ in range(2):
        article = make.article(world.monitored)
        db.session.add(Match(event_id=world.event.id, article_id=article.id,
                             status="suggested", explanation={}, day=article.day))
    db.session.commit()
    now = at(date(2006, 4, 27), 10)
    settle(app, monkeypatch, ALERT_QUEUE_MAX="50")
    assert "queue" not in [a.kind for a in campaign_alerts(world.campaign, now=now)]
    settle(app, monkeypatch, ALERT_QUEUE_MAX="1")
    assert "queue" in [a.kind for a in campaign_alerts(world.campaign, now=now)]


def test_app_base_url_is_where_mail_links_point(app: Any, world: Any,
                                                environ: Any,  # noqa: F811
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The digest's links start with APP_BASE_URL."""
    settle(app, monkeypatch, APP_BASE_URL="https://tracker.union.test/")
    message = render_digest(build_digest(world.campaign, date(2006, 4, 27)))
    assert "https://tracker.union.test/campaigns/labour-month\n" in message.text
    assert "](https://tracker.union.test/campaigns/labour-month)" in message.markdown
