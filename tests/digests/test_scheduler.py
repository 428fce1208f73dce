"""The digest job in the scheduler process, and the `digest` command."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from campaign.core.times import local_today, utcnow
from campaign.coverage.models import Match
from campaign.digests.models import Delivery, DigestSubscription, Robot, RobotSend
from campaign.extensions import db
from tests.factories import Factories, beijing
from tests.plugins.apps import ROOT, count, scheduler_env, scheduler_process


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


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_dingtalk_limit_holds_across_processes(tmp_path: Any, committed_app: Any,
                                               webhook: Any, backend: str) -> None:
    """Two schedulers and a `digest --send`, started together, share one DingTalk robot's
    20 a minute. The robot keeps the first message waiting while 16 sends of 40 s ago are
    counted; of the 7 messages due (the digest, six page-one alerts) 4 in all reach it before
    those sends are a minute old and the other 3 after — delayed, none dropped, each once."""
    url = webhook.url + "/robot/send?access_token=group"
    with committed_app(tmp_path, backend) as app:
        with app.app_context():
            today = local_today()
            make = Factories(db)
            campaign = make.campaign(slug="now", starts_on=today - timedelta(days=3),
                                     ends_on=today + timedelta(days=10), planning_starts_on=None)
            event = make.event(campaign, starts_at=beijing(today - timedelta(days=2)))
            paper = make.outlet(name="安徽日报")
            for n in range(6):
                article = make.article(paper, title=f"头版报道{n}", page_number=1,
                                       published_at=beijing(today))
                db.session.add(Match(event_id=event.id, article_id=article.id,
                                     status="accepted", explanation={}, day=article.day))
            db.session.add(Robot(campaign_id=campaign.id, kind="dingtalk", url=url))
            db.session.commit()
        webhook.held.clear()
        env = {"DIGEST_AT": "00:00"}
        procs = [*(scheduler_process(app, "--once", **env) for _ in range(2)),
                 subprocess.Popen([sys.executable, "-m", "campaign.cli", "digest", "--campaign",
                                   "now", "--send"], cwd=ROOT, env=scheduler_env(app, **env),
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT)]
        try:
            wait_for(lambda: webhook.hooks, timeout=120)  # a sender got its first slot
            earlier = utcnow() - timedelta(seconds=40)
            with app.app_context():
                db.session.add_all(RobotSend(robot=hashlib.sha256(url.encode()).hexdigest(),
                                             sent_at=earlier) for _ in range(16))
                db.session.commit()
        finally:
            webhook.held.set()
        outputs = [proc.communicate(timeout=180)[0].decode() for proc in procs]
        assert [proc.returncode for proc in procs] == [0, 0, 0], outputs
        times = sorted(hook.arrived for hook in webhook.hooks)
        assert len(times) == 7, outputs
        frees_at = earlier.timestamp() + 60
        assert sum(t < frees_at for t in times) == 4, (times, frees_at)
        with app.app_context():
            assert db.session.scalars(sa.select(Delivery.state)).all() == ["sent"] * 7


def wait_for(ready: Callable[[], object], *, timeout: float) -> None:
    """Poll `ready` until it is true (fail after `timeout` seconds)."""
    deadline = time.monotonic() + timeout
    while not ready():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


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

