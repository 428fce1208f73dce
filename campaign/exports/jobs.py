"""Exports as background jobs: started from the exports page (anyone who may download the
export, leaders included), written by the scheduler process (or `export-jobs`), downloaded
from the job's page until they expire.

A worker claims a job with a conditional UPDATE (the row count says whether it won, on both
databases) that sets a lease; while it writes it records progress and renews the lease from
its own short transactions, so the page sees them at once — while it reads the rows, and
again while the DOCX and the ZIP put in their clipping images after the rows were read. A job
whose worker died is claimed again once its lease lapses; after MAX_ATTEMPTS it is given up.
Files go to EXPORT_FOLDER and are deleted EXPORT_FILES_DAYS after they were finished.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app
from flask_babel import gettext as _

from campaign.auth.models import User
from campaign.core.sqlite import write_transaction
from campaign.core.times import utcnow
from campaign.exports.csvfile import csv_chunks
from campaign.exports.docx import write_compilation
from campaign.exports.filters import filter_args, parse_filter
from campaign.exports.models import ExportJob
from campaign.exports.rows import (
    ClippingFilter,
    ClippingRow,
    campaign_events,
    count_clipping_rows,
    iter_clipping_rows,
)
from campaign.exports.xlsx import write_xlsx
from campaign.exports.zipfile_images import write_image_zip
from campaign.extensions import db
from campaign.ingest.claims import worker_name
from campaign.planning.models import Campaign

log = logging.getLogger(__name__)

DEFAULT_LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 3
PROGRESS_EVERY = timedelta(seconds=0.5)  # at most this often a running job writes its row


@dataclass(frozen=True)
class ExportFormat:
    """A file the exports page offers: its extension and what the file name says it holds."""

    extension: str
    what: str
    mimetype: str


FORMATS: dict[str, ExportFormat] = {
    "csv": ExportFormat("csv", "clippings", "text/csv"),
    "xlsx": ExportFormat("xlsx", "clippings", "application/vnd.openxmlformats-officedocument."
                                              "spreadsheetml.sheet"),
    "xlsx-sheets": ExportFormat("xlsx", "clippings", "application/vnd.openxmlformats-"
                                                     "officedocument.spreadsheetml.sheet"),
    "docx": ExportFormat("docx", "compilation", "application/vnd.openxmlformats-"
                                                "officedocument.wordprocessingml.document"),
    "zip": ExportFormat("zip", "clippings", "application/zip"),
}


def export_folder() -> Path:
    """Where finished export files are kept (EXPORT_FOLDER, default `instance/exports`)."""
    config = current_app.config
    return Path(config.get("EXPORT_FOLDER") or Path(config["INSTANCE_PATH"]) / "exports")


class JobLimitError(Exception):
    """The user already has EXPORT_JOBS_PER_USER exports waiting or running."""


def jobs_in_hand(user: User) -> int:
    """How many of the user's export jobs (of any campaign) wait or run."""
    return int(db.session.scalar(sa.select(sa.func.count()).select_from(ExportJob).where(
        ExportJob.requested_by_id == user.id,
        ExportJob.status.in_(("queued", "running")))) or 0)


def _check_limit(user: User) -> None:
    """Raise JobLimitError when `user` has EXPORT_JOBS_PER_USER jobs waiting or running. The
    user's row is locked first (PostgreSQL), so two requests at once cannot both pass."""
    limit = int(current_app.config.get("EXPORT_JOBS_PER_USER", 3))
    db.session.execute(sa.select(User.id).where(User.id == user.id).with_for_update())
    waiting = jobs_in_hand(user)
    if waiting >= limit:
        raise JobLimitError(_("你已有 %(n)d 个后台导出在排队或生成中（每人最多同时 %(limit)d "
                              "个），请等其中一个完成后再开始新的导出。", n=waiting, limit=limit))


def start_job(campaign: Campaign, fmt: str, args: Mapping[str, str], user: User | None
              ) -> ExportJob:
    """Queue an export of `campaign` in `fmt` with the filter of `args` (checked now: a
    FilterError for a filter that cannot be read, ValueError for an unknown format,
    JobLimitError when the user already has EXPORT_JOBS_PER_USER jobs waiting or running)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    parse_filter(campaign, args)
    if user is not None:
        _check_limit(user)
    event = (args.get("event") or "").strip()
    spec = FORMATS[fmt]
    job = ExportJob(campaign_id=campaign.id, requested_by_id=user.id if user else None,
                    format=fmt, filters=filter_args(args), status="queued",
                    download_name=f"{campaign.slug}{'-' + event if event else ''}"
                                  f"-{spec.what}.{spec.extension}")
    db.session.add(job)
    db.session.flush()
    log.info("export job %s queued: %s of %s", job.id, fmt, campaign.slug)
    return job


def _claimable(now: datetime) -> sa.ColumnElement[bool]:
    lapsed = sa.and_(ExportJob.status == "running", ExportJob.claimed_until < now)
    return sa.or_(ExportJob.status == "queued", lapsed)


def claim_job(worker: str, *, lease: timedelta = DEFAULT_LEASE, now: datetime | None = None
              ) -> int | None:
    """Claim the oldest waiting job (or one whose worker's lease lapsed) for `worker` and
    commit the claim; its id, or None when nothing waits. A job already tried MAX_ATTEMPTS
    times is marked failed instead."""
    now = now or utcnow()
    with write_transaction():
        db.session.rollback()
        candidates = db.session.execute(
            sa.select(ExportJob.id, ExportJob.attempts).where(_claimable(now))
            .order_by(ExportJob.created_at, ExportJob.id).limit(10)).all()
        for job_id, attempts in candidates:
            values: dict[str, object] = {
                "status": "running", "claimed_by": worker, "claimed_until": now + lease,
                "attempts": ExportJob.attempts + 1, "started_at": now, "done": 0}
            if attempts >= MAX_ATTEMPTS:
                values = {"status": "failed", "claimed_by": None, "claimed_until": None,
                          "finished_at": now, "error": "interrupted"}
            won = db.session.execute(sa.update(ExportJob).where(
                ExportJob.id == job_id, _claimable(now)).values(**values)
            ).rowcount  # type: ignore[attr-defined]
            if won and attempts < MAX_ATTEMPTS:
                db.session.commit()
                return int(job_id)
        db.session.commit()
    return None


class Progress:
    """Records a running job's rows written and renews its lease, in transactions of its own
    (the export's reading session never writes the job row while it runs). `clock` tells the
    time the lease runs from (utcnow; a test's own clock)."""

    def __init__(self, job_id: int, worker: str, lease: timedelta,
                 echo: Callable[[int, int | None], None] | None = None, *,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.job_id, self.worker, self.lease, self.echo = job_id, worker, lease, echo
        self.clock = clock
        self.total: int | None = None
        self._last: datetime | None = None

    def _write(self, **values: object) -> None:
        with write_transaction(), db.engine.begin() as connection:
            connection.execute(sa.update(ExportJob).where(
                ExportJob.id == self.job_id, ExportJob.claimed_by == self.worker)
                .values(claimed_until=self.clock() + self.lease, **values))

    def _due(self) -> bool:
        """True (and the time noted) when PROGRESS_EVERY has passed since the last write."""
        now = self.clock()
        if self._last is not None and now - self._last < PROGRESS_EVERY:
            return False
        self._last = now
        return True

    def working(self) -> None:
        """Renew the lease (at most every PROGRESS_EVERY) while the writer works after the rows
        were read — the DOCX's and the ZIP's clipping images — so a slow image phase does not
        let the lease lapse and another worker take the job over."""
        if self._due():
            self._write()

    def start(self, total: int) -> None:
        """The job has `total` rows to write."""
        self.total = total
        self._write(total=total, done=0)
        if self.echo:
            self.echo(0, total)

    def rows(self, rows: Iterable[ClippingRow]) -> Iterator[ClippingRow]:
        """`rows`, counting them as the writer takes them."""
        done = 0
        for row in rows:
            yield row
            done += 1
            if self._due():
                self._write(done=done)
                if self.echo:
                    self.echo(done, self.total)
        self._write(done=done)
        if self.echo:
            self.echo(done, self.total)


def write_export(campaign: Campaign, fmt: str, selected: ClippingFilter,
                 rows: Iterable[ClippingRow], out: Path, *,
                 working: Callable[[], None] | None = None) -> int:
    """Write `rows` of `campaign` (filtered by `selected`) to `out` in `fmt`; the DOCX and
    ZIP writers call `working` for each piece they write after reading the rows."""
    if fmt == "csv":
        with out.open("w", encoding="utf-8", newline="") as handle:
            for chunk in csv_chunks(iter(rows)):
                handle.write(chunk)
        return 0
    if fmt in ("xlsx", "xlsx-sheets"):
        events = ([(e.id, e.title) for e in campaign_events(campaign, selected)]
                  if fmt == "xlsx-sheets" else None)
        return write_xlsx(rows, out, events=events)
    if fmt == "docx":
        return write_compilation(campaign, campaign_events(campaign, selected), rows, out,
                                 working=working)
    with out.open("wb") as handle:
        return write_image_zip(rows, handle, working=working)


def run_job(job_id: int, worker: str, *, lease: timedelta = DEFAULT_LEASE,
            echo: Callable[[int, int | None], None] | None = None,
            clock: Callable[[], datetime] = utcnow) -> str:
    """Write the claimed job's file and mark it done (or failed, saying why); its status.
    Its lease is renewed from `clock`."""
    job = db.session.get(ExportJob, job_id)
    if job is None or job.claimed_by != worker:
        return "lost"
    folder = export_folder()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{job.id}-{secrets.token_hex(8)}.{FORMATS[job.format].extension}"
    partial = folder / f"{name}.part"
    progress = Progress(job.id, worker, lease, echo, clock=clock)
    try:
        selected = parse_filter(job.campaign, job.filters)
        progress.start(count_clipping_rows(selected))
        write_export(job.campaign, job.format, selected,
                     progress.rows(iter_clipping_rows(selected)), partial,
                     working=progress.working)
        partial.replace(folder / name)
    except Exception as error:  # a failed export is recorded on its job, never lost silently
        log.exception("export job %s failed", job_id)
        partial.unlink(missing_ok=True)
        db.session.rollback()
        return _finish(job_id, worker, status="failed", error=f"{type(error).__name__}")
    db.session.rollback()
    return _finish(job_id, worker, status="done", file=name,
                   keep=timedelta(days=int(current_app.config.get("EXPORT_FILES_DAYS", 7))))


def _finish(job_id: int, worker: str, *, keep: timedelta | None = None, **values: object
            ) -> str:
    """End the job (if `worker` still holds it); a file is kept for `keep` from now."""
    now = utcnow()
    if keep is not None:
        values["expires_at"] = now + keep
    with write_transaction():
        held = db.session.execute(sa.update(ExportJob).where(
            ExportJob.id == job_id, ExportJob.claimed_by == worker).values(
            claimed_by=None, claimed_until=None, finished_at=now, **values)
        ).rowcount  # type: ignore[attr-defined]
        db.session.commit()
    if not held:  # another worker took the job over (this one's lease lapsed): its file wins
        if values.get("file"):
            (export_folder() / str(values["file"])).unlink(missing_ok=True)
        return "lost"
    log.info("export job %s %s", job_id, values["status"])
    return str(values["status"])


def expire_files(now: datetime | None = None) -> int:
    """Delete the files of finished jobs past their expiry (the job says it expired);
    returns how many."""
    now = now or utcnow()
    folder = export_folder()
    expired = db.session.execute(sa.select(ExportJob.id, ExportJob.file).where(
        ExportJob.status == "done", ExportJob.expires_at < now)).all()
    for _job_id, name in expired:
        if name:
            (folder / name).unlink(missing_ok=True)
    if expired:
        with write_transaction():
            db.session.rollback()
            db.session.execute(sa.update(ExportJob).where(
                ExportJob.id.in_([row[0] for row in expired]))
                .values(status="expired", file=None))
            db.session.commit()
    return len(expired)


def serve_jobs(worker: str, *, lease: timedelta = DEFAULT_LEASE, limit: int | None = None,
               echo: Callable[[int, int | None], None] | None = None) -> list[tuple[int, str]]:
    """Expire old files, then claim and run waiting jobs one after another (at most `limit`);
    the (job id, status) of each run."""
    expire_files()
    ran: list[tuple[int, str]] = []
    while limit is None or len(ran) < limit:
        job_id = claim_job(worker, lease=lease)
        if job_id is None:
            break
        ran.append((job_id, run_job(job_id, worker, lease=lease, echo=echo)))
        db.session.remove()
    return ran


def job_file(job: ExportJob) -> Path | None:
    """The finished file of a job, when it is done and still on disk."""
    if job.status != "done" or not job.file:
        return None
    path = export_folder() / job.file
    return path if path.is_file() else None


def recent_jobs(campaign: Campaign, user: User, limit: int = 10) -> list[ExportJob]:
    """The user's latest export jobs of the campaign, newest first."""
    return list(db.session.scalars(sa.select(ExportJob).where(
        ExportJob.campaign_id == campaign.id, ExportJob.requested_by_id == user.id)
        .order_by(ExportJob.created_at.desc(), ExportJob.id.desc()).limit(limit)))


EXPORT_TICK_SECONDS = 5.0


def export_job(app: Flask, *, worker: str | None = None) -> Callable[[], None]:
    """The scheduler's export job: every few seconds, run what waits (see `serve_jobs`) in
    its own app context; an error is logged, never raised (it must not stop the scheduler)."""
    name = worker or worker_name()
    lease = timedelta(seconds=int(app.config.get("EXPORT_LEASE_SECONDS", 600)))

    def job() -> None:
        with app.app_context():
            try:
                serve_jobs(name, lease=lease)
            except Exception:
                db.session.rollback()
                log.exception("export pass failed")
            finally:
                db.session.remove()

    return job
