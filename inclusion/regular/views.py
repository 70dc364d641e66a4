"""Regular sessions: the slots at a user's venues, setting one up, changing it, and logging an occurrence."""

from datetime import date
from urllib.parse import urlencode

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from inclusion.auth.decorators import requires_role
from inclusion.form_fields import options
from inclusion.regular import services, weeks
from inclusion.regular.forms import FREQUENCY_LABELS, RemindersForm, SlotForm
from inclusion.regular.occurrences import is_occurrence
from inclusion.regular.rules import WEEKDAYS
from inclusion.sessions.forms import SESSION_TYPE_LABELS
from inclusion.timeutil import today_in_london

blueprint = Blueprint("regular", __name__, url_prefix="/regular")
PEOPLE = ("champion", "coordinator", "admin")
# The home page and the sessions list draw their section through these (templates/regular/_*.html).
blueprint.add_app_template_global(weeks.for_sessions_list, "regular_weeks_for_sessions")
blueprint.add_app_template_global(services.reminders_on, "regular_reminders_on")


def _load(slot_id: int):
    try:
        return services.get_slot(current_user, slot_id)
    except LookupError:
        abort(404)
    except services.SlotNotAllowed:
        abort(403)


def _labels() -> dict:
    return {"weekdays": WEEKDAYS, "frequencies": FREQUENCY_LABELS, "type_labels": SESSION_TYPE_LABELS}


@blueprint.get("/")
@requires_role(*PEOPLE)
def index():
    today = today_in_london()
    return render_template(
        "regular/index.html", slots=services.list_slots(current_user, today=today), today=today, **_labels()
    )


def _form_for(slot):
    form = SlotForm(obj=None) if request.method == "POST" or slot is None else SlotForm(data=_data_of(slot))
    venues = services.venues_for(current_user, include_id=slot.venue_id if slot else None)
    form.venue_id.choices = options([(0, "Choose a venue")] + [(venue.id, venue.name) for venue in venues])
    champions = services.champions_for(current_user)
    form.champion_ids.choices = options(
        (champion.id, f"{champion.name} ({champion.partner.name})") for champion in champions
    )
    if request.method != "POST" and slot is not None:  # a champion since deactivated has no box to untick
        offered = {champion.id for champion in champions}
        form.champion_ids.data = [champion_id for champion_id in form.champion_ids.data or [] if champion_id in offered]
    return form


def _data_of(slot) -> dict:
    return {
        "venue_id": slot.venue_id,
        "frequency": slot.frequency,
        "weekday": slot.weekday,
        "start_time": slot.start_time.strftime("%H:%M"),
        "session_type": slot.session_type,
        "duration_minutes": slot.duration_minutes,
        "starts_on": slot.starts_on,
        "ends_on": slot.ends_on,
        "champion_ids": [champion.id for champion in slot.champions],
    }


def _slot_page(slot):
    form = _form_for(slot)
    if request.method == "POST":
        valid = form.validate()
        details = form.details()
        # The rules across fields are checked even when a field is wrong, so every problem shows at once.
        problems = services.check_slot(current_user, details, current=slot)
        form.show_problems(problems)
        if valid and not problems:
            try:
                if slot is None:
                    slot = services.create_slot(current_user, details)
                    flash("Regular session set up", "success")
                else:
                    services.update_slot(current_user, slot, details)
                    flash("Regular session changed", "success")
            except services.SlotInvalid as error:  # changed meanwhile (a venue closed, a champion left)
                form.show_problems(error.problems)
            else:
                return redirect(url_for("regular.index"))
    return render_template("regular/form.html", form=form, slot=slot)


@blueprint.route("/new", methods=["GET", "POST"])
@requires_role(*PEOPLE)
def new():
    return _slot_page(None)


@blueprint.route("/<int:slot_id>/edit", methods=["GET", "POST"])
@requires_role(*PEOPLE)
def edit(slot_id: int):
    return _slot_page(_load(slot_id))


@blueprint.route("/<int:slot_id>/delete", methods=["GET", "POST"])
@requires_role(*PEOPLE)
def delete(slot_id: int):
    slot = _load(slot_id)
    if request.method == "POST":
        services.delete_slot(current_user, slot)
        flash("Regular session removed. The sessions logged for it are kept.", "success")
        return redirect(url_for("regular.index"))
    return render_template("regular/delete.html", slot=slot, **_labels())


@blueprint.get("/<int:slot_id>/log")
@requires_role(*PEOPLE)
def log(slot_id: int):
    """ "Log this session": the session form, filled from the slot (and its last session) for ?on=DATE."""
    slot = _load(slot_id)
    try:
        day = date.fromisoformat(request.args.get("on", ""))
    except ValueError:
        day = today_in_london()
    if not is_occurrence(slot, day) or day > today_in_london():
        flash(f"The regular session does not run on {day:%-d %B %Y}: check the date before saving", "warning")
    return redirect(f"{url_for('sessions.new')}?{urlencode(services.prefill_for(slot, day))}")


@blueprint.post("/reminders")
@requires_role("champion")
def reminders():
    """The account page's switch for the weekly reminder e-mail."""
    form = RemindersForm()
    if form.validate():
        services.set_reminders(current_user, form.reminders.data == "on")
        flash(
            "You will get the weekly reminder" if form.reminders.data == "on" else "Weekly reminders are off",
            "success",
        )
    else:
        flash("Choose whether to get the weekly reminder", "error")
    return redirect(url_for("auth.account") + "#reminders")
