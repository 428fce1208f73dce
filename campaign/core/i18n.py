"""Which language a page is shown in: Simplified Chinese unless the user chose English."""

from __future__ import annotations

from flask import has_request_context, request, session
from flask_login import current_user

LANGUAGES = {"zh_Hans_CN": "简体中文", "en": "English"}
DEFAULT_LOCALE = "zh_Hans_CN"


def select_locale() -> str:
    """The logged-in user's stored language (the one their mail is written in), else the
    session's chosen language; Chinese by default (not the browser's Accept-Language, because
    the office's machines often run English Windows)."""
    if not has_request_context():  # commands and jobs write in the default language
        return DEFAULT_LOCALE
    stored = getattr(current_user, "language", None) if current_user.is_authenticated else None
    if stored in LANGUAGES:
        return str(stored)
    chosen = session.get("locale")
    if chosen in LANGUAGES:
        return str(chosen)
    if request.args.get("lang") in LANGUAGES:
        return str(request.args["lang"])
    return DEFAULT_LOCALE
