"""Source pages: the list with health, a source's fetch runs, forms, import, add by URL, and
"fetch now". Everyone reads; admins change sources; officers may ask for a fetch."""

from __future__ import annotations

import json
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from campaign.auth.session import role_required
from campaign.core.choices import select_choices
from campaign.core.sqlite import briefly, reads_only
from campaign.extensions import db
from campaign.ingest.health import source_health, sources_health
from campaign.planning.models import Outlet
from campaign.planning.outlets import all_outlets
from campaign.sources import operations as ops
from campaign.sources.blueprint import bp
from campaign.sources.forms import (
    ConfirmProposalForm,
    DiscoverForm,
    ImportSourcesForm,
    SourceForm,
)
from campaign.sources.importing import SourceFileError, import_sources_file
from campaign.sources.models import FetchRun, Source
from campaign.sources.probe import blocked_url_message, discover

__all__ = ["bp"]

RECENT_RUNS = 50
# Problems first: the page is read to find what needs attention.
STATE_ORDER = ["failing", "silent", "pending", "fine", "disabled"]


def _source_or_404(source_id: int) -> Source:
    return db.session.get(Source, source_id) or abort(404)


def _outlet_choices() -> list[Any]:  # WTForms SelectChoice, untyped by types-WTForms 3.2
    return select_choices((o.id, o.name) for o in all_outlets())


def _field_error(form: object, field: str, message: str) -> None:
    target = getattr(form, field, None)
    if target is None or not hasattr(target, "errors"):
        flash(message, "error")
    else:
        target.errors = [*target.errors, message]


@bp.get("/sources")
def source_list() -> str:
    sources = db.session.scalars(
        select(Source).join(Source.outlet).options(contains_eager(Source.outlet))
        .order_by(Outlet.name, Source.type, Source.id)).all()
    rows = sorted(sources_health(sources), key=lambda row: STATE_ORDER.index(row.state))
    return render_template("sources/source_list.html", rows=rows)


@bp.get("/sources/<int:source_id>")
def source_detail(source_id: int) -> str:
    source = _source_or_404(source_id)
    runs = db.session.scalars(select(FetchRun).where(FetchRun.source_id == source.id)
                              .order_by(FetchRun.started_at.desc()).limit(RECENT_RUNS)).all()
    return render_template("sources/source_detail.html", row=source_health(source), runs=runs)


def _refuse_blocked(form: SourceForm | ConfirmProposalForm) -> bool:
    """Add the guard's refusal to the URL field; True when the URL may not be fetched."""
    message = blocked_url_message((form.url.data or "").strip())
    if message:
        form.url.errors = [*form.url.errors, message]
    return message is not None


def _store(form: SourceForm | ConfirmProposalForm, source: Source | None, *,
           shown: tuple[str, ...] | None = None) -> Source | None:
    """Validate the form and save it as `source` (a new one when None), committed; None when
    it was not submitted or its errors are on the form. An error on a field not in `shown`
    goes to the outlet field (the others are hidden)."""
    if not form.validate_on_submit() or _refuse_blocked(form):  # (the guard may look the host
        return None  # up in DNS: the views are reads_only, and only the save takes the lock)
    outlet = db.session.get(Outlet, form.outlet.data) or abort(400)
    try:
        saved = briefly(lambda: ops.save_source(source, outlet, form.to_input()))
    except ops.SourceError as error:
        db.session.rollback()
        field = error.field if shown is None or error.field in shown else "outlet"
        _field_error(form, field, error.message)
        return None
    db.session.commit()
    return saved


def _save(form: SourceForm, source: Source | None) -> ResponseReturnValue:
    saved = _store(form, source)
    if saved is not None:
        flash(_("已保存。"), "success")
        return redirect(url_for("sources.source_detail", source_id=saved.id))
    status = 422 if form.errors else 200
    return render_template("sources/source_form.html", form=form, source=source), status


@bp.route("/sources/new", methods=["GET", "POST"])
@role_required("admin")
@reads_only  # the URL's host is checked first (a DNS lookup); then a short write
def source_new() -> ResponseReturnValue:
    form = SourceForm()
    form.outlet.choices = _outlet_choices()
    return _save(form, None)


@bp.route("/sources/<int:source_id>/edit", methods=["GET", "POST"])
@role_required("admin")
@reads_only  # the URL's host is checked first (a DNS lookup); then a short write
def source_edit(source_id: int) -> ResponseReturnValue:
    source = _source_or_404(source_id)
    form = SourceForm(obj=source)
    form.outlet.choices = _outlet_choices()
    if not form.is_submitted():
        form.outlet.data = source.outlet_id
        form.fill_selectors(dict(source.selectors or {}))
    return _save(form, source)


@bp.post("/sources/<int:source_id>/delete")
@role_required("admin")
def source_delete(source_id: int) -> ResponseReturnValue:
    source = _source_or_404(source_id)
    ops.delete_source(source)
    db.session.commit()
    flash(_("已删除来源。"), "success")
    return redirect(url_for("sources.source_list"))


@bp.post("/sources/<int:source_id>/toggle")
@role_required("admin")
def source_toggle(source_id: int) -> ResponseReturnValue:
    source = _source_or_404(source_id)
    ops.set_enabled(source, not source.enabled)
    db.session.commit()
    flash(_("已启用来源。") if source.enabled else _("已停用来源。"), "success")
    return redirect(url_for("sources.source_list"))


@bp.post("/sources/<int:source_id>/fetch")
def source_fetch(source_id: int) -> ResponseReturnValue:
    source = _source_or_404(source_id)
    ops.request_fetch(source)
    db.session.commit()
    flash(_("已加入抓取队列"), "success")
    return redirect(url_for("sources.source_list", _anchor=f"source-{source.id}"))


@bp.route("/sources/import", methods=["GET", "POST"])
@role_required("admin")
def source_import() -> ResponseReturnValue:
    form = ImportSourcesForm()
    if form.validate_on_submit():
        try:
            upload = form.file.data
            assert upload is not None  # the form requires a file
            result = import_sources_file(upload.read())
        except SourceFileError as error:
            db.session.rollback()
            form.file.errors = [str(error)]
        else:
            db.session.commit()
            flash(_("已导入：新增 %(created)d 个来源，更新 %(updated)d 个，未变 %(unchanged)d 个。",
                    created=result.created, updated=result.updated,
                    unchanged=result.unchanged), "success")
            if result.outlets_created:
                flash(_("新建了媒体：%(names)s。请在媒体名录中核对其级别和类型。",
                        names=_("、").join(result.outlets_created)), "warning")
            return redirect(url_for("sources.source_list"))
    status = 422 if form.errors else 200
    return render_template("sources/source_import.html", form=form), status


@bp.route("/sources/discover", methods=["GET", "POST"])
@reads_only  # the probe may take 20 s: never hold SQLite's write lock meanwhile
@role_required("admin")
def source_discover() -> str | tuple[str, int]:
    form = DiscoverForm()
    found = None
    if form.validate_on_submit():
        try:
            found = discover(form.url.data or "")
        except ops.SourceError as error:
            form.url.errors = [error.message]
    status = 422 if form.errors else 200
    confirm = ConfirmProposalForm(formdata=None)
    confirm.outlet.choices = _outlet_choices()
    if found is not None:
        confirm.outlet.data = _guess_outlet(found.names())
    return render_template("sources/source_discover.html", form=form, found=found,
                           confirm=confirm, dumps=_dumps), status


def _guess_outlet(texts: list[str]) -> int | None:
    """The outlet whose name (or an alias) appears in the page's or the feed's title."""
    for outlet in sorted(all_outlets(), key=lambda o: -len(o.name)):
        names = [outlet.name, *outlet.alias_list]
        if any(name and name in text for name in names for text in texts):
            return outlet.id
    return None


def _dumps(selectors: dict[str, str]) -> str:
    return json.dumps(selectors, ensure_ascii=False)


@bp.post("/sources/discover/save")
@role_required("admin")
@reads_only  # the URL's host is checked first (a DNS lookup); then a short write
def source_discover_save() -> ResponseReturnValue:
    form = ConfirmProposalForm()
    form.outlet.choices = _outlet_choices()
    saved = _store(form, None, shown=("url", "name"))
    if saved is not None:
        flash(_("已添加来源。"), "success")
        return redirect(url_for("sources.source_detail", source_id=saved.id))
    return render_template("sources/source_confirm.html", form=form), 422
