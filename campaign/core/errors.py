"""Error pages: a clear message in the user's language, never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)
# Seconds a client is asked to wait after the database stayed locked (a long write).
BUSY_RETRY_AFTER = 5
# PostgreSQL's lock_not_available (a lock_timeout ran out).
_PG_LOCK_NOT_AVAILABLE = "55P03"


def is_lock_timeout(error: OperationalError) -> bool:
    """True when the database refused because another writer held its lock too long: SQLite's
    "database is locked" once the busy timeout ran out, PostgreSQL's lock_not_available."""
    text = str(error.orig).lower()
    code = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    return "database is locked" in text or "database table is locked" in text or (
        code == _PG_LOCK_NOT_AVAILABLE)


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _render(status: int, title: str, message: str) -> tuple[Response | str, int]:
    if _wants_json():
        return jsonify(error=title, message=message, status=status), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def init_error_handlers(app: Flask) -> None:
    """Register handlers for HTTP errors, CSRF failures and unexpected exceptions."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> ResponseReturnValue:
        return _render(400, _("表单已过期"),
                       _("表单的安全令牌无效或已过期，请返回刷新页面后重新提交。"))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        messages = {
            400: (_("请求有误"), _("提交的内容无法处理。")),
            403: (_("没有权限"), _("您的账号没有执行此操作的权限。")),
            404: (_("页面不存在"), _("您要找的页面不存在或已被删除。")),
            405: (_("不允许的操作"), _("此页面不支持该操作。")),
            413: (_("文件太大"), _("上传的文件超过了大小限制。")),
        }
        title, message = messages.get(error.code or 500, (error.name, error.description or ""))
        return _render(error.code or 500, title, message)

    @app.errorhandler(OperationalError)
    def database_busy(error: OperationalError) -> ResponseReturnValue:
        """A request that waited for the write lock longer than the busy timeout (a login
        while a big import writes): 503 with a message and Retry-After; nothing was written."""
        from campaign.extensions import db

        db.session.rollback()
        if not is_lock_timeout(error):
            return unexpected(error)
        log.warning("database busy on %s %s: %s", request.method, request.path, error.orig)
        response, status = _render(503, _("系统繁忙"),
                                   _("系统正在保存一大批数据，这次操作没有执行，也没有保存任何内容。"
                                     "请等几秒钟后再试一次。"))
        response = make_response(response, status)
        response.headers["Retry-After"] = str(BUSY_RETRY_AFTER)
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> ResponseReturnValue:
        log.error("unhandled error on %s %s", request.method, request.path, exc_info=error)
        from campaign.extensions import db

        db.session.rollback()
        return _render(500, _("服务器出错"), _("处理请求时出现意外错误，已记录，请稍后再试。"))
