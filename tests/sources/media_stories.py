"""What the media-pass tests build: matched e-paper stories and accepted web articles, the
page image they are cut from, a route that answers differently each time, and time passing
for a failed download's next try."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from PIL import Image, ImageDraw

from campaign.articles.models import Article, ArticleMedia
from campaign.core.times import utcnow
from campaign.coverage.models import Match
from config import load_settings
from tests.scrapers.scraper_server import Reply

STORY = "20,40,280,40,280,200,20,200"
PAGE_HTML = ("<html><head><title>职工技能大赛开幕</title></head>"
             "<body><p>省总工会举办职工技能大赛。</p></body></html>").encode()
SHOT_PAGE = ("<html><head><title>职工技能大赛开幕</title><style>body { margin: 0; "
             "background: rgb(200, 30, 30); }</style></head><body><h1>职工技能大赛开幕</h1>"
             "<img src=\"/img/ok.png\"><img src=\"/private/secret.png\"></body></html>").encode()
UNAVAILABLE = Reply(status=503, body=b"busy")


def page_png(size: tuple[int, int] = (600, 880), fmt: str = "PNG") -> bytes:
    """A white page image with one black story box at STORY."""
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).rectangle((20, 40, 280, 200), fill="black")
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


def matched_story(make: Any, db: Any, image_url: str, *, coords: str = STORY,
                  status: str = "suggested", pdf_url: str = "",
                  shown: tuple[int, int] | None = None) -> ArticleMedia:
    """An e-paper article matched to an event, with its page image and outline."""
    article = make.article(title="职工技能大赛开幕")
    event = make.event()
    db.session.add(Match(event_id=event.id, article_id=article.id, status=status, score=0.9,
                         auto=True, day=article.day))
    row = ArticleMedia(article_id=article.id, page_image_url=image_url, page_pdf_url=pdf_url,
                       area_coords=coords, shown_width=shown[0] if shown else None,
                       shown_height=shown[1] if shown else None)
    db.session.add(row)
    db.session.commit()
    return row


def web_story(make: Any, db: Any, url: str) -> Article:
    """An accepted web article at `url`."""
    article = make.article(title="职工技能大赛开幕", url=url)
    db.session.add(Match(event_id=make.event().id, article_id=article.id, status="accepted",
                         score=0.9, auto=True, day=article.day))
    db.session.commit()
    return article


def settle(app: Flask, monkeypatch: pytest.MonkeyPatch, **env: str) -> None:
    """Set `env`, read the settings as a process would, and put them into the test app."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = load_settings()
    for name in env:
        monkeypatch.setitem(app.config, name, settings[name])


def answers(*replies: Reply) -> Any:
    """A route answering each request with the next of `replies` (the last one ever after)."""
    served: list[Reply] = []

    def route(_seen: Any) -> Reply:
        reply = replies[min(len(served), len(replies) - 1)]
        served.append(reply)
        return reply

    return route


def time_passes(db: Any, row: ArticleMedia) -> None:
    """Bring the row's next tries forward to now (as if their waits were over)."""
    db.session.refresh(row)
    if row.retry_at is not None:
        row.retry_at = utcnow() - timedelta(seconds=1)
    if row.pdf_retry_at is not None:
        row.pdf_retry_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
