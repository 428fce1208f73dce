"""The clipping check of ``python -m eval.run --clippings``: after the media pass, each accepted
e-paper piece's crop box against the bounding box of its image-map areas (scaled to the stored
image), as a share of the page's size. Runs inside the instance (``python -m eval.officer
clippings``); reads, never writes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from eval.scoring import Label, url_key

TOLERANCE = 0.02  # of the page's width (left, right) or height (top, bottom)


def deviation(row: Any) -> float:
    """The largest distance between a side of the crop box and the same side of the map
    areas' box, as a share of the page's width or height."""
    from scrapers.clipping import area_box, parse_coords, scale_points

    size = (row.page_width, row.page_height)
    left, top, right, bottom = area_box(
        [scale_points(parse_coords(c), row.shown_size, size) for c in row.coords])
    return float(max(abs(row.crop_left - left) / size[0], abs(row.crop_right - right) / size[0],
               abs(row.crop_top - top) / size[1], abs(row.crop_bottom - bottom) / size[1]))


def check_clippings(slug: str, labels: list[Label]) -> dict[str, Any]:
    """Accepted e-paper pieces of the campaign (those with a page image and map), how many
    have a clipping, how many lie within TOLERANCE, the worst deviation, and the notes of
    pieces without one; `labelled` counts the pieces the labels say are coverage."""
    from campaign.articles.models import Article, ArticleMedia
    from campaign.coverage.models import Match
    from campaign.extensions import db
    from campaign.planning.models import Event

    truth = {label.url: label.events for label in labels}
    rows = db.session.execute(
        select(ArticleMedia, Article.url, Event.key).join(Article, Article.id ==
                                                          ArticleMedia.article_id)
        .join(Match, Match.article_id == Article.id).join(Event, Event.id == Match.event_id)
        .where(Match.status == "accepted", ArticleMedia.page_image_url != "",
               Event.campaign.has(slug=slug))).all()
    pieces: dict[int, Any] = {}
    labelled: set[int] = set()
    for media, url, key in rows:
        pieces[media.article_id] = media
        if key in truth.get(url_key(url), frozenset()):
            labelled.add(media.article_id)
    clipped = [m for m in pieces.values() if m.clipping_path]
    deviations = {m.article_id: deviation(m) for m in clipped}
    return {"pieces": len(pieces), "labelled": len(labelled), "clipped": len(clipped),
            "within": sum(d <= TOLERANCE for d in deviations.values()),
            "labelled_within": sum(deviations.get(i, 1.0) <= TOLERANCE for i in labelled),
            "max_deviation": round(max(deviations.values(), default=0.0), 4),
            "notes": sorted({m.note for m in pieces.values() if m.note})[:10]}
