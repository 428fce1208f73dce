"""The read-only JSON API, /api/v1/. Every request but the OpenAPI document carries a user's
token (`Authorization: Bearer …`); the session login does not apply here (see
`campaign.auth.session.enforce_access`), so the check below is the only gate."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from campaign.api.openapi import openapi_document
from campaign.api.serialise import (
    campaign_json,
    clipping_json,
    event_json,
    outlet_json,
    source_json,
)
from campaign.api.tokens import API, CALENDAR, bearer_secret, check_token
from campaign.core.values import MAX_INT_PARAM, int_param
from campaign.exports.filters import FilterError, filter_args, parse_filter
from campaign.exports.rows import count_clipping_rows, page_of_rows
from campaign.extensions import db
from campaign.ingest.health import sources_health
from campaign.planning.ical import campaign_calendar
from campaign.planning.models import Campaign
from campaign.planning.operations import get_campaign
from campaign.planning.outlets import all_outlets
from campaign.sources.models import Source

bp = Blueprint("api", __name__, url_prefix="/api/v1")

PUBLIC = {"api.openapi"}
# Calendar clients cannot send headers: the feed also takes a calendar token as ?token=.
# A token in a URL leaks (logs, shared links), so only a calendar-scoped one is read there.
QUERY_TOKEN = {"api.campaign_calendar_feed"}
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MESSAGES = {
    "missing_token": "Send an API token: Authorization: Bearer <token>.",
    "malformed_token": "The Authorization header is not 'Bearer <token>', or the token is "
                       "not one this server issues.",
    "invalid_token": "Unknown token.",
    "revoked_token": "This token has been revoked.",
    "insufficient_scope": "This token does not open this endpoint (a calendar token reads "
                          "only the calendar feeds).",
}


class ApiError(Exception):
    """An error answered as JSON: {"error": code, "message": …}."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@bp.errorhandler(ApiError)
def _api_error(error: ApiError) -> tuple[Response, int]:
    response = jsonify(error=error.code, message=error.message, status=error.status)
    if error.status == 401:
        response.headers["WWW-Authenticate"] = (
            f'Bearer realm="campaign-tracker", error="invalid_token", '
            f'error_description="{error.code}"')
    return response, error.status


@bp.before_request
def _authenticate() -> None:
    """Every API request names a live token of an active user, or is answered 401."""
    if request.endpoint in PUBLIC:
        return
    secret, well_formed = bearer_secret(request.headers.get("Authorization"))
    scopes: tuple[str, ...] = (API,)
    if request.endpoint in QUERY_TOKEN:
        scopes = (API, CALENDAR)
        if secret is None and well_formed:
            secret, scopes = request.args.get("token") or None, (CALENDAR,)
    check = check_token(secret, scopes) if well_formed else None
    if check is None or check.user is None:
        code = check.error if check else "malformed_token"
        raise ApiError(403 if code == "insufficient_scope" else 401, code, MESSAGES[code])
    db.session.commit()  # the token's last use
    g.api_user = check.user


def _campaign(slug: str) -> Campaign:
    campaign = get_campaign(slug)
    if campaign is None:
        raise ApiError(404, "not_found", f"No campaign {slug}.")
    return campaign


def _positive_int(name: str, default: int) -> int:
    raw = request.args.get(name, "")
    if not raw:
        return default
    value = int_param(raw) if raw.isascii() and raw.isdigit() else None
    if value is None:
        raise ApiError(400, "bad_request",
                       f"{name} must be a whole number from 1 to {MAX_INT_PARAM}.")
    return value


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    """The OpenAPI 3.1 description of this API."""
    return jsonify(openapi_document(url_for("api.campaigns", _external=True).rsplit("/", 1)[0]))


@bp.get("/campaigns")
def campaigns() -> ResponseReturnValue:
    """Every campaign, the latest first."""
    rows = db.session.scalars(select(Campaign).order_by(Campaign.starts_on.desc())).all()
    return jsonify(items=[campaign_json(c) for c in rows])


@bp.get("/campaigns/<slug>")
def campaign(slug: str) -> ResponseReturnValue:
    """One campaign."""
    return jsonify(campaign_json(_campaign(slug)))


@bp.get("/campaigns/<slug>/events")
def events(slug: str) -> ResponseReturnValue:
    """The campaign's events in date order, each with its accepted coverage counted."""
    found = _campaign(slug)
    return jsonify(items=[event_json(e) for e in found.events_in_order])


@bp.get("/campaigns/<slug>/coverage")
def coverage(slug: str) -> ResponseReturnValue:
    """The clipping list of the campaign, filtered like the exports, a page at a time."""
    found = _campaign(slug)
    try:
        selected = parse_filter(found, request.args)
    except FilterError as error:
        raise ApiError(400, "bad_request", f"{error.field}: {error}") from None
    page = _positive_int("page", 1)
    per_page = min(_positive_int("per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)
    total = count_clipping_rows(selected)
    items = page_of_rows(selected, page, per_page)
    return jsonify(items=[clipping_json(r) for r in items], page=page, per_page=per_page,
                   total=total, next=_page_link(slug, page + 1, per_page, total),
                   prev=_page_link(slug, page - 1, per_page, total))


def _page_link(slug: str, page: int, per_page: int, total: int) -> str | None:
    if page < 1 or (page - 1) * per_page >= total:
        return None
    args: dict[str, Any] = {**filter_args(request.args), "page": page, "per_page": per_page}
    return url_for("api.coverage", slug=slug, _external=True, **args)


@bp.get("/campaigns/<slug>/calendar.ics")
def campaign_calendar_feed(slug: str) -> ResponseReturnValue:
    """The campaign's iCalendar feed for calendar clients: an API or calendar token in the
    header, or a calendar token as ?token=."""
    body = campaign_calendar(_campaign(slug))
    return Response(body, mimetype="text/calendar", headers={"Cache-Control": "no-cache"})


@bp.get("/outlets")
def outlets() -> ResponseReturnValue:
    """The outlet directory."""
    return jsonify(items=[outlet_json(o) for o in all_outlets()])


@bp.get("/sources")
def sources() -> ResponseReturnValue:
    """Every source with its fetch health: state, last outcome, last success, failures."""
    rows = db.session.scalars(select(Source).order_by(Source.id)).all()
    return jsonify(items=[source_json(h) for h in sources_health(rows)])
