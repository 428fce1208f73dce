"""A background DOCX or ZIP export keeps its lease while it puts in clipping images (after it
read every row): with a lease shorter than the image phase — each image taking minutes on a
clock the test moves — another worker that tries to claim the job between two images never
gets it, and the first worker finishes it."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from PIL import Image

from campaign.articles.media import keep_file
from campaign.articles.models import ArticleMedia
from campaign.core.times import utcnow
from campaign.coverage.models import Match
from campaign.exports import docx as docx_module
from campaign.exports.jobs import claim_job, run_job
from campaign.exports.models import ExportJob
from campaign.extensions import db as _db
from tests.factories import Factories, beijing

LEASE = timedelta(minutes=10)
IMAGE_MINUTES = timedelta(minutes=4)  # what one image takes, on the test's clock
IMAGES = 4  # 16 minutes of images: longer than the lease


class Clock:
    """The time as the job sees it; the test moves it on."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now


def clipped_campaign(app: Any, count: int) -> int:
    """A campaign `cl` whose one event has `count` accepted e-paper stories, each with a
    clipping image of its own in the media folder; the campaign's id."""
    with app.app_context():
        make = Factories(_db)
        campaign = make.campaign(slug="cl")
        event = make.event(campaign, key="rally", starts_at=beijing(date(2006, 4, 27)))
        outlet = make.outlet(name="安徽日报")
        for n in range(count):
            article = make.article(outlet, title=f"报道{n}", page_number=1, page_name="要闻",
                                   published_at=beijing(date(2006, 4, 27)))
            picture = io.BytesIO()
            Image.new("RGB", (120, 80), (40 * n, 0, 0)).save(picture, format="PNG")
            _db.session.add(ArticleMedia(
                article_id=article.id, page_image_url="http://paper.test/1.png",
                clipping_path=keep_file("clippings", picture.getvalue(), ".png").path))
            _db.session.add(Match(event_id=event.id, article_id=article.id, status="accepted",
                                  auto=False, explanation={}))
        _db.session.commit()
        return campaign.id


def queue(app: Any, campaign_id: int, fmt: str) -> int:
    with app.app_context():
        job = ExportJob(campaign_id=campaign_id, format=fmt, filters={}, status="queued",
                        download_name=f"cl.{fmt}")
        _db.session.add(job)
        _db.session.commit()
        return job.id


def images_in(path: Path, fmt: str) -> int:
    if fmt == "docx":
        return len(Document(str(path)).inline_shapes)
    with zipfile.ZipFile(path) as archive:
        return sum(1 for name in archive.namelist() if name.endswith(".png"))


@pytest.mark.parametrize("fmt", ["docx", "zip"])
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_slow_image_phase_keeps_the_jobs_lease(committed_app, tmp_path, monkeypatch,
                                                 backend: str, fmt: str) -> None:
    """Each clipping image takes IMAGE_MINUTES on the job's clock, IMAGES of them outlast the
    lease: a second worker's claim before each image finds the lease renewed and gets
    nothing; the job ends done by its first worker, tried once, with every image."""
    with committed_app(tmp_path, backend, MEDIA_FOLDER=str(tmp_path / "media")) as app:
        job_id = queue(app, clipped_campaign(app, IMAGES), fmt)
        clock = Clock()
        taken: list[int | None] = []

        def slowly(work: Callable[..., Any]) -> Callable[..., Any]:
            def image(*args: Any, **kwargs: Any) -> Any:
                clock.now += IMAGE_MINUTES
                with app.app_context():  # another worker, with a session of its own
                    taken.append(claim_job("other", lease=LEASE, now=clock.now))
                return work(*args, **kwargs)
            return image

        if fmt == "docx":
            monkeypatch.setattr(docx_module, "_picture", slowly(docx_module._picture))
        else:
            monkeypatch.setattr(zipfile.ZipFile, "write", slowly(zipfile.ZipFile.write))
        with app.app_context():
            assert claim_job("first", lease=LEASE, now=clock.now) == job_id
            status = run_job(job_id, "first", lease=LEASE, clock=clock)
            job = _db.session.get(ExportJob, job_id)
            _db.session.refresh(job)
        assert taken == [None] * IMAGES
        assert (status, job.status, job.attempts, job.claimed_by) == ("done", "done", 1, None)
        assert images_in(Path(app.config["INSTANCE_PATH"]) / "exports" / job.file, fmt) == IMAGES
