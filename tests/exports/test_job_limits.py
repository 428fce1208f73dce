"""EXPORT_JOBS_PER_USER: one user may have that many background exports waiting or running
(default 3, over all campaigns); one more is refused with a message on the exports page, in
Chinese or in English, and nothing is queued."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from campaign.exports.models import ExportJob
from config import load_settings

START = "/campaigns/pm2006/exports/jobs"
REFUSED = "你已有 3 个后台导出在排队或生成中（每人最多同时 3 个）"


def count_jobs(db: Any) -> int:
    return int(db.session.scalar(select(func.count()).select_from(ExportJob)))


def give_jobs(db: Any, user: Any, campaign: Any, *statuses: str) -> None:
    """Jobs of `user` in the given states."""
    for status in statuses:
        db.session.add(ExportJob(campaign_id=campaign.id, requested_by_id=user.id,
                                 format="csv", filters={}, status=status,
                                 download_name="pm2006-clippings.csv"))
    db.session.commit()


def test_one_job_over_the_limit_is_refused_and_nothing_is_queued(client, login, db,
                                                                 world) -> None:
    """A user with two jobs waiting and one running (the default limit, 3) who starts another
    goes back to the exports page, filter kept, which says why; no job row is written."""
    user = login("officer")
    give_jobs(db, user, world.campaign, "queued", "queued", "running")
    response = client.post(START, data={"format": "docx", "event": "briefing"})
    assert response.status_code == 302
    assert response.location == "/campaigns/pm2006/exports?event=briefing"
    assert count_jobs(db) == 3
    page = client.get(response.location).get_data(as_text=True)
    assert REFUSED in page


def test_the_refusal_is_in_english_for_an_english_user(client, login, db, world) -> None:
    """With English chosen the refusal is said in English."""
    user = login("officer")
    client.post("/language", data={"locale": "en"})
    give_jobs(db, user, world.campaign, "queued", "running", "running")
    response = client.post(START, data={"format": "zip"})
    page = client.get(response.location).get_data(as_text=True)
    assert "You already have 3 background exports queued or being written" in page
    assert count_jobs(db) == 3


def test_only_the_users_own_waiting_and_running_jobs_count(client, login, make, db,
                                                           world) -> None:
    """Finished, failed and expired jobs, and other users' jobs, take no place: a user with
    two waiting jobs and those around still starts a third."""
    user = login("officer")
    give_jobs(db, user, world.campaign, "queued", "running", "done", "failed", "expired")
    give_jobs(db, make.user(role="officer"), world.campaign, "queued", "queued", "queued")
    response = client.post(START, data={"format": "xlsx"})
    [job] = db.session.scalars(select(ExportJob).where(
        ExportJob.requested_by_id == user.id, ExportJob.format == "xlsx")).all()
    assert response.location == f"{START}/{job.id}"
    assert job.status == "queued"


@pytest.mark.parametrize(("limit", "queued"), [("1", False), ("5", True)])
def test_export_jobs_per_user_sets_the_limit(client, login, db, world, app: Flask,
                                             monkeypatch: pytest.MonkeyPatch, limit: str,
                                             queued: bool) -> None:
    """EXPORT_JOBS_PER_USER, read by config.py: with 1, a user with one job waiting is
    refused another; with 5, a user with four is not."""
    monkeypatch.setenv("EXPORT_JOBS_PER_USER", limit)
    monkeypatch.setitem(app.config, "EXPORT_JOBS_PER_USER",
                        load_settings()["EXPORT_JOBS_PER_USER"])
    user = login("officer")
    give_jobs(db, user, world.campaign, *(["queued"] * (int(limit) - 1 if queued else 1)))
    before = count_jobs(db)
    response = client.post(START, data={"format": "csv"})
    assert count_jobs(db) == before + (1 if queued else 0)
    if not queued:
        page = client.get(response.location).get_data(as_text=True)
        assert f"（每人最多同时 {limit} 个）" in page
