"""The scheduler's job settings and the fetch command's progress display."""

from __future__ import annotations

from typing import Any

from campaign.extensions import db
from campaign.planning.models import Outlet
from campaign.sources.models import Source
from campaign.sources.scheduler import run_scheduler


def test_scheduler_job_coalesces_and_runs_one_instance(tmp_path, monkeypatch, committed_app):
    """The scheduler's tick job coalesces missed runs into one and never runs twice at once
    (APScheduler job defaults), so a slow pass is not stacked behind itself."""
    import apscheduler.schedulers.blocking as blocking

    seen: dict[str, Any] = {}

    class Recording(blocking.BlockingScheduler):
        def shutdown(self, wait: bool = True) -> None:
            job = self.get_job("fetch-tick")
            seen.update(coalesce=job.coalesce, max_instances=job.max_instances)
            super().shutdown(wait=wait)

    monkeypatch.setattr(blocking, "BlockingScheduler", Recording)
    with committed_app(tmp_path) as app:
        run_scheduler(app, ticks=1, tick_seconds=0.1, echo=lambda _text: None)
    assert seen == {"coalesce": True, "max_instances": 1}


def test_fetch_command_shows_a_progress_bar(tmp_path, committed_app):
    """`campaign-tracker fetch --all` shows a progress bar over the sources it fetches."""
    with committed_app(tmp_path) as app:
        with app.app_context():
            outlet = Outlet(name="安徽日报", tier="provincial", kind="newspaper")
            db.session.add(Source(outlet=outlet, name="要闻", type="rss",
                                  url="http://127.0.0.1:9/rss.xml", selectors={},
                                  interval_minutes=60, enabled=True))
            db.session.commit()
        result = app.test_cli_runner().invoke(args=["fetch", "--all"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "fetching"  # the bar's label (no tty here)
    assert "1 sources" in result.output
