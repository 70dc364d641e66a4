"""Recording a confidence check (from the learner page or a saved session), and the skills passport."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from inclusion.auth.decorators import requires_role
from inclusion.database import row_id
from inclusion.extensions import db
from inclusion.form_fields import options
from inclusion.learners.access import AccessDenied, venue_visible
from inclusion.learners.services import get_learner
from inclusion.outcomes import passport, services
from inclusion.outcomes.forms import ConfidenceCheckForm
from inclusion.partners.models import Venue
from inclusion.sessions.services import get_session
from inclusion.timeutil import today_in_london

blueprint = Blueprint("outcomes", __name__, url_prefix="/learners")
PEOPLE = ("champion", "coordinator", "admin")


def _learner(reference: str):
    try:
        return get_learner(current_user, reference)
    except LookupError:
        abort(404)
    except AccessDenied:
        abort(403)


def _from_session(session_id: int | None):
    """The saved session a check is recorded from (`?session=`), if the user may open it."""
    if session_id is None:
        return None
    try:
        return get_session(current_user, session_id)
    except LookupError:
        abort(404)
    except AccessDenied:
        abort(403)


@blueprint.route("/<reference>/confidence/new", methods=["GET", "POST"])
@requires_role(*PEOPLE)
def new_check(reference: str):
    """From the learner page, or from a saved session (`?session=ID`: its date and venue, and back to it)."""
    learner = _learner(reference)
    learning_session = _from_session(row_id(request.args.get("session")))
    question_set = services.current_question_set()
    form = ConfidenceCheckForm()
    form.label_questions(question_set)
    venues = db.session.execute(select(Venue.id, Venue.name).where(venue_visible(current_user)).order_by(Venue.name))
    form.venue_id.choices = options([(0, "Choose a venue")] + [tuple(row) for row in venues])
    if not form.is_submitted():
        form.stage.data = "exit" if services.has_baseline(learner.id) else "baseline"
        form.checked_on.data = learning_session.session_date if learning_session else today_in_london()
        if learning_session is not None:
            form.venue_id.data = learning_session.venue_id
    if learning_session is not None:
        back = url_for("sessions.detail", session_id=learning_session.id)
    else:
        back = url_for("learners.detail", reference=learner.reference)
    if form.validate_on_submit():
        details = services.CheckDetails(form.stage.data, form.checked_on.data, form.venue_id.data, form.answers())
        try:
            services.record_check(current_user, learner.reference, details)
        except services.CheckError as error:
            field = getattr(form, error.field or "stage", None) or form.stage
            field.errors = list(field.errors) + [str(error)]
        else:
            flash(f"Confidence check saved for {learner.full_name}", "success")
            return redirect(back)
    return render_template(
        "outcomes/new_check.html",
        form=form,
        learner=learner,
        question_set=question_set,
        learning_session=learning_session,
        back=back,
    )


@blueprint.get("/<reference>/passport")
@requires_role(*PEOPLE)
def skills_passport(reference: str):
    """The printable page the learner takes home; who may open it is who may open the learner page."""
    learner = _learner(reference)
    if learner.merged_into_id is not None:  # a duplicate merged away: the learner kept
        return redirect(url_for("outcomes.skills_passport", reference=learner.merged_into.reference))
    return render_template("outcomes/passport.html", passport=passport.open_passport(current_user, learner.reference))
