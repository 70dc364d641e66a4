"""Signposting a learner (from the learner page or a saved session), and the directory of outside services."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from inclusion.auth.decorators import requires_role
from inclusion.database import row_id
from inclusion.extensions import db
from inclusion.form_fields import options
from inclusion.learners.access import AccessDenied
from inclusion.learners.services import get_learner
from inclusion.partners.models import Partner, Venue
from inclusion.sessions import queries as session_queries
from inclusion.sessions.services import get_session
from inclusion.signposts import services
from inclusion.signposts.forms import ServiceForm, SignpostForm
from inclusion.signposts.models import SignpostService
from inclusion.timeutil import today_in_london

blueprint = Blueprint("signposts", __name__, url_prefix="/signposts")
PEOPLE = ("champion", "coordinator", "admin")
KEEPERS = ("coordinator", "admin")


def _allowed(load, *args):
    try:
        return load(current_user, *args)
    except LookupError:
        abort(404)
    except AccessDenied:
        abort(403)


def target_choices() -> list[tuple[str, str]]:
    """Open venues, partners and the directory's current services, each labelled with its kind."""
    venues = db.session.execute(select(Venue.id, Venue.name).where(Venue.closed_at.is_(None)).order_by(Venue.name))
    partners = db.session.execute(select(Partner.id, Partner.name).order_by(Partner.name))
    choices = [("", "Choose where")]
    choices += [(f"venue:{vid}", f"Venue: {name}") for vid, name in venues]
    choices += [(f"partner:{pid}", f"Partner (any of its venues): {name}") for pid, name in partners]
    choices += [
        (f"service:{s.id}", f"Outside service: {s.name}") for s in services.list_services(include_retired=False)
    ]
    return choices


@blueprint.route("/learners/<reference>/new", methods=["GET", "POST"])
@requires_role(*PEOPLE)
def new(reference: str):
    learner = _allowed(get_learner, reference)
    if learner.merged_into_id is not None:
        return redirect(url_for("signposts.new", reference=learner.merged_into.reference, **request.args))
    session_id = row_id(request.args.get("session"))
    learning_session = _allowed(get_session, session_id) if session_id else None
    form = SignpostForm()
    form.target.choices = options(target_choices())
    venues = session_queries.venues_for(current_user)
    form.venue_id.choices = options([(0, "Choose a venue")] + [(venue.id, venue.name) for venue in venues])
    if not form.is_submitted():
        form.made_on.data = today_in_london()
        form.venue_id.data = session_queries.default_venue_id(current_user, venues)
    if learning_session is not None:  # where and when are the session's: only the target is asked
        del form.venue_id, form.made_on
    if form.validate_on_submit():
        details = services.SignpostDetails(
            form.target.data,
            venue_id=form.venue_id.data if learning_session is None else None,
            made_on=form.made_on.data if learning_session is None else None,
            session_id=learning_session.id if learning_session else None,
        )
        try:
            services.record_signpost(current_user, learner.reference, details)
        except services.SignpostError as error:
            field = getattr(form, error.field or "target", None) or form.target
            field.errors = list(field.errors) + [str(error)]
        except AccessDenied:
            abort(403)
        else:
            flash(f"Signpost saved for {learner.full_name}", "success")
            if learning_session is not None:
                return redirect(url_for("sessions.detail", session_id=learning_session.id))
            return redirect(url_for("learners.detail", reference=learner.reference))
    return render_template("signposts/new.html", form=form, learner=learner, learning_session=learning_session)


@blueprint.post("/<int:signpost_id>/delete")
@requires_role(*PEOPLE)
def delete(signpost_id: int):
    learner = _allowed(services.delete_signpost, signpost_id)
    flash("Signpost removed", "success")
    return redirect(url_for("learners.detail", reference=learner.reference))


@blueprint.route("/services", methods=["GET", "POST"])
@requires_role(*KEEPERS)
def directory():
    form = ServiceForm()
    if form.validate_on_submit():
        try:
            service = services.add_service(current_user, _service_details(form))
        except services.SignpostError as error:
            _attach(form, error)
        else:
            flash(f"{service.name} added to the directory", "success")
            return redirect(url_for("signposts.directory"))
    return render_template("signposts/services.html", form=form, services=services.list_services())


def _service(service_id: int) -> SignpostService:
    service = db.session.get(SignpostService, service_id)
    if service is None:
        abort(404)
    return service


def _service_details(form: ServiceForm) -> services.ServiceDetails:
    return services.ServiceDetails(form.name.data, form.web_address.data, form.area.data)


def _attach(form, error: services.SignpostError) -> None:
    field = getattr(form, error.field or "name", None) or form.name
    field.errors = list(field.errors) + [str(error)]


@blueprint.route("/services/<int:service_id>/edit", methods=["GET", "POST"])
@requires_role(*KEEPERS)
def edit_service(service_id: int):
    service = _service(service_id)
    form = ServiceForm(obj=service if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.update_service(current_user, service, _service_details(form))
        except services.SignpostError as error:
            _attach(form, error)
        else:
            flash(f"{service.name} updated", "success")
            return redirect(url_for("signposts.directory"))
    return render_template("signposts/edit_service.html", form=form, service=service)


@blueprint.post("/services/<int:service_id>/retire")
@requires_role(*KEEPERS)
def retire_service(service_id: int):
    service = _service(service_id)
    retire = not service.is_retired
    services.set_retired(current_user, service, retire)
    flash(f"{service.name} {'taken out of' if retire else 'back in'} the directory", "success")
    return redirect(url_for("signposts.directory"))
