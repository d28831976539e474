"""Matchmaker: the application factory.

`create_app` wires configuration, extensions, blueprints, error handlers and CLI commands.
It runs no database query and loads no model: the schema comes from migrations
(`flask db upgrade`), the search model is loaded lazily by the search package.
"""

from __future__ import annotations

import os

from flask import Flask

from .config import Config, resolve_secret_key, sqlite_default_uri
from .errors import register_error_handlers
from .extensions import babel, csrf, db, limiter, login_manager, migrate
from .i18n import current_locale, select_locale
from .nav import init_app as init_nav
from .security import init_app as init_security
from .templating import init_app as init_templating
from .urls import BoundedIntConverter

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(config: type | dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=os.path.join(PROJECT_ROOT, "templates"),
        static_folder="static",
        instance_path=os.environ.get("MATCHMAKER_INSTANCE", os.path.join(PROJECT_ROOT, "instance")),
    )
    _configure(app, config)
    app.url_map.converters["int"] = BoundedIntConverter  # before any route is added
    init_security(app)
    _init_extensions(app)
    _register_blueprints(app)
    _init_jobs(app)
    _init_search(app)
    _wire_signals()
    register_error_handlers(app)
    from .cli import register_cli

    register_cli(app)
    return app


def _configure(app: Flask, config: type | dict | None) -> None:
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.from_mapping(config)
    elif config is not None:
        app.config.from_object(config)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config["INSTANCE_PATH"] = app.instance_path
    resolve_secret_key(app)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = sqlite_default_uri(app.instance_path)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {}


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=os.path.join(PROJECT_ROOT, "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=os.path.join(os.path.dirname(__file__), "translations"),
    )
    limiter.init_app(app)
    login_manager.init_app(app)
    init_nav(app)
    init_templating(app)
    app.jinja_env.globals["current_locale"] = current_locale
    from . import models  # noqa: F401  (register every model with the metadata)


def _register_blueprints(app: Flask) -> None:
    from .accounts.views import bp as accounts_bp
    from .competitions.views import bp as competitions_bp
    from .dashboard.ledger_views import bp as ledger_bp
    from .dashboard.views import bp as dashboard_bp
    from .main.views import bp as main_bp
    from .matchdays.views import bp as matchdays_bp
    from .messages.views import bp as messages_bp
    from .needs.views import bp as needs_bp
    from .notices.views import bp as notices_bp
    from .notifications.views import bp as notifications_bp
    from .notifications.views import unread_badge
    from .scenarios.views import bp as scenarios_bp
    from .solvers.views import bp as solvers_bp

    for blueprint in (
        main_bp,
        accounts_bp,
        scenarios_bp,
        notifications_bp,
        needs_bp,
        solvers_bp,
        competitions_bp,
        matchdays_bp,
        notices_bp,
        dashboard_bp,
        ledger_bp,
        messages_bp,
    ):
        app.register_blueprint(blueprint)
    app.context_processor(unread_badge)
    from .api import init_app as init_api

    init_api(app)


def _init_search(app: Flask) -> None:
    """Hand the feature packages' document sources and the template loader to search (its
    `sync` module declares the indexing task, so a worker knows it)."""
    from . import search
    from .needs.search_documents import SOURCE as need_source
    from .needs.search_documents import load_templates
    from .search.app import sync  # noqa: F401  (index_documents_job)
    from .solvers.search_documents import SOURCE as offering_source

    search.init_app(app, sources=[need_source, offering_source], templates=load_templates)


def _init_jobs(app: Flask) -> None:
    """The job queue, and the modules that declare its tasks (so that a worker knows them)."""
    from . import backups  # noqa: F401  (daily_backup)
    from .competitions import (
        digest,  # noqa: F401  (send_vendor_digests)
        schedules,  # noqa: F401  (rounds_tick, overdue_milestones)
    )
    from .dashboard import gaps  # noqa: F401  (refresh_gap_report)
    from .jobs import init_app as init_jobs
    from .notifications import outbox  # noqa: F401  (send_mail_outbox, sweep_mail_outbox)

    init_jobs(app)


def _wire_signals() -> None:
    """Connect the accounts package's notices to the notifications inbox and e-mail (the two
    packages are independent layers and may not import each other)."""
    from .accounts.signals import account_changed, account_mail, account_notice

    account_notice.connect(_relay_account_notice)
    account_mail.connect(_relay_account_mail)
    account_changed.connect(_audit_account_change)


def _audit_account_change(actor, **change) -> None:
    """停用/重新启用 an account: an entry in the audit log, in the caller's transaction."""
    from .competitions.audit import record

    record(actor, change["action"], change["user"], change["before"], change["after"])


def _relay_account_notice(user, **notice) -> None:
    from .notifications.services import notify

    notify([user], notice["kind"], notice["title"], notice.get("body", ""), notice.get("link", ""))


def _relay_account_mail(user, **mail) -> None:
    """A mail with a one-time link: the outbox only, no inbox entry, in the user's language."""
    from flask_babel import force_locale

    from .i18n import user_locale
    from .notifications.outbox import queue_mail

    with force_locale(user_locale(user)):
        queue_mail(user.email, str(mail["subject"]), str(mail["body"]))
