"""How the scheduler's tick job behaves when ticks are missed or slow, and the fetch command's
progress display."""

from __future__ import annotations

import itertools
import re
import time

from campaign.extensions import db
from campaign.ingest.scheduler import Poller, run_scheduler
from campaign.planning.models import Outlet
from campaign.sources.models import Source


def recorded_ticks(monkeypatch, *, pause: float = 0.0) -> list[tuple[float, float]]:
    """Replace the poller's tick by one that records (start, end) and waits `pause` seconds
    the first time (a slow pass); returns the list it fills."""
    calls: list[tuple[float, float]] = []

    def tick(_self: Poller) -> int:
        started = time.monotonic()
        if not calls:
            time.sleep(pause)
        calls.append((started, time.monotonic()))
        return 0

    monkeypatch.setattr(Poller, "tick", tick)
    return calls


def test_missed_ticks_run_once(tmp_path, monkeypatch, committed_app):
    """When the scheduler wakes up with several ticks overdue (here: five intervals passed
    before it started), the tick runs once for all of them, not once for each."""
    calls = recorded_ticks(monkeypatch)

    def slow_start(text: str) -> None:
        if text.startswith("scheduler ") and "a tick every" in text:
            time.sleep(0.55)  # between adding the job and starting the scheduler

    with committed_app(tmp_path) as app:
        run_scheduler(app, ticks=1, tick_seconds=0.1, echo=slow_start)
    time.sleep(0.3)  # an uncoalesced job would go on ticking in the executor's thread
    assert len(calls) == 1, calls


def test_a_slow_tick_is_never_run_twice_at_once(tmp_path, monkeypatch, committed_app):
    """A tick that lasts five intervals is not started again while it runs: no two ticks
    overlap."""
    calls = recorded_ticks(monkeypatch, pause=0.5)
    with committed_app(tmp_path) as app:
        run_scheduler(app, ticks=3, tick_seconds=0.1, echo=lambda _text: None)
    time.sleep(0.3)
    assert len(calls) == 3, calls
    spans = sorted(calls)
    assert all(end <= start for (_s, end), (start, _e) in itertools.pairwise(spans)), spans


def test_fetch_command_shows_a_progress_bar(tmp_path, monkeypatch, committed_app):
    """`campaign-tracker fetch --all` shows a progress bar over the sources it fetches: on a
    terminal it is drawn empty at 0/2 and full at 2/2."""
    import click._termui_impl

    monkeypatch.setattr(click._termui_impl, "isatty", lambda _stream: True)  # as on a terminal
    with committed_app(tmp_path) as app:
        with app.app_context():
            outlet = Outlet(name="安徽日报", tier="provincial", kind="newspaper")
            for name in ("要闻", "综合"):
                db.session.add(Source(outlet=outlet, name=name, type="rss",
                                      url=f"http://127.0.0.1:9/{name}.xml", selectors={},
                                      interval_minutes=60, enabled=True))
            db.session.commit()
        result = app.test_cli_runner().invoke(args=["fetch", "--all"])
    assert result.exit_code == 0, result.output
    frames = [frame.strip() for frame in result.output.split("\r") if frame.strip()]
    assert re.fullmatch(r"fetching\s+\[-+\]\s+0/2", frames[0]), frames
    full = [f for f in frames if re.match(r"fetching\s+\[#+\]\s+2/2", f)]
    assert full, frames
    assert "2 sources, 0 new articles" in result.output
