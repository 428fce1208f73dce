"""Source health (fine, failing, silent), items per day, the fetch-now state and the campaign
alert about invited outlets that produced nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from campaign.ingest.health import BAR_DAYS, silent_invited_outlets, source_health, sources_health
from campaign.sources.operations import request_fetch
from campaign.sources.wording import error_in_words, run_summary
from tests.factories import beijing

NOW = datetime(2006, 5, 10, 12, 0, tzinfo=UTC)
TODAY = date(2006, 5, 10)


def _daily_runs(make, source, *, days, last, step=timedelta(days=1)):
    """Runs that each found one new article, `step` apart, the last at `last`."""
    for i in range(days):
        finished = last - i * step
        make.fetch_run(source, started_at=finished - timedelta(minutes=1), finished_at=finished,
                       new_count=1)


def test_fine_source(make):
    """A source that fetched well and brought something new recently is fine."""
    source = make.source(last_success_at=NOW - timedelta(hours=1),
                         last_new_at=NOW - timedelta(hours=5))
    _daily_runs(make, source, days=5, last=NOW - timedelta(hours=5))
    row = sources_health([source], now=NOW, today=TODAY)[0]
    assert row.state == "fine"
    assert row.error == ""


def test_failing_source_says_why_in_words(make):
    """A source whose last fetches failed is failing, with the error as a sentence and the
    HTTP status."""
    source = make.source(last_success_at=NOW - timedelta(days=1), consecutive_failures=3,
                         last_error_kind="http_error",
                         last_error_message="server answered HTTP 503")
    row = sources_health([source], now=NOW, today=TODAY)[0]
    assert row.state == "failing"
    assert "HTTP 503" in row.error
    assert "网站返回错误" in row.error


@pytest.mark.parametrize("kind", ["timeout", "http_error", "too_large", "robots_disallowed",
                                  "bad_content_type", "connection_error", "redirect_loop",
                                  "blocked", "decode_error", "invalid_url", "parse_error",
                                  "no_links", "js_challenge"])
def test_every_outcome_kind_has_its_own_sentence(app, kind):
    """Each fetch outcome kind maps to a Chinese sentence, not to the generic fallback."""
    with app.test_request_context():
        words = error_in_words(kind, "server answered HTTP 404")
        assert not words.startswith("抓取失败")
        assert kind not in words


def test_unreadable_robots_txt_is_told_apart_from_a_disallow(app):
    """A robots.txt that answered 5xx reads as "cannot be read for now, nothing fetched until
    it answers", with the status, not as the site forbidding us."""
    with app.test_request_context():
        words = error_in_words(
            "robots_disallowed", "robots.txt could not be read (HTTP 503): nothing is fetched "
            "from the site until it answers")
        assert "暂时无法读取" in words and "HTTP 503" in words
        assert words != error_in_words("robots_disallowed", "robots.txt disallows this URL")


def test_daily_source_quiet_for_four_days_is_silent(make):
    """A source that brought news every day is silent after more than three days without."""
    last = NOW - timedelta(days=4)
    source = make.source(last_success_at=NOW - timedelta(hours=1), last_new_at=last)
    _daily_runs(make, source, days=10, last=last)
    row = sources_health([source], now=NOW, today=TODAY)[0]
    assert row.state == "silent"
    assert row.threshold == timedelta(days=3)
    assert row.silent_for.days == 4


def test_weekly_source_quiet_for_four_days_is_fine(make):
    """A source that brings news once a week is not silent after four quiet days (3 × 7)."""
    last = NOW - timedelta(days=4)
    source = make.source(last_success_at=NOW - timedelta(hours=1), last_new_at=last)
    _daily_runs(make, source, days=5, last=last, step=timedelta(days=7))
    row = sources_health([source], now=NOW, today=TODAY)[0]
    assert row.state == "fine"
    assert row.threshold == timedelta(days=21)


def test_frequent_source_gets_at_least_two_days(make):
    """A feed with news every half hour is only silent after two days, not after 90 minutes."""
    source = make.source(last_success_at=NOW, last_new_at=NOW - timedelta(hours=30))
    _daily_runs(make, source, days=10, last=NOW - timedelta(hours=30),
                step=timedelta(minutes=30))
    row = sources_health([source], now=NOW, today=TODAY)[0]
    assert (row.state, row.threshold) == ("fine", timedelta(days=2))
    later = sources_health([source], now=NOW + timedelta(hours=20), today=TODAY)[0]
    assert later.state == "silent"


def test_never_fetched_and_disabled_sources(make):
    """A source never fetched is pending; a disabled one is shown as disabled, not failing."""
    pending = make.source()
    disabled = make.source(enabled=False, consecutive_failures=4, last_error_kind="timeout")
    rows = sources_health([pending, disabled], now=NOW, today=TODAY)
    assert [r.state for r in rows] == ["pending", "disabled"]


def test_items_per_day_counted_for_two_weeks(make):
    """The bars count the source's articles per day over the last two weeks, tallest = most."""
    source = make.source(last_success_at=NOW)
    for day, n in ((date(2006, 5, 10), 3), (date(2006, 5, 8), 1), (date(2006, 4, 20), 5)):
        for _ in range(n):
            make.article(source.outlet, source_id=source.id, published_at=beijing(day))
    make.article(source.outlet, published_at=beijing(date(2006, 5, 9)))  # another source's
    row = sources_health([source], now=NOW, today=TODAY)[0]
    assert len(row.bars) == BAR_DAYS
    assert row.bars[-1].day == TODAY
    counts = {bar.day: bar.count for bar in row.bars if bar.count}
    assert counts == {date(2006, 5, 10): 3, date(2006, 5, 8): 1}
    assert row.bars[-1].level == 8
    assert row.total_items == 4


def test_health_runs_a_fixed_number_of_queries(make, db, queries):
    """The page's health costs the same few queries for two sources as for ten."""
    sources = [make.source(last_success_at=NOW) for _ in range(10)]
    for source in sources:
        make.fetch_run(source, started_at=NOW, finished_at=NOW, new_count=1)
    sources_health(sources, now=NOW, today=TODAY)  # the session begins its transaction
    with queries.counting() as two:
        sources_health(sources[:2], now=NOW, today=TODAY)
    with queries.counting() as ten:
        sources_health(sources, now=NOW, today=TODAY)
    assert two and len(ten) == len(two), (two, ten)


def test_fetch_now_waits_for_a_newer_run(make, db):
    """After "fetch now" the source waits until a run started after the request has finished;
    then that run's outcome and counts are shown."""
    source = make.source(last_success_at=NOW)
    make.fetch_run(source, started_at=NOW - timedelta(hours=2),
                   finished_at=NOW - timedelta(hours=2))
    request_fetch(source)
    db.session.commit()
    assert source_health(source).waiting
    running = make.fetch_run(source, started_at=source.fetch_requested_at + timedelta(seconds=1),
                             outcome="running")
    assert source_health(source).waiting
    running.outcome, running.finished_at, running.new_count = (
        "ok", running.started_at + timedelta(seconds=5), 4)
    db.session.commit()
    row = source_health(source)
    assert not row.waiting
    assert row.latest_run.id == running.id
    assert "新增 4" in run_summary(row.latest_run)


def test_failed_run_summary_in_words(make):
    """A failed run's summary reads as a sentence with the HTTP status."""
    source = make.source()
    run = make.fetch_run(source, started_at=NOW, finished_at=NOW, outcome="failed",
                         error="http_error: server answered HTTP 404")
    text = run_summary(run)
    assert "失败" in text and "HTTP 404" in text


# --- the campaign alert ------------------------------------------------------------------

def _articles(make, outlet, days):
    for day in days:
        make.article(outlet, published_at=beijing(day, time(8)))


def test_invited_outlet_silent_for_two_days_is_named_with_its_days(make):
    """An invited outlet with no article on two or more passed days in a row is named with
    those days; a single empty day or an uninvited outlet is not."""
    campaign = make.campaign(starts_on=date(2006, 4, 25), ends_on=date(2006, 5, 25))
    steady, quiet, uninvited = make.outlet(name="安徽日报"), make.outlet(name="新安晚报"), \
        make.outlet(name="市场星报")
    make.source(steady)
    make.event(campaign, invited_outlets=[steady, quiet])
    _articles(make, steady, [date(2006, 4, 25), date(2006, 4, 26), date(2006, 4, 28),
                             date(2006, 4, 29)])
    _articles(make, quiet, [date(2006, 4, 25), date(2006, 4, 29)])
    alerts = silent_invited_outlets(campaign, today=date(2006, 4, 30))
    assert [(a.outlet.name, a.runs, a.has_source) for a in alerts] == [
        ("新安晚报", [(date(2006, 4, 26), date(2006, 4, 28))], False)]
    assert uninvited.name not in [a.outlet.name for a in alerts]


def test_only_passed_days_count(make):
    """Today and later days never count as silent: on the campaign's second day nobody is."""
    campaign = make.campaign(starts_on=date(2006, 4, 25), ends_on=date(2006, 5, 25))
    outlet = make.outlet()
    make.event(campaign, invited_outlets=[outlet])
    assert silent_invited_outlets(campaign, today=date(2006, 4, 26)) == []
    [alert] = silent_invited_outlets(campaign, today=date(2006, 4, 27))
    assert alert.runs == [(date(2006, 4, 25), date(2006, 4, 26))]


def test_campaign_page_shows_the_alert(client, login, make):
    """The campaign page names the silent invited outlet and its days."""
    login("leader")
    campaign = make.campaign(slug="pm-alert", starts_on=date(2006, 4, 25),
                             ends_on=date(2006, 5, 25))
    outlet = make.outlet(name="皖北晨刊")
    make.event(campaign, invited_outlets=[outlet])
    _articles(make, outlet, [date(2006, 4, 25) + timedelta(days=i) for i in range(20)])
    html = client.get("/campaigns/pm-alert").get_data(as_text=True)
    assert "皖北晨刊" in html
    assert "5月15日–5月25日" in html
    assert "未配置抓取来源" in html
