"""Learner pages: find, register (with the duplicate check), show and correct."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from inclusion.auth.decorators import requires_role
from inclusion.auth.roles import ALLIANCE_WIDE_ROLES
from inclusion.database import page_number
from inclusion.extensions import db
from inclusion.form_fields import options
from inclusion.learners import services
from inclusion.learners.access import AccessDenied
from inclusion.learners.constants import LAWFUL_BASIS_LABELS
from inclusion.learners.filters import FilterNotAllowed, LearnerFilters, check_learner_filters
from inclusion.learners.forms import LearnerForm
from inclusion.learners.learner_data import learner_panels
from inclusion.learners.matching import possible_duplicates
from inclusion.learners.search import search_learners
from inclusion.partners.models import Partner
from inclusion.sessions import drafts
from inclusion.templating import refused_filter

blueprint = Blueprint("learners", __name__, url_prefix="/learners")
PEOPLE = ("champion", "coordinator", "admin")


@blueprint.get("/")
@requires_role(*PEOPLE)
def index():
    filters = LearnerFilters.from_args(request.args)
    try:
        check_learner_filters(current_user, filters)
    except FilterNotAllowed as refused:
        return refused_filter(refused)
    page = page_number(request.args.get("page"))
    results = search_learners(current_user, filters.query, page, partner_id=filters.partner_id)
    partners = []
    if current_user.role in ALLIANCE_WIDE_ROLES:  # the partner filter's choices; a champion's is their own
        partners = db.session.execute(select(Partner.id, Partner.name).order_by(Partner.name)).all()
    return render_template(
        "learners/index.html", results=results, query=filters.query, filters=filters, partners=partners
    )


def _load(reference: str):
    try:
        return services.get_learner(current_user, reference)
    except LookupError:
        abort(404)
    except AccessDenied:
        abort(403)


def _prepare(form: LearnerForm, kept_basis: str | None = None) -> None:
    """Partner choices for alliance-wide roles; a champion's lawful basis fixed (the setting's, or `kept_basis`)."""
    form.lawful_basis_fixed = not services.may_choose_lawful_basis(current_user)
    if form.lawful_basis_fixed:
        form.lawful_basis.data = kept_basis or current_app.config["DEFAULT_LAWFUL_BASIS"]
        form.lawful_basis_label = LAWFUL_BASIS_LABELS.get(form.lawful_basis.data, form.lawful_basis.data)
    if current_user.role in ALLIANCE_WIDE_ROLES:
        partners = db.session.scalars(select(Partner).order_by(Partner.name)).all()
        form.partner_id.choices = options(
            [(0, "Choose a partner")] + [(partner.id, partner.name) for partner in partners]
        )
    else:
        form.partner_id.choices = []


def _attach(form: LearnerForm, error: services.LearnerError) -> None:
    field = getattr(form, error.field or "first_name", None) or form.first_name
    field.errors = list(field.errors) + [str(error)]


def _finish(learner, message: str):
    """Back to the half-entered session with the learner added, or on to the learner's page."""
    if request.args.get("for_session") and drafts.has_draft():
        drafts.add_attendee_to_draft(learner.id)
        flash(f"{learner.full_name} ({learner.reference}) added to the session", "success")
        return redirect(drafts.draft_return_to() + "?resume=1")
    flash(message, "success")
    return redirect(url_for("learners.detail", reference=learner.reference))


@blueprint.route("/new", methods=["GET", "POST"])
@requires_role(*PEOPLE)
def new():
    for_session = bool(request.args.get("for_session")) and drafts.has_draft()
    form = LearnerForm()
    _prepare(form)
    matches = []
    if request.method == "GET":
        form.lawful_basis.data = current_app.config["DEFAULT_LAWFUL_BASIS"]
        first, _, last = request.args.get("name", "").strip().partition(" ")
        form.first_name.data, form.last_name.data = first[:100] or None, last[:100] or None
    else:
        choice = request.form.get("duplicate_choice") if request.form.get("choose") else None
        existing = request.form.get("use_existing") or (choice if choice not in (None, "", "new") else None)
        if existing:
            # The champion picked an existing learner from the possible duplicates.
            return _finish(_load(existing), "You chose an existing learner")
        if form.validate():
            details = form.details()
            if not (request.form.get("register_anyway") or choice == "new"):
                matches = possible_duplicates(
                    current_user,
                    details.first_name,
                    details.last_name,
                    details.date_of_birth,
                    details.postcode,
                )
                if matches and request.form.get("choose"):
                    form.duplicate_choice.errors = ["Choose one of the learners, or register a new learner"]
            if not matches:
                try:
                    learner = services.register_learner(current_user, details)
                except services.LearnerError as error:
                    _attach(form, error)
                except AccessDenied:
                    abort(403)
                else:
                    return _finish(learner, f"Learner registered. Their reference is {learner.reference}")
    return render_template(
        "learners/new.html",
        form=form,
        matches=matches,
        for_session=for_session,
        notice_version=current_app.config["PRIVACY_NOTICE_VERSION"],
        cancel_to=drafts.draft_return_to() + "?resume=1" if for_session else None,
    )


@blueprint.get("/<reference>")
@requires_role(*PEOPLE)
def detail(reference: str):
    learner = _load(reference)
    if learner.merged_into_id is not None:
        return redirect(url_for("learners.detail", reference=learner.merged_into.reference))
    return render_template("learners/detail.html", panels=learner_panels(learner), learner=learner)


@blueprint.route("/<reference>/edit", methods=["GET", "POST"])
@requires_role(*PEOPLE)
def edit(reference: str):
    learner = _load(reference)
    if learner.anonymised_at is not None or learner.merged_into_id is not None:
        abort(403)
    consent_on_file = learner.consent_recorded_at is not None
    form = LearnerForm(
        obj=learner if request.method == "GET" else None,
        consent_on_file=consent_on_file,
        registered_on=learner.registered_on,
    )
    _prepare(form, kept_basis=learner.lawful_basis)
    form.partner_id.choices = []  # the registering partner is history, not an editable detail
    if request.method == "POST" and form.validate():
        try:
            services.update_learner(current_user, learner, form.details())
        except services.LearnerError as error:
            _attach(form, error)
        else:
            flash("Learner's details updated", "success")
            return redirect(url_for("learners.detail", reference=learner.reference))
    return render_template(
        "learners/edit.html",
        form=form,
        learner=learner,
        consent_on_file=consent_on_file,
        notice_version=current_app.config["PRIVACY_NOTICE_VERSION"],
    )
