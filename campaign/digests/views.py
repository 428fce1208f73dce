"""The digests pages: the preview of a campaign's digest, a user's subscriptions, a
campaign's robots (admins), the "send a test" buttons and the unsubscribe link."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from campaign.auth.models import User
from campaign.auth.session import role_required
from campaign.core.i18n import LANGUAGES
from campaign.core.sqlite import reads_only
from campaign.core.times import local_today
from campaign.digests.channels import SendError, send_mail
from campaign.digests.compose import FIRST_DAY, LAST_DAY, build_digest, digest_kind
from campaign.digests.forms import RobotForm, SubscriptionForm
from campaign.digests.models import Robot
from campaign.digests.render import day_text, link, render_digest
from campaign.digests.sending import (
    digest_time,
    read_unsubscribe_token,
    robot_recipient,
    send_message,
)
from campaign.digests.subscriptions import (
    add_robot,
    delete_robot,
    save_subscriptions,
    unsubscribe,
    user_subscriptions,
)
from campaign.extensions import db
from campaign.planning.lookups import campaign_or_404
from campaign.planning.models import Campaign

bp = Blueprint("digests", __name__)


def list_campaigns() -> list[Campaign]:
    return list(db.session.scalars(db.select(Campaign).order_by(Campaign.starts_on.desc())))


def _day_arg() -> date:
    try:
        day = date.fromisoformat(request.args.get("date", ""))
    except ValueError:
        return local_today()
    return day if FIRST_DAY <= day <= LAST_DAY else local_today()


@bp.get("/campaigns/<slug>/digest")
def digest_preview(slug: str) -> ResponseReturnValue:
    campaign = campaign_or_404(slug)
    day = _day_arg()
    digest = build_digest(campaign, day)
    message = render_digest(digest, lang=str(get_locale()))  # the page's language
    return render_template("digests/preview.html", campaign=campaign, digest=digest, day=day,
                           message=message, scheduled=digest_kind(campaign, day),
                           digest_at=digest_time().strftime("%H:%M"), link_to=str,
                           day_text=day_text)


def _subscription_page(form: SubscriptionForm, status: int = 200) -> ResponseReturnValue:
    return render_template("digests/subscriptions.html", form=form,
                           campaigns=list_campaigns(),
                           chosen=user_subscriptions(current_user)), status


@bp.get("/digests/subscriptions")
def subscriptions() -> ResponseReturnValue:
    form = SubscriptionForm(email=current_user.email, language=current_user.language)
    return _subscription_page(form)


@bp.post("/digests/subscriptions")
def subscriptions_save() -> ResponseReturnValue:
    form = SubscriptionForm()
    if not form.validate():
        return _subscription_page(form, 422)
    chosen = {c.id: (f"digest-{c.id}" in request.form, f"alerts-{c.id}" in request.form)
              for c in list_campaigns()}
    language = form.language.data if form.language.data in LANGUAGES else current_user.language
    save_subscriptions(current_user, email=str(form.email.data or ""), language=str(language),
                       chosen=chosen)
    db.session.commit()
    flash(_("订阅设置已保存。"), "success")
    return redirect(url_for("digests.subscriptions"))


@bp.post("/digests/test")
@reads_only  # sending waits on the mail server: it writes nothing, so it holds no write lock
def subscriptions_test() -> ResponseReturnValue:
    user: User = current_user
    if not user.email:
        flash(_("请先填写电子邮箱。"), "error")
        return redirect(url_for("digests.subscriptions"))
    campaigns = list_campaigns()
    if not campaigns:
        flash(_("还没有活动，无法生成示例简报。"), "error")
        return redirect(url_for("digests.subscriptions"))
    message = render_digest(build_digest(campaigns[0], local_today()), lang=user.language)
    try:
        send_mail(current_app.config, message.mail(link("/digests/subscriptions")), user.email)
    except SendError as error:
        flash(_("测试邮件没有发出：%(error)s", error=str(error)), "error")
    else:
        flash(_("测试邮件已发往 %(email)s。", email=user.email), "success")
    return redirect(url_for("digests.subscriptions"))


def _robots_page(campaign: Campaign, form: RobotForm, status: int = 200) -> ResponseReturnValue:
    robots = db.session.scalars(db.select(Robot).where(Robot.campaign_id == campaign.id)
                                .order_by(Robot.id)).all()
    return render_template("digests/robots.html", campaign=campaign, form=form,
                           robots=robots), status


@bp.route("/campaigns/<slug>/robots", methods=["GET", "POST"])
@role_required("admin")
def robots(slug: str) -> ResponseReturnValue:
    campaign = campaign_or_404(slug)
    form = RobotForm()
    if request.method == "GET":
        return _robots_page(campaign, form)
    if not form.validate():
        return _robots_page(campaign, form, 422)
    add_robot(campaign, name=str(form.name.data or ""), kind=str(form.kind.data),
              url=str(form.url.data), secret=str(form.secret.data or ""),
              keyword=str(form.keyword.data or ""), digest=bool(form.digest.data),
              alerts=bool(form.alerts.data))
    db.session.commit()
    flash(_("机器人已添加。"), "success")
    return redirect(url_for("digests.robots", slug=slug))


def _robot_or_404(campaign: Campaign, robot_id: int) -> Robot:
    robot = db.session.get(Robot, robot_id)
    if robot is None or robot.campaign_id != campaign.id:
        abort(404)
    return robot


@bp.post("/campaigns/<slug>/robots/<int:robot_id>/delete")
@role_required("admin")
def robot_delete(slug: str, robot_id: int) -> ResponseReturnValue:
    campaign = campaign_or_404(slug)
    delete_robot(_robot_or_404(campaign, robot_id))
    db.session.commit()
    flash(_("机器人已删除。"), "success")
    return redirect(url_for("digests.robots", slug=slug))


@bp.post("/campaigns/<slug>/robots/<int:robot_id>/test")
@role_required("admin")
@reads_only  # posting waits on the robot's server: it writes nothing, so it holds no lock
def robot_test(slug: str, robot_id: int) -> ResponseReturnValue:
    campaign = campaign_or_404(slug)
    robot = _robot_or_404(campaign, robot_id)
    message = render_digest(build_digest(campaign, local_today()))
    try:
        send_message(robot_recipient(robot), message)
    except SendError as error:
        flash(_("测试消息没有发出：%(error)s", error=str(error)), "error")
    else:
        flash(_("测试消息已发出。"), "success")
    return redirect(url_for("digests.robots", slug=slug))


@bp.route("/digests/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe_link(token: str) -> ResponseReturnValue:
    found = read_unsubscribe_token(token)
    if found is None:
        return render_template("digests/unsubscribe.html", bad=True), 400
    campaign = db.session.get(Campaign, found[1])
    if request.method == "POST":
        unsubscribe(*found)
        db.session.commit()
        return render_template("digests/unsubscribe.html", done=True, campaign=campaign)
    return render_template("digests/unsubscribe.html", campaign=campaign)
