"""Group robots through a local webhook receiver: each kind's documented format, DingTalk's
and Feishu's signatures, WeCom's size limit, keywords, refusals, DingTalk's rate limit."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from campaign.digests.channels import (
    WECOM_MAX_BYTES,
    RobotTarget,
    SendError,
    post_robot,
    split_bytes,
)
from campaign.digests.models import Delivery, Robot, RobotSend
from campaign.digests.ratelimit import ROBOT_LIMIT, DatabaseRateLimit
from campaign.digests.sending import run_pass
from tests.digests.conftest import at


def add_robot(db: Any, campaign: Any, url: str, **kw: Any) -> Robot:
    robot = Robot(campaign_id=campaign.id, url=url, **{"kind": "wecom", **kw})
    db.session.add(robot)
    db.session.commit()
    return robot


def test_wecom_robot_gets_the_digest_once_as_markdown(app: Any, world: Any, db: Any,
                                                      webhook: Any) -> None:
    """A campaign's WeCom robot gets one markdown message per digest day, however many
    passes run."""
    add_robot(db, world.campaign, webhook.url + "/wecom")
    run_pass(worker="a", now=at(date(2006, 4, 27), 8))
    run_pass(worker="b", now=at(date(2006, 4, 27), 9))
    [hook] = [h for h in webhook.hooks if "劳动宣传月 日报" in str(h.body)]
    assert hook.body["msgtype"] == "markdown"
    assert "职工技能大赛开幕" in hook.body["markdown"]["content"]
    assert db.session.scalar(select(Delivery.state).where(Delivery.kind == "daily")) == "sent"


def test_dingtalk_message_is_signed(db: Any, webhook: Any) -> None:
    """DingTalk: markdown with a title, and timestamp and sign in the URL — the HMAC-SHA256
    of "timestamp\\nsecret" under the secret, base64."""
    target = RobotTarget("dingtalk", webhook.url + "/robot/send?access_token=t", "SECabc")
    post_robot(target, "标题", "### 标题\n正文", "标题 正文", limit=ROBOT_LIMIT)
    [hook] = webhook.hooks
    assert hook.body == {"msgtype": "markdown",
                         "markdown": {"title": "标题", "text": "### 标题\n正文"}}
    timestamp = hook.query["timestamp"][0]
    expected = base64.b64encode(hmac.new(b"SECabc", f"{timestamp}\nSECabc".encode(),
                                         hashlib.sha256).digest()).decode()
    assert hook.query["sign"] == [expected] and hook.query["access_token"] == ["t"]


def test_feishu_text_is_signed_when_a_secret_is_set(webhook: Any) -> None:
    """Feishu: a text message; with a secret, the body carries timestamp and sign (HMAC
    keyed with "timestamp\\nsecret" over nothing); without one, neither."""
    for secret in ("s3", ""):
        post_robot(RobotTarget("feishu", webhook.url + "/f", secret), "标题", "md", "纯文本",
                   limit=ROBOT_LIMIT)
    signed, plain = (h.body for h in webhook.hooks)
    assert signed["msg_type"] == "text" and signed["content"] == {"text": "纯文本"}
    key = f"{signed['timestamp']}\ns3".encode()
    assert signed["sign"] == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    assert "sign" not in plain and "timestamp" not in plain


def test_keyword_robot_gets_the_keyword(webhook: Any) -> None:
    """A keyword-checked robot gets its keyword in a message that lacked it."""
    post_robot(RobotTarget("wecom", webhook.url, keyword="简报"), "t", "今日报道", "",
               limit=ROBOT_LIMIT)
    assert webhook.hooks[0].body["markdown"]["content"].startswith("【简报】")


def test_long_wecom_message_is_split_under_4096_bytes(webhook: Any) -> None:
    """A markdown message over WeCom's 4,096 bytes goes as several, each under the limit,
    together holding every line."""
    lines = [f"- 第{n}条 报道标题报道标题报道标题" for n in range(300)]
    post_robot(RobotTarget("wecom", webhook.url), "t", "\n".join(lines), "",
               limit=ROBOT_LIMIT)
    parts = [h.body["markdown"]["content"] for h in webhook.hooks]
    assert len(parts) > 1
    assert all(len(p.encode()) <= WECOM_MAX_BYTES for p in parts)
    assert "".join(parts).splitlines() == lines


def test_split_cuts_an_overlong_line_between_characters() -> None:
    """One line longer than the limit is cut, never inside a character."""
    pieces = split_bytes("字" * 100, 31)
    assert all(len(p.encode()) <= 31 for p in pieces) and "".join(pieces) == "字" * 100


def test_refusing_robot_is_an_error(db: Any, webhook: Any) -> None:
    """A robot answering errcode ≠ 0 (e.g. a missing keyword) or HTTP 500 is a SendError."""
    webhook.answer = {"errcode": 310000, "errmsg": "keywords not in content"}
    with pytest.raises(SendError, match="310000"):
        post_robot(RobotTarget("dingtalk", webhook.url), "t", "x", "x", limit=ROBOT_LIMIT)
    webhook.answer, webhook.status = {}, 500
    with pytest.raises(SendError, match="500"):
        post_robot(RobotTarget("wecom", webhook.url), "t", "x", "x", limit=ROBOT_LIMIT)


def test_dingtalk_rate_limit_is_shared_through_the_database(db: Any) -> None:
    """Two limiters — two processes — on one database share a robot's 20 a minute: after 12
    and 8 sends the 21st, from either, waits until the first send is a minute old; another
    robot does not wait."""
    clock = [1_000_000.0]
    waited: list[float] = []

    def sleep(seconds: float) -> None:
        waited.append(seconds)
        clock[0] += seconds

    first, second = (DatabaseRateLimit(20, 60.0, clock=lambda: clock[0], sleep=sleep)
                     for _ in range(2))
    for n in range(20):
        clock[0] = 1_000_000.0 + n * 0.5
        (first if n < 12 else second).wait("https://oapi.dingtalk.test/robot/send?t=a")
    first.wait("https://oapi.dingtalk.test/robot/send?t=b")
    assert waited == []
    second.wait("https://oapi.dingtalk.test/robot/send?t=a")
    assert waited == [50.5] and clock[0] == 1_000_060.0  # 1_000_009.5 + 50.5
    assert db.session.scalar(select(func.count()).select_from(RobotSend)) == 20 + 1


def test_dingtalk_posts_wait_for_the_limit(db: Any, webhook: Any) -> None:
    """A DingTalk post asks the limiter for each message before it goes (a full minute makes
    it wait, not drop the message); WeCom and Feishu are not limited."""
    asked: list[str] = []

    class Recording:
        def wait(self, key: str) -> None:
            asked.append(key)

    post_robot(RobotTarget("dingtalk", webhook.url + "/d"), "t", "x", "x", limit=Recording())
    post_robot(RobotTarget("wecom", webhook.url + "/w"), "t", "x", "x", limit=Recording())
    assert asked == [webhook.url + "/d"] and len(webhook.hooks) == 2
