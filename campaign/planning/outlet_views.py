"""The outlet directory pages."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from campaign.auth.session import role_required
from campaign.extensions import db
from campaign.planning.forms import OutletForm, split_words
from campaign.planning.models import Outlet
from campaign.planning.outlets import all_outlets, load_starter_directory, save_outlet
from campaign.planning.rules import PlanningError
from campaign.planning.views import bp


@bp.get("/outlets")
def outlet_list() -> ResponseReturnValue:
    return render_template("planning/outlets.html", outlets=all_outlets())


def _save(form: OutletForm, outlet: Outlet | None) -> ResponseReturnValue:
    if form.is_submitted() and outlet is not None and "aliases" not in request.form:
        # Without the field the form would fall back on the stored list: refuse, keep them.
        form.aliases.data = "、".join(outlet.alias_list)
        form.aliases.errors = [_("表单缺少“别名”一栏（要清空别名请提交空值）")]
        return render_template("planning/outlet_form.html", form=form, outlet=outlet), 422
    if form.validate_on_submit():
        try:
            save_outlet(outlet, name=form.name.data or "", tier=form.tier.data or "",
                        kind=form.kind.data or "", region=form.region.data or "",
                        aliases=split_words(form.aliases.data))
        except PlanningError as error:
            db.session.rollback()
            getattr(form, error.field).errors = [error.message]
        else:
            db.session.commit()
            flash(_("已保存。"), "success")
            return redirect(url_for("planning.outlet_list"))
    status = 422 if form.errors else 200
    return render_template("planning/outlet_form.html", form=form, outlet=outlet), status


@bp.route("/outlets/new", methods=["GET", "POST"])
@role_required("officer")
def outlet_new() -> ResponseReturnValue:
    return _save(OutletForm(), None)


@bp.route("/outlets/<int:outlet_id>/edit", methods=["GET", "POST"])
@role_required("officer")
def outlet_edit(outlet_id: int) -> ResponseReturnValue:
    outlet = db.session.get(Outlet, outlet_id) or abort(404)
    form = OutletForm(obj=outlet)
    if not form.is_submitted():
        form.aliases.data = "、".join(outlet.alias_list)
    return _save(form, outlet)


@bp.post("/outlets/load-directory")
def outlet_load_directory() -> ResponseReturnValue:
    added = load_starter_directory()
    db.session.commit()
    flash(_("已从内置名录添加 %(n)d 家媒体。", n=added), "success")
    return redirect(url_for("planning.outlet_list"))
