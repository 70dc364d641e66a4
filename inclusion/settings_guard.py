"""Development settings are for the SQLite file in instance/: anywhere else they need saying so."""

import os
from pathlib import Path

import click
from flask import Flask
from sqlalchemy.engine import make_url

ALLOW_VARIABLE = "INCLUSION_ALLOW_DEV_SETTINGS"


class DevelopmentSettingsRefused(click.ClickException):
    """Raised by create_app; the CLI prints it as "Error: ..." and exits 1."""


def refuse_development_settings_elsewhere(app: Flask) -> None:
    """`.flaskenv` sets INCLUSION_ENV=development for the checkout: a command run there with DATABASE_URL
    pointing at the alliance's database would otherwise run on it with a known secret key and no
    two-step sign-in."""
    if os.environ.get(ALLOW_VARIABLE) == "1":
        return
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" and _inside(url.database, app.instance_path):
        return
    raise DevelopmentSettingsRefused(
        f"INCLUSION_ENV=development (set by .flaskenv in the checkout, or by you) with the database "
        f"{url.render_as_string(hide_password=True)}: development settings are only for the SQLite file in "
        f"{app.instance_path}. For a real database set INCLUSION_ENV=production; if you do mean "
        f"development settings there, set {ALLOW_VARIABLE}=1."
    )


def _inside(database: str | None, folder: str) -> bool:
    if not database or database == ":memory:":
        return database == ":memory:"  # an in-memory database holds nobody's data
    return Path(database).resolve().is_relative_to(Path(folder).resolve())
