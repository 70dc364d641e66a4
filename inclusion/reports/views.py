"""Dashboard and report downloads: parse the request, call the services, render."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from inclusion.auth.decorators import requires_role
from inclusion.auth.roles import Role
from inclusion.database import row_id
from inclusion.form_fields import options
from inclusion.mail import MailError
from inclusion.reports import dashboard as figures
from inclusion.reports import exports, funder_csv, services
from inclusion.reports.forms import DashboardFilterForm, SendReportForm
from inclusion.reports.periods import PeriodError, last_month, parse_month, parse_period, this_month
from inclusion.reports.versions import UnknownVersionError
from inclusion.timeutil import today_in_london

blueprint = Blueprint("reports", __name__, url_prefix="/reports")

DASHBOARD_ROLES = (Role.CHAMPION, Role.COORDINATOR, Role.FUNDER, Role.ADMIN)
REPORT_ROLES = (Role.COORDINATOR, Role.FUNDER, Role.ADMIN)
SENDING_ROLES = (Role.COORDINATOR, Role.ADMIN)
# A coordinator pressing "send" while a host's cron job sends waits this long for it (seconds).
WEB_SEND_WAIT_SECONDS = 30
NO_RECIPIENTS_MESSAGE = "There is nobody to send it to yet: ask your administrator to add the funders' email addresses"


@blueprint.get("/")
@requires_role(*DASHBOARD_ROLES)
def dashboard():
    today = today_in_london()
    form = DashboardFilterForm(formdata=request.args if request.args else None)
    form.month.choices = options(figures.period_choices(today))
    period_problem = _offer_requested_period(form, today)
    form.partner.choices = options(figures.partner_choices(current_user))
    form.venue.choices = options(figures.venue_choices(current_user))
    period, partner_id, venue_id = this_month(today), None, None
    board = None
    if not request.args:
        form.month.data = period.key
    elif form.validate():
        period = parse_period(form.month.data, today=today)
        partner_id, venue_id = row_id(form.partner.data), row_id(form.venue.data)
    elif period_problem and form.month.errors:  # say what is wrong with the month typed in the address
        form.month.errors[:] = [f"Choose a period from the list. {period_problem}"]
    if not form.errors:
        try:
            filters = figures.resolve_filters(current_user, period, partner_id, venue_id)
        except figures.FilterError as error:
            form.venue.errors = [str(error)]
        except PermissionError:
            abort(403)
        else:
            board = figures.build_dashboard(filters, today=today, suppressed=current_user.role == Role.FUNDER)
    # With a filter in error no figures are shown: figures for anything but what the boxes say would mislead.
    return render_template(
        "reports/dashboard.html",
        form=form,
        board=board,
        today=today,
        can_download=current_user.role in REPORT_ROLES,
        breakdown_measures=figures.BREAKDOWN_MEASURES,
    )


def _offer_requested_period(form: DashboardFilterForm, today) -> str | None:
    """Any valid month or run of months in the address is accepted, even if not in the list.

    Returns what is wrong with the period asked for, if it is not one.
    """
    if not request.args.get("month"):
        return None
    try:
        requested = parse_period(request.args.get("month"), today=today)
    except PeriodError as error:
        return str(error)
    if requested.key not in {choice.value for choice in form.month.choices}:
        form.month.choices.extend(options([(requested.key, requested.label)]))
    return None


@blueprint.get("/monthly/<month>.csv")
@requires_role(*REPORT_ROLES)
def monthly_csv(month: str):
    try:
        period = parse_month(month)
    except PeriodError:
        abort(404)
    try:
        version = funder_csv.parse_version(request.args.get("version"))
    except UnknownVersionError as error:  # a program asked: a plain answer it can show
        return Response(f"{error}\n", status=400, mimetype="text/plain")
    content = services.download_monthly_csv(period, user_id=current_user.id, version=version)
    return _csv_response(content, exports.monthly_filename(period))


@blueprint.get("/archive")
@requires_role(*REPORT_ROLES)
def archive():
    form = None
    if current_user.role in SENDING_ROLES:
        form = _send_form()
        form.month.data = last_month(today_in_london()).key
    return render_template("reports/archive.html", runs=services.archived_runs(), form=form)


# Sending is its own view so that its narrower access is declared, not hidden in a branch.
@blueprint.post("/archive", endpoint="send_report")
@requires_role(*SENDING_ROLES)
def send_report():
    form = _send_form()
    if form.validate_on_submit():
        try:
            result = services.send_monthly_report(
                parse_month(form.month.data),
                resend=form.resend.data,
                user_id=current_user.id,
                wait_seconds=WEB_SEND_WAIT_SECONDS,
            )
        except services.NoRecipientsError:  # its own message names the setting: staff need plain words
            form.month.errors.append(NO_RECIPIENTS_MESSAGE)
        except (services.AlreadySentError, services.SendInProgressError, MailError) as error:
            form.month.errors.append(str(error).replace("use --resend", "tick the box"))
        else:
            who = "was just sent by someone else" if result.by_another_host else "was sent"
            flash(f"The {result.run.month} report {who} to {result.run.recipients}.", "success")
            return redirect(url_for("reports.archive"))
    return render_template("reports/archive.html", runs=services.archived_runs(), form=form)


def _send_form() -> SendReportForm:
    form = SendReportForm()
    form.month.choices = options(figures.month_choices(today_in_london())[1:13])  # the last twelve whole months
    return form


@blueprint.get("/archive/<int:run_id>.csv")
@requires_role(*REPORT_ROLES)
def run_download(run_id: int):
    run = services.get_run(run_id)
    if run is None:
        abort(404)
    content = services.download_archived_run(run, user_id=current_user.id)
    return _csv_response(content, f"inclusion-monthly-{run.month}-run-{run.id}.csv")


def _csv_response(content: bytes, filename: str) -> Response:
    return Response(
        content,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )
