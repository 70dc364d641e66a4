"""Administration pages: users (here), skills and milestones (their own modules), the audit log."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from inclusion.admin import user_services
from inclusion.admin.forms import EditUserForm, InviteUserForm, UserFilterForm
from inclusion.auth.decorators import requires_role
from inclusion.auth.roles import ALL_ROLES
from inclusion.auth.services import AuthError
from inclusion.form_fields import options
from inclusion.partners.services import partner_choices
from inclusion.rules import search_text

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


def _user_or_404(user_id: int):
    try:
        return user_services.get_user(user_id)
    except LookupError:
        abort(404)


def _flash_sent(user, outcome: str, *, again: bool = False) -> None:
    if outcome == user_services.SENT:
        hours = current_app.config["INVITE_VALID_HOURS"]
        earlier = " The earlier link no longer works." if again else ""
        flash(f"Invitation sent to {user.email}. The link works once, for {hours} hours.{earlier}", "success")
    elif outcome == user_services.MAIL_SERVER_DOWN:
        flash(
            f"The invitation e-mail to {user.email} could not be sent: the e-mail server is not answering. "
            "The account is ready: use 'Resend invitation' once e-mail works again, or ask whoever "
            "runs the server to check the MAIL_SERVER settings.",
            "info",
        )
    else:
        flash(
            f"The invitation e-mail to {user.email} could not be sent. Check the address, then use "
            "'Resend invitation'.",
            "info",
        )


@blueprint.get("/users")
@requires_role("admin")
def users():
    partners = partner_choices()
    filters_form = UserFilterForm(request.args)
    filters_form.partner_id.choices = options([("", "Any partner")] + partners)
    filters = user_services.UserFilters(
        role=filters_form.role.data if filters_form.role.data in ALL_ROLES else None,
        partner_id=filters_form.partner_id.data or None,
        status=filters_form.status.data if filters_form.status.data in user_services.STATUSES else None,
        # A search refused by the form (control characters: NUL breaks PostgreSQL) searches for nothing.
        text=None if filters_form.text.process_errors else search_text(filters_form.text.data) or None,
    )
    return render_template(
        "admin/users.html",
        users=user_services.list_users(filters),
        filters_form=filters_form,
        filtered=any(vars(filters).values()),
    )


@blueprint.route("/users/invite", methods=["GET", "POST"])
@requires_role("admin")
def invite_user():
    form = InviteUserForm()
    form.set_partner_choices(partner_choices())
    if form.validate_on_submit():
        try:
            user, outcome = user_services.invite_user(
                form.email.data,
                form.name.data,
                form.role.data,
                form.partner_id.data,
                acting_user_id=current_user.id,
            )
        except AuthError as error:
            _attach_error(form, error)
        else:
            _flash_sent(user, outcome)
            return redirect(url_for("admin.user", user_id=user.id))
    return render_template("admin/invite_user.html", form=form)


def _attach_error(form, error: AuthError) -> None:
    """Show a service's message beside the field it is about."""
    field = getattr(form, getattr(error, "field", "name"), None) or form.name
    field.errors.append(str(error))


@blueprint.route("/users/<int:user_id>", methods=["GET", "POST"])
@requires_role("admin")
def user(user_id: int):
    person = _user_or_404(user_id)
    form = EditUserForm(data={"name": person.name, "role": person.role, "partner_id": person.partner_id})
    form.set_partner_choices(partner_choices())
    if form.validate_on_submit():
        try:
            user_services.update_user(
                person.id,
                form.name.data,
                form.role.data,
                form.partner_id.data,
                acting_user_id=current_user.id,
            )
        except AuthError as error:
            _attach_error(form, error)
        else:
            flash(f"Saved {person.name}'s details.", "success")
            return redirect(url_for("admin.user", user_id=person.id))
    return render_template("admin/user.html", form=form, person=person)


@blueprint.post("/users/<int:user_id>/resend-invitation")
@requires_role("admin")
def resend_invitation(user_id: int):
    person = _user_or_404(user_id)
    try:
        outcome = user_services.resend_invitation(person.id, acting_user_id=current_user.id)
    except AuthError as error:
        flash(str(error), "info")
    else:
        _flash_sent(person, outcome, again=True)
    return redirect(url_for("admin.user", user_id=person.id))


@blueprint.post("/users/<int:user_id>/deactivate")
@requires_role("admin")
def deactivate_user(user_id: int):
    person = _user_or_404(user_id)
    try:
        user_services.deactivate_user(person.id, acting_user_id=current_user.id)
    except AuthError as error:
        flash(str(error), "info")
    else:
        flash(f"{person.name} is deactivated and has been signed out everywhere.", "success")
    return redirect(url_for("admin.user", user_id=person.id))


@blueprint.post("/users/<int:user_id>/reactivate")
@requires_role("admin")
def reactivate_user(user_id: int):
    person = _user_or_404(user_id)
    try:
        user_services.reactivate_user(person.id, acting_user_id=current_user.id)
    except AuthError as error:
        flash(str(error), "info")
    else:
        flash(f"{person.name} can sign in again.", "success")
    return redirect(url_for("admin.user", user_id=person.id))
