"""The blueprint of the sources feature: source pages (views.py) and article pages
(article_views.py) register their routes on it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("sources", __name__)
