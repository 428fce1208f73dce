"""plotly.js, served by the app from the installed plotly package: no CDN, offices are offline.

The file is large (about 4.7 MB), so it is sent gzipped to browsers that accept it (compressed
once per process) and cached by them for a year: its URL carries plotly's version.
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib.resources import files

import plotly
from flask import Response, request
from flask.typing import ResponseReturnValue

CACHE_SECONDS = 365 * 24 * 3600


@cache
def plotly_js() -> bytes:
    """The minified plotly.js bundled with the plotly Python package."""
    return files("plotly").joinpath("package_data", "plotly.min.js").read_bytes()


@cache
def plotly_js_gzipped() -> bytes:
    return gzip.compress(plotly_js(), compresslevel=6, mtime=0)


def plotly_version() -> str:
    return str(plotly.__version__)


def plotly_response() -> ResponseReturnValue:
    """plotly.min.js with long-lived cache headers, gzipped when the browser accepts it."""
    gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
    body = plotly_js_gzipped() if gzipped else plotly_js()
    response = Response(body, mimetype="text/javascript")
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS
    response.cache_control.immutable = True
    response.set_etag(f"plotly-{plotly_version()}-{'gz' if gzipped else 'id'}")
    return response.make_conditional(request)
