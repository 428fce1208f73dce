"""Admin pages that issue and revoke API tokens. A token is shown once, when it is issued."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from campaign.api.forms import IssueTokenForm, RevokeTokenForm
from campaign.api.models import ApiToken
from campaign.api.tokens import issue_token, revoke_token
from campaign.auth.models import User
from campaign.auth.session import role_required
from campaign.auth.tokens import issue_calendar_token, revoke_calendar_token
from campaign.core.choices import select_choices
from campaign.extensions import db
from campaign.planning.lookups import campaign_or_404

bp = Blueprint("tokens", __name__)


def _issue_form() -> IssueTokenForm:
    form = IssueTokenForm()
    users = db.session.scalars(select(User).where(User.active).order_by(User.username)).all()
    form.user_id.choices = select_choices(
        (u.id, f"{u.display_name or u.username}（{u.username}）") for u in users)
    return form


def _page(form: IssueTokenForm, secret: str | None = None,
          issued: ApiToken | None = None) -> str:
    tokens = db.session.scalars(
        select(ApiToken).order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
    ).all()
    return render_template("exports/tokens.html", form=form, tokens=tokens, secret=secret,
                           issued=issued, revoke_form=RevokeTokenForm())


@bp.get("/admin/tokens")
@role_required("admin")
def token_list() -> ResponseReturnValue:
    """Every API token (never the secret) and the form to issue one."""
    return _page(_issue_form())


@bp.post("/admin/tokens")
@role_required("admin")
def token_issue() -> ResponseReturnValue:
    """Issue a token and show it, once."""
    form = _issue_form()
    if not form.validate_on_submit():
        return _page(form), 422
    user = db.session.get(User, form.user_id.data)
    if user is None:
        form.user_id.errors = [_("没有这个用户。")]
        return _page(form), 422
    token, secret = issue_token(user, form.name.data or "")
    db.session.commit()
    return _page(_issue_form(), secret=secret, issued=token)


@bp.post("/admin/tokens/revoke")
@role_required("admin")
def token_revoke() -> ResponseReturnValue:
    """Revoke a token: requests that carry it are refused from now on."""
    form = RevokeTokenForm()
    token = db.session.get(ApiToken, form.token_id.data) if form.validate_on_submit() else None
    if token is None:
        flash(_("没有这个令牌。"), "error")
    else:
        revoke_token(token)
        db.session.commit()
        flash(_("令牌已吊销。"), "success")
    return redirect(url_for("tokens.token_list"))


@bp.post("/calendar-feed")
@role_required("leader")
def calendar_feed_issue() -> ResponseReturnValue:
    """Make the user's own calendar-feed link (any role) and show it once, as https and
    webcal://; a link made before stops working."""
    campaign = campaign_or_404(request.form.get("slug", "")[:80])
    _token, secret = issue_calendar_token(current_user)
    db.session.commit()
    url = url_for("api.campaign_calendar_feed", slug=campaign.slug, token=secret, _external=True)
    webcal = "webcal://" + url.split("://", 1)[1]
    return render_template("exports/calendar_feed.html", campaign=campaign, url=url,
                           webcal=webcal)


@bp.post("/calendar-feed/revoke")
@role_required("leader")
def calendar_feed_revoke() -> ResponseReturnValue:
    """Revoke the user's calendar-feed link; subscribed calendars stop updating."""
    count = revoke_calendar_token(current_user)
    db.session.commit()
    flash(_("已撤销您的日历订阅链接。") if count else _("您没有有效的日历订阅链接。"), "success")
    slug = request.form.get("slug", "")[:80]
    return redirect(url_for("planning.campaign_detail", slug=slug) if slug
                    else url_for("core.index"))
