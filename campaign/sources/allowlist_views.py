"""The allowed-hosts page: list, add and remove the local-network hosts sources may fetch."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from campaign.auth.session import role_required
from campaign.extensions import db
from campaign.sources.allowlist import (
    AllowedHostError,
    add_allowed_host,
    list_allowed_hosts,
    ports_opened,
    remove_allowed_host,
)
from campaign.sources.blueprint import bp
from campaign.sources.forms import AllowedHostForm
from campaign.sources.models import AllowedHost

__all__ = ["bp"]


@bp.route("/sources/allowed-hosts", methods=["GET", "POST"])
@role_required("admin")
def allowed_hosts() -> ResponseReturnValue:
    form = AllowedHostForm()
    if form.validate_on_submit():
        try:
            row = add_allowed_host(form.host.data or "", form.note.data or "")
        except AllowedHostError as error:
            db.session.rollback()
            form.host.errors = [str(error)]
        else:
            db.session.commit()
            flash(_("已允许抓取 %(host)s。", host=row.host), "success")
            return redirect(url_for("sources.allowed_hosts"))
    status = 422 if form.errors else 200
    configured = list(current_app.config.get("SOURCE_ALLOW_HOSTS", []))
    return render_template("sources/allowed_hosts.html", form=form, rows=list_allowed_hosts(),
                           configured=configured, ports_opened=ports_opened), status


@bp.post("/sources/allowed-hosts/<int:host_id>/delete")
@role_required("admin")
def allowed_host_delete(host_id: int) -> ResponseReturnValue:
    row = db.session.get(AllowedHost, host_id) or abort(404)
    remove_allowed_host(row)
    db.session.commit()
    flash(_("已移除 %(host)s。", host=row.host), "success")
    return redirect(url_for("sources.allowed_hosts"))
