"""Device stock pages: venues' stock and overdue loans, a device's history, adding, changing, moving, retiring."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from inclusion.auth.decorators import requires_role
from inclusion.database import MAX_ROW_ID, page_number
from inclusion.devices import queries, stock
from inclusion.devices.forms import CONDITION_LABELS, KIND_LABELS, DeviceForm, ImportForm, MoveForm, RetireForm
from inclusion.devices.importing import COLUMNS, ImportFileError, import_devices
from inclusion.devices.models import STATUSES
from inclusion.extensions import db
from inclusion.form_fields import options
from inclusion.imports.services import max_import_bytes
from inclusion.learners.access import AccessDenied, venue_visible
from inclusion.partners.models import Partner, Venue
from inclusion.timeutil import today_in_london

blueprint = Blueprint("devices", __name__, url_prefix="/devices")
PEOPLE = ("champion", "coordinator", "admin")
STOCK_MANAGERS = ("coordinator", "admin")
STATUS_LABELS = {"in-stock": "In stock", "on-loan": "On loan", "gifted": "Given away", "retired": "Retired"}


@blueprint.app_template_global()
def device_labels() -> dict:
    return {"kind": KIND_LABELS, "condition": CONDITION_LABELS, "status": STATUS_LABELS}


def devices_home(user) -> dict:
    """The coordinator's home panel (core/home.py): loans overdue today at the venues they work at, and at how many."""
    return queries.overdue_on_home(user, today_in_london())


def _venue(venue_id: int) -> Venue:
    venue = db.session.get(Venue, venue_id) if venue_id <= MAX_ROW_ID else None
    if venue is None:
        abort(404)
    if not db.session.scalar(select(Venue.id).where(Venue.id == venue_id, venue_visible(current_user))):
        abort(403)
    return venue


def _device(device_id: int):
    try:
        return stock.get_device(current_user, device_id if device_id <= MAX_ROW_ID else 0)
    except LookupError:
        abort(404)
    except AccessDenied:
        abort(403)


def _venue_choices(prompt: str) -> list:
    rows = db.session.execute(
        select(Venue.id, Venue.name, Partner.name)
        .join(Partner, Partner.id == Venue.partner_id)
        .where(venue_visible(current_user))
        .order_by(Venue.name)
    )
    return options([(0, prompt)] + [(venue_id, f"{name} ({partner})") for venue_id, name, partner in rows])


def _blame(form, error: stock.DeviceError, default: str) -> None:
    field = getattr(form, error.field or default, None) or getattr(form, default)
    field.errors = list(field.errors) + [str(error)]


@blueprint.get("/")
@requires_role(*PEOPLE)
def index():
    today = today_in_london()
    return render_template(
        "devices/index.html",
        venues=queries.venue_summaries(current_user, today),
        may_manage=stock.may_manage_stock(current_user),
        statuses=STATUSES,
    )


@blueprint.get("/venues/<int:venue_id>")
@requires_role(*PEOPLE)
def venue_stock(venue_id: int):
    venue = _venue(venue_id)
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    results = queries.venue_stock(venue.id, status, page_number(request.args.get("page")))
    return render_template("devices/venue.html", venue=venue, results=results, status=status, statuses=STATUSES)


@blueprint.get("/venues/<int:venue_id>/overdue")
@requires_role(*PEOPLE)
def overdue(venue_id: int):
    venue = _venue(venue_id)
    today = today_in_london()
    results = queries.overdue_loans(current_user, venue.id, today, page_number(request.args.get("page")))
    return render_template("devices/overdue.html", venue=venue, results=results, today=today)


@blueprint.get("/<int:device_id>")
@requires_role(*PEOPLE)
def detail(device_id: int):
    device = _device(device_id)
    return render_template(
        "devices/detail.html",
        device=device,
        loans=queries.device_loans(device.id),
        gift=queries.device_gift(device.id),
        may_manage=stock.may_manage_stock(current_user),
    )


def _details(form: DeviceForm, venue_id: int) -> stock.DeviceDetails:
    return stock.DeviceDetails(
        form.asset_tag.data or "",
        form.kind.data or "",
        form.make_model.data or "",
        form.serial.data,
        form.source.data,
        form.condition.data or "",
        venue_id,
    )


@blueprint.route("/new", methods=["GET", "POST"])
@requires_role(*STOCK_MANAGERS)
def new():
    form = DeviceForm()
    form.venue_id.choices = _venue_choices("Choose a venue")
    if not form.is_submitted():
        form.condition.data = "good"
        form.venue_id.data = request.args.get("venue", type=int) or 0
    if form.validate_on_submit():
        try:
            device = stock.add_device(current_user, _details(form, form.venue_id.data))
        except stock.DeviceError as error:
            _blame(form, error, "asset_tag")
        else:
            flash(f"{device.asset_tag} added to the stock at {device.venue.name}", "success")
            return redirect(url_for("devices.detail", device_id=device.id))
    return render_template("devices/device_form.html", form=form, device=None)


@blueprint.route("/<int:device_id>/edit", methods=["GET", "POST"])
@requires_role(*STOCK_MANAGERS)
def edit(device_id: int):
    device = _device(device_id)
    form = DeviceForm(obj=device)
    del form.venue_id  # a move, not an edit
    if form.validate_on_submit():
        try:
            stock.edit_device(current_user, device.id, _details(form, device.venue_id))
        except stock.DeviceError as error:
            _blame(form, error, "asset_tag")
        else:
            flash("Device details saved", "success")
            return redirect(url_for("devices.detail", device_id=device.id))
    return render_template("devices/device_form.html", form=form, device=device)


@blueprint.route("/<int:device_id>/move", methods=["GET", "POST"])
@requires_role(*STOCK_MANAGERS)
def move(device_id: int):
    device = _device(device_id)
    form = MoveForm()
    form.venue_id.choices = _venue_choices("Choose a venue")
    if form.validate_on_submit():
        try:
            moved = stock.move_device(current_user, device.id, form.venue_id.data)
        except stock.DeviceError as error:
            _blame(form, error, "venue_id")
        else:
            flash(f"{moved.asset_tag} is now at {moved.venue.name}", "success")
            return redirect(url_for("devices.detail", device_id=device.id))
    return render_template("devices/move.html", form=form, device=device)


@blueprint.route("/<int:device_id>/retire", methods=["GET", "POST"])
@requires_role(*STOCK_MANAGERS)
def retire(device_id: int):
    device = _device(device_id)
    form = RetireForm()
    if not form.is_submitted():
        form.retired_on.data = today_in_london()
    if form.validate_on_submit():
        try:
            stock.retire_device(current_user, device.id, form.retired_on.data)
        except stock.DeviceError as error:
            _blame(form, error, "retired_on")
        else:
            flash(f"{device.asset_tag} retired", "success")
            return redirect(url_for("devices.detail", device_id=device.id))
    return render_template("devices/retire.html", form=form, device=device)


@blueprint.route("/import", methods=["GET", "POST"])
@requires_role(*STOCK_MANAGERS)
def bulk_add():
    form = ImportForm()
    result = None
    if form.validate_on_submit():
        data = form.file.data.read(max_import_bytes() + 1)
        try:
            result = import_devices(
                current_user, data, form.file.data.filename or "upload", dry_run=bool(form.check_only.data)
            )
        except ImportFileError as error:
            form.file.errors.append(str(error))
        else:
            if result.written:
                flash(f"Added {len(result.devices)} devices from {result.rows} rows.", "success")
                return redirect(url_for("devices.index"))
    return render_template("devices/import.html", form=form, result=result, columns=COLUMNS)
