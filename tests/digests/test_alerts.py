"""Alerts by mail (local SMTP server): each arrives once, with what it is about; and hostile
titles neither break the markdown or the HTML nor add a mail header."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from campaign.coverage.models import Match
from campaign.digests.compose import build_digest
from campaign.digests.render import render_digest
from campaign.digests.sending import run_pass
from campaign.sources.models import Source
from tests.digests.conftest import at
from tests.digests.test_sending import subscribe

HOSTILE = ("**粗体** [点我](http://evil.test) <script>alert(1)</script>\r\n"
           "Bcc: victim@evil.test\n### 标题")


@pytest.fixture
def mail_app(app: Any, smtp: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    for name, value in smtp.config(APP_BASE_URL="http://tracker.union.test").items():
        monkeypatch.setitem(app.config, name, value)
    monkeypatch.setitem(app.config, "ALERT_QUEUE_MAX", 1)
    monkeypatch.setitem(app.config, "ALERT_SILENT_HOURS", 24)
    return app


def subjects(smtp: Any) -> list[str]:
    return sorted(str(m["Subject"]) for m in smtp.inbox.messages)


def test_each_alert_arrives_once(mail_app: Any, world: Any, make: Any, db: Any,
                                 smtp: Any) -> None:
    """On 30 April an alerts subscriber gets, once each: the missed 28 April slot, the
    page-one piece accepted, the invited outlet's silent source, the review queue over its
    line; a second pass that day sends nothing; the next day only the daily ones come back
    (source and queue), not the slot or the piece."""
    subscribe(make, db, world.campaign, digest=False, alerts=True)
    for _ in range(2):
        article = make.article(world.monitored, published_at=at(date(2006, 4, 29)))
        db.session.add(Match(event_id=world.event.id, article_id=article.id,
                             status="suggested", explanation={}, day=article.day))
    page_one = make.article(make.outlet(name="安徽日报"), title="头版报道", page_number=1,
                            published_at=at(date(2006, 4, 29)))
    db.session.add(Match(event_id=world.event.id, article_id=page_one.id, status="accepted",
                         explanation={}, day=page_one.day))
    db.session.commit()
    run_pass(worker="a", now=at(date(2006, 4, 30), 9))
    run_pass(worker="b", now=at(date(2006, 4, 30), 10))
    assert subjects(smtp) == sorted([
        "一版报道：安徽日报", "待审核报道已有 2 条", "未按计划见报：合肥日报 2006-04-28",
        "长时间没有新文章：省工人报"])
    body = next(m for m in smtp.inbox.messages if "一版" in m["Subject"])
    text = body.get_body(("plain",)).get_content()
    assert "《头版报道》" in text and "http://tracker.union.test/digests/unsubscribe/" in text
    smtp.inbox.envelopes.clear()
    run_pass(worker="a", now=at(date(2006, 5, 1), 9))
    assert subjects(smtp) == ["待审核报道已有 2 条", "长时间没有新文章：省工人报"]


def test_no_alerts_outside_the_campaign(mail_app: Any, world: Any, make: Any, db: Any,
                                        smtp: Any) -> None:
    """Months after the campaign nothing is alerted."""
    subscribe(make, db, world.campaign, digest=False, alerts=True)
    run_pass(worker="a", now=at(date(2006, 9, 1), 9))
    assert smtp.inbox.envelopes == []


def test_hostile_title_breaks_nothing(mail_app: Any, world: Any, make: Any, db: Any,
                                      smtp: Any) -> None:
    """A scraped title (and a campaign name) carrying markdown, HTML and a line break with a
    header stays one escaped line of text: no Bcc header, no tag, no link, no heading."""
    world.campaign.name = "劳动\r\nBcc: boss@evil.test"
    world.page_one.title = HOSTILE
    db.session.commit()
    subscribe(make, db, world.campaign)
    run_pass(worker="a", now=at(date(2006, 4, 27), 9))
    [mail] = [m for m in smtp.inbox.messages if "日报" in m["Subject"]]
    [envelope] = [e for e in smtp.inbox.envelopes if "leader@union.test" in e.rcpt_tos]
    assert mail["Bcc"] is None and envelope.rcpt_tos == ["leader@union.test"]
    assert "\n" not in mail["Subject"]
    html = mail.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="http://evil.test"' not in html
    markdown = render_digest(build_digest(world.campaign, date(2006, 4, 27))).markdown
    line = next(x for x in markdown.splitlines() if "粗体" in x)
    assert r"\*\*粗体\*\* \[点我\]\(http://evil\.test\)" in line
    assert "<script>" not in markdown and "Bcc" in line  # on the piece's line, not its own
    assert not any(x.startswith("### 标题") for x in markdown.splitlines())


def test_failing_source_of_an_invited_outlet_alerts_once_a_day(
        mail_app: Any, world: Any, make: Any, db: Any, smtp: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An invited (must-watch) outlet's source that keeps failing raises one alert a day,
    naming the outlet and saying what went wrong; an outlet nobody invited raises none."""
    monkeypatch.setitem(mail_app.config, "ALERT_QUEUE_MAX", 50)
    subscribe(make, db, world.campaign, digest=False, alerts=True)
    source = db.session.scalar(select(Source).where(Source.outlet_id == world.monitored.id))
    source.consecutive_failures, source.last_error_kind = 3, "timeout"
    elsewhere = make.source(make.outlet(name="外省日报"))
    elsewhere.consecutive_failures, elsewhere.last_error_kind = 3, "timeout"
    db.session.commit()
    for hour in (9, 10):
        run_pass(worker="a", now=at(date(2006, 4, 26), hour))
    failing = [m for m in smtp.inbox.messages if "抓取失败" in m["Subject"]]
    assert [str(m["Subject"]) for m in failing] == ["抓取失败：省工人报"]
    assert "网站响应超时" in failing[0].get_body(("plain",)).get_content()
    run_pass(worker="a", now=at(date(2006, 4, 27), 9))
    assert sum("抓取失败" in m["Subject"] for m in smtp.inbox.messages) == 2
