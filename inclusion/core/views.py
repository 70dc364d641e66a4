"""Home page, help for volunteers and the health check."""

from flask import Blueprint, render_template
from sqlalchemy import text

from inclusion.auth.decorators import public
from inclusion.extensions import db

blueprint = Blueprint("core", __name__)


@blueprint.get("/healthz")
@public
def healthz():
    db.session.execute(text("SELECT 1"))
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@blueprint.get("/")
def home():
    return render_template("core/home.html")


@blueprint.get("/help", endpoint="help")
@public  # someone who cannot sign in most needs to know whom to ask
def help_page():
    return render_template("core/help.html")


@blueprint.get("/accessibility")
@public
def accessibility():
    """The accessibility statement UK public-sector websites must publish."""
    return render_template("core/accessibility.html")
