"""The digest job in the scheduler process, and the `digest` command."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from campaign.core.times import local_today
from campaign.digests.models import Delivery, DigestSubscription
from campaign.extensions import db
from tests.factories import Factories
from tests.plugins.apps import count, scheduler_process


def running_campaign(app: Any) -> None:
    """A campaign running today (real time) with one subscriber, committed."""
    with app.app_context():
        today = local_today()
        make = Factories(db)
        campaign = make.campaign(slug="now", starts_on=today - timedelta(days=3),
                                 ends_on=today + timedelta(days=10), planning_starts_on=None)
        user = make.user(role="leader", email="leader@union.test")
        db.session.add(DigestSubscription(user_id=user.id, campaign_id=campaign.id))
        db.session.commit()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_schedulers_send_the_digest_once(tmp_path: Any, committed_app: Any, smtp: Any,
                                             backend: str) -> None:
    """Two scheduler processes started together send today's digest to the subscriber once."""
    with committed_app(tmp_path, backend) as app:
        running_campaign(app)
        env = {"MAIL_SERVER": smtp.host, "MAIL_PORT": str(smtp.port), "DIGEST_AT": "00:00"}
        procs = [scheduler_process(app, "--once", **env) for _ in range(2)]
        outputs = [proc.communicate(timeout=90)[0].decode() for proc in procs]
        assert [proc.returncode for proc in procs] == [0, 0], outputs
        assert [e.rcpt_tos for e in smtp.inbox.envelopes] == [["leader@union.test"]], outputs
        assert count(app, Delivery) == 1


def test_digest_command_prints_and_sends_once(tmp_path: Any, committed_app: Any,
                                              smtp: Any, webhook: Any) -> None:
    """`digest` prints the digest; `--send --to` mails it once (a second run skips); a
    `--webhook` gets it too; a bad address is refused."""
    with committed_app(tmp_path, **smtp.config()) as app:
        running_campaign(app)
        runner = app.test_cli_runner()
        day = (local_today()).isoformat()
        printed = runner.invoke(args=["digest", "--campaign", "now", "--date", day])
        assert printed.exit_code == 0 and "日报" in printed.output and "退订" in printed.output
        args = ["digest", "--campaign", "now", "--date", day, "--send", "--to", "a@union.test"]
        first = runner.invoke(args=args)
        second = runner.invoke(args=args)
        assert "mail:a@union.test: sent" in first.output, first.output
        assert "mail:a@union.test: skipped" in second.output
        assert [e.rcpt_tos for e in smtp.inbox.envelopes] == [["a@union.test"]]
        hooked = runner.invoke(args=["digest", "--campaign", "now", "--send", "--webhook",
                                     webhook.url, "--webhook-kind", "feishu"])
        assert hooked.exit_code == 0 and webhook.hooks[0].body["msg_type"] == "text"
        bad = runner.invoke(args=["digest", "--campaign", "now", "--to", "a@b.c\r\nBcc: x"])
        assert bad.exit_code != 0 and len(smtp.inbox.envelopes) == 1


def test_digest_command_to_subscribers(tmp_path: Any, committed_app: Any, smtp: Any) -> None:
    """`digest --send` without addresses mails the campaign's subscribers."""
    with committed_app(tmp_path, **smtp.config()) as app:
        running_campaign(app)
        result = app.test_cli_runner().invoke(args=["digest", "--campaign", "now", "--send"])
        assert result.exit_code == 0, result.output
        assert [e.rcpt_tos for e in smtp.inbox.envelopes] == [["leader@union.test"]]


def test_unknown_campaign_is_refused(tmp_path: Any, committed_app: Any) -> None:
    """An unknown slug stops the command with a message."""
    with committed_app(tmp_path) as app:
        result = app.test_cli_runner().invoke(args=["digest", "--campaign", "nope"])
        assert result.exit_code != 0 and "no campaign nope" in result.output

