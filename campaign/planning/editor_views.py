"""The rule that keeps a restricted campaign's writes to its editors, and the admin page that
names them (`campaign.planning.editors`)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from campaign.auth.session import SAFE_METHODS, role_required
from campaign.extensions import db
from campaign.planning.editors import may_edit_campaign, officers, set_campaign_editors
from campaign.planning.forms import CampaignEditorsForm
from campaign.planning.lookups import campaign_or_404
from campaign.planning.operations import get_campaign
from campaign.planning.views import bp

# Routes under /campaigns/<slug>/ that read the campaign and change nothing of it: a copy
# makes a new campaign; the summary download only renders what was posted.
READS_THE_CAMPAIGN = {"planning.campaign_copy", "exports.summary_download",
                      "exports.export_job_start"}  # an export reads; the job row is its own
# Forms shown on GET that lead to a write: a restricted campaign's non-editors get 403 there.
EDIT_FORMS = {"planning.campaign_edit", "planning.event_new", "planning.event_edit"}


@bp.before_app_request
def guard_campaign_writes() -> None:
    """Refuse (403) a change to a restricted campaign by an officer who is not its editor, on
    every route that names the campaign by its slug."""
    slug = (request.view_args or {}).get("slug")
    endpoint = request.endpoint or ""
    if not isinstance(slug, str) or endpoint in READS_THE_CAMPAIGN:
        return
    if request.method in SAFE_METHODS and endpoint not in EDIT_FORMS:
        return
    if not current_user.is_authenticated:
        return  # the access rule answers (it runs first)
    campaign = get_campaign(slug)
    if campaign is not None and not may_edit_campaign(campaign, current_user):
        abort(403)


@bp.route("/campaigns/<slug>/editors", methods=["GET", "POST"])
@role_required("admin")
def campaign_editors(slug: str) -> ResponseReturnValue:
    """Restrict a campaign to named officers, or open it to every officer again."""
    campaign = campaign_or_404(slug)
    form = CampaignEditorsForm()
    form.editors.choices = [(u.id, f"{u.display_name}（{u.username}）") for u in officers()]
    if request.method == "GET":
        form.editors.data = [u.id for u in campaign.editors]
    if form.validate_on_submit():
        set_campaign_editors(campaign, form.editors.data or [])
        db.session.commit()
        flash(_("已保存可编辑此活动的干部。"), "success")
        return redirect(url_for("planning.campaign_detail", slug=campaign.slug))
    status = 422 if form.errors else 200
    return render_template("planning/campaign_editors.html", form=form,
                           campaign=campaign), status
