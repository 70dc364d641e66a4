"""Inclusion: records the adults a Digital Inclusion Alliance helps, and reports progress."""

import os

from flask import Flask
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

from inclusion.config import CONFIGS, Config
from inclusion.start_up import long_lived_objects_built


def create_app(config: type[Config] | None = None, **overrides) -> Flask:
    """Build the application; `config` defaults to the class named by INCLUSION_ENV (production)."""
    # The libraries are imported here, not as the package is, so that they too are built with the
    # collector held off (inclusion/start_up.py).
    with long_lived_objects_built():
        return _build(config, **overrides)


def _build(config: type[Config] | None, **overrides) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    environment = os.environ.get("INCLUSION_ENV", "production")
    app.config.from_object(config or CONFIGS[environment])
    app.config.update(overrides)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):  # no DATABASE_URL: a SQLite file in the instance folder
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{os.path.join(app.instance_path, 'inclusion.sqlite3')}"
    if config is None and environment == "development":
        from inclusion.settings_guard import refuse_development_settings_elsewhere

        refuse_development_settings_elsewhere(app)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set (an environment variable) outside development and tests.")
    os.makedirs(app.instance_path, exist_ok=True)
    if proxies := app.config.get("TRUSTED_PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    register_observability(app)
    register_extensions(app)
    register_learner_data(app)
    register_templates(app)
    register_blueprints(app)
    register_development_pages(app, config or CONFIGS[environment])
    register_api(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_observability(app: Flask) -> None:
    from inclusion import observability

    observability.register(app)


def register_extensions(app: Flask) -> None:
    from inclusion import models  # noqa: F401  (every model registered before the engine is used)
    from inclusion.database import configure_postgresql, configure_sqlite
    from inclusion.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    # inclusion/migrations links to the top-level migrations/, so the wheel ships them inside the package.
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"], app.config["SQLITE_MMAP_BYTES"])
        elif db.engine.dialect.name == "postgresql":
            configure_postgresql(db.engine)

    from inclusion.auth import loader
    from inclusion.security import register_security_headers
    from inclusion.static_files import register_static_files

    loader.register(app)
    register_security_headers(app)
    register_static_files(app)


def register_templates(app: Flask) -> None:
    from govuk_frontend_wtf.main import WTFormsHelpers

    from inclusion.sessions.constants import SESSION_TYPE_LABELS
    from inclusion.templating import register_template_helpers

    app.jinja_loader = ChoiceLoader(
        [
            PackageLoader("inclusion"),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)
    register_template_helpers(app)

    app.add_template_filter(lambda value: SESSION_TYPE_LABELS.get(value, value), "session_type")


def register_learner_data(app: Flask) -> None:
    """Every package that holds rows about a learner: merges, undo, subject access and erasure ask each."""
    from inclusion.devices.learner_data import DeviceRecords
    from inclusion.followups.learner_data import FollowUps
    from inclusion.imports.learner_data import UploadedSpreadsheets
    from inclusion.learners.learner_data import register_learner_data as register
    from inclusion.outcomes.learner_data import ConfidenceChecks
    from inclusion.sessions.learner_data import SessionRecords
    from inclusion.signposts.learner_data import Signposts

    register(
        app,
        [SessionRecords(), ConfidenceChecks(), FollowUps(), DeviceRecords(), Signposts(), UploadedSpreadsheets()],
    )


def register_blueprints(app: Flask) -> None:
    from inclusion.admin import audit_views, milestone_views, skill_views
    from inclusion.admin.views import blueprint as admin
    from inclusion.api import token_views
    from inclusion.auth import account_views, two_factor_views
    from inclusion.auth.views import blueprint as auth
    from inclusion.core.views import blueprint as core
    from inclusion.devices import loan_views
    from inclusion.devices.views import blueprint as devices
    from inclusion.exports.views import blueprint as exports
    from inclusion.followups.views import blueprint as followups
    from inclusion.imports.views import blueprint as imports
    from inclusion.learners import records_views
    from inclusion.learners.views import blueprint as learners
    from inclusion.observability.views import blueprint as observability
    from inclusion.offline.views import blueprint as offline
    from inclusion.outcomes import question_views, session_links
    from inclusion.outcomes.views import blueprint as outcomes
    from inclusion.partners.views import blueprint as partners
    from inclusion.regular import activity_views
    from inclusion.regular.views import blueprint as regular
    from inclusion.reports.views import blueprint as reports
    from inclusion.sessions import form_views
    from inclusion.sessions.views import blueprint as sessions
    from inclusion.signposts.views import blueprint as signposts

    for blueprint in (
        core,
        auth,
        learners,
        sessions,
        reports,
        partners,
        imports,
        admin,
        outcomes,
        followups,
        devices,
        signposts,
        exports,
        observability,
        regular,
        offline,
    ):
        app.register_blueprint(blueprint)
    # Views kept in modules of their own, beside the blueprint they belong to.
    for module, blueprint in (
        (audit_views, admin),
        (milestone_views, admin),
        (skill_views, admin),
        (token_views, admin),
        (question_views, admin),
        (account_views, auth),
        (two_factor_views, auth),
        (records_views, learners),
        (loan_views, devices),
        (activity_views, reports),
        (form_views, sessions),
    ):
        module.routes.add_to(app, blueprint)
    session_links.register(app)  # the saved session page's confidence check link per attendee


def register_development_pages(app: Flask, config: type[Config]) -> None:
    """/dev/mail (the development outbox) when DEV_MAIL_PAGE is set; never with the production settings."""
    from inclusion.config import ProductionConfig

    if app.config["DEV_MAIL_PAGE"] and not issubclass(config, ProductionConfig):
        from inclusion.core import dev_mail
        from inclusion.core.views import blueprint as core

        dev_mail.routes.add_to(app, core)


def register_api(app: Flask) -> None:
    """The open data feed under /api/v1 (its own OpenAPI document), and its admin pages."""
    from inclusion.api import cors, openapi

    openapi.register(app)
    cors.register(app)


def register_errorhandlers(app: Flask) -> None:
    from inclusion.core.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from inclusion.api.cli import api_tokens_cli
    from inclusion.auth.cli import users_cli
    from inclusion.auth.two_factor_cli import reset_two_step
    from inclusion.backups.cli import backup_command, restore_command
    from inclusion.core.demo import demo_cli
    from inclusion.devices.cli import devices_cli
    from inclusion.imports.cli import import_cli
    from inclusion.learners.cli import learners_cli
    from inclusion.learners.retention_cli import anonymise_inactive_command
    from inclusion.migrating import MigrationCommands
    from inclusion.observability.jobs import log_commands
    from inclusion.partners.cli import partners_cli, venues_cli
    from inclusion.regular.cli import reminders_cli
    from inclusion.reports.cli import reports_cli

    db_cli = MigrationCommands()  # Flask-Migrate's `flask db`, imported when one of its commands runs
    users_cli.add_command(reset_two_step)
    db_cli.add_command(backup_command)
    db_cli.add_command(restore_command)
    learners_cli.add_command(anonymise_inactive_command)
    for group in (
        db_cli,
        users_cli,
        partners_cli,
        venues_cli,
        demo_cli,
        import_cli,
        learners_cli,
        reports_cli,
        api_tokens_cli,
        devices_cli,
        reminders_cli,
    ):
        app.cli.add_command(group)
    for command in app.cli.commands.values():  # a start and an end line for every job
        log_commands(command)
    db_cli.when_loaded(log_commands)  # Flask-Migrate's own `db` commands too, once imported
