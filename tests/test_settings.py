"""Every setting in the README's Configuration table is read by config.py and changes what the
app does: each variable below is set in the environment, read by `load_settings` (or
`create_app`), and its effect observed."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from importlib import import_module
from pathlib import Path

import pytest
from flask import Flask
from itsdangerous import BadSignature
from sqlalchemy import select, text

from campaign import create_app
from campaign.auth.models import User
from campaign.commands import demo_command
from campaign.coverage.matching import auto_accept_score, match_articles, suggest_min_score
from campaign.coverage.scoring import MODEL_FILE
from campaign.extensions import db as _db
from campaign.ingest.scheduler import SourceHosts, fetch_settings, make_poller, run_scheduler
from campaign.planning.models import Outlet
from campaign.sources.models import Source
from config import ConfigError, load_settings
from scrapers.fetch import Fetcher, Outcome
from tests.coverage.test_matching import matches, setup_rally
from tests.factories import beijing
from tests.scrapers.scraper_server import LocalServer, Reply, Seen
from tests.security.test_auth_hardening import attempt, make_app

ROOT = Path(__file__).resolve().parent.parent
PAGE = "<html><body><p>省总工会召开新闻通气会。</p></body></html>".encode()



def readme_settings() -> list[str]:
    """The `NAME`s in the first column of the README's Configuration table."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", section, flags=re.MULTILINE)


# A value other than the default for each README setting: load_settings must give something
# else with it than without it.
SAMPLES: dict[str, str] = {
    "DATABASE_URL": "postgresql://tracker@db.example/campaign",
    "SECRET_KEY": "another-secret",
    "CAMPAIGN_ENV": "production",
    "TIMEZONE": "Asia/Urumqi",
    "CAMPAIGN_INSTANCE": "elsewhere",  # under the test's tmp_path
    "SOURCE_ALLOW_HOSTS": "10.0.0.5",
    "DEMO_SITE_URL": "http://127.0.0.1:6060",
    "FETCH_WORKERS": "3",
    "FETCH_MIN_DELAY": "0.5",
    "FETCH_MAX_PER_HOST": "4",
    "FETCH_TIMEOUT": "12",
    "FETCH_TOTAL_TIMEOUT": "40",
    "FETCH_RETRIES": "0",
    "FETCH_LEASE_SECONDS": "600",
    "SCHEDULER_TICK_SECONDS": "2",
    "COVERAGE_AUTO_ACCEPT": "0.8",
    "COVERAGE_SUGGEST_MIN": "0.4",
    "COVERAGE_MODEL_FILE": "model.json",  # a copy of the shipped model under tmp_path
    "LOGIN_RATE_LIMIT": "3 per minute",
    "RATELIMIT_STORAGE_URI": "memory://?kept=1",
    "LOG_LEVEL": "DEBUG",
    "HTTPS": "on",
    "SESSION_IDLE_HOURS": "2",
    "LOGIN_LOG_DAYS": "7",
    "MAIL_SERVER": "mail.union.test",
    "MAIL_PORT": "2525",
    "MAIL_USE_TLS": "true",
    "MAIL_USE_SSL": "true",
    "MAIL_USERNAME": "tracker",
    "MAIL_PASSWORD": "right-password",
    "MAIL_DEFAULT_SENDER": "office@union.test",
    "MAIL_CA_FILE": "office-ca.pem",  # a file made under the test's tmp_path
    "DIGEST_AT": "07:30",
    "ALERT_SILENT_HOURS": "6",
    "ALERT_QUEUE_MAX": "5",
    "APP_BASE_URL": "https://tracker.union.test",
    "MEDIA_FOLDER": "/srv/shared-media",
    "MEDIA_MAX_FILE_MB": "5",
    "MEDIA_MAX_TOTAL_MB": "100",
    "MEDIA_KEEP_PDFS": "true",
    "MEDIA_SCREENSHOTS": "true",
    "MEDIA_BROWSER": "/opt/chromium/chrome",
    "EXPORT_FILES_DAYS": "2",
    "EXPORT_JOBS_PER_USER": "5",
    "EXTRACT_PROCESSES": "3",
}

# The test (in this file unless named "module::test") that shows what each setting does.
BEHAVIOUR: dict[str, str] = {
    "DATABASE_URL": "test_database_url_is_the_database_the_app_uses",
    "SECRET_KEY": "test_secret_key_signs_the_session",
    "CAMPAIGN_ENV": "test_production_marks_cookies_secure",
    "TIMEZONE": "test_timezone_is_the_zone_times_are_shown_in",
    "CAMPAIGN_INSTANCE": "tests.test_config::test_secret_key_generated_once_and_kept",
    "SOURCE_ALLOW_HOSTS": "test_source_allow_hosts_opens_a_local_host_to_the_fetcher",
    "DEMO_SITE_URL": "test_demo_site_url_is_where_the_demo_sources_point",
    "FETCH_WORKERS": "test_fetch_workers_is_the_number_of_fetch_threads",
    "FETCH_MIN_DELAY": "test_fetch_min_delay_spaces_requests_to_one_host",
    "FETCH_MAX_PER_HOST": "test_fetch_max_per_host_bounds_requests_in_flight",
    "FETCH_TIMEOUT": "test_fetch_timeout_ends_a_silent_server",
    "FETCH_TOTAL_TIMEOUT": "test_fetch_total_timeout_ends_a_dripping_server",
    "FETCH_RETRIES": "test_fetch_retries_is_the_number_of_extra_attempts",
    "FETCH_LEASE_SECONDS": "test_fetch_lease_seconds_is_how_long_a_claim_lasts",
    "SCHEDULER_TICK_SECONDS": "test_scheduler_tick_seconds_spaces_the_ticks",
    "COVERAGE_AUTO_ACCEPT": "test_coverage_auto_accept_raises_the_bar_for_acceptance",
    "COVERAGE_SUGGEST_MIN": "test_coverage_suggest_min_drops_weak_matches",
    "COVERAGE_MODEL_FILE": "test_coverage_model_file_is_the_model_that_scores",
    "LOGIN_RATE_LIMIT": "test_login_rate_limit_is_the_number_of_failures_allowed",
    "RATELIMIT_STORAGE_URI": "test_ratelimit_storage_uri_is_where_failures_are_counted",
    "LOG_LEVEL": "test_log_level_and_timestamps_in_a_command",
    "HTTPS": "test_https_decides_whether_cookies_are_secure",
    "SESSION_IDLE_HOURS": "test_session_idle_hours_ends_an_unused_login",
    "LOGIN_LOG_DAYS": "test_login_log_days_is_how_long_login_lines_are_kept",
    "MAIL_SERVER": "tests.digests.test_settings::test_mail_server_is_where_mail_goes",
    "MAIL_PORT": "tests.digests.test_settings::test_mail_server_is_where_mail_goes",
    "MAIL_USE_TLS": "tests.digests.test_settings::test_mail_use_tls_asks_for_starttls",
    "MAIL_USE_SSL": "tests.digests.test_settings::"
                    "test_mail_use_ssl_speaks_tls_from_the_start",
    "MAIL_USERNAME": "tests.digests.test_settings::test_mail_username_and_password_log_in",
    "MAIL_PASSWORD": "tests.digests.test_settings::test_mail_username_and_password_log_in",
    "MAIL_DEFAULT_SENDER": "tests.digests.test_settings::"
                           "test_mail_default_sender_is_the_from_address",
    "MAIL_CA_FILE": "tests.digests.test_settings::test_mail_ca_file_is_the_ca_trusted_for_tls",
    "DIGEST_AT": "tests.digests.test_settings::test_digest_at_is_when_the_digest_goes_out",
    "ALERT_SILENT_HOURS": "tests.digests.test_settings::"
                          "test_alert_silent_hours_is_when_a_quiet_source_alerts",
    "ALERT_QUEUE_MAX": "tests.digests.test_settings::test_alert_queue_max_is_the_queue_alert_line",
    "APP_BASE_URL": "tests.digests.test_settings::test_app_base_url_is_where_mail_links_point",
    "MEDIA_FOLDER": "tests.sources.test_media::test_media_folder_is_where_files_are_kept",
    "MEDIA_MAX_FILE_MB":
        "tests.sources.test_media::test_a_huge_page_image_is_refused_by_the_file_cap",
    "MEDIA_MAX_TOTAL_MB": "tests.sources.test_media::test_the_install_cap_stops_new_files",
    "MEDIA_KEEP_PDFS":
        "tests.sources.test_media::test_media_keep_pdfs_makes_the_scheduler_keep_page_pdfs",
    "MEDIA_SCREENSHOTS": "tests.sources.test_media_screenshots::"
                         "test_media_screenshots_takes_a_browser_screenshot_beside_the_archived_copy",
    "MEDIA_BROWSER": "tests.sources.test_media_screenshots::"
                     "test_media_browser_names_the_browser_screenshots_are_taken_with",
    "EXPORT_FILES_DAYS":
        "tests.exports.test_jobs::test_export_files_days_is_how_long_files_are_kept",
    "EXPORT_JOBS_PER_USER":
        "tests.exports.test_job_limits::test_export_jobs_per_user_sets_the_limit",
    "EXTRACT_PROCESSES": "test_extract_processes_reads_pages_in_that_many_processes",
}


@pytest.fixture
def environ(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No README setting in the environment but an instance folder in tmp_path and a secret
    key (so nothing is written into the project); returns monkeypatch to set more."""
    for name in readme_settings():
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CAMPAIGN_INSTANCE", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "settings-test")
    return monkeypatch


@pytest.fixture
def env_app(environ: pytest.MonkeyPatch) -> Iterator[Callable[..., Flask]]:
    """`env_app(NAME=value, ...)`: an app made by `create_app()` from the environment with
    those variables set; its connections are closed afterwards."""
    made: list[Flask] = []

    def _make(**env: str) -> Flask:
        for name, value in env.items():
            environ.setenv(name, value)
        made.append(create_app())
        return made[-1]

    yield _make
    for app in made:
        with app.app_context():
            _db.engine.dispose()


def settle(app: Flask, monkeypatch: pytest.MonkeyPatch, **env: str) -> None:
    """Set `env`, read the settings as a process would, and put those values into the shared
    test app (whose database the test's factories use)."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = load_settings()
    for name in env:
        monkeypatch.setitem(app.config, name, settings[name])


@pytest.fixture
def fetch_with(env_app: Callable[..., Flask]) -> Iterator[Callable[..., Fetcher]]:
    """`fetch_with(NAME=value, ...)`: the fetcher that make_poller (the scheduler's and
    `fetch`'s) builds for an app made from that environment, fetching the local test server."""
    fetchers: list[Fetcher] = []

    def _make(**env: str) -> Fetcher:
        env = {"SOURCE_ALLOW_HOSTS": "127.0.0.1:*", "FETCH_MIN_DELAY": "0", **env}
        config = env_app(**env).config
        hosts = SourceHosts(config["SOURCE_ALLOW_HOSTS"])
        fetchers.append(Fetcher(fetch_settings(config, hosts), transport=hosts.transport()))
        return fetchers[-1]

    yield _make
    for fetcher in fetchers:
        fetcher.close()


def test_readme_lists_the_settings() -> None:
    """The README's table is found and parsed (a broken table would make the checks vacuous)."""
    names = readme_settings()
    assert {"DATABASE_URL", "FETCH_RETRIES", "FETCH_TOTAL_TIMEOUT", "LOG_LEVEL"} <= set(names)
    assert len(names) == len(set(names))


@pytest.mark.parametrize("name", readme_settings())
def test_config_reads_each_readme_setting(name: str, environ: pytest.MonkeyPatch,
                                          tmp_path: Path) -> None:
    """Setting a README variable in the environment changes what load_settings returns."""
    assert name in SAMPLES, f"README setting {name} has no sample value in tests/test_settings"
    before = load_settings()
    value = SAMPLES[name]
    if name == "CAMPAIGN_INSTANCE":
        value = str(tmp_path / value)
    elif name == "MAIL_CA_FILE":
        (tmp_path / value).write_text("")  # read when mail is sent, not when settings are
        value = str(tmp_path / value)
    elif name == "COVERAGE_MODEL_FILE":
        shutil.copy(MODEL_FILE, tmp_path / value)
        value = str(tmp_path / value)
    environ.setenv(name, value)
    assert load_settings() != before


@pytest.mark.parametrize("name", readme_settings())
def test_each_readme_setting_has_a_behaviour_test(name: str) -> None:
    """Each README variable maps to a test of its effect, and that test exists."""
    assert name in BEHAVIOUR, f"README setting {name} has no behaviour test"
    module, _, test = BEHAVIOUR[name].rpartition("::")
    assert callable(getattr(import_module(module or __name__), test, None)), BEHAVIOUR[name]


@pytest.mark.parametrize(("name", "value"), [
    ("FETCH_RETRIES", "-1"), ("FETCH_RETRIES", "two"), ("FETCH_TOTAL_TIMEOUT", "0"),
    ("FETCH_WORKERS", "0"), ("FETCH_TIMEOUT", "nan"), ("COVERAGE_AUTO_ACCEPT", "1.5"),
    ("COVERAGE_SUGGEST_MIN", "-0.1"), ("LOG_LEVEL", "loud"), ("DEMO_SITE_URL", "127.0.0.1:5050"),
    ("DEMO_SITE_URL", "http://127.0.0.1:port"), ("TIMEZONE", "Asia/Nowhere"),
    ("LOGIN_RATE_LIMIT", "often"), ("RATELIMIT_STORAGE_URI", "nosuch://host"),
    ("HTTPS", "maybe"), ("SESSION_IDLE_HOURS", "0"), ("SESSION_IDLE_HOURS", "eight"),
    ("LOGIN_LOG_DAYS", "0"), ("LOGIN_LOG_DAYS", "a month"),
    ("MAIL_PORT", "smtp"), ("MAIL_USE_TLS", "maybe"), ("DIGEST_AT", "8am"),
    ("DIGEST_AT", "24:00"), ("ALERT_QUEUE_MAX", "0"), ("ALERT_SILENT_HOURS", "-1"),
    ("APP_BASE_URL", "tracker.union.test"),
    ("MEDIA_MAX_FILE_MB", "0"), ("MEDIA_MAX_TOTAL_MB", "lots"), ("MEDIA_KEEP_PDFS", "maybe"),
    ("MEDIA_SCREENSHOTS", "maybe"),
    ("EXPORT_FILES_DAYS", "0"), ("EXPORT_FILES_DAYS", "week"),
    ("COVERAGE_MODEL_FILE", "/nonexistent/model.json"),
    ("EXPORT_JOBS_PER_USER", "0"), ("EXPORT_JOBS_PER_USER", "many"),
    ("EXTRACT_PROCESSES", "-1"), ("EXTRACT_PROCESSES", "all"),
])
def test_bad_value_names_the_variable(name: str, value: str,
                                      environ: pytest.MonkeyPatch) -> None:
    """A value that cannot be used stops load_settings with a ConfigError naming the
    variable."""
    environ.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        load_settings()


def test_database_url_is_the_database_the_app_uses(env_app, tmp_path: Path) -> None:
    """DATABASE_URL names the database the app connects to."""
    target = tmp_path / "elsewhere.db"
    app = env_app(DATABASE_URL=f"sqlite:///{target}")
    with app.app_context():
        _db.session.execute(text("CREATE TABLE probe (n INTEGER)"))
        _db.session.commit()
    assert target.exists()
    assert not (tmp_path / "campaign.db").exists()


def test_secret_key_signs_the_session(env_app) -> None:
    """A session cookie signed under one SECRET_KEY is refused by an app with another."""
    first = env_app(SECRET_KEY="first-secret")
    cookie = first.session_interface.get_signing_serializer(first).dumps({"_user_id": "1"})
    same = env_app(SECRET_KEY="first-secret")
    assert same.session_interface.get_signing_serializer(same).loads(cookie) == {"_user_id": "1"}
    other = env_app(SECRET_KEY="second-secret")
    with pytest.raises(BadSignature):
        other.session_interface.get_signing_serializer(other).loads(cookie)


def test_production_marks_cookies_secure(env_app) -> None:
    """With CAMPAIGN_ENV=production the session cookie is Secure; in development it is not."""
    def session_cookie(app: Flask) -> str:
        response = app.test_client().get("/login")
        assert response.status_code == 200
        return next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))

    assert "Secure" not in session_cookie(env_app(CAMPAIGN_ENV="development"))
    assert "Secure" in session_cookie(env_app(CAMPAIGN_ENV="production"))


def test_https_decides_whether_cookies_are_secure(env_app, tmp_path: Path) -> None:
    """HTTPS=on makes the session and remember cookies Secure (and links https://), even in
    development; production assumes it; an HTTP-only production install sets HTTPS=off and
    its cookies lose Secure."""
    def cookies(app: Flask) -> dict[str, str]:
        app.config["WTF_CSRF_ENABLED"] = False  # a form post without a page first
        with app.app_context():
            _db.create_all()
            user = User(username="alice", role="officer", display_name="alice")
            user.set_password("password-123")
            _db.session.add(user)
            _db.session.commit()
        response = app.test_client().post("/login", data={
            "username": "alice", "password": "password-123", "remember": "y"})
        assert response.status_code == 302
        with app.app_context():
            _db.drop_all()
        return {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}

    url = f"sqlite:///{tmp_path / 'https.db'}"
    on = cookies(env_app(HTTPS="on", DATABASE_URL=url))
    assert "Secure" in on["session"] and "Secure" in on["remember_token"]
    assert env_app(HTTPS="on").config["PREFERRED_URL_SCHEME"] == "https"
    assert env_app(CAMPAIGN_ENV="production").config["REMEMBER_COOKIE_SECURE"] is True
    off = cookies(env_app(CAMPAIGN_ENV="production", HTTPS="off", DATABASE_URL=url))
    assert "Secure" not in off["session"] and "Secure" not in off["remember_token"]


def test_session_idle_hours_ends_an_unused_login(app, db, make, monkeypatch, environ) -> None:
    """A login unused for 90 minutes still opens pages by default (8 hours), and is refused
    with SESSION_IDLE_HOURS=1."""
    from campaign.auth.models import LoginSession
    from campaign.core.times import utcnow

    make.user(role="officer", username="idle", password="password-123")
    browser = app.test_client()
    browser.post("/login", data={"username": "idle", "password": "password-123"})

    def unused_for(minutes: int) -> int:
        login = db.session.scalar(select(LoginSession))
        login.last_seen_at = utcnow() - timedelta(minutes=minutes)
        db.session.commit()
        return browser.get("/campaigns").status_code

    assert unused_for(90) == 200
    settle(app, monkeypatch, SESSION_IDLE_HOURS="1")
    assert unused_for(90) == 302


def test_login_log_days_is_how_long_login_lines_are_kept(app, db, make, monkeypatch,
                                                         environ) -> None:
    """A login audit line of 30 days ago survives pruning by default (90 days) and is deleted
    with LOGIN_LOG_DAYS=7; yesterday's line stays."""
    from campaign.auth.logins import prune_logins
    from campaign.auth.models import LoginAttempt
    from campaign.core.times import utcnow

    for days in (30, 1):
        db.session.add(LoginAttempt(username=f"u{days}", address="10.0.0.1", succeeded=True,
                                    at=utcnow() - timedelta(days=days)))
    db.session.flush()

    def kept() -> list[str]:
        prune_logins()
        return sorted(db.session.scalars(select(LoginAttempt.username)))

    assert kept() == ["u1", "u30"]
    settle(app, monkeypatch, LOGIN_LOG_DAYS="7")
    assert kept() == ["u1"]


def test_timezone_is_the_zone_times_are_shown_in(env_app) -> None:
    """TIMEZONE moves the local time of an instant (02:00 UTC is 10:00 in Shanghai, 08:00 in
    Urumqi)."""
    from campaign.core.times import local

    instant = datetime(2006, 4, 25, 2, 0, tzinfo=UTC)
    for zone, hour in (("Asia/Shanghai", 10), ("Asia/Urumqi", 8)):
        with env_app(TIMEZONE=zone).app_context():
            assert local(instant).hour == hour


def test_source_allow_hosts_opens_a_local_host_to_the_fetcher(fetch_with, server) -> None:
    """The fetcher refuses 127.0.0.1 unless SOURCE_ALLOW_HOSTS names it with the port: a bare
    host opens ports 80 and 443 only."""
    server.route("/a.htm", Reply(body=PAGE))
    for refused in ("", "127.0.0.1", f"127.0.0.1:{server.port + 1}"):
        fetcher = fetch_with(SOURCE_ALLOW_HOSTS=refused)
        assert fetcher.fetch(server.url("/a.htm")).outcome is Outcome.BLOCKED, refused
    assert server.requests == []
    allowed = fetch_with(SOURCE_ALLOW_HOSTS=f"127.0.0.1:{server.port}")
    assert allowed.fetch(server.url("/a.htm"), obey_robots=False).outcome is Outcome.OK


def test_demo_site_url_is_where_the_demo_sources_point(app, db, monkeypatch, environ) -> None:
    """`campaign-tracker demo` points the demo sources at DEMO_SITE_URL."""
    settle(app, monkeypatch, DEMO_SITE_URL="http://127.0.0.1:6161")
    result = app.test_cli_runner().invoke(demo_command)
    assert result.exit_code == 0, result.output
    urls = list(db.session.scalars(select(Source.url)))
    assert urls
    assert all(url.startswith("http://127.0.0.1:6161/") for url in urls)


def test_fetch_workers_is_the_number_of_fetch_threads(env_app) -> None:
    """FETCH_WORKERS is the number of fetch threads the scheduler's poller starts."""
    app = env_app(FETCH_WORKERS="3")
    with app.app_context():
        _db.create_all()  # stopping the poller gives back its claims
    before = {t.name for t in threading.enumerate()}
    poller = make_poller(app)
    try:
        started = {t.name for t in threading.enumerate()} - before
        assert started == {"fetch-0", "fetch-1", "fetch-2"}
    finally:
        poller.stop()
        poller.fetcher.close()


def test_extract_processes_reads_pages_in_that_many_processes(env_app, server) -> None:
    """EXTRACT_PROCESSES=2: the pages a pass fetches are read by two worker processes, not by
    this one; with 0 the fetch threads read them and no process is started."""
    from campaign.ingest.extraction import ReadInProcesses, ReadInThread
    from tests.sources import page_tasks
    from tests.sources.test_extraction import html_source, serve_list

    urls = serve_list(server, 4)
    app = env_app(EXTRACT_PROCESSES="2", FETCH_MIN_DELAY="0", SOURCE_ALLOW_HOSTS="127.0.0.1:*")
    with app.app_context():
        _db.create_all()
        _db.session.add(Source(outlet=Outlet(name="测试报"), name="list",
                               **html_source(server.url("/list.html"))))
        _db.session.commit()
    poller = make_poller(app, workers=1, match=False)
    try:
        assert isinstance(poller.pages, ReadInProcesses)
        (report,) = poller.run_pass()
        pids = poller.pages.pool.pids()
        readers = {poller.pages.call(page_tasks.worker_pid) for _ in range(8)}
    finally:
        poller.stop()
        poller.fetcher.close()
    assert (report.outcome, report.new) == ("ok", len(urls))
    assert len(pids) == 2 and os.getpid() not in pids
    assert readers <= set(pids)
    idle = make_poller(env_app(EXTRACT_PROCESSES="0"), workers=1, match=False)
    idle.stop()
    assert isinstance(idle.pages, ReadInThread)


def _arrivals(server: LocalServer, path: str) -> list[float]:
    """Serve PAGE at `path` and note when each request arrives."""
    times: list[float] = []

    def reply(_seen: Seen) -> Reply:
        times.append(time.monotonic())
        return Reply(body=PAGE)

    server.route(path, reply)
    return times


def test_fetch_min_delay_spaces_requests_to_one_host(fetch_with, server) -> None:
    """FETCH_MIN_DELAY is the least gap between two requests to one host."""
    times = _arrivals(server, "/p.htm")
    for delay in ("0", "0.6"):
        fetcher = fetch_with(FETCH_MIN_DELAY=delay)
        for _ in range(2):
            assert fetcher.fetch(server.url("/p.htm"), obey_robots=False).ok
    assert times[1] - times[0] < 0.3
    assert times[3] - times[2] >= 0.55


def test_fetch_max_per_host_bounds_requests_in_flight(fetch_with, server) -> None:
    """With FETCH_MAX_PER_HOST=1 four threads fetching one host never overlap."""
    server.route("/slow.htm", Reply(body=PAGE, delay=0.2))
    fetcher = fetch_with(FETCH_MAX_PER_HOST="1")
    threads = [threading.Thread(target=fetcher.fetch, args=(server.url("/slow.htm"),),
                                kwargs={"obey_robots": False}) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(server.requests) == 4
    assert server.max_in_flight == 1


def test_fetch_timeout_ends_a_silent_server(fetch_with, server) -> None:
    """FETCH_TIMEOUT is how long the fetcher waits for a server that does not answer."""
    server.route("/silent.htm", Reply(body=PAGE, delay=3.0))
    fetcher = fetch_with(FETCH_TIMEOUT="0.4", FETCH_RETRIES="0")
    started = time.monotonic()
    result = fetcher.fetch(server.url("/silent.htm"), obey_robots=False)
    assert result.outcome is Outcome.TIMEOUT
    assert time.monotonic() - started < 2.0


def test_fetch_total_timeout_ends_a_dripping_server(fetch_with, server) -> None:
    """FETCH_TOTAL_TIMEOUT ends a fetch whose server sends a byte now and then (each within
    the read timeout) after that many seconds."""
    def drip() -> Iterator[bytes]:
        for _ in range(100):
            time.sleep(0.1)
            yield b" "

    server.route("/drip.htm", Reply(body=b"<html>", send_length=False, stream=drip))
    fetcher = fetch_with(FETCH_TOTAL_TIMEOUT="0.8", FETCH_TIMEOUT="5", FETCH_RETRIES="0")
    started = time.monotonic()
    result = fetcher.fetch(server.url("/drip.htm"), obey_robots=False)
    elapsed = time.monotonic() - started
    assert result.outcome is Outcome.TIMEOUT
    assert 0.7 <= elapsed < 3.0


def test_fetch_retries_is_the_number_of_extra_attempts(fetch_with, server) -> None:
    """A failing server gets one request with FETCH_RETRIES=0 and three with 2 (after the
    real 1 s and 2 s backoff: a 503 that names no Retry-After is retried in the thread)."""
    server.route("/down.htm", Reply(503, b"busy"))
    for retries, requests in (("0", 1), ("2", 3)):
        server.requests.clear()
        result = fetch_with(FETCH_RETRIES=retries).fetch(server.url("/down.htm"),
                                                         obey_robots=False)
        assert result.outcome is Outcome.HTTP_ERROR
        assert len(server.requests) == requests


def test_fetch_lease_seconds_is_how_long_a_claim_lasts(app, db, make, monkeypatch,
                                                       environ) -> None:
    """A source the poller claims is held for FETCH_LEASE_SECONDS."""
    settle(app, monkeypatch, FETCH_LEASE_SECONDS="600")
    source_id = make.source().id
    poller = make_poller(app, workers=1)
    try:
        assert poller.claim(source_ids=[source_id], force=True) == [source_id]
        until = db.session.scalar(select(Source.claimed_until).where(Source.id == source_id))
    finally:
        poller.stop()
        poller.fetcher.close()
    if until.tzinfo is None:  # SQLite hands back naive UTC
        until = until.replace(tzinfo=UTC)
    assert abs(until - datetime.now(UTC) - timedelta(seconds=600)) < timedelta(seconds=30)


def test_scheduler_tick_seconds_spaces_the_ticks(env_app) -> None:
    """Two scheduler ticks are SCHEDULER_TICK_SECONDS apart (0.5 s here, not the default 10)."""
    app = env_app(SCHEDULER_TICK_SECONDS="0.5", FETCH_WORKERS="1")
    with app.app_context():
        _db.create_all()  # a database of its own: no source of another test gets fetched
    said: list[str] = []
    started = time.monotonic()
    run_scheduler(app, ticks=2, echo=said.append)
    elapsed = time.monotonic() - started
    assert 0.4 <= elapsed < 5.0
    assert "a tick every 0.5 s" in said[0]


def test_coverage_auto_accept_raises_the_bar_for_acceptance(app, make, db, monkeypatch,
                                                            environ) -> None:
    """A page-one report is accepted with COVERAGE_AUTO_ACCEPT just below its score and only
    suggested with it just above."""
    from datetime import date

    _, outlet, event = setup_rally(make)
    article = make.article(outlet, title="全省职工庆祝五一动员大会隆重召开", page_number=1,
                           published_at=beijing(date(2006, 4, 28)), body="省总工会召开大会。")
    settle(app, monkeypatch, COVERAGE_AUTO_ACCEPT="0.5", COVERAGE_SUGGEST_MIN="0.1")
    match_articles([article.id])
    score = matches(db, event)[article.id].score
    assert 0.5 < score < 0.99
    settle(app, monkeypatch, COVERAGE_AUTO_ACCEPT=f"{score - 0.001:.3f}")
    match_articles([article.id])
    db.session.expire_all()
    assert matches(db, event)[article.id].status == "accepted"
    settle(app, monkeypatch, COVERAGE_AUTO_ACCEPT=f"{score + 0.001:.3f}")
    match_articles([article.id])
    db.session.expire_all()
    assert matches(db, event)[article.id].status == "suggested"


def test_coverage_suggest_min_drops_weak_matches(app, make, db, monkeypatch, environ) -> None:
    """A lead mention kept as a suggestion with COVERAGE_SUGGEST_MIN just below its score is
    not kept with the floor just above it."""
    from datetime import date

    _, _, event = setup_rally(make)
    other = make.outlet(name="某晚报")
    article = make.article(other, title="本市新闻", published_at=beijing(date(2006, 4, 30)),
                           body="前几天的五一动员大会上，我市劳模受到表彰。" + "天气晴。" * 60)
    settle(app, monkeypatch, COVERAGE_SUGGEST_MIN="0.001")
    match_articles([article.id])
    score = matches(db, event)[article.id].score
    assert matches(db, event)[article.id].status == "suggested"
    settle(app, monkeypatch, COVERAGE_SUGGEST_MIN=f"{score + 0.001:.3f}")
    match_articles([article.id])
    assert matches(db, event) == {}
    settle(app, monkeypatch, COVERAGE_SUGGEST_MIN=f"{score - 0.001:.3f}")
    match_articles([article.id])
    assert matches(db, event)[article.id].status == "suggested"


def test_coverage_model_file_is_the_model_that_scores(app, make, db, monkeypatch, environ,
                                                     tmp_path: Path) -> None:
    """A report the shipped model keeps gets the probability the model file named by
    COVERAGE_MODEL_FILE gives it (here a model that finds nothing likely: it is not kept), and
    that model's thresholds become the defaults."""
    from datetime import date

    _, outlet, event = setup_rally(make)
    article = make.article(outlet, title="全省职工庆祝五一动员大会隆重召开", page_number=1,
                           published_at=beijing(date(2006, 4, 28)), body="省总工会召开大会。")
    match_articles([article.id])
    assert article.id in matches(db, event)
    doubter = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    doubter.update(bias=-30.0, auto_accept=0.9, suggest_min=0.2)
    (tmp_path / "doubter.json").write_text(json.dumps(doubter), encoding="utf-8")
    settle(app, monkeypatch, COVERAGE_MODEL_FILE=str(tmp_path / "doubter.json"))
    assert (auto_accept_score(), suggest_min_score()) == (0.9, 0.2)
    match_articles([article.id])
    db.session.expire_all()
    assert matches(db, event) == {}


def test_a_model_file_naming_other_features_is_refused(env_app, tmp_path: Path) -> None:
    """An app started with COVERAGE_MODEL_FILE naming a model with a misspelt or missing
    feature stops with a message naming the variable (an old model would silently weigh a
    feature 0)."""
    model = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    model["weights"]["titel_cover"] = model["weights"].pop("title_cover")
    (tmp_path / "old.json").write_text(json.dumps(model), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"COVERAGE_MODEL_FILE.*titel_cover"):
        env_app(COVERAGE_MODEL_FILE=str(tmp_path / "old.json"))


def test_a_model_file_with_unordered_thresholds_is_refused(environ: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    """COVERAGE_MODEL_FILE naming a model whose suggest threshold lies above its accept
    threshold stops start-up with a message naming the variable."""
    model = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    model.update(auto_accept=0.3, suggest_min=0.6)
    (tmp_path / "bad.json").write_text(json.dumps(model), encoding="utf-8")
    environ.setenv("COVERAGE_MODEL_FILE", str(tmp_path / "bad.json"))
    with pytest.raises(ConfigError, match="COVERAGE_MODEL_FILE"):
        load_settings()


def _throttled_app(tmp_path: Path) -> Flask:
    settings = load_settings()
    return make_app(tmp_path, RATELIMIT_ENABLED=True,
                    LOGIN_RATE_LIMIT=settings["LOGIN_RATE_LIMIT"],
                    RATELIMIT_STORAGE_URI=settings["RATELIMIT_STORAGE_URI"])


def test_login_rate_limit_is_the_number_of_failures_allowed(environ, tmp_path: Path) -> None:
    """With LOGIN_RATE_LIMIT=2 per minute the third attempt from one address gets 429."""
    environ.setenv("LOGIN_RATE_LIMIT", "2 per minute")
    app = _throttled_app(tmp_path)
    client = app.test_client()
    try:
        assert attempt(client, "nobody1", "wrong-password").status_code == 401
        assert attempt(client, "nobody2", "wrong-password").status_code == 401
        assert attempt(client, "nobody3", "wrong-password").status_code == 429
    finally:
        with app.app_context():
            _db.engine.dispose()


def test_ratelimit_storage_uri_is_where_failures_are_counted(environ, tmp_path: Path) -> None:
    """The throttle counts failures where RATELIMIT_STORAGE_URI says: by default the database
    (the login audit log), with memory:// in the process's own store (a shared store such as
    Redis needs a server the tests do not have; a store that cannot be used is refused in
    test_bad_value_names_the_variable)."""
    from limits.storage import MemoryStorage

    from campaign.auth.ratelimit import DatabaseThrottle

    (tmp_path / "default").mkdir()
    default = _throttled_app(tmp_path / "default")
    try:
        assert isinstance(default.extensions["login_throttle"], DatabaseThrottle)
    finally:
        with default.app_context():
            _db.engine.dispose()
    environ.setenv("RATELIMIT_STORAGE_URI", "memory://")
    app = _throttled_app(tmp_path)
    try:
        storage = app.extensions["login_throttle"].limiter.storage
        assert isinstance(storage, MemoryStorage)
        assert not storage.events
        attempt(app.test_client(), "nobody", "wrong-password")
        assert storage.events  # the failure was counted there
    finally:
        with app.app_context():
            _db.engine.dispose()


def _command(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `campaign-tracker routes` (no database needed) with `env`."""
    import os

    full = {**os.environ, "CAMPAIGN_INSTANCE": str(tmp_path), "SECRET_KEY": "settings-test",
            **env}
    return subprocess.run([sys.executable, "-m", "campaign.cli", "routes"], cwd=ROOT, env=full,
                          capture_output=True, text=True, timeout=60, check=False)


ISO_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d DEBUG campaign\.cli: ",
                      flags=re.MULTILINE)


def test_log_level_and_timestamps_in_a_command(tmp_path: Path) -> None:
    """LOG_LEVEL=DEBUG makes a command write debug lines to stderr, each with an ISO
    timestamp; at INFO they are left out."""
    debug = _command(tmp_path, LOG_LEVEL="DEBUG")
    assert debug.returncode == 0, debug.stderr
    assert ISO_LINE.search(debug.stderr), debug.stderr
    quiet = _command(tmp_path, LOG_LEVEL="INFO")
    assert quiet.returncode == 0, quiet.stderr
    assert "DEBUG" not in quiet.stderr


@pytest.mark.parametrize(("name", "value"), [("LOG_LEVEL", "loud"), ("FETCH_RETRIES", "-1")])
def test_bad_setting_stops_a_command_with_a_message(tmp_path: Path, name: str,
                                                    value: str) -> None:
    """A command run with a bad setting (the log's or the app's) exits 1 with a message naming
    the variable, not a traceback."""
    bad = _command(tmp_path, **{name: value})
    assert bad.returncode == 1
    assert name in bad.stderr
    assert "Traceback" not in bad.stderr
