"""Campaign and event pages: list, calendar, agenda, forms, iCalendar and JSON files."""

from __future__ import annotations

import json
import re
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from campaign.auth.session import role_required
from campaign.core.choices import select_choices
from campaign.core.sqlite import briefly, reads_only
from campaign.core.times import local_today
from campaign.coverage.matching import rematch_briefly
from campaign.coverage.review import campaign_slot_alerts, event_match_counts, suggested_count
from campaign.extensions import db
from campaign.ingest.health import silent_invited_outlets
from campaign.planning import operations as ops
from campaign.planning.calendar import (
    build_weeks,
    campaign_months,
    in_campaign_months,
    month_bounds,
    too_long_for_calendar,
)
from campaign.planning.copies import copy_campaign_briefly
from campaign.planning.editors import may_edit_campaign
from campaign.planning.forms import CampaignForm, CopyCampaignForm, EventForm, ImportCampaignForm
from campaign.planning.ical import campaign_calendar
from campaign.planning.lookups import campaign_or_404, event_or_404
from campaign.planning.models import Campaign, Event
from campaign.planning.outlets import all_outlets
from campaign.planning.plan_file import plan_schema
from campaign.planning.rules import PlanningError
from campaign.planning.transfer import (
    CampaignFileError,
    UnknownOutletsError,
    export_campaign,
    import_plan_briefly,
)

bp = Blueprint("planning", __name__)

MONTH = re.compile(r"^(\d{4})-(\d{1,2})$", re.ASCII)
# Which form field shows an error about which input field.
EVENT_FIELDS = {"starts_at": "start_date", "ends_at": "end_date"}


def _form_error(form: object, field: str, message: str) -> None:
    target = getattr(form, EVENT_FIELDS.get(field, field), None)
    if target is None:
        flash(message, "error")
    else:
        target.errors = [*target.errors, message]


@bp.get("/campaigns")
def campaign_list() -> ResponseReturnValue:
    campaigns = db.session.scalars(
        db.select(Campaign).order_by(Campaign.starts_on.desc())
    ).all()
    return render_template("planning/campaign_list.html", campaigns=campaigns)


@bp.route("/campaigns/new", methods=["GET", "POST"])
@role_required("officer")
def campaign_new() -> ResponseReturnValue:
    form = CampaignForm()
    return _save_campaign_form(form, None)


@bp.route("/campaigns/<slug>/edit", methods=["GET", "POST"])
@role_required("officer")
def campaign_edit(slug: str) -> ResponseReturnValue:
    campaign = campaign_or_404(slug)
    form = CampaignForm(obj=campaign)
    return _save_campaign_form(form, campaign)


def _save_campaign_form(
    form: CampaignForm, campaign: Campaign | None
) -> ResponseReturnValue:
    if form.validate_on_submit():
        try:
            saved = ops.save_campaign(
                campaign, name=form.name.data or "", slug=(form.slug.data or "").strip(),
                starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                planning_starts_on=form.planning_starts_on.data,
                follow_up_ends_on=form.follow_up_ends_on.data,
                timezone=(form.timezone.data or "Asia/Shanghai").strip(),
                description=form.description.data or "", goals=form.goals.data or "",
            )
        except PlanningError as error:
            db.session.rollback()
            _form_error(form, error.field, error.message)
        else:
            db.session.commit()
            flash(_("已保存。"), "success")
            return redirect(url_for("planning.campaign_detail", slug=saved.slug))
    status = 422 if form.errors else 200
    return render_template("planning/campaign_form.html", form=form, campaign=campaign), status


@bp.post("/campaigns/<slug>/delete")
def campaign_delete(slug: str) -> ResponseReturnValue:
    campaign = campaign_or_404(slug)
    name = campaign.name
    ops.delete_campaign(campaign)
    db.session.commit()
    flash(_("已删除活动“%(name)s”。", name=name), "success")
    return redirect(url_for("planning.campaign_list"))


def _selected_month(campaign: Campaign) -> tuple[int, int] | None:
    """?month=YYYY-MM when it is one of the campaign's months (the tabs offer no other);
    anything else shows the whole campaign."""
    match = MONTH.match(request.args.get("month", ""))
    if match is None:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or not in_campaign_months(campaign, year, month):
        return None
    return year, month


@bp.get("/campaigns/<slug>")
def campaign_detail(slug: str) -> ResponseReturnValue:
    campaign = campaign_or_404(slug)
    month = _selected_month(campaign)
    if month is None:
        first, last = campaign.first_day, campaign.last_day
        if too_long_for_calendar(first, last):
            flash(_("活动日期跨度过长（%(first)s 至 %(last)s），日历只显示开头部分；"
                    "请编辑活动，改正开始或结束日期。", first=first.isoformat(),
                    last=last.isoformat()), "error")
    else:
        first, last = month_bounds(*month)
    today = local_today(campaign.timezone)
    weeks = build_weeks(campaign, list(campaign.events), first=first, last=last, today=today,
                        month=month)
    return render_template(
        "planning/campaign_detail.html", campaign=campaign, weeks=weeks, month=month,
        months=campaign_months(campaign), today=today,
        # The panels of the features above planning, passed by name (a page may read them):
        silent_outlets=silent_invited_outlets(campaign), waiting=suggested_count(campaign),
        slot_alerts=campaign_slot_alerts(campaign),
        can_edit=current_user.is_authenticated and may_edit_campaign(campaign, current_user),
    )


@bp.get("/campaigns/<slug>/calendar.ics")
def campaign_ics(slug: str) -> ResponseReturnValue:
    campaign = campaign_or_404(slug)
    body = campaign_calendar(campaign)
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'inline; filename="{campaign.slug}.ics"',
        "Cache-Control": "no-cache",
    })


@bp.get("/campaigns/<slug>/export.json")
def campaign_export(slug: str) -> ResponseReturnValue:
    campaign = campaign_or_404(slug)
    text = json.dumps(export_campaign(campaign), ensure_ascii=False, indent=2)
    return Response(text, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="{campaign.slug}.json"',
    })


@bp.route("/campaigns/import", methods=["GET", "POST"])
@role_required("officer")
@reads_only  # reading and checking a big plan takes seconds: only the write takes the lock
def campaign_import() -> ResponseReturnValue:
    form = ImportCampaignForm()
    if not form.validate_on_submit():
        status = 422 if form.errors else 200
        return render_template("planning/campaign_import.html", form=form), status
    body = form.plan_bytes()
    try:
        result = import_plan_briefly(
            body, update=bool(form.update.data), create_outlets=bool(form.create_outlets.data),
            may_replace=lambda existing: may_edit_campaign(existing, current_user))
    except PermissionError:
        db.session.rollback()
        abort(403)
    except UnknownOutletsError as error:
        db.session.rollback()
        # The confirmation step: the officer sees every missing outlet and may create them.
        form.plan_text.data = body.decode("utf-8")
        return render_template("planning/campaign_import.html", form=form,
                               unknown_outlets=error.names)
    except CampaignFileError as error:
        db.session.rollback()
        form.file.errors = list(error.lines)
        return render_template("planning/campaign_import.html", form=form), 422
    db.session.commit()
    for name in result.created_outlets:
        flash(_("已新建媒体“%(name)s”（级别记为“其他”，请在媒体名录中核对）。", name=name), "info")
    for notice in result.notices:
        flash(notice, "info")
    flash(_("已导入活动“%(name)s”。", name=result.campaign.name), "success")
    return redirect(url_for("planning.campaign_detail", slug=result.campaign.slug))


@bp.route("/plan-schema.json")
def plan_file_schema() -> ResponseReturnValue:
    """The JSON Schema of the plan file, for officers' own tools (no login needed: it holds no
    data, only the format)."""
    text = json.dumps(plan_schema(), ensure_ascii=False, indent=2)
    return Response(text, mimetype="application/schema+json")



@bp.route("/campaigns/<slug>/copy", methods=["GET", "POST"])
@role_required("officer")
@reads_only  # reading and checking a big campaign takes a while: only the write takes the lock
def campaign_copy(slug: str) -> ResponseReturnValue:
    campaign = campaign_or_404(slug)
    form = CopyCampaignForm()
    if request.method == "GET":
        year = campaign.starts_on.year + 1
        form.name.data = campaign.name.replace(str(campaign.starts_on.year), str(year))
        form.slug.data = campaign.slug.replace(str(campaign.starts_on.year), str(year))
    if form.validate_on_submit():
        try:
            copy = copy_campaign_briefly(campaign, slug=(form.slug.data or "").strip(),
                                         name=form.name.data or "",
                                         years=form.years.data or 0)
        except PlanningError as error:
            db.session.rollback()
            _form_error(form, error.field if error.field in ("slug", "name") else "years",
                        error.message)
        else:
            db.session.commit()
            flash(_("已复制为“%(name)s”。", name=copy.name), "success")
            return redirect(url_for("planning.campaign_detail", slug=copy.slug))
    status = 422 if form.errors else 200
    return render_template("planning/campaign_copy.html", form=form, campaign=campaign), status


def _event_form(campaign: Campaign, event: Event | None) -> EventForm:
    form = EventForm(obj=event) if event else EventForm()
    outlets = all_outlets()
    form.invited_outlets.choices = select_choices((o.id, o.name) for o in outlets)
    form.slot_outlet.choices = select_choices([(0, "—")] + [(o.id, o.name) for o in outlets])
    if request.method == "GET" and event is not None:
        _fill_event_form(form, event)
    elif request.method == "GET":
        # The end date stays empty: a one-day event (most of them) ends on its start day,
        # whichever day the officer picks as the start.
        form.start_date.data = _requested_day(campaign)
    return form


def _requested_day(campaign: Campaign) -> date:
    try:
        return date.fromisoformat(request.args.get("date", ""))
    except ValueError:
        return max(campaign.starts_on, min(local_today(campaign.timezone), campaign.ends_on))


def _fill_event_form(form: EventForm, event: Event) -> None:
    form.start_date.data, form.end_date.data = event.start_date, event.end_date
    if not event.all_day:
        form.start_time.data = event.local_start.time()
        form.end_time.data = event.local_end.time()
    form.keywords.data = "、".join(event.keyword_list)
    form.invited_outlets.data = [o.id for o in event.invited_outlets]
    if event.slots:
        first = event.slots[0]
        form.slot_outlet.data, form.slot_genre.data, form.slot_page.data = (
            first.outlet_id, first.genre, first.page)
        form.slot_dates.data = ", ".join(s.planned_on.isoformat() for s in event.slots)
        form.slot_ends_on.data, form.slot_count.data = first.ends_on, first.expected
        form.slot_weekdays.data = [str(n) for n in first.weekday_numbers]


def _save_event_form(campaign: Campaign, event: Event | None) -> ResponseReturnValue:
    form = _event_form(campaign, event)
    if form.validate_on_submit():
        outlets = {o.id: o for o in all_outlets()}
        try:
            data = form.to_input(campaign.timezone, outlets)
            if event is not None:
                ops.keep_duration(event, data)
            saved = briefly(lambda: ops.save_event(campaign, event, data))
        except ValueError as error:
            db.session.rollback()
            if isinstance(error, PlanningError):
                _form_error(form, error.field, error.message)
            else:
                _form_error(form, "slot_dates",
                            _("无法识别的日期：%(value)s", value=error.args[-1]))
        else:
            # Its window, words or slots may have changed: its matches follow at once (the
            # window scored reading, the result a short write of its own).
            db.session.commit()
            rematch_briefly([saved.id])
            db.session.commit()
            flash(_("已保存。"), "success")
            return redirect(url_for("planning.event_detail", slug=campaign.slug, key=saved.key))
    status = 422 if form.errors else 200
    return render_template("planning/event_form.html", form=form, campaign=campaign,
                           event=event), status


@bp.route("/campaigns/<slug>/events/new", methods=["GET", "POST"])
@role_required("officer")
@reads_only  # the event is a short write, then its window is scored reading (see above)
def event_new(slug: str) -> ResponseReturnValue:
    return _save_event_form(campaign_or_404(slug), None)


@bp.route("/campaigns/<slug>/events/<key>/edit", methods=["GET", "POST"])
@role_required("officer")
@reads_only  # the event is a short write, then its window is scored reading (see above)
def event_edit(slug: str, key: str) -> ResponseReturnValue:
    campaign = campaign_or_404(slug)
    return _save_event_form(campaign, event_or_404(campaign, key))


@bp.get("/campaigns/<slug>/events/<key>")
def event_detail(slug: str, key: str) -> ResponseReturnValue:
    campaign = campaign_or_404(slug)
    event = event_or_404(campaign, key)
    return render_template("planning/event_detail.html", campaign=campaign, event=event,
                           counts=event_match_counts(event))


@bp.post("/campaigns/<slug>/events/<key>/delete")
def event_delete(slug: str, key: str) -> ResponseReturnValue:
    campaign = campaign_or_404(slug)
    event = event_or_404(campaign, key)
    ops.delete_event(event)
    db.session.commit()
    flash(_("已删除“%(title)s”。", title=event.title), "success")
    return redirect(url_for("planning.campaign_detail", slug=slug))


@bp.route("/campaigns/<slug>/events/<key>/move", methods=["GET", "POST"])
@role_required("officer")
@reads_only  # the move is a short write, then the window is scored reading (see above)
def event_move(slug: str, key: str) -> ResponseReturnValue:
    """Move an event to another day, keeping its length and time of day: the calendar's drag
    posts here, and this page is its keyboard alternative (a date field)."""
    campaign = campaign_or_404(slug)
    event = event_or_404(campaign, key)
    if request.method == "GET":
        return render_template("planning/event_move.html", campaign=campaign, event=event,
                               day=event.start_date.isoformat(), error=None)
    raw = request.form.get("date", "")[:40]
    try:
        day = date.fromisoformat(raw)
        moved = briefly(lambda: ops.move_event(event, day))
    except ValueError as error:  # not a date, or a PlanningError (outside the campaign)
        db.session.rollback()
        message = (error.message if isinstance(error, PlanningError)
                   else _("无法识别的日期：%(value)s", value=raw))
        return render_template("planning/event_move.html", campaign=campaign, event=event,
                               day=raw, error=message), 422
    db.session.commit()
    rematch_briefly([moved.id])
    db.session.commit()
    flash(_("已将“%(title)s”移到 %(day)s。", title=moved.title, day=raw), "success")
    return redirect(url_for("planning.campaign_detail", slug=slug,
                            month=moved.start_date.strftime("%Y-%m")))
