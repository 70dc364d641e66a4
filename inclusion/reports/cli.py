"""`flask reports ...`: the monthly funder report, written out or sent."""

import click
from flask.cli import AppGroup

from inclusion.cli_support import user_errors
from inclusion.mail import MailError
from inclusion.reports import funder_csv, services
from inclusion.reports.periods import PeriodError, last_month, parse_month
from inclusion.reports.versions import UnknownVersionError

reports_cli = AppGroup("reports", help="Funder reports.")


@reports_cli.command("monthly")
@click.option("--month", required=True, help="The month, as YYYY-MM.")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), help="File to write (default: standard output).")
@click.option("--version", "version", help="The CSV version, 1 or 2 (default: the FUNDER_CSV_VERSION setting).")
@user_errors(PeriodError, UnknownVersionError)
def monthly(month: str, out: str | None, version: str | None) -> None:
    """Write the monthly funder CSV: the same bytes as the web download."""
    period = parse_month(month)
    content = funder_csv.monthly_csv(period, funder_csv.parse_version(version))
    if out:
        with open(out, "wb") as file:
            file.write(content)
        click.echo(f"Wrote {out}", err=True)
    else:
        click.echo(content, nl=False)


@reports_cli.command("send-monthly")
@click.option("--month", help="The month, as YYYY-MM (default: last month).")
@click.option("--resend", is_flag=True, help="Send again a month that was already sent.")
@user_errors(
    PeriodError, services.AlreadySentError, services.NoRecipientsError, services.SendInProgressError, MailError
)
def send_monthly(month: str | None, resend: bool) -> None:
    """Archive the monthly CSV as a report run and e-mail it to FUNDER_REPORT_RECIPIENTS.

    Safe to schedule on every host: started on two at once, one sends and the other (waiting
    for it, or starting up to two minutes after it sent) says so and exits 0: nothing to do is
    success for cron. Run again later for a month already sent, it refuses (exit 1) unless
    given --resend.
    """
    period = parse_month(month) if month else last_month()
    result = services.send_monthly_report(period, resend=resend, same_schedule_seconds=services.SAME_SCHEDULE_SECONDS)
    if result.by_another_host:
        click.echo(
            f"The {period.key} report was sent by another host just now (SHA-256 {result.run.sha256}); nothing to do."
        )
        return
    again = " again" if result.resent else ""
    run = result.run
    click.echo(
        f"Sent the {period.key} report{again} (version {run.version}) to {run.recipients} (SHA-256 {run.sha256})."
    )
