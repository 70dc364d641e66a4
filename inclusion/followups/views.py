"""The follow-up queue of a partner, and recording a follow-up from it (docs/follow-ups.md)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from inclusion.auth.decorators import requires_role
from inclusion.auth.roles import ALLIANCE_WIDE_ROLES
from inclusion.database import page_number, row_id
from inclusion.extensions import db
from inclusion.followups import queue, services
from inclusion.followups.forms import FollowUpForm
from inclusion.followups.models import ANSWER_COLUMNS
from inclusion.learners.access import AccessDenied
from inclusion.partners.models import Partner
from inclusion.timeutil import today_in_london

blueprint = Blueprint("followups", __name__, url_prefix="/followups")
PEOPLE = ("champion", "coordinator", "admin")


def _chosen_partner() -> int | None:
    """?partner= for alliance staff (0 or absent: their own partner, else every partner); a champion's own."""
    if current_user.role not in ALLIANCE_WIDE_ROLES:
        return current_user.partner_id
    asked = request.args.get("partner")
    if asked == "all":
        return None
    return row_id(asked) or current_user.partner_id


@blueprint.get("/")
@requires_role(*PEOPLE)
def index():
    partner_id = _chosen_partner()
    today = today_in_london()
    try:
        page = queue.follow_up_queue(current_user, partner_id, today, page_number(request.args.get("page")))
    except PermissionError:
        abort(403)
    partners = []
    if current_user.role in ALLIANCE_WIDE_ROLES:
        partners = db.session.execute(select(Partner.id, Partner.name).order_by(Partner.name)).all()
    partner = db.session.get(Partner, partner_id) if partner_id else None
    return render_template(
        "followups/queue.html",
        results=page,
        partner=partner,
        partners=partners,
        params={"partner": partner.id if partner else "all"},
        today=today,
        days=queue.follow_up_days(),
    )


def _return_to(learner) -> str:
    if request.args.get("from") == "learner":
        return url_for("learners.detail", reference=learner.reference)
    return url_for("followups.index", partner=learner.registered_partner_id)


@blueprint.route("/<reference>/new", methods=["GET", "POST"])
@requires_role(*PEOPLE)
def record(reference: str):
    try:
        learner = services.counted_learner(current_user, reference)
    except LookupError:
        abort(404)
    except AccessDenied:
        abort(403)
    back = _return_to(learner)
    problem = services.why_not_recordable(learner)
    form = FollowUpForm()
    if not form.is_submitted():
        form.followed_up_on.data = today_in_london()
    if problem is None and form.validate_on_submit():
        details = services.FollowUpDetails(form.outcome.data, form.followed_up_on.data, form.answers())
        try:
            services.record_follow_up(current_user, learner.reference, details)
        except services.FollowUpError as error:
            field = getattr(form, error.field or "outcome", None) or form.outcome
            field.errors = [*field.errors, str(error)]
        else:
            flash(f"Follow-up saved for {learner.full_name}", "success")
            return redirect(back)
    return render_template(
        "followups/record.html",
        form=form,
        learner=learner,
        problem=problem,
        back=back,
        due_on=queue.due_on(learner.first_attended_on),
        questions=ANSWER_COLUMNS,
    )
