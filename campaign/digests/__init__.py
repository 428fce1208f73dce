"""Digests and alerts: a campaign's coverage sent by e-mail and to group-chat robots."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The blueprint, the `oneline` filter of the mail templates, and the failed deliveries
    offered to the sources page (a lower floor, which cannot import this)."""
    from campaign.digests.channels import one_line
    from campaign.digests.operations import failed_deliveries
    from campaign.digests.views import bp

    app.register_blueprint(bp)
    app.jinja_env.filters["oneline"] = one_line
    app.jinja_env.globals["failed_deliveries"] = failed_deliveries
