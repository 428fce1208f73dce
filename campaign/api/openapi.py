"""The OpenAPI 3.1 description of /api/v1/, written out by hand as a Python dict.

tests/api/test_openapi.py compares its paths with the app's URL map, so a new API route
without a description here fails the suite.
"""

from __future__ import annotations

from typing import Any

JSON = "application/json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _ok(description: str, schema: dict[str, Any], media: str = JSON) -> dict[str, Any]:
    return {"200": {"description": description, "content": {media: {"schema": schema}}},
            "401": {"$ref": "#/components/responses/Unauthorized"}}


def _list_of(name: str) -> dict[str, Any]:
    return {"type": "object", "required": ["items"],
            "properties": {"items": {"type": "array", "items": _ref(name)}}}


SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"},
        "description": "The campaign's slug, e.g. propaganda-month-2006."}
NOT_FOUND = {"404": {"$ref": "#/components/responses/NotFound"}}
COVERAGE_PARAMS = [
    SLUG,
    {"name": "event", "in": "query", "schema": {"type": "string"},
     "description": "Only this event (its key)."},
    {"name": "date_from", "in": "query", "schema": {"type": "string", "format": "date"},
     "description": "From this Beijing date."},
    {"name": "date_to", "in": "query", "schema": {"type": "string", "format": "date"},
     "description": "Up to this Beijing date (included)."},
    {"name": "outlet", "in": "query", "schema": {"type": "integer"},
     "description": "Only this outlet (its id)."},
    {"name": "tier", "in": "query",
     "schema": {"enum": ["central", "provincial", "municipal", "industry", "other"]}},
    {"name": "status", "in": "query",
     "schema": {"enum": ["accepted", "suggested", "rejected", "all"], "default": "accepted"},
     "description": "Matches with this decision (manual clippings count as accepted)."},
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {"name": "per_page", "in": "query",
     "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
     "description": "Rows per page; larger values are cut to 200."},
]

SCHEMAS: dict[str, Any] = {
    "Error": {"type": "object", "required": ["error", "message", "status"], "properties": {
        "error": {"type": "string", "examples": ["missing_token", "malformed_token",
                                                 "invalid_token", "revoked_token", "not_found",
                                                 "bad_request"]},
        "message": {"type": "string"}, "status": {"type": "integer"}}},
    "Campaign": {"type": "object", "properties": {
        "slug": {"type": "string"}, "name": {"type": "string"},
        "starts_on": {"type": "string", "format": "date"},
        "ends_on": {"type": "string", "format": "date"},
        "planning_starts_on": {"type": ["string", "null"], "format": "date"},
        "timezone": {"type": "string"}, "description": {"type": "string"},
        "goals": {"type": "string"},
        "links": {"type": "object", "additionalProperties": {"type": "string", "format": "uri"}}}},
    "Event": {"type": "object", "properties": {
        "key": {"type": "string"}, "title": {"type": "string"}, "type": {"type": "string"},
        "status": {"type": "string"}, "starts_at": {"type": "string", "format": "date-time"},
        "ends_at": {"type": "string", "format": "date-time"}, "all_day": {"type": "boolean"},
        "start_date": {"type": "string", "format": "date"},
        "end_date": {"type": "string", "format": "date"}, "venue": {"type": "string"},
        "keywords": {"type": "array", "items": {"type": "string"}},
        "target_outlets": {"type": ["integer", "null"]},
        "invited_outlets": {"type": "array", "items": {"type": "string"}},
        "slots": {"type": "array", "items": {"type": "object"}},
        "coverage": {"type": "object", "properties": {
            "pieces": {"type": "integer"}, "page_one": {"type": "integer"},
            "reprints": {"type": "integer"}, "to_review": {"type": "integer"},
            "reporting_outlets": {"type": "array", "items": {"type": "string"}},
            "invited_silent": {"type": "array", "items": {"type": "string"}},
            "invited_unmonitored": {"type": "array", "items": {"type": "string"}},
            "target_met": {"type": ["boolean", "null"]}}}}},
    "Clipping": {"type": "object", "description": "A row of the clipping list (剪报目录).",
                 "properties": {
        "seq": {"type": "integer"}, "date": {"type": ["string", "null"], "format": "date"},
        "outlet": {"type": "string"}, "tier": {"type": "string"}, "page": {"type": "string"},
        "page_number": {"type": ["integer", "null"]}, "genre": {"type": "string"},
        "title": {"type": "string"}, "author": {"type": "string"},
        "source": {"type": "string", "description": "转载自 … for reprints, else the credit."},
        "url": {"type": ["string", "null"]}, "event": {"type": "string"},
        "event_title": {"type": "string"}, "kind": {"enum": ["article", "clipping"]},
        "status": {"type": "string"}, "reprint": {"type": "boolean"}}},
    "CoveragePage": {"type": "object", "required": ["items", "page", "per_page", "total"],
                     "properties": {
        "items": {"type": "array", "items": _ref("Clipping")},
        "page": {"type": "integer"}, "per_page": {"type": "integer"},
        "total": {"type": "integer"},
        "next": {"type": ["string", "null"], "format": "uri"},
        "prev": {"type": ["string", "null"], "format": "uri"}}},
    "Outlet": {"type": "object", "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"},
        "aliases": {"type": "array", "items": {"type": "string"}},
        "tier": {"type": "string"}, "kind": {"type": "string"}, "region": {"type": "string"}}},
    "Source": {"type": "object", "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"}, "outlet": {"type": "string"},
        "type": {"enum": ["rss", "html", "epaper"]}, "url": {"type": "string"},
        "enabled": {"type": "boolean"},
        "health": {"type": "object", "properties": {
            "state": {"enum": ["fine", "failing", "silent", "pending", "disabled"]},
            "error": {"type": ["string", "null"]},
            "last_outcome": {"type": ["string", "null"]},
            "last_attempt_at": {"type": ["string", "null"], "format": "date-time"},
            "last_success_at": {"type": ["string", "null"], "format": "date-time"},
            "last_new_at": {"type": ["string", "null"], "format": "date-time"},
            "consecutive_failures": {"type": "integer"}}}}},
}

PATHS: dict[str, Any] = {
    "/openapi.json": {"get": {
        "operationId": "openapi", "summary": "This document.", "security": [],
        "responses": {"200": {"description": "The OpenAPI description.",
                              "content": {JSON: {"schema": {"type": "object"}}}}}}},
    "/campaigns": {"get": {
        "operationId": "campaigns", "summary": "Every campaign, the latest first.",
        "responses": _ok("Campaigns.", _list_of("Campaign"))}},
    "/campaigns/{slug}": {"get": {
        "operationId": "campaign", "summary": "One campaign.", "parameters": [SLUG],
        "responses": {**_ok("The campaign.", _ref("Campaign")), **NOT_FOUND}}},
    "/campaigns/{slug}/events": {"get": {
        "operationId": "events", "parameters": [SLUG],
        "summary": "The campaign's events in date order, with accepted coverage counted.",
        "responses": {**_ok("Events.", _list_of("Event")), **NOT_FOUND}}},
    "/campaigns/{slug}/coverage": {"get": {
        "operationId": "coverage", "parameters": COVERAGE_PARAMS,
        "summary": "The clipping list, filtered and paginated (follow `next`).",
        "responses": {**_ok("A page of the clipping list.", _ref("CoveragePage")),
                      "400": {"$ref": "#/components/responses/BadRequest"}, **NOT_FOUND}}},
    "/campaigns/{slug}/calendar.ics": {"get": {
        "operationId": "campaign_calendar_feed", "parameters": [
            SLUG, {"name": "token", "in": "query", "schema": {"type": "string"},
                   "description": "The API token, for calendar clients that cannot send a "
                                  "header."}],
        "summary": "The campaign's iCalendar feed (RFC 5545).",
        "security": [{"bearer": []}, {"query_token": []}],
        "responses": {**_ok("The calendar.", {"type": "string"}, "text/calendar"),
                      **NOT_FOUND}}},
    "/outlets": {"get": {
        "operationId": "outlets", "summary": "The outlet directory.",
        "responses": _ok("Outlets.", _list_of("Outlet"))}},
    "/sources": {"get": {
        "operationId": "sources", "summary": "Every source with its fetch health.",
        "responses": _ok("Sources.", _list_of("Source"))}},
}


def openapi_document(server_url: str) -> dict[str, Any]:
    """The whole description, with `server_url` (…/api/v1) as its server."""
    error = {"content": {JSON: {"schema": _ref("Error")}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "campaign-tracker API", "version": "1.0.0",
                 "description": "Read-only access to campaigns, events, coverage (the clipping "
                                "list), outlets and sources. Every request needs a user's API "
                                "token, issued by an administrator."},
        "servers": [{"url": server_url}],
        "security": [{"bearer": []}],
        "paths": PATHS,
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer",
                           "description": "Authorization: Bearer <token>"},
                "query_token": {"type": "apiKey", "in": "query", "name": "token"},
            },
            "schemas": SCHEMAS,
            "responses": {
                "Unauthorized": {"description": "Missing, malformed, unknown or revoked token.",
                                 **error},
                "NotFound": {"description": "No such campaign.", **error},
                "BadRequest": {"description": "A filter or page argument is not understood.",
                               **error},
            },
        },
    }
