"""Coverage pages: an event's rule, matches, stats, slots and clippings; the review queue with
accept / reject / move, one at a time or in bulk (HTML forms, or JSON for review.js)."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from campaign.core.sqlite import briefly, reads_only
from campaign.core.times import local_today
from campaign.core.values import int_param, safe_next
from campaign.coverage import clippings as clip_ops
from campaign.coverage import operations as ops
from campaign.coverage.explain import (
    MATCH_STATUS_LABELS,
    QueryProblem,
    default_window_hint,
    query_problem,
    synonym_groups,
)
from campaign.coverage.forms import ClippingForm, CoverageRuleForm
from campaign.coverage.matching import follow_stories_briefly, rematch_briefly
from campaign.coverage.models import Clipping, CoverageRule, Match
from campaign.coverage.query import QueryError
from campaign.coverage.queue import DEFAULT_PAGE_SIZE, PAGE_SIZES, queue_page
from campaign.coverage.review import event_matches, suggested_count
from campaign.coverage.rules import DEFAULT_WINDOWS, suggest_query
from campaign.coverage.stats import event_stats, slot_states
from campaign.coverage.undo import UndoRecord
from campaign.extensions import db
from campaign.planning import operations as planning_ops
from campaign.planning.lookups import campaign_or_404, event_or_404
from campaign.planning.models import Campaign, Event, Outlet
from campaign.planning.outlets import all_outlets

bp = Blueprint("coverage", __name__)
EVENT = "/campaigns/<slug>/events/<key>"


def _wants_json() -> bool:
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == \
        "application/json"


def _next_url(default: str) -> str:
    """The local page the form came from (never another site)."""
    return safe_next(request.form.get("next")) or default


# --- the event's coverage page -------------------------------------------------------------

def _rule_form(event: Event, rule: CoverageRule | None, *,
               submitted: bool = False) -> CoverageRuleForm:
    """The rule form: the posted values when `submitted`, else the stored rule's."""
    form = CoverageRuleForm() if submitted else CoverageRuleForm(formdata=None)
    form.outlets.choices = [(o.id, o.name) for o in all_outlets()]
    if not submitted:
        form.query.data = rule.query if rule else ""
        form.use_synonyms.data = rule.use_synonyms if rule else True
        form.days_before.data = rule.days_before if rule else None
        form.days_after.data = rule.days_after if rule else None
        form.outlets.data = [o.id for o in rule.outlets] if rule else []
    return form


def _clipping_form(*, submitted: bool = False) -> ClippingForm:
    form = ClippingForm() if submitted else ClippingForm(formdata=None)
    form.outlet_id.choices = [(0, "—")] + [(o.id, o.name) for o in all_outlets()]
    return form


def _render_event(campaign: Campaign, event: Event, *, rule_form: CoverageRuleForm | None = None,
                  clipping_form: ClippingForm | None = None,
                  problem: QueryProblem | None = None,
                  status: int = 200) -> tuple[str, int]:
    rule = db.session.get(CoverageRule, event.id)
    rule_form = rule_form or _rule_form(event, rule)
    suggestion = suggest_query(event)
    shown_query = (rule_form.query.data or "").strip() or suggestion
    clippings = db.session.scalars(db.select(Clipping).where(Clipping.event_id == event.id)
                                   .options(joinedload(Clipping.outlet))
                                   .order_by(Clipping.published_on, Clipping.id)).all()
    html = render_template(
        "coverage/event.html", campaign=campaign, event=event, rule=rule,
        rule_form=rule_form, clipping_form=clipping_form or _clipping_form(),
        problem=problem, suggestion=suggestion, synonyms=synonym_groups(shown_query),
        window_hint=default_window_hint(event.type),
        default_window=DEFAULT_WINDOWS.get(event.type, DEFAULT_WINDOWS["other"]),
        stats=event_stats(event), slots=slot_states(event, local_today(campaign.timezone)),
        matches=event_matches(event), clippings=clippings,
        status_labels=MATCH_STATUS_LABELS, waiting=suggested_count(campaign))
    return html, status


@bp.get(f"{EVENT}/coverage")
def event_coverage(slug: str, key: str) -> ResponseReturnValue:
    """The event's coverage: stats, slots, rule, matches and clippings."""
    campaign = campaign_or_404(slug)
    return _render_event(campaign, event_or_404(campaign, key))


@bp.post(f"{EVENT}/coverage/rule")
@reads_only  # the rule and the re-match's result are short writes; the window is scored reading
def rule_save(slug: str, key: str) -> ResponseReturnValue:
    """Save the rule and re-match; a query that does not parse is shown with its problem."""
    campaign = campaign_or_404(slug)
    event = event_or_404(campaign, key)
    form = _rule_form(event, None, submitted=True)
    if request.form.get("use_suggestion"):
        form.query.data = suggest_query(event)
    if not form.validate_on_submit():
        return _render_event(campaign, event, rule_form=form, status=422)
    outlets = [db.session.get(Outlet, i) for i in form.outlets.data or []]
    try:
        briefly(lambda: ops.store_rule(
            event, query=form.query.data or "", use_synonyms=bool(form.use_synonyms.data),
            days_before=form.days_before.data, days_after=form.days_after.data,
            outlets=[o for o in outlets if o is not None]))
    except QueryError as error:
        db.session.rollback()
        form.query.errors = [*form.query.errors, str(error)]
        problem = query_problem(form.query.data or "", error)
        return _render_event(campaign, event, rule_form=form, problem=problem, status=422)
    db.session.commit()
    summary = ops.rule_saved(event, rematch_briefly([event.id]))
    db.session.commit()
    flash(_("已保存匹配规则：新增匹配 %(created)d 条，撤回 %(withdrawn)d 条，"
            "保留人工决定 %(kept)d 条。", created=summary.created, withdrawn=summary.withdrawn,
            kept=summary.decisions), "success")
    return redirect(url_for("coverage.event_coverage", slug=slug, key=key))


# --- manual clippings ----------------------------------------------------------------------

@bp.post(f"{EVENT}/clippings")
def clipping_add(slug: str, key: str) -> ResponseReturnValue:
    """Record a clipping with its optional scan; a refused upload writes nothing."""
    campaign = campaign_or_404(slug)
    event = event_or_404(campaign, key)
    form = _clipping_form(submitted=True)
    if not form.validate_on_submit():
        return _render_event(campaign, event, clipping_form=form, status=422)
    outlet = db.session.get(Outlet, form.outlet_id.data or 0)
    if outlet is None:
        form.outlet_id.errors = [_("请选择媒体")]
        return _render_event(campaign, event, clipping_form=form, status=422)
    upload = form.file.data if form.file.data and form.file.data.filename else None
    try:
        clipping = clip_ops.add_clipping(
            event, outlet=outlet,
            # The form is validated: DataRequired has refused an empty date.
            published_on=form.published_on.data,  # type: ignore[arg-type]
            title=form.title.data or "",
            page=form.page.data or "", genre=form.genre.data or "", note=form.note.data or "",
            upload=upload.stream if upload else None, user=current_user,
            url=form.url.data or "")
    except clip_ops.ClippingDateError as error:
        db.session.rollback()
        form.published_on.errors = [str(error)]
        return _render_event(campaign, event, clipping_form=form, status=422)
    except clip_ops.ClippingFileError as error:
        db.session.rollback()
        form.file.errors = [str(error)]
        return _render_event(campaign, event, clipping_form=form, status=422)
    _commit_or_remove(clipping.file_name)
    flash(_("已添加剪报“%(title)s”。", title=clipping.title), "success")
    return redirect(url_for("coverage.event_coverage", slug=slug, key=key) + "#clippings")


def _commit_or_remove(file_name: str | None) -> None:
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        clip_ops.remove_file(file_name)
        raise


def _clipping_or_404(event: Event, clipping_id: int) -> Clipping:
    clipping = db.session.get(Clipping, clipping_id)
    if clipping is None or clipping.event_id != event.id:
        abort(404)
    return clipping


@bp.post(f"{EVENT}/clippings/<int:clipping_id>/delete")
def clipping_delete(slug: str, key: str, clipping_id: int) -> ResponseReturnValue:
    """Delete a clipping, then its stored file."""
    campaign = campaign_or_404(slug)
    event = event_or_404(campaign, key)
    clipping = _clipping_or_404(event, clipping_id)
    name = clip_ops.delete_clipping(clipping)
    db.session.commit()
    clip_ops.remove_file(name)
    flash(_("已删除剪报“%(title)s”。", title=clipping.title), "success")
    return redirect(url_for("coverage.event_coverage", slug=slug, key=key) + "#clippings")


@bp.post(f"{EVENT}/slots/<int:slot_id>/excuse")
def slot_excuse(slug: str, key: str, slot_id: int) -> ResponseReturnValue:
    """Excuse an instalment the paper skipped, with the officer's note (or withdraw it)."""
    campaign = campaign_or_404(slug)
    event = event_or_404(campaign, key)
    slot = next((s for s in event.slots if s.id == slot_id), None)
    if slot is None:
        abort(404)
    try:
        day = date.fromisoformat(request.form.get("day", ""))
        if request.form.get("withdraw"):
            planning_ops.withdraw_excuse(slot, day)
        else:
            planning_ops.excuse_instalment(slot, day, request.form.get("note", "")[:500],
                                           current_user.id)
    except ValueError as error:  # a day that is not a date, or a PlanningError
        db.session.rollback()
        flash(getattr(error, "message", _("无法识别的日期")), "error")
    else:
        db.session.commit()
        flash(_("已保存。"), "success")
    return redirect(url_for("coverage.event_coverage", slug=slug, key=key) + "#slots")


@bp.get(f"{EVENT}/clippings/<int:clipping_id>/file")
def clipping_file(slug: str, key: str, clipping_id: int) -> ResponseReturnValue:
    """A clipping's scan, with its stored type, inline and never sniffed."""
    campaign = campaign_or_404(slug)
    clipping = _clipping_or_404(event_or_404(campaign, key), clipping_id)
    path = clip_ops.file_path(clipping)
    if path is None:
        abort(404)
    response = send_file(path, mimetype=clipping.file_type, as_attachment=False,
                         download_name=clip_ops.download_name(clipping), max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- the review queue and decisions --------------------------------------------------------

@bp.get("/campaigns/<slug>/review")
def review_queue(slug: str) -> ResponseReturnValue:
    """The campaign's suggested matches waiting for a decision, oldest first, a page at a time
    (of one event when `event` names one; `size` rows a page, from PAGE_SIZES)."""
    campaign = campaign_or_404(slug)
    event = next((e for e in campaign.events if e.key == request.args.get("event")), None)
    size = int_param(request.args.get("size")) or DEFAULT_PAGE_SIZE
    size = size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE
    queue = queue_page(campaign, page=int_param(request.args.get("page")) or 1, size=size,
                       event=event)
    filters = {k: v for k, v in (("event", event.key if event else None),
                                 ("size", size if size != DEFAULT_PAGE_SIZE else None)) if v}
    return render_template("coverage/review.html", campaign=campaign, queue=queue,
                           matches=queue.matches, blocks=queue.blocks, filters=filters,
                           chosen_event=event, page_sizes=PAGE_SIZES,
                           remaining=suggested_count(campaign), events=list(campaign.events),
                           can_undo=_undo_record(campaign) is not None)


UNDO_KEY = "review_undo"


def _undo_record(campaign: Campaign) -> UndoRecord | None:
    """The current user's last decision in this campaign, if it can still be undone."""
    record = session.get(UNDO_KEY)
    if isinstance(record, dict) and record.get("campaign") == campaign.id and \
            record.get("user") == current_user.id:
        return record
    return None


def _match_or_404(campaign: Campaign, match_id: int) -> Match:
    return ops.campaign_match(campaign, match_id) or abort(404)


def _decided(campaign: Campaign, matches: list[Match], message: str,
             undo: UndoRecord | None = None, *,
             follow: tuple[list[int], bool] | None = None) -> ResponseReturnValue:
    """Commit, follow the stories of the events `follow` names (accepted or not) without
    holding the write lock while they are looked for, then answer the form (flash and
    redirect) or review.js (JSON). ``undo`` is what the decision changed: the session keeps it
    so that 撤销 can put it back."""
    db.session.commit()
    if follow is not None:
        follow_stories_briefly(follow[0], accepted=follow[1])
        db.session.commit()
    if undo is not None:
        session[UNDO_KEY] = undo
    if _wants_json():
        return jsonify(ok=True, message=message, remaining=suggested_count(campaign),
                       undo=undo is not None,
                       matches=[{"id": m.id, "status": m.status, "event": m.event.key,
                                 "article_id": m.article_id} for m in matches])
    flash(message, "success")
    return redirect(_next_url(url_for("coverage.review_queue", slug=campaign.slug)))


def _refused(campaign: Campaign, message: str) -> ResponseReturnValue:
    """Refuse a decision: 422 JSON for review.js, else a flashed error and a redirect."""
    if _wants_json():
        response = jsonify(ok=False, message=message)
        response.status_code = 422
        return response
    flash(message, "error")
    return redirect(_next_url(url_for("coverage.review_queue", slug=campaign.slug)))


@bp.post("/campaigns/<slug>/matches/<int:match_id>/accept")
def match_accept(slug: str, match_id: int) -> ResponseReturnValue:
    """Accept one match."""
    campaign = campaign_or_404(slug)
    match = _match_or_404(campaign, match_id)
    undo = ops.decide_matches(campaign, [match], "accepted", current_user, follow=False)
    return _decided(campaign, [match], _("已确认：%(title)s", title=match.article.title), undo,
                    follow=([match.event_id], True))


@bp.post("/campaigns/<slug>/matches/<int:match_id>/reject")
def match_reject(slug: str, match_id: int) -> ResponseReturnValue:
    """Reject one match (its article is never suggested again for that event)."""
    campaign = campaign_or_404(slug)
    match = _match_or_404(campaign, match_id)
    undo = ops.decide_matches(campaign, [match], "rejected", current_user, follow=False)
    return _decided(campaign, [match], _("已排除：%(title)s", title=match.article.title), undo,
                    follow=([match.event_id], False))


@bp.post("/campaigns/<slug>/matches/<int:match_id>/move")
def match_move(slug: str, match_id: int) -> ResponseReturnValue:
    """Move a match to another event of the campaign."""
    campaign = campaign_or_404(slug)
    match = _match_or_404(campaign, match_id)
    target = next((e for e in campaign.events
                   if e.key == request.form.get("to_event") and e.id != match.event_id), None)
    if target is None:
        return _refused(campaign, _("请选择要移至的其他活动。"))
    moved, undo = ops.move_match(campaign, match, target, current_user, follow=False)
    return _decided(campaign, [match, moved],
                    _("已移至“%(event)s”：%(title)s", event=target.title,
                      title=match.article.title), undo, follow=([target.id], True))


@bp.post("/campaigns/<slug>/review/bulk")
def review_bulk(slug: str) -> ResponseReturnValue:
    """Accept or reject the ticked matches."""
    campaign = campaign_or_404(slug)
    status = {"accept": "accepted", "reject": "rejected"}.get(request.form.get("action", ""))
    ids = [i for i in map(int_param, request.form.getlist("match_ids")) if i is not None]
    if status is None or not ids:
        return _refused(campaign, _("请先勾选要处理的匹配。"))
    matches, undo = ops.decide_many(campaign, ids, status, current_user, follow=False)
    message = (_("已确认 %(n)d 条。", n=len(matches)) if status == "accepted"
               else _("已排除 %(n)d 条。", n=len(matches)))
    return _decided(campaign, matches, message, undo,
                    follow=(sorted({m.event_id for m in matches}), status == "accepted"))


@bp.post("/campaigns/<slug>/review/undo")
def review_undo(slug: str) -> ResponseReturnValue:
    """Undo the current user's last decision in this campaign (once)."""
    campaign = campaign_or_404(slug)
    record = _undo_record(campaign)
    if record is None:
        return _refused(campaign, _("没有可撤销的操作。"))
    session.pop(UNDO_KEY, None)
    restored = ops.undo_last(campaign, current_user, record, follow=False)
    return _decided(campaign, [], _("已撤销上一次操作（%(n)d 条）。", n=restored),
                    follow=([e.id for e in campaign.events], True))
