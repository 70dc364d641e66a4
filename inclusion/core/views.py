"""Home page, help for volunteers and the health checks (liveness and readiness)."""

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text

from inclusion.auth.decorators import public
from inclusion.auth.roles import Role
from inclusion.core import home as home_pages
from inclusion.core.readiness import readiness_problems
from inclusion.extensions import db

blueprint = Blueprint("core", __name__)


@blueprint.get("/healthz")
@public
def healthz():
    db.session.execute(text("SELECT 1"))
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@blueprint.get("/readyz")
@public  # polled by load balancers; says nothing about people or hosts
def readyz():
    """200 when this worker may take traffic; 503 with the reasons while it may not."""
    problems = readiness_problems()
    body, status = ({"status": "not ready", "reasons": problems}, 503) if problems else ({"status": "ready"}, 200)
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/")
def home():
    """Each role starts at its main task: a funder at the dashboard, others at their home panels."""
    if current_user.role == Role.FUNDER:
        return redirect(url_for("reports.dashboard"))
    return render_template(home_pages.home_template(current_user), panels=home_pages.panels_for(current_user))


@blueprint.get("/favicon.ico")
@public  # browsers ask for it on their own, signed in or not: the icon, not a 404
def favicon():
    return redirect(url_for("static", filename="build/favicon.svg"), code=301)


@blueprint.get("/help", endpoint="help")
@public  # someone who cannot sign in most needs to know whom to ask
def help_page():
    return render_template("core/help.html")


@blueprint.get("/accessibility")
@public
def accessibility():
    """The accessibility statement UK public-sector websites must publish."""
    return render_template("core/accessibility.html")
