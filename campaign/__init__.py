"""campaign-tracker: plan a media campaign as a calendar of events and prove its coverage."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

from campaign.core.request import NulFreeRequest
from campaign.core.values import DatabaseIntConverter

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the web application. `config` replaces the environment's settings (tests)."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder="static",
        instance_path=_instance_path(config),
    )
    app.request_class = NulFreeRequest
    app.url_map.converters["int"] = DatabaseIntConverter  # before any route is added
    _configure(app, config)
    _import_models()
    _register_extensions(app)
    _keep_coverage_counted()
    _register_blueprints(app)
    _register_template_helpers(app)
    _register_error_handlers(app)
    _register_commands(app)
    return app


def _instance_path(config: Mapping[str, Any] | None) -> str:
    if config and config.get("INSTANCE_PATH"):
        return str(config["INSTANCE_PATH"])
    from config import instance_path

    return str(instance_path())


def _configure(app: Flask, config: Mapping[str, Any] | None) -> None:
    app.config.update(
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        BABEL_DEFAULT_LOCALE="zh_Hans_CN",
        BABEL_DEFAULT_TIMEZONE="Asia/Shanghai",
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).parent / "translations"),
        MAX_CONTENT_LENGTH=16 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        JSON_AS_ASCII=False,
        # Remembered logins last 14 days (campaign.auth.logins rotates them on use); both
        # cookies are HttpOnly and SameSite=Lax whoever builds the app.
        REMEMBER_COOKIE_DURATION=timedelta(days=14),
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_IDLE_HOURS=8.0,
    )
    if config is None:
        from config import load_settings

        config = load_settings()
    app.config.update(config)
    if app.config.get("COVERAGE_MODEL_FILE"):
        from campaign.coverage.scoring import model_problem
        from config import ConfigError

        problem = model_problem(Path(app.config["COVERAGE_MODEL_FILE"]))
        if problem:
            raise ConfigError(f"COVERAGE_MODEL_FILE {app.config['COVERAGE_MODEL_FILE']!r}: "
                              f"{problem}")
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config.get("TIMEZONE", "Asia/Shanghai")


def _register_extensions(app: Flask) -> None:
    from campaign.auth.session import init_login
    from campaign.core.i18n import select_locale
    from campaign.core.sqlite import install_sqlite_pragmas
    from campaign.extensions import babel, csrf, db, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    init_login(app)
    _register_security(app)
    with app.app_context():
        install_sqlite_pragmas(db.engine)


def _register_security(app: Flask) -> None:
    """Security headers, the safe-link template test and the login throttle."""
    from campaign.auth.ratelimit import init_login_throttle
    from campaign.core.security import init_security

    init_security(app)
    init_login_throttle(app)


def _keep_coverage_counted() -> None:
    """The dashboards' coverage cells are recounted before each commit of the app's session."""
    from campaign.coverage.cells import keep_counted
    from campaign.extensions import db

    keep_counted(db.session)


def _import_models() -> None:
    """Every feature's models, so the metadata (and Alembic) sees every table."""
    import campaign.api.models
    import campaign.articles.models
    import campaign.auth.models
    import campaign.coverage.models
    import campaign.digests.models
    import campaign.exports.models
    import campaign.ingest.models
    import campaign.planning.models
    import campaign.reprints.models
    import campaign.sources.models  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    from campaign.articles import media_views  # noqa: F401  (routes on sources' bp)
    from campaign.articles import views as article_views  # noqa: F401  (routes on sources' bp)
    from campaign.auth import account_views  # noqa: F401  (registers routes on bp)
    from campaign.auth.views import bp as auth_bp
    from campaign.core import guide_views  # noqa: F401  (routes on core's bp)
    from campaign.core.views import bp as core_bp
    from campaign.coverage.views import bp as coverage_bp
    from campaign.dashboards.views import bp as dashboards_bp
    from campaign.ingest import links_views, sheets_views  # noqa: F401  (on coverage's bp)
    from campaign.planning import editor_views, outlet_views  # noqa: F401  (routes on bp)
    from campaign.planning.views import bp as planning_bp
    from campaign.sources import allowlist_views, views  # noqa: F401  (register routes on bp)
    from campaign.sources.blueprint import bp as sources_bp

    for blueprint in (core_bp, auth_bp, planning_bp, sources_bp, coverage_bp, dashboards_bp):
        app.register_blueprint(blueprint)
    _register_exports_and_api(app)
    from campaign.digests import init_app as init_digests

    init_digests(app)


def _register_exports_and_api(app: Flask) -> None:
    """Exports, the read-only JSON API (token-authenticated, so exempt from CSRF) and the
    admin pages that issue its tokens."""
    from campaign.api.token_views import bp as tokens_bp
    from campaign.api.views import bp as api_bp
    from campaign.exports.views import bp as exports_bp
    from campaign.extensions import csrf

    csrf.exempt(api_bp)
    for blueprint in (exports_bp, api_bp, tokens_bp):
        app.register_blueprint(blueprint)


def _register_template_helpers(app: Flask) -> None:
    from campaign.core.templating import init_templating

    init_templating(app)
    from campaign.articles.media import init_app as init_article_media

    init_article_media(app)
    from campaign.ingest.health import init_app as init_source_health

    init_source_health(app)
    from campaign.coverage.review import init_app as init_coverage_review

    init_coverage_review(app)
    from campaign.planning.instalments import init_app as init_instalments

    init_instalments(app)


def _register_error_handlers(app: Flask) -> None:
    from campaign.core.errors import init_error_handlers

    init_error_handlers(app)


def _register_commands(app: Flask) -> None:
    from campaign.commands import register_commands

    register_commands(app)
