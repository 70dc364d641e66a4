"""Pieces of the session form for its script: an attendee's row, a venue's context, registering in place.

Each answers the form's own script (fetch) and is access-controlled like the form; without
JavaScript the form does the same by posting itself (views.py), so none of these is needed.
"""

from flask import abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from inclusion.auth.decorators import requires_role
from inclusion.auth.roles import ALLIANCE_WIDE_ROLES
from inclusion.database import row_id
from inclusion.extensions import db
from inclusion.form_fields import options
from inclusion.learners import services as learner_services
from inclusion.learners.access import AccessDenied
from inclusion.learners.forms import LearnerForm
from inclusion.learners.matching import possible_duplicates
from inclusion.partners.models import Partner
from inclusion.routing import BlueprintRoutes
from inclusion.sessions import queries
from inclusion.sessions.forms import SESSION_TYPE_LABELS

routes = BlueprintRoutes()
PEOPLE = ("champion", "coordinator", "admin")
REGISTER_PREFIX = "learner-"  # the dialog's fields never share an id with the session form's


def opened_as_a_page() -> bool:
    """True when a browser navigates to a fragment URL itself (a bookmark, a typed address).

    The fragments are pieces of the session form for its script, not pages (no title, no
    language, buttons that only work inside the form), so a person is sent to the form instead.
    """
    return request.headers.get("Sec-Fetch-Mode") == "navigate"


def attendee_row(learner, ticked=(), gained=frozenset()) -> str:
    """One attendee's compact row, with their skills behind a disclosure (the form renders the same)."""
    return render_template(
        "sessions/_attendee.html",
        learner=learner,
        ticked=list(ticked),
        gained=gained,
        areas=queries.active_skills_by_area(),
    )


@routes.get("/attendee-row")
@requires_role(*PEOPLE)
def attendee():
    """The row of a learner the user may see, to add to the form in place."""
    if opened_as_a_page():
        return redirect(url_for("sessions.new"))
    learner_id = row_id(request.args.get("learner"))
    people = queries.learners_by_id(current_user, [learner_id] if learner_id else [])
    if learner_id not in people or people[learner_id].merged_into_id is not None:
        abort(404)
    editing = row_id(request.args.get("session"))
    gained = queries.skills_gained_before([learner_id], editing).get(learner_id, set())
    return attendee_row(people[learner_id], gained=gained)


@routes.get("/venue-context")
@requires_role(*PEOPLE)
def venue_context():
    """For a newly chosen venue: its recent learners, the offer to repeat its last session, and the
    type and duration the user last used there (the form fills them in if still untouched)."""
    if opened_as_a_page():
        return redirect(url_for("sessions.new"))
    venue_id = row_id(request.args.get("venue"))
    if venue_id not in {venue.id for venue in queries.venues_for(current_user)}:
        return jsonify(recent="", repeat="", session_type=None, duration_minutes=None)
    exclude = [number for value in request.args.getlist("exclude") if (number := row_id(value))]
    own = queries.last_session_at(current_user, venue_id, by_user=True)
    return jsonify(
        recent=render_template(
            "sessions/_recent.html", recent=queries.recent_learners(current_user, venue_id, exclude)
        ),
        repeat=render_template(
            "sessions/_repeat.html",
            last=queries.last_session_at(current_user, venue_id),
            type_labels=SESSION_TYPE_LABELS,
        ),
        session_type=own.session_type if own else None,
        duration_minutes=own.duration_minutes if own else None,
    )


def _registration_form() -> LearnerForm:
    form = LearnerForm(prefix=REGISTER_PREFIX)
    if current_user.role in ALLIANCE_WIDE_ROLES:
        partners = db.session.scalars(select(Partner).order_by(Partner.name)).all()
        form.partner_id.choices = options([(0, "Choose a partner")] + [(p.id, p.name) for p in partners])
    else:
        form.partner_id.choices = []
    return form


def _render_registration(form, matches=(), status=200, duplicate_error=None):
    html = render_template(
        "sessions/_register.html",
        form=form,
        matches=matches,
        duplicate_error=duplicate_error,
        notice_version=current_app.config["PRIVACY_NOTICE_VERSION"],
    )
    return html, status


def _added(learner):
    """The registered (or chosen) learner's row: the script puts it on the form and closes the dialog."""
    return jsonify(
        learner_id=learner.id, name=learner.full_name, reference=learner.reference, row=attendee_row(learner)
    )


@routes.route("/register-learner", methods=["GET", "POST"])
@requires_role(*PEOPLE)
def register_learner():
    """Register a new learner without leaving the session form: the same form, rules and duplicate
    check as /learners/new (learners' services decide), drawn in a dialog on the form."""
    if opened_as_a_page():
        return redirect(url_for("learners.new", name=request.args.get("name") or None))
    form = _registration_form()
    if request.method == "GET":
        form.lawful_basis.data = current_app.config["DEFAULT_LAWFUL_BASIS"]
        first, _, last = request.args.get("name", "").strip().partition(" ")
        form.first_name.data, form.last_name.data = first[:100] or None, last[:100] or None
        return _render_registration(form)
    choice = request.form.get(f"{REGISTER_PREFIX}duplicate_choice")
    if choice and choice != "new":
        try:
            return _added(learner_services.get_learner(current_user, choice))
        except LookupError:
            abort(404)
        except AccessDenied:
            abort(403)
    if not form.validate():
        return _render_registration(form, status=422)
    details = form.details()
    if choice != "new":
        matches = possible_duplicates(
            current_user, details.first_name, details.last_name, details.date_of_birth, details.postcode
        )
        if matches:
            # As on the learner page: nobody is registered past possible duplicates without a choice.
            unchosen = (
                "Choose one of the learners, or register a new learner"
                if request.form.get(f"{REGISTER_PREFIX}offered")
                else None
            )
            return _render_registration(form, matches, status=409, duplicate_error=unchosen)
    try:
        learner = learner_services.register_learner(current_user, details)
    except learner_services.LearnerError as error:
        field = getattr(form, error.field or "first_name", None) or form.first_name
        field.errors = list(field.errors) + [str(error)]
        return _render_registration(form, status=422)
    except AccessDenied:
        abort(403)
    return _added(learner), 201
