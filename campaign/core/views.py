"""Pages every user reaches: the home page and the language switch."""

from __future__ import annotations

from flask import Blueprint, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from campaign.core.i18n import LANGUAGES
from campaign.core.values import safe_next
from campaign.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/")
def index() -> ResponseReturnValue:
    return redirect(url_for("planning.campaign_list"))


@bp.post("/language")
def set_language() -> ResponseReturnValue:
    locale = request.form.get("locale", "")
    if locale in LANGUAGES:
        session["locale"] = locale
        if current_user.is_authenticated:  # the user's stored language: pages and mail
            current_user.language = locale
            db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("core.index"))


@bp.get("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """The app's SVG icon, for browsers that ask /favicon.ico (pages without an icon link)."""
    return redirect(url_for("static", filename="favicon.svg"))


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    return "ok", 200

