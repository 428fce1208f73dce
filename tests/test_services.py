"""A missing PostgreSQL or Chromium fails a CI run (CI=true) and is a visible skip elsewhere.

Each case runs pytest in a subprocess on a tiny test file that uses the suite's own helpers
(`fresh_pg_database`, behind every PostgreSQL test, and `launch_chromium`, behind every
browser test) with the service missing, and reads the outcome pytest reports.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.plugins.services import in_ci, unavailable

ROOT = Path(__file__).resolve().parents[1]
CLOSED = "postgresql+psycopg://postgres@127.0.0.1:1/postgres"  # nothing listens on port 1
TINY = '''
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.conftest import launch_chromium
from tests.conftest import fresh_pg_database


def test_postgresql():
    with fresh_pg_database():
        pass


def test_missing_chromium():
    with sync_playwright() as pw:
        launch_chromium(pw, Path("/nonexistent/chromium"))


def test_chromium_that_does_not_start():
    with sync_playwright() as pw:
        launch_chromium(pw, Path("/bin/false"))
'''


def run_tiny(tmp_path: Path, *, ci: str, database_url: str, workers: int = 0) -> str:
    """Run the tiny test file with CI and TEST_DATABASE_URL as given (in `workers` xdist
    worker processes, as `make test` runs the suite, when more than 0); returns pytest's
    output."""
    (tmp_path / "test_tiny.py").write_text(TINY)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CI": ci, "TEST_DATABASE_URL": database_url}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rsfE", "-p", "no:cacheprovider",
         "-p", "no:randomly", "-n", str(workers), "test_tiny.py"],
        check=False,  # a failing run is one of the outcomes read here
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    return done.stdout + done.stderr


def last_line(output: str) -> str:
    """pytest's summary: the last line of its output ("3 failed in 1.0s")."""
    return output.strip().splitlines()[-1]


@pytest.mark.parametrize("database_url", ["", CLOSED], ids=["no-url", "unreachable"])
def test_under_ci_a_missing_service_fails(tmp_path, database_url):
    """With CI=true, an unset or unreachable PostgreSQL and a missing or broken Chromium make
    their tests fail, each saying which service is missing."""
    output = run_tiny(tmp_path, ci="true", database_url=database_url)
    assert last_line(output).startswith("3 failed in"), output
    assert "CI=true: a missing service fails the run" in output, output
    reason = "TEST_DATABASE_URL is not set" if not database_url else "cannot be reached"
    assert reason in output and "/nonexistent/chromium is missing" in output, output
    assert "Chromium (/bin/false) did not launch" in output, output


def test_under_ci_a_missing_service_fails_in_xdist_workers_too(tmp_path):
    """Run in worker processes (pytest-xdist, as `make test` runs the suite), CI=true still
    makes an unset PostgreSQL and a missing or broken Chromium fail their tests, with why."""
    output = run_tiny(tmp_path, ci="true", database_url="", workers=2)
    assert re.search(r"^\[gw[01]\] linux", output, flags=re.MULTILINE), output  # in a worker
    assert last_line(output).startswith("3 failed in"), output
    assert "CI=true: a missing service fails the run" in output, output
    assert "TEST_DATABASE_URL is not set" in output, output
    assert "/nonexistent/chromium is missing" in output, output
    assert "Chromium (/bin/false) did not launch" in output, output


@pytest.mark.parametrize("database_url", ["", CLOSED], ids=["no-url", "unreachable"])
def test_outside_ci_a_missing_service_skips_with_its_reason(tmp_path, database_url):
    """Without CI, the same tests are skipped, and `-rs` prints why each was skipped."""
    output = run_tiny(tmp_path, ci="", database_url=database_url)
    assert last_line(output).startswith("3 skipped in"), output
    reason = "TEST_DATABASE_URL is not set" if not database_url else "cannot be reached"
    assert reason in output and "/nonexistent/chromium is missing" in output, output
    assert "127.0.0.1:1" in output or not database_url, output


@pytest.mark.parametrize(("value", "expected"), [
    ("true", True), ("TRUE", True), ("1", True), ("yes", True),
    ("", False), ("false", False), ("0", False)])
def test_ci_is_read_from_the_environment(value, expected):
    """CI=true (or 1, yes) is a CI run; empty, false or 0 is not."""
    assert in_ci({"CI": value}) is expected
    assert in_ci({}) is False


def test_unavailable_raises_a_failure_in_ci_and_a_skip_outside():
    """The helper fails the test in CI and skips it elsewhere, with the reason it was given."""
    with pytest.raises(pytest.fail.Exception, match="no server"):
        unavailable("no server", {"CI": "true"})
    with pytest.raises(pytest.skip.Exception, match="no server"):
        unavailable("no server", {})
