"""Which language a page is shown in: Simplified Chinese unless the user chose English."""

from __future__ import annotations

from flask import has_request_context, request, session

LANGUAGES = {"zh_Hans_CN": "简体中文", "en": "English"}
DEFAULT_LOCALE = "zh_Hans_CN"


def select_locale() -> str:
    """The session's chosen language; Chinese by default (not the browser's Accept-Language,
    because the office's machines often run English Windows)."""
    if not has_request_context():  # commands and jobs write in the default language
        return DEFAULT_LOCALE
    chosen = session.get("locale")
    if chosen in LANGUAGES:
        return str(chosen)
    if request.args.get("lang") in LANGUAGES:
        return str(request.args["lang"])
    return DEFAULT_LOCALE
