"""Inclusion: records the adults a Digital Inclusion Alliance helps, and reports progress."""

import os

from flask import Flask
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

from inclusion.config import CONFIGS, Config
from inclusion.extensions import csrf, db, limiter, login_manager, migrate


def create_app(config: type[Config] | None = None, **overrides) -> Flask:
    """Build the application; `config` defaults to the class named by INCLUSION_ENV (production)."""
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

    register_extensions(app)
    register_templates(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from inclusion import models  # noqa: F401  (every model registered before the engine is used)
    from inclusion.database import configure_postgresql, configure_sqlite

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


def register_blueprints(app: Flask) -> None:
    # Modules that add views to a blueprint defined elsewhere (imported for that effect), so that
    # features can be built side by side; they must be imported before the blueprints are registered.
    from inclusion.admin import audit_views, milestone_views, skill_views  # noqa: F401
    from inclusion.admin.views import blueprint as admin
    from inclusion.auth import account_views, two_factor_views  # noqa: F401
    from inclusion.auth.views import blueprint as auth
    from inclusion.core.views import blueprint as core
    from inclusion.imports.views import blueprint as imports
    from inclusion.learners import records_views  # noqa: F401
    from inclusion.learners.views import blueprint as learners
    from inclusion.partners.views import blueprint as partners
    from inclusion.reports.views import blueprint as reports
    from inclusion.sessions.views import blueprint as sessions

    for blueprint in (core, auth, learners, sessions, reports, partners, imports, admin):
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    from inclusion.core.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from inclusion.auth import two_factor_cli  # noqa: F401  (adds `flask users reset-two-step`)
    from inclusion.auth.cli import users_cli
    from inclusion.core.demo import demo_cli
    from inclusion.imports.cli import import_cli
    from inclusion.learners.cli import learners_cli
    from inclusion.learners.retention_cli import anonymise_inactive_command  # noqa: F401  (joins learners_cli)
    from inclusion.partners.cli import partners_cli, venues_cli
    from inclusion.reports.cli import reports_cli

    for group in (users_cli, partners_cli, venues_cli, demo_cli, import_cli, learners_cli, reports_cli):
        app.cli.add_command(group)
