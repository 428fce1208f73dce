"""Coverage by link, in the browser: paste links for an event (links.js fetches them one by one
and shows the progress; without it the form does them all), type by hand what a page would not
say, and 归入活动 (attach to an event) from an article's page or the search results.
Routes on the coverage blueprint."""

from __future__ import annotations

from typing import Any

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from campaign.articles.models import Article
from campaign.auth.session import role_required
from campaign.core.sqlite import briefly, reads_only
from campaign.core.values import date_param, int_param, safe_next
from campaign.coverage.matching import add_match
from campaign.coverage.views import bp
from campaign.extensions import db
from campaign.ingest.links import (
    MAX_LINKS,
    LinkOutcome,
    add_link_by_hand,
    attach_link,
    fetch_link,
    split_links,
)
from campaign.planning.lookups import campaign_or_404
from campaign.planning.models import Campaign, Event, Outlet
from campaign.planning.outlets import all_outlets
from campaign.sources.operations import SourceError


def _outlet(value: str | None) -> Outlet | None:
    outlet_id = int_param(value or "")
    return db.session.get(Outlet, outlet_id) if outlet_id else None


def _page(campaign: Campaign, *, status: int = 200, **context: Any) -> ResponseReturnValue:
    context.setdefault("outcomes", [])
    context.setdefault("text", "")
    context.setdefault("chosen_event", request.values.get("event", ""))
    return render_template("coverage/links.html", campaign=campaign,
                           events=campaign.events_in_order,
                           outlets=all_outlets(), max_links=MAX_LINKS, **context), status


@bp.get("/campaigns/<slug>/links")
@role_required("officer")
def links_page(slug: str) -> ResponseReturnValue:
    """The paste-links form."""
    return _page(campaign_or_404(slug))


@bp.post("/campaigns/<slug>/links")
@reads_only  # the links are fetched first (seconds each); only their writes take the lock
def links_add(slug: str) -> ResponseReturnValue:
    """Fetch every pasted link (the form without links.js) and show what became of each."""
    campaign = campaign_or_404(slug)
    text = request.form.get("links", "")
    event, links = campaign.event_with_key(request.form.get("event")), split_links(text)
    error = _refusal(event, links)
    if error:
        return _page(campaign, status=422, text=text, error=error)
    assert event is not None  # _refusal said so
    outlet = _outlet(request.form.get("outlet_id"))
    fetched = [fetch_link(event, url, outlet=outlet) for url in links]
    outcomes = briefly(lambda: [attach_link(event, link, current_user) for link in fetched])
    db.session.commit()
    return _page(campaign, text="", outcomes=outcomes, chosen_event=event.key)


def _refusal(event: Event | None, links: list[str]) -> str:
    if event is None:
        return _("请选择要归入的活动。")
    if not links:
        return _("请粘贴至少一个链接。")
    if len(links) > MAX_LINKS:
        return _("一次最多 %(n)d 个链接。", n=MAX_LINKS)
    return ""


@bp.post("/campaigns/<slug>/links/one")
@reads_only  # the link is fetched first; only its write takes the lock
def links_add_one(slug: str) -> ResponseReturnValue:
    """One link, for links.js: JSON with what became of it."""
    campaign = campaign_or_404(slug)
    event = campaign.event_with_key(request.form.get("event"))
    url = request.form.get("url", "").strip()
    error = _refusal(event, [url] if url else [])
    if error:
        return jsonify(ok=False, message=error), 422
    assert event is not None
    fetched = fetch_link(event, url, outlet=_outlet(request.form.get("outlet_id")))
    outcome = briefly(lambda: attach_link(event, fetched, current_user))
    db.session.commit()
    return jsonify(ok=True, **outcome_json(outcome))


def outcome_json(outcome: LinkOutcome) -> dict[str, Any]:
    """A link's outcome for links.js (scraped text as data; the script writes it as text)."""
    reading = outcome.reading
    published = reading.published_at if reading is not None else None
    return {
        "url": outcome.url, "status": outcome.status, "done": outcome.done,
        "message": outcome.message,
        "title": outcome.article.title if outcome.article else (reading.title if reading else ""),
        "outlet": outcome.outlet.name if outcome.outlet else "",
        "article": url_for("sources.article_detail", article_id=outcome.article.id)
        if outcome.article else "",
        "date": published.date().isoformat() if published else "",
    }


@bp.post("/campaigns/<slug>/links/manual")
def links_by_hand(slug: str) -> ResponseReturnValue:
    """Store a link described by hand (title, outlet, date) and attach it to the event."""
    campaign = campaign_or_404(slug)
    event = campaign.event_with_key(request.form.get("event"))
    outlet = _outlet(request.form.get("outlet_id"))
    title = request.form.get("title", "").strip()
    day = date_param(request.form.get("date", "").strip())
    url = request.form.get("url", "").strip()
    problems = [message for missing, message in (
        (event is None, _("请选择要归入的活动。")), (outlet is None, _("请选择媒体。")),
        (not title, _("请填写标题。")), (day is None, _("请填写正确的日期（如 2006-04-25）。")),
    ) if missing]
    if event is not None and outlet is not None and day is not None and not problems:
        try:
            add_link_by_hand(event, url, current_user, title=title, outlet=outlet, day=day)
        except (SourceError, ValueError) as error:
            problems.append(getattr(error, "message", "") or _("链接无效。"))
    if problems or event is None:
        db.session.rollback()
        return _page(campaign, status=422, error=" ".join(problems))
    db.session.commit()
    flash(_("已归入活动：%(title)s", title=title), "success")
    return redirect(url_for("coverage.links_page", slug=campaign.slug, event=event.key))



@bp.post("/articles/attach")
def articles_attach() -> ResponseReturnValue:
    """归入活动: accept the chosen articles (one from its page, the ticked search results) for
    the chosen event, of any campaign."""
    ids = [i for i in map(int_param, request.form.getlist("article_ids")) if i is not None]
    articles = list(db.session.scalars(select(Article).where(Article.id.in_(ids)))) if ids else []
    event = db.session.scalar(select(Event).where(
        Event.id == (int_param(request.form.get("event_id", "")) or 0)))
    back = safe_next(request.form.get("next")) or url_for("sources.article_list")
    if event is None or not articles:
        flash(_("请选择要归入的活动。") if event is None else _("请先勾选文章。"), "error")
        return redirect(back)
    for article in articles:
        add_match(event, article, current_user)
    db.session.commit()
    flash(_("已将 %(n)d 篇文章归入“%(event)s”。", n=len(articles), event=event.title),
          "success")
    return redirect(back)

