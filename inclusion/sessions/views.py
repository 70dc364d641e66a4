"""Session pages: log a session with its attendees and skills, list, show, correct and delete."""

import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from inclusion.auth.decorators import requires_role
from inclusion.database import page_number, row_id
from inclusion.form_fields import options
from inclusion.learners.access import AccessDenied
from inclusion.learners.filters import FilterNotAllowed
from inclusion.learners.search import search_learners
from inclusion.rules import search_text
from inclusion.sessions import draft_marks, drafts, prefill, queries, services
from inclusion.sessions.filters import SessionFilters, check_session_filters
from inclusion.sessions.form_views import opened_as_a_page
from inclusion.sessions.forms import SESSION_TYPE_LABELS, SessionForm, attendees_from, form_values
from inclusion.sessions.rules import NOTES_MAX_LENGTH
from inclusion.templating import refused_filter
from inclusion.timeutil import today_in_london

blueprint = Blueprint("sessions", __name__, url_prefix="/sessions")
PEOPLE = ("champion", "coordinator", "admin")


def _load(session_id: int):
    try:
        return services.get_session(current_user, session_id)
    except LookupError:
        abort(404)
    except AccessDenied:
        abort(403)


@blueprint.get("/")
@requires_role(*PEOPLE)
def index():
    args = request.args
    filters = SessionFilters.from_args(args)
    try:
        check_session_filters(current_user, filters)
    except FilterNotAllowed as refused:
        return refused_filter(refused)
    results = queries.list_sessions(current_user, filters, page=page_number(args.get("page")))
    return render_template(
        "sessions/index.html",
        results=results,
        filters=filters,
        args=args,
        venues=queries.venues_for(current_user, open_only=False),
        champions=queries.champions_for_filter(current_user),
        partners=queries.partners_for_filter(current_user),
    )


@blueprint.route("/new", methods=["GET", "POST"])
@requires_role(*PEOPLE)
def new():
    return _session_form(None)


@blueprint.route("/<int:session_id>/edit", methods=["GET", "POST"])
@requires_role(*PEOPLE)
def edit(session_id: int):
    learning_session = _load(session_id)
    if not services.may_change(current_user, learning_session):
        abort(403)
    return _session_form(learning_session)


def _initial_formdata(learning_session, here: str, venues):
    """What a GET starts from: a resumed draft, the session being edited, a session repeated, or
    nothing (the defaults)."""
    if request.args.get("resume") and drafts.draft_return_to() == here:
        return drafts.load_draft()
    drafts.clear_draft()  # a draft not resumed now was abandoned
    if learning_session is not None:
        return _values_of(learning_session, learning_session.session_date, "")
    repeated = _repeatable(row_id(request.args.get("repeat")), venues)
    if repeated is not None:
        # A weekly group: the same venue, type, duration, time and people, today, as a new session.
        values = _values_of(repeated, today_in_london(), secrets.token_urlsafe(24), with_skills=False)
        values["notes"] = ""
        values["unregistered_attendees"] = "0"
        return values
    return None


def _values_of(learning_session, on, key: str, *, with_skills: bool = True):
    attendees, skills = services.current_attendance(learning_session)
    return form_values(
        on,
        learning_session.start_time,
        learning_session.venue_id,
        learning_session.session_type,
        learning_session.duration_minutes,
        learning_session.notes,
        learning_session.unregistered_attendees,
        key,
        attendees,
        skills if with_skills else {},
    )


def _repeatable(session_id: int | None, venues):
    """The session asked to be repeated, if the user may see it and its venue is still open to them."""
    if not session_id:
        return None
    try:
        repeated = services.get_session(current_user, session_id)
    except (LookupError, AccessDenied):
        return None
    return repeated if repeated.venue_id in {venue.id for venue in venues} else None


def _defaults(user, venues) -> dict:
    """A fresh form: today, the usual venue, and the type and duration they last used there."""
    venue_id = queries.default_venue_id(user, venues)
    own = queries.last_session_at(user, venue_id, by_user=True)
    return {
        "session_date": today_in_london(),
        "venue_id": venue_id,
        "session_type": own.session_type if own else "drop-in",
        "duration_minutes": own.duration_minutes if own else None,
        "unregistered_attendees": 0,
        "idempotency_key": secrets.token_urlsafe(24),
    }


def _session_form(learning_session):
    user = current_user
    here = url_for("sessions.edit", session_id=learning_session.id) if learning_session else url_for("sessions.new")
    venues = queries.venues_for(user, include_id=learning_session.venue_id if learning_session else None)
    venue_ids = {venue.id for venue in venues}
    formdata = request.form if request.method == "POST" else _initial_formdata(learning_session, here, venues)
    prefilled, prefilled_attendees = ({}, []) if learning_session else prefill.from_query(request.args, venue_ids)
    if formdata is None:
        # "Log this session" from a regular slot (sessions/prefill.py) fills in what the slot says.
        form = SessionForm(formdata=None, data={**_defaults(user, venues), **prefilled})
    else:
        form = SessionForm(formdata=formdata)
    form.venue_id.choices = options([(0, "Choose a venue")] + [(venue.id, venue.name) for venue in venues])
    attendees, skills = attendees_from(formdata) if formdata is not None else (prefilled_attendees, {})
    found = None
    if request.method == "POST":
        action = request.form.get("action", "save")
        if row_id(request.form.get("add")):
            added = row_id(request.form["add"])
            attendees = attendees + [added] if added not in attendees else attendees
        elif row_id(request.form.get("remove")):
            attendees = [learner_id for learner_id in attendees if learner_id != row_id(request.form["remove"])]
        elif action == "find" and form.q.data:
            found = search_learners(user, form.q.data, per_page=10)
        elif action == "register":
            drafts.save_draft(request.form, return_to=here)
            if learning_session is None and form.venue_id.data in venue_ids:  # seen by the weekly reminder
                draft_marks.note_draft(user.id, form.venue_id.data, form.session_date.data)
            return redirect(url_for("learners.new", for_session=1, name=form.q.data or None))
        elif action == "save" and form.validate():
            result = _save(form, learning_session, attendees, skills)
            if result is not None:
                return result
    return _render_form(form, learning_session, attendees, skills, found)


def _save(form, learning_session, attendees, skills):
    details = form.details(attendees, skills)
    try:
        if learning_session is None:
            saved, created = services.record_session(current_user, details, form.idempotency_key.data or None)
            flash("Session saved" if created else "This session was already saved: here it is", "success")
        else:
            saved = services.update_session(current_user, learning_session, details)
            flash("Session updated", "success")
    except services.SessionError as error:
        target = getattr(form, error.field or "attendees", None) or form.attendees
        target.errors = list(target.errors) + [str(error)]
        return None
    except AccessDenied:
        abort(403)
    # The draft (if any) is kept: the browser's Back button returns to the same form, same
    # idempotency key, so sending it again lands on this session instead of making another.
    return redirect(url_for("sessions.detail", session_id=saved.id))  # post/redirect/get: browsers GET it


def _render_form(form, learning_session, attendees, skills, found):
    user = current_user
    people = queries.learners_by_id(user, attendees)
    attendees = [learner_id for learner_id in attendees if learner_id in people]
    gained = queries.skills_gained_before(attendees, learning_session.id if learning_session else None)
    recent = queries.recent_learners(user, form.venue_id.data, attendees)
    return render_template(
        "sessions/form.html",
        form=form,
        learning_session=learning_session,
        attendees=[people[i] for i in attendees],
        skills=skills,
        gained=gained,
        areas=queries.active_skills_by_area(),
        recent=recent,
        found=found,
        # Offered on a new form not yet started: a weekly group's session filled from the last one there.
        last=queries.last_session_at(user, form.venue_id.data) if learning_session is None and not attendees else None,
        type_labels=SESSION_TYPE_LABELS,
        notes_max_length=NOTES_MAX_LENGTH,
    )


@blueprint.get("/find-learners")
@requires_role(*PEOPLE)
def find_learners():
    """The search results alone, for search-as-you-type (the form works without it)."""
    if opened_as_a_page():
        return redirect(url_for("sessions.new"))
    query = search_text(request.args.get("q"))
    if not query:
        return ""
    return render_template("sessions/_found.html", found=search_learners(current_user, query, per_page=10))


@blueprint.get("/recent-learners")
@requires_role(*PEOPLE)
def recent_learners():
    """The chosen venue's recent learners alone, for when the venue changes (the form works without it)."""
    if opened_as_a_page():
        return redirect(url_for("sessions.new"))
    exclude = [number for value in request.args.getlist("exclude") if (number := row_id(value))]
    venue_id = row_id(request.args.get("venue"))
    if venue_id not in {venue.id for venue in queries.venues_for(current_user)}:
        return ""
    return render_template("sessions/_recent.html", recent=queries.recent_learners(current_user, venue_id, exclude))


@blueprint.get("/<int:session_id>")
@requires_role(*PEOPLE)
def detail(session_id: int):
    learning_session = _load(session_id)
    return render_template(
        "sessions/detail.html",
        learning_session=learning_session,
        attendees=queries.session_attendees(learning_session),
        may_change=services.may_change(current_user, learning_session),
    )


@blueprint.route("/<int:session_id>/delete", methods=["GET", "POST"])
@requires_role(*PEOPLE)
def delete(session_id: int):
    learning_session = _load(session_id)
    if not services.may_change(current_user, learning_session):
        abort(403)
    if request.method == "POST":
        services.delete_session(current_user, learning_session)
        flash("Session deleted. Its learners' records are kept.", "success")
        return redirect(url_for("sessions.index"))
    attendees = queries.session_attendees(learning_session)
    return render_template("sessions/delete.html", learning_session=learning_session, attendees=attendees)
