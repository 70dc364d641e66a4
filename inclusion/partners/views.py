"""Partner and venue management pages (admin area): partners for admins, venues for coordinators too."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from inclusion.auth.decorators import requires_role
from inclusion.partners import services
from inclusion.partners.forms import PartnerForm, VenueForm

blueprint = Blueprint("partners", __name__, url_prefix="/admin")

VENUE_MANAGERS = ("coordinator", "admin")


def _found(getter, record_id: int):
    try:
        return getter(record_id)
    except LookupError:
        abort(404)


@blueprint.route("/partners", methods=["GET", "POST"])
@requires_role("admin")
def partners():
    form = PartnerForm()
    if form.validate_on_submit():
        try:
            partner = services.add_partner(form.name.data, acting_user_id=current_user.id)
        except services.PartnerError as error:
            form.name.errors.append(str(error))
        else:
            flash(f"Added partner {partner.name}.", "success")
            return redirect(url_for("partners.partners"))
    return render_template("partners/partners.html", form=form, rows=services.list_partners())


@blueprint.route("/partners/<int:partner_id>/edit", methods=["GET", "POST"])
@requires_role("admin")
def edit_partner(partner_id: int):
    partner = _found(services.get_partner, partner_id)
    form = PartnerForm(data={"name": partner.name})
    if form.validate_on_submit():
        try:
            services.rename_partner(partner.id, form.name.data, acting_user_id=current_user.id)
        except services.PartnerError as error:
            form.name.errors.append(str(error))
        else:
            flash(f"Saved partner {partner.name}.", "success")
            return redirect(url_for("partners.partners"))
    return render_template("partners/edit_partner.html", form=form, partner=partner)


def _venue_form(**data) -> VenueForm:
    form = VenueForm(data=data or None)
    form.set_partner_choices(services.partner_choices())
    return form


@blueprint.route("/venues", methods=["GET", "POST"])
@requires_role(*VENUE_MANAGERS)
def venues():
    form = _venue_form()
    if form.validate_on_submit():
        try:
            partner = services.get_partner(form.partner_id.data)
            venue = services.add_venue(form.name.data, partner.name, form.ward.data, acting_user_id=current_user.id)
        except services.PartnerError as error:
            form.name.errors.append(str(error))
        else:
            flash(f"Added venue {venue.name}.", "success")
            return redirect(url_for("partners.venues"))
    return render_template("partners/venues.html", form=form, venues=services.list_venues())


@blueprint.route("/venues/<int:venue_id>/edit", methods=["GET", "POST"])
@requires_role(*VENUE_MANAGERS)
def edit_venue(venue_id: int):
    venue = _found(services.get_venue, venue_id)
    form = _venue_form(name=venue.name, partner_id=venue.partner_id, ward=venue.ward or "")
    if form.validate_on_submit():
        try:
            services.update_venue(
                venue.id, form.name.data, form.partner_id.data, form.ward.data, acting_user_id=current_user.id
            )
        except services.PartnerError as error:
            form.name.errors.append(str(error))
        else:
            flash(f"Saved venue {venue.name}.", "success")
            return redirect(url_for("partners.venues"))
    return render_template("partners/edit_venue.html", form=form, venue=venue)


@blueprint.route("/venues/<int:venue_id>/close", methods=["GET", "POST"])
@requires_role(*VENUE_MANAGERS)
def close_venue(venue_id: int):
    """GET asks "are you sure?" (champions can no longer pick a closed venue); POST closes it."""
    if request.method == "GET":
        venue = _found(services.get_venue, venue_id)
        if not venue.is_open:
            return redirect(url_for("partners.venues"))
        return render_template("partners/close_venue.html", venue=venue)
    return _set_closed(venue_id, True)


@blueprint.post("/venues/<int:venue_id>/reopen")
@requires_role(*VENUE_MANAGERS)
def reopen_venue(venue_id: int):
    return _set_closed(venue_id, False)


def _set_closed(venue_id: int, closed: bool):
    _found(services.get_venue, venue_id)
    try:
        venue = services.set_venue_closed(venue_id, closed, acting_user_id=current_user.id)
    except services.PartnerError as error:
        flash(str(error), "info")
    else:
        what = "closed: it keeps its history but takes no new sessions" if closed else "open again"
        flash(f"{venue.name} is {what}.", "success")
    return redirect(url_for("partners.venues"))
