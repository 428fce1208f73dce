"""Importing a clipping list in the browser: upload, then a column-mapping step with a preview
and every row's errors, then the import (all rows or none). The file travels between the steps
in the form itself (base64), so nothing is kept on the server until the import."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from campaign.auth.session import role_required
from campaign.core.sqlite import briefly, reads_only
from campaign.coverage.views import bp
from campaign.extensions import db
from campaign.ingest.sheets import (
    FIELDS,
    MAX_BYTES,
    Sheet,
    SheetError,
    check_rows,
    fetch_row_links,
    read_sheet,
    write_rows,
)
from campaign.planning.lookups import campaign_or_404
from campaign.planning.models import Campaign

PREVIEW_ROWS = 20
FIELD_CHOICES = ("date", "outlet", "page", "title", "url", "genre", "note", "event")


def _page(campaign: Campaign, *, status: int = 200, **context: Any) -> ResponseReturnValue:
    context.setdefault("sheet", None)
    context.setdefault("rows", [])
    context.setdefault("event_key", request.form.get("event", ""))
    return render_template("coverage/sheet_import.html", campaign=campaign,
                           events=campaign.events_in_order,
                           fields=FIELD_CHOICES, field_names=field_names(),
                           preview_rows=PREVIEW_ROWS, **context), status


def field_names() -> dict[str, str]:
    """The fields in words, for the mapping selects."""
    return {"date": _("日期"), "outlet": _("媒体"), "page": _("版面"), "title": _("标题"),
            "url": _("链接"), "genre": _("体裁"), "note": _("备注"), "event": _("关联活动")}


@bp.get("/campaigns/<slug>/clippings/import")
@role_required("officer")
def sheet_import_page(slug: str) -> ResponseReturnValue:
    """The upload form."""
    return _page(campaign_or_404(slug))


@bp.post("/campaigns/<slug>/clippings/import")
@reads_only  # a list's links are fetched first (seconds each); only its writes take the lock
def sheet_import(slug: str) -> ResponseReturnValue:
    """Upload (then map and preview), preview again with another mapping, or import."""
    campaign = campaign_or_404(slug)
    try:
        data, filename = _file()
        sheet = read_sheet(data, filename)
    except SheetError as error:
        return _page(campaign, status=422, error=str(error))
    step = request.form.get("step", "upload")
    mapping = sheet.mapping if step == "upload" else _mapping(sheet)
    event = campaign.event_with_key(request.form.get("event"))
    context = {"sheet": sheet, "mapping": mapping, "data": base64.b64encode(data).decode(),
               "filename": filename}
    try:
        rows = check_rows(sheet, mapping, campaign, event)
    except SheetError as error:
        return _page(campaign, status=422 if step == "import" else 200, error=str(error),
                     **context)
    if step != "import" or any(row.errors for row in rows):
        return _page(campaign, status=422 if step == "import" else 200, rows=rows, **context)
    fetched = fetch_row_links(rows)
    done = briefly(lambda: write_rows(rows, fetched, current_user))
    db.session.commit()
    flash(_("已导入 %(n)d 行：抓取链接 %(linked)d 条，手工保存链接 %(by_hand)d 条，剪报 "
            "%(clippings)d 条。", n=len(rows), **done), "success")
    target = event.key if event is not None else rows[0].event.key if rows[0].event else ""
    return redirect(url_for("coverage.event_coverage", slug=slug, key=target)
                    if target else url_for("planning.campaign_detail", slug=slug))


def _file() -> tuple[bytes, str]:
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        data = upload.stream.read(MAX_BYTES + 1)
        return data, upload.filename
    try:
        data = base64.b64decode(request.form.get("data", ""), validate=True)
    except (binascii.Error, ValueError) as error:
        raise SheetError(_("请选择要导入的文件。")) from error
    if not data:
        raise SheetError(_("请选择要导入的文件。"))
    return data, request.form.get("filename", "")


def _mapping(sheet: Sheet) -> dict[int, str]:
    """The mapping chosen on the page: column index → field (each field once)."""
    chosen: dict[int, str] = {}
    for index in range(len(sheet.header)):
        name = request.form.get(f"map-{index}", "")
        if name in FIELDS and name != "skip" and name not in chosen.values():
            chosen[index] = name
    return chosen
