"""Exports as background jobs: started from the exports page by anyone who may download them
(leaders too), written by the scheduler process with progress and a lease, followed on a page
that refreshes itself (JSON for the script), downloaded until they expire."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from campaign.core.times import utcnow
from campaign.coverage.models import Match
from campaign.exports.cli import export_jobs_command
from campaign.exports.jobs import MAX_ATTEMPTS, claim_job, expire_files, run_job, serve_jobs
from campaign.exports.models import ExportJob
from campaign.extensions import db as _db
from tests.factories import Factories, beijing
from tests.html import soup
from tests.plugins.apps import scheduler_process

START = "/campaigns/pm2006/exports/jobs"


def jobs(db):
    return list(db.session.scalars(select(ExportJob).order_by(ExportJob.id)))


def test_leader_starts_a_job_and_is_sent_to_its_page(client, login, db, world):
    """A leader (who may download exports) starts a background export; the job row keeps the
    format and the filter, and the answer leads to the job's page."""
    leader = login("leader")
    response = client.post(START, data={"format": "docx", "event": "briefing",
                                        "status": "accepted"})
    [job] = jobs(db)
    assert response.status_code == 302
    assert response.location == f"/campaigns/pm2006/exports/jobs/{job.id}"
    assert (job.format, job.filters, job.status, job.requested_by_id) == (
        "docx", {"event": "briefing", "status": "accepted"}, "queued", leader.id)
    assert job.download_name == "pm2006-briefing-compilation.docx"


@pytest.mark.parametrize(("data", "message"), [
    ({"format": "pdf"}, "请选择导出格式。"),
    ({"format": "xlsx", "event": "nope"}, "没有这个活动日程：nope"),
    ({"format": "xlsx", "date_from": "2006-05-09", "date_to": "2006-05-01"},
     "结束日期早于开始日期"),
])
def test_bad_format_or_filter_queues_nothing_and_says_why(client, login, db, world, data,
                                                          message):
    """An unknown format or a filter that cannot be read queues no job and goes back to the
    exports page, which says what was wrong."""
    login("officer")
    response = client.post(START, data=data)
    assert response.status_code == 302
    assert response.location.startswith("/campaigns/pm2006/exports")
    assert jobs(db) == []
    assert message in client.get(response.location).get_data(as_text=True)


def test_running_job_page_shows_progress_and_refreshes_itself(client, login, db, world):
    """A running job's page shows its progress bar and refreshes itself without JavaScript;
    the status JSON gives the same progress and no download yet."""
    user = login("officer")
    job = ExportJob(campaign_id=world.campaign.id, requested_by_id=user.id, format="xlsx",
                    filters={}, status="running", done=5, total=20,
                    download_name="pm2006-clippings.xlsx")
    db.session.add(job)
    db.session.commit()
    page = soup(client.get(f"{START}/{job.id}").get_data(as_text=True))
    assert page.select_one("progress#job-progress")["value"] == "25"
    assert page.select_one("meta[http-equiv=refresh]") is not None
    assert "5 / 20" in page.select_one("#job-count").get_text()
    assert page.select_one("#job-download").has_attr("hidden")
    state = client.get(f"{START}/{job.id}/status").json
    assert (state["percent"], state["done"], state["total"], state["download"]) == (25, 5, 20,
                                                                                   None)
    # Before it is ready, the file link leads back to the job's page.
    assert client.get(f"{START}/{job.id}/file").location == f"{START}/{job.id}"


def test_finished_job_offers_its_file_until_it_expires(app, client, login, db, world, tmp_path,
                                                       monkeypatch):
    """A done job's page links its file (and stops refreshing); the link sends the file under
    its download name; once expired, the link answers 410."""
    monkeypatch.setitem(app.config, "EXPORT_FOLDER", str(tmp_path))
    (tmp_path / "7-abc.csv").write_bytes(b"\xef\xbb\xbfseq\r\n")
    login("leader")
    job = ExportJob(campaign_id=world.campaign.id, format="csv", filters={}, status="done",
                    done=1, total=1, file="7-abc.csv", download_name="pm2006-clippings.csv",
                    expires_at=utcnow() + timedelta(days=7))
    db.session.add(job)
    db.session.commit()
    page = soup(client.get(f"{START}/{job.id}").get_data(as_text=True))
    assert page.select_one("meta[http-equiv=refresh]") is None
    link = page.select_one("#job-download a")["href"]
    response = client.get(link)
    assert response.status_code == 200 and response.data == b"\xef\xbb\xbfseq\r\n"
    assert "pm2006-clippings.csv" in response.headers["Content-Disposition"]
    assert client.get(f"{START}/{job.id}/status").json["download"] == link
    assert expire_files(now=utcnow() + timedelta(days=8)) == 1
    assert not (tmp_path / "7-abc.csv").exists()
    assert client.get(link).status_code == 410


def test_job_of_another_campaign_is_404(client, login, make, db, world):
    """A job is only reached under its own campaign."""
    login("officer")
    other = make.campaign(slug="other")
    job = ExportJob(campaign_id=other.id, format="csv", filters={}, status="queued",
                    download_name="x.csv")
    db.session.add(job)
    db.session.commit()
    assert client.get(f"{START}/{job.id}").status_code == 404


def test_exports_page_lists_the_users_jobs(client, login, db, world):
    """The exports page offers the background export with the current filter and lists the
    user's own jobs with their state."""
    login("officer")
    client.post(START, data={"format": "zip"})
    page = soup(client.get("/campaigns/pm2006/exports?event=briefing").get_data(as_text=True))
    form = page.select_one("form#export-job-form")
    assert form.select_one("input[name=event]")["value"] == "briefing"
    assert "排队等待" in page.select_one("#export-jobs").get_text()


# --- the worker: on a database that commits for real (progress has its own transactions) --

def _campaign_with_accepted(app, count: int) -> int:
    """A campaign `cj` whose one event has `count` accepted articles; its id."""
    with app.app_context():
        make = Factories(_db)
        campaign = make.campaign(slug="cj")
        event = make.event(campaign, key="rally", starts_at=beijing(date(2006, 4, 27)))
        outlet = make.outlet(name="安徽日报")
        for n in range(count):
            article = make.article(outlet, title=f"报道{n}",
                                   published_at=beijing(date(2006, 4, 27)))
            _db.session.add(Match(event_id=event.id, article_id=article.id, status="accepted",
                                  auto=False, explanation={}))
        _db.session.commit()
        return campaign.id


def _queue(app, campaign_id: int, fmt: str = "xlsx") -> int:
    with app.app_context():
        job = ExportJob(campaign_id=campaign_id, format=fmt, filters={}, status="queued",
                        download_name=f"cj-clippings.{fmt}")
        _db.session.add(job)
        _db.session.commit()
        return job.id


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_worker_writes_the_file_and_records_progress(committed_app, tmp_path, backend):
    """A worker claims the waiting job, writes every row to a file in the export folder,
    records rows done of total, and marks it done with its expiry EXPORT_FILES_DAYS ahead."""
    with committed_app(tmp_path, backend) as app:
        job_id = _queue(app, _campaign_with_accepted(app, 12))
        reports: list[tuple[int, int | None]] = []
        with app.app_context():
            [(ran, status)] = serve_jobs("w1", echo=lambda done, total: reports.append(
                (done, total)))
            job = _db.session.get(ExportJob, job_id)
            assert (ran, status, job.status, job.done, job.total) == (job_id, "done", "done",
                                                                      12, 12)
            assert reports[0] == (0, 12) and reports[-1] == (12, 12)
            assert job.claimed_by is None and job.attempts == 1
            assert timedelta(days=6, hours=23) < job.expires_at - job.finished_at <= \
                timedelta(days=7)
            path = Path(app.config["INSTANCE_PATH"]) / "exports" / job.file
            sheet = load_workbook(path).worksheets[0]
            assert sheet.max_row == 13
            assert not list(path.parent.glob("*.part"))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_job_of_a_dead_worker_is_taken_up_after_its_lease(committed_app, tmp_path, backend):
    """A job claimed by a worker that died is not taken while its lease holds, is taken by
    another worker once it lapses (the dead one can no longer finish it), and is given up
    after MAX_ATTEMPTS."""
    with committed_app(tmp_path, backend) as app:
        campaign_id = _campaign_with_accepted(app, 3)
        job_id = _queue(app, campaign_id, "csv")
        with app.app_context():
            now = utcnow()
            lease = timedelta(minutes=10)
            assert claim_job("dead", lease=lease, now=now) == job_id
            assert claim_job("alive", lease=lease, now=now + timedelta(minutes=5)) is None
            later = now + timedelta(minutes=11)
            assert claim_job("alive", lease=lease, now=later) == job_id
            assert run_job(job_id, "dead") == "lost"
            assert run_job(job_id, "alive") == "done"
            job = _db.session.get(ExportJob, job_id)
            _db.session.refresh(job)
            assert (job.status, job.attempts, job.done) == ("done", 2, 3)

            stuck = _queue(app, campaign_id, "csv")
            for n in range(MAX_ATTEMPTS):
                assert claim_job(f"dies-{n}", lease=lease, now=now + n * 2 * lease) == stuck
            assert claim_job("last", lease=lease, now=now + 10 * lease) is None
            job = _db.session.get(ExportJob, stuck)
            _db.session.refresh(job)
            assert (job.status, job.error) == ("failed", "interrupted")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_scheduler_process_runs_a_job_left_by_a_dead_process(committed_app, tmp_path,
                                                              backend):
    """`campaign-tracker scheduler --once`, a real process, takes up a job whose worker's
    lease lapsed (as after a crash or a restart) and writes its file."""
    with committed_app(tmp_path, backend) as app:
        job_id = _queue(app, _campaign_with_accepted(app, 4), "docx")
        with app.app_context():
            job = _db.session.get(ExportJob, job_id)
            job.status, job.claimed_by, job.attempts = "running", "gone:1:abc", 1
            job.claimed_until = utcnow() - timedelta(seconds=1)
            _db.session.commit()
        process = scheduler_process(app, "--once")
        output = process.communicate(timeout=120)[0].decode()
        assert process.returncode == 0, output
        with app.app_context():
            job = _db.session.get(ExportJob, job_id)
            assert (job.status, job.done, job.attempts) == ("done", 4, 2), output
            assert (Path(app.config["INSTANCE_PATH"]) / "exports" / job.file).stat().st_size


def test_export_jobs_command_runs_waiting_jobs_with_a_progress_bar(committed_app, tmp_path):
    """`campaign-tracker export-jobs` runs what waits now and shows a progress bar."""
    with committed_app(tmp_path) as app:
        job_id = _queue(app, _campaign_with_accepted(app, 5), "csv")
        result = app.test_cli_runner().invoke(export_jobs_command, [])
        assert result.exit_code == 0, result.output
        assert "5 of 5 rows written" in result.output
        assert f"export job {job_id}: done" in result.output
        with app.app_context():
            assert _db.session.get(ExportJob, job_id).status == "done"


def test_export_files_days_is_how_long_files_are_kept(committed_app, tmp_path, monkeypatch):
    """EXPORT_FILES_DAYS=2: a finished file expires two days after the job ends; the expiry
    pass keeps it the day after and deletes it (the job says expired) three days after."""
    monkeypatch.setenv("EXPORT_FILES_DAYS", "2")
    from config import load_settings

    with committed_app(tmp_path, EXPORT_FILES_DAYS=load_settings()["EXPORT_FILES_DAYS"]) as app:
        job_id = _queue(app, _campaign_with_accepted(app, 2), "csv")
        with app.app_context():
            serve_jobs("w1")
            job = _db.session.get(ExportJob, job_id)
            path = Path(app.config["INSTANCE_PATH"]) / "exports" / job.file
            assert job.expires_at - job.finished_at == timedelta(days=2)
            assert expire_files(now=job.finished_at + timedelta(days=1)) == 0 and path.exists()
            assert expire_files(now=job.finished_at + timedelta(days=3)) == 1
            assert not path.exists()
            _db.session.refresh(job)
            assert (job.status, job.file) == ("expired", None)
