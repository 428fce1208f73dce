"""The exports page, the clipping-list downloads (CSV, XLSX, DOCX, print) and the work-summary
draft. Views parse the filter, call a writer and send the result."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from itertools import islice
from typing import Any
from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from campaign.core.choices import TIERS
from campaign.core.sqlite import reads_only
from campaign.dashboards.cube import tier_counts
from campaign.dashboards.filters import DashboardFilters
from campaign.dashboards.queries import Scope, pending_counts
from campaign.dashboards.summary import total_counts
from campaign.exports.csvfile import csv_chunks, invitation_csv
from campaign.exports.docx import period, write_compilation, write_summary
from campaign.exports.filters import STATUS_LABELS, FilterError, filter_args, parse_filter
from campaign.exports.invitations import invitation_rows
from campaign.exports.jobs import FORMATS, JobLimitError, job_file, recent_jobs, start_job
from campaign.exports.models import ExportJob
from campaign.exports.rows import (
    ClippingFilter,
    ClippingRow,
    campaign_events,
    iter_clipping_rows,
)
from campaign.exports.summary import summary_text
from campaign.exports.xlsx import write_xlsx
from campaign.exports.zipfile_images import write_image_zip
from campaign.extensions import db
from campaign.planning.lookups import campaign_or_404
from campaign.planning.models import Campaign, Event
from campaign.planning.outlets import all_outlets

bp = Blueprint("exports", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PREVIEW_ROWS = 50


def _filter_or_400(campaign: Campaign) -> ClippingFilter:
    try:
        return parse_filter(campaign, request.args)
    except FilterError as error:
        abort(400, description=str(error))


def _file_name(campaign: Campaign, what: str, extension: str) -> str:
    event = request.args.get("event")
    return f"{campaign.slug}{'-' + event if event else ''}-{what}.{extension}"


def attachment(name: str) -> str:
    """A Content-Disposition value: an ASCII fallback and the UTF-8 name (RFC 6266)."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_"
                       for c in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"


@bp.get("/campaigns/<slug>/exports")
def exports_page(slug: str) -> ResponseReturnValue:
    """The filter form, the download buttons and a preview of the list."""
    campaign = campaign_or_404(slug)
    error = None
    try:
        selected = parse_filter(campaign, request.args)
    except FilterError as problem:
        error, selected = problem, ClippingFilter(campaign_id=campaign.id)
    rows = _preview(selected)
    page = render_template(
        "exports/exports.html", campaign=campaign, events=campaign_events(campaign),
        outlets=all_outlets(), tiers=TIERS, statuses=STATUS_LABELS, rows=rows,
        preview_limit=PREVIEW_ROWS, args=filter_args(request.args), error=error,
        jobs=recent_jobs(campaign, current_user))
    return (page, 400) if error else page


def _preview(f: ClippingFilter) -> list[ClippingRow]:
    return list(islice(iter_clipping_rows(f), PREVIEW_ROWS + 1))


@bp.get("/campaigns/<slug>/exports/clippings.csv")
def clippings_csv(slug: str) -> ResponseReturnValue:
    """The clipping list as CSV, streamed as it is read from the database."""
    campaign = campaign_or_404(slug)
    rows = iter_clipping_rows(_filter_or_400(campaign))
    name = _file_name(campaign, "clippings", "csv")
    return Response(stream_with_context(csv_chunks(rows)), mimetype="text/csv",
                    headers={"Content-Disposition": attachment(name)})


@bp.get("/campaigns/<slug>/exports/clippings.xlsx")
def clippings_xlsx(slug: str) -> ResponseReturnValue:
    """The clipping list as a workbook, written to a temporary file and sent from there."""
    campaign = campaign_or_404(slug)
    selected = _filter_or_400(campaign)
    events = None
    if request.args.get("per_event"):
        events = [(e.id, e.title) for e in campaign_events(campaign, selected)]
    invitations = list(invitation_rows(campaign_events(campaign, selected)))
    spool = tempfile.TemporaryFile()  # noqa: SIM115  (send_file closes it after the response)
    write_xlsx(iter_clipping_rows(selected), spool, events=events, invitations=invitations)
    spool.seek(0)
    return send_file(spool, mimetype=XLSX, as_attachment=True,
                     download_name=_file_name(campaign, "clippings", "xlsx"))


@bp.get("/campaigns/<slug>/exports/invitations.csv")
def invitations_csv(slug: str) -> ResponseReturnValue:
    """Invited against reporting outlets per event as CSV: 邀请未报道 (monitored, silent) and
    未监测 (no enabled source) apart, with the monitorable count next to the target."""
    campaign = campaign_or_404(slug)
    events = campaign_events(campaign, _filter_or_400(campaign))
    name = _file_name(campaign, "invitations", "csv")
    return Response(invitation_csv(invitation_rows(events)), mimetype="text/csv",
                    headers={"Content-Disposition": attachment(name)})


@bp.get("/campaigns/<slug>/exports/clippings.docx")
def clippings_docx(slug: str) -> ResponseReturnValue:
    """The 报道汇编 as a Word document."""
    campaign = campaign_or_404(slug)
    selected = _filter_or_400(campaign)
    buffer = io.BytesIO()
    write_compilation(campaign, campaign_events(campaign, selected),
                      iter_clipping_rows(selected), buffer)
    return _send_docx(buffer, _file_name(campaign, "compilation", "docx"))


@bp.get("/campaigns/<slug>/exports/clippings.zip")
def clippings_zip(slug: str) -> ResponseReturnValue:
    """The clipping images (of the campaign, or of one event with ?event=KEY) in a ZIP, each
    named 日期-媒体-版面-标题."""
    campaign = campaign_or_404(slug)
    selected = _filter_or_400(campaign)
    spool = tempfile.TemporaryFile()  # noqa: SIM115  (send_file closes it after the response)
    write_image_zip(iter_clipping_rows(selected), spool)
    spool.seek(0)
    return send_file(spool, mimetype="application/zip", as_attachment=True,
                     download_name=_file_name(campaign, "clippings", "zip"))


@bp.get("/campaigns/<slug>/exports/print")
def clippings_print(slug: str) -> ResponseReturnValue:
    """The clipping list as a page to print (or save as PDF) on A4, one event per page."""
    campaign = campaign_or_404(slug)
    selected = _filter_or_400(campaign)
    groups = _by_event(campaign_events(campaign, selected), iter_clipping_rows(selected))
    return render_template("exports/print.html", campaign=campaign, groups=groups,
                           period=period(campaign))


def _by_event(events: list[Event], rows: Iterator[ClippingRow]
              ) -> list[tuple[Event, list[ClippingRow]]]:
    found: dict[int, list[ClippingRow]] = {}
    for row in rows:
        found.setdefault(row.event_id, []).append(row)
    return [(e, found[e.id]) for e in events if e.id in found]


@bp.get("/campaigns/<slug>/summary")
def summary(slug: str) -> ResponseReturnValue:
    """The work-summary draft as editable text."""
    campaign = campaign_or_404(slug)
    scope = Scope(campaign, DashboardFilters())
    # Read from the dashboards' aggregates (reading only): the same figures as the tiles.
    return render_template("exports/summary.html", campaign=campaign,
                           text=summary_text(campaign),
                           accepted=total_counts(tier_counts(scope)),
                           pending=pending_counts(scope))


@bp.get("/campaigns/<slug>/summary.docx")
def summary_docx(slug: str) -> ResponseReturnValue:
    """The draft as generated, as a Word document."""
    campaign = campaign_or_404(slug)
    return _summary_file(campaign, summary_text(campaign))


@bp.post("/campaigns/<slug>/summary/download")
@reads_only  # builds a document from the posted text: writes nothing
def summary_download(slug: str) -> ResponseReturnValue:
    """The officer's edited draft as a Word document (the text is not stored)."""
    campaign = campaign_or_404(slug)
    text = request.form.get("text", "").strip() or summary_text(campaign)
    return _summary_file(campaign, text)


def _summary_file(campaign: Campaign, text: str) -> Response:
    buffer = io.BytesIO()
    write_summary(campaign, text, buffer)
    return _send_docx(buffer, f"{campaign.slug}-summary.docx")


def _send_docx(buffer: io.BytesIO, name: str) -> Response:
    buffer.seek(0)
    return send_file(buffer, mimetype=DOCX, as_attachment=True, download_name=name)


# --- exports as background jobs -------------------------------------------------------------

@bp.post("/campaigns/<slug>/exports/jobs")
def export_job_start(slug: str) -> ResponseReturnValue:
    """Queue an export in the background (anyone who may download it, leaders included) and
    go to its page; a filter or format that cannot be read, or a user who already has
    EXPORT_JOBS_PER_USER exports waiting or running, goes back to the exports page."""
    campaign = campaign_or_404(slug)
    args: dict[str, Any] = filter_args(request.form)
    fmt = request.form.get("format", "")
    if fmt not in FORMATS:
        flash(_("请选择导出格式。"), "error")
        return redirect(url_for("exports.exports_page", slug=campaign.slug, **args))
    try:
        job = start_job(campaign, fmt, request.form, current_user)
    except FilterError as error:
        flash(str(error), "error")
        return redirect(url_for("exports.exports_page", slug=campaign.slug))
    except JobLimitError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("exports.exports_page", slug=campaign.slug, **args))
    db.session.commit()
    return redirect(url_for("exports.export_job_page", slug=campaign.slug, job_id=job.id))


def _job_or_404(campaign: Campaign, job_id: int) -> ExportJob:
    job = db.session.get(ExportJob, job_id)
    if job is None or job.campaign_id != campaign.id:
        abort(404)
    return job


def _job_state(campaign: Campaign, job: ExportJob) -> dict[str, Any]:
    ready = job_file(job) is not None
    return {"id": job.id, "status": job.status, "done": job.done, "total": job.total,
            "percent": job.percent, "finished": job.finished,
            "download": url_for("exports.export_job_file", slug=campaign.slug, job_id=job.id)
            if ready else None}


@bp.get("/campaigns/<slug>/exports/jobs/<int:job_id>")
def export_job_page(slug: str, job_id: int) -> ResponseReturnValue:
    """The job's progress (the page refreshes itself until the job ends, with or without
    JavaScript) and its download link once the file is ready."""
    campaign = campaign_or_404(slug)
    job = _job_or_404(campaign, job_id)
    return render_template("exports/job.html", campaign=campaign, job=job,
                           state=_job_state(campaign, job), format=FORMATS[job.format])


@bp.get("/campaigns/<slug>/exports/jobs/<int:job_id>/status")
def export_job_status(slug: str, job_id: int) -> ResponseReturnValue:
    """The job's progress as JSON, for the page's polling."""
    campaign = campaign_or_404(slug)
    response = jsonify(_job_state(campaign, _job_or_404(campaign, job_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/campaigns/<slug>/exports/jobs/<int:job_id>/file")
def export_job_file(slug: str, job_id: int) -> ResponseReturnValue:
    """The job's file; before it is ready, the job's page; once expired, 410."""
    campaign = campaign_or_404(slug)
    job = _job_or_404(campaign, job_id)
    if job.status == "expired":
        abort(410)
    path = job_file(job)
    if path is None:
        return redirect(url_for("exports.export_job_page", slug=campaign.slug, job_id=job.id))
    return send_file(path, mimetype=FORMATS[job.format].mimetype, as_attachment=True,
                     download_name=job.download_name, max_age=0)


def export_links(campaign: Campaign, **args: Any) -> dict[str, str]:
    """Download URLs of every format for a campaign (and filter arguments), for templates."""
    links = {fmt: url_for(f"exports.clippings_{fmt}", slug=campaign.slug, **args)
             for fmt in ("csv", "xlsx", "docx", "print", "zip")}
    links["invitations"] = url_for("exports.invitations_csv", slug=campaign.slug, **args)
    return links


@bp.app_context_processor
def _inject_export_links() -> dict[str, Any]:
    return {"export_links": export_links}


@bp.errorhandler(400)
def _bad_filter(error: HTTPException) -> tuple[str, int]:
    return render_template("errors/error.html", status=400, title=_("请求有误"),
                           message=getattr(error, "description", "")), 400
