"""The installable web app: its manifest, its service worker, the data kept for the session form, and late sessions."""

import os

from flask import Blueprint, abort, current_app, flash, jsonify, request, send_file, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from inclusion.auth.decorators import public, requires_role
from inclusion.learners.access import AccessDenied
from inclusion.offline import services
from inclusion.sessions.forms import SessionForm, attendees_from
from inclusion.sessions.services import SessionError

blueprint = Blueprint("offline", __name__, url_prefix="/offline")
PEOPLE = ("champion", "coordinator", "admin")  # those who log sessions
SCOPE_HEADER = "Inclusion-Offline-Scope"  # the service worker keeps a response only for the user it names


@blueprint.app_context_processor
def _offline_scope():
    """`offline_scope()` in templates: the signed-in user's cache scope, for the page's script."""

    def offline_scope() -> str:
        if not current_user.is_authenticated or current_user.role not in PEOPLE:
            return ""
        return services.cache_scope(current_user, current_app.config["SECRET_KEY"])

    return {"offline_scope": offline_scope}


@blueprint.after_app_request
def _name_the_scope(response):
    # The session form and the offline data are kept per user; the worker checks this before keeping them.
    kept = request.endpoint in {"sessions.new", "offline.data"} and request.method == "GET"
    if kept and response.status_code == 200 and current_user.is_authenticated and current_user.role in PEOPLE:
        response.headers[SCOPE_HEADER] = services.cache_scope(current_user, current_app.config["SECRET_KEY"])
    return response


@blueprint.get("/manifest.webmanifest")
@public
def manifest():
    """The web app manifest: what a phone needs to install Inclusion on its home screen."""

    def icon(name: str, size: int, purpose: str = "any") -> dict:
        src = url_for("static", filename=f"build/icons/{name}")
        return {"src": src, "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}

    body = {
        "name": "Inclusion",
        "short_name": "Inclusion",
        "description": f"Log sessions and learners for {current_app.config['ALLIANCE_NAME']}, online or offline",
        "lang": "en-GB",
        "id": "/",
        "start_url": url_for("core.home"),
        "scope": "/",
        "display": "standalone",
        "theme_color": "#1d4f76",
        "background_color": "#ffffff",
        "icons": [
            icon("icon-192.png", 192),
            icon("icon-512.png", 512),
            icon("icon-maskable-512.png", 512, "maskable"),
        ],
        "shortcuts": [{"name": "Log a session", "url": url_for("sessions.new")}],
    }
    response = jsonify(body)
    response.mimetype = "application/manifest+json"
    return response


@blueprint.get("/sw.js")
@public
def service_worker():
    """The service worker (built by `make assets`), allowed to control the whole site from here."""
    path = os.path.join(current_app.static_folder, "build", "sw.js")
    if not os.path.exists(path):
        abort(404)
    response = send_file(path, mimetype="text/javascript", max_age=0)
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@blueprint.get("/data.json")
@requires_role(*PEOPLE)
def data():
    """The user's venues, their partner's recent learners and the skills, for the session form offline."""
    config = current_app.config
    body = services.offline_data(
        current_user, recent_days=config["OFFLINE_RECENT_DAYS"], limit=config["OFFLINE_RECENT_LIMIT"]
    )
    body["scope"] = services.cache_scope(current_user, config["SECRET_KEY"])
    body["csrf_token"] = generate_csrf()
    return jsonify(body)


def _problem(status: int, message: str, field: str | None = None):
    return jsonify({"status": "error", "errors": [{"field": field or "attendees", "message": message}]}), status


@blueprint.post("/sessions")
@requires_role(*PEOPLE)
def send_session():
    """A session from the form, sent by the page's script: at once, or later from the device's queue.

    It takes exactly the session form's fields and answers JSON: 200 with the session's address
    (stored now, or already stored under the same idempotency key), or 422 with every error.
    """
    form = SessionForm(formdata=request.form)
    form.venue_id.choices = []
    if not form.validate():
        errors = [{"field": name, "message": message} for name, messages in form.errors.items() for message in messages]
        return jsonify({"status": "error", "errors": errors}), 422
    attendees, skills = attendees_from(request.form)
    try:
        sent = services.send_queued_session(current_user, form.details(attendees, skills), form.idempotency_key.data)
    except SessionError as error:
        return _problem(422, str(error), error.field)
    except AccessDenied:
        return _problem(403, "You may not log sessions for this venue")
    address = url_for("sessions.detail", session_id=sent.session_id)
    if request.form.get("delivery") == "live":  # sent at once: the page goes to the session next
        flash("Session saved" if sent.created else "This session was already saved: here it is", "success")
        for note in sent.notes if sent.created else []:
            flash(note, "info")
    status = "saved" if sent.created else "already-saved"
    return jsonify({"status": status, "session_id": sent.session_id, "url": address, "notes": sent.notes})
