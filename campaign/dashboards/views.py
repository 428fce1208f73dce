"""Dashboard pages: the campaign's, each event's, the pieces behind a chart point, and
plotly.js. Every route reads; none writes (leaders see them all)."""

from __future__ import annotations

import math
from typing import Any

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue

from campaign.core.choices import EVENT_TYPES, TIERS
from campaign.core.times import local_today
from campaign.core.values import int_param
from campaign.dashboards import pages
from campaign.dashboards.assets import plotly_response, plotly_version
from campaign.dashboards.filters import DashboardFilters
from campaign.planning.lookups import campaign_or_404, event_or_404
from campaign.planning.outlets import all_outlets

bp = Blueprint("dashboards", __name__)

PIECE_LIST_ROWS = 50  # a page of the drill-down list


def _filter_context(filters: DashboardFilters) -> dict[str, object]:
    return {"filters": filters, "outlets": all_outlets(), "tiers": TIERS,
            "event_types": EVENT_TYPES, "plotly_version": plotly_version(),
            "review_endpoint": "coverage.review_queue" in current_app.view_functions}


@bp.get("/campaigns/<slug>/dashboard")
def campaign_dashboard(slug: str) -> ResponseReturnValue:
    campaign = campaign_or_404(slug)
    filters = DashboardFilters.from_args(request.args).without_drilldown()
    page = pages.campaign_dashboard(campaign, filters, local_today(campaign.timezone))
    return render_template("dashboards/campaign.html", campaign=campaign, page=page,
                           link=pages.PiecesLink(campaign, filters),
                           **_filter_context(filters))


@bp.get("/campaigns/<slug>/events/<key>/dashboard")
def event_dashboard(slug: str, key: str) -> ResponseReturnValue:
    campaign = campaign_or_404(slug)
    event = event_or_404(campaign, key)
    filters = DashboardFilters.from_args(request.args).without_drilldown()
    page = pages.event_dashboard(campaign, event, filters, local_today(campaign.timezone))
    return render_template("dashboards/event.html", campaign=campaign, event=event, page=page,
                           link=pages.PiecesLink(campaign, filters, event=event.key),
                           **_filter_context(filters))


@bp.get("/campaigns/<slug>/dashboard/pieces")
def coverage_list(slug: str) -> ResponseReturnValue:
    campaign = campaign_or_404(slug)
    filters = DashboardFilters.from_args(request.args)
    page = max(int_param(request.args.get("page")) or 1, 1)
    rows, total, event = pages.coverage_page(campaign, filters, PIECE_LIST_ROWS, page)
    last = max(math.ceil(total / PIECE_LIST_ROWS), 1)
    if page > last:  # past the end (the list shrank, or a hand-made URL): the last page
        # Typed as Any for url_for, whose own keyword flags (_external, _anchor, ...) are
        # typed: the filters' names never start with an underscore.
        args: dict[str, Any] = {**filters.to_args(), "page": last}
        return redirect(url_for("dashboards.coverage_list", slug=slug, **args))
    return render_template("dashboards/pieces.html", campaign=campaign, event=event, rows=rows,
                           total=total, page=page, pages=last, **_filter_context(filters))


@bp.get("/dashboards/plotly.min.js")
def plotly_js() -> ResponseReturnValue:
    return plotly_response()
