"""Lending, returning, extending and gifting devices, and SIMs or data given: from the learner page."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from inclusion.auth.decorators import requires_role
from inclusion.database import MAX_ROW_ID, row_id
from inclusion.devices import services
from inclusion.devices.forms import DataGiftForm, ExtendForm, GiftForm, LendForm, ReturnForm
from inclusion.devices.stock import DeviceError
from inclusion.devices.views import PEOPLE, _blame, _venue_choices
from inclusion.extensions import db
from inclusion.learners.access import AccessDenied
from inclusion.learners.services import get_learner
from inclusion.routing import BlueprintRoutes
from inclusion.sessions.models import LearningSession
from inclusion.timeutil import today_in_london

# Added to the devices blueprint by create_app (inclusion/__init__.py).
routes = BlueprintRoutes()


def _learner(reference: str):
    try:
        learner = get_learner(current_user, reference)
    except LookupError:
        abort(404)
    except AccessDenied:
        abort(403)
    return learner


def _loan(loan_id: int):
    try:
        return services.get_loan(current_user, loan_id if loan_id <= MAX_ROW_ID else 0)
    except LookupError:
        abort(404)
    except AccessDenied:
        abort(403)


def _back(learner) -> str:
    return url_for("learners.detail", reference=learner.reference)


def _from_session() -> LearningSession | None:
    """The session the champion came from (the saved session page's link), if they may see it."""
    session_id = row_id(request.args.get("session"))
    return db.session.get(LearningSession, session_id) if session_id else None


@routes.route("/lend/<reference>", methods=["GET", "POST"])
@requires_role(*PEOPLE)
def lend(reference: str):
    learner = _learner(reference)
    form = LendForm()
    form.agreement.label.text = f"The learner has read and signed loan agreement {services.agreement_version()}"
    from_session = _from_session()
    if not form.is_submitted():
        form.lent_on.data = from_session.session_date if from_session else today_in_london()
    if form.validate_on_submit():
        try:
            loan = services.lend_device(
                current_user,
                learner.reference,
                form.asset_tag.data,
                form.lent_on.data,
                form.due_on.data,
                agreement_signed=bool(form.agreement.data),
            )
        except DeviceError as error:
            _blame(form, error, "asset_tag")
        else:
            flash(f"{loan.device.asset_tag} lent to {learner.full_name}, due back {loan.due_on:%-d %B %Y}", "success")
            if from_session:
                return redirect(url_for("sessions.detail", session_id=from_session.id))
            return redirect(_back(learner))
    return render_template(
        "devices/lend.html",
        form=form,
        learner=learner,
        agreement=services.agreement_version(),
        loan_days=current_app.config["LOAN_DAYS"],
        from_session=from_session,
    )


@routes.route("/gift/<reference>", methods=["GET", "POST"])
@requires_role(*PEOPLE)
def gift(reference: str):
    learner = _learner(reference)
    form = GiftForm()
    if not form.is_submitted():
        form.given_on.data = today_in_london()
    if form.validate_on_submit():
        try:
            given = services.gift_device(current_user, learner.reference, form.asset_tag.data, form.given_on.data)
        except DeviceError as error:
            _blame(form, error, "asset_tag")
        else:
            flash(f"{given.device.asset_tag} given to {learner.full_name}", "success")
            return redirect(_back(learner))
    return render_template("devices/gift.html", form=form, learner=learner)


@routes.route("/data/<reference>", methods=["GET", "POST"])
@requires_role(*PEOPLE)
def data_gift(reference: str):
    learner = _learner(reference)
    form = DataGiftForm()
    form.venue_id.choices = _venue_choices("Choose a venue")
    if not form.is_submitted():
        form.given_on.data = today_in_london()
    if form.validate_on_submit():
        details = services.DataGiftDetails(
            form.kind.data,
            form.network.data or "",
            form.identifier.data or "",
            form.eligibility_reason.data,
            form.given_on.data,
            form.expires_on.data,
            form.venue_id.data,
        )
        try:
            services.give_data(current_user, learner.reference, details)
        except DeviceError as error:
            _blame(form, error, "kind")
        else:
            flash(f"{'SIM' if details.kind == 'sim' else 'Data voucher'} recorded for {learner.full_name}", "success")
            return redirect(_back(learner))
    return render_template("devices/data_gift.html", form=form, learner=learner)


@routes.route("/loans/<int:loan_id>/return", methods=["GET", "POST"])
@requires_role(*PEOPLE)
def return_loan(loan_id: int):
    loan = _loan(loan_id)
    form = ReturnForm()
    if not form.is_submitted():
        form.returned_on.data = today_in_london()
        form.condition.data = loan.device.condition
    if form.validate_on_submit():
        try:
            services.return_loan(current_user, loan.id, form.returned_on.data, form.condition.data)
        except DeviceError as error:
            _blame(form, error, "returned_on")
        else:
            flash(f"{loan.device.asset_tag} is back in stock", "success")
            return redirect(url_for("devices.detail", device_id=loan.device_id))
    return render_template("devices/return.html", form=form, loan=loan)


@routes.route("/loans/<int:loan_id>/extend", methods=["GET", "POST"])
@requires_role(*PEOPLE)
def extend_loan(loan_id: int):
    loan = _loan(loan_id)
    form = ExtendForm()
    if not form.is_submitted():
        form.due_on.data = services.default_due_on(max(loan.due_on, today_in_london()))
    if form.validate_on_submit():
        try:
            extended = services.extend_loan(current_user, loan.id, form.due_on.data)
        except DeviceError as error:
            _blame(form, error, "due_on")
        else:
            flash(f"{loan.device.asset_tag} now due back {extended.due_on:%-d %B %Y}", "success")
            return redirect(url_for("devices.detail", device_id=loan.device_id))
    return render_template("devices/extend.html", form=form, loan=loan)
