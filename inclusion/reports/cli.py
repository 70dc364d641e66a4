"""`flask reports ...`: the monthly funder report, written out or sent."""

import click
from flask.cli import AppGroup

from inclusion.cli_support import user_errors
from inclusion.mail import MailError
from inclusion.observability.prometheus import count_report_job
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
    count_report_job("monthly_csv", "generated")
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
        # Which host sent it is not recorded (a second run on this host looks the same): say when, not who.
        at = result.run.sent_at.strftime("%H:%M UTC")
        click.echo(f"The {period.key} report was already sent at {at} (SHA-256 {result.run.sha256}); nothing to do.")
        return
    again = " again" if result.resent else ""
    run = result.run
    click.echo(
        f"Sent the {period.key} report{again} (version {run.version}) to {run.recipients} (SHA-256 {run.sha256})."
    )


@reports_cli.command("check")
@click.option("--repair", is_flag=True, help="Rewrite the keys (and triggers) that differ, in one audited transaction.")
def check(repair: bool) -> None:
    """Recompute every report key from the base columns and compare (exit 1 if any disagree)."""
    from inclusion.reports.selfcheck import check_report_keys

    result = check_report_keys(repair=repair)
    if result.ok:
        click.echo(f"All {result.keys_checked:,} keys agree; every report-key and data-version trigger is in place.")
        return
    for item in result.drift:
        click.echo(f"Trigger drift: {item}", err=True)
    for item in result.disagreements:
        click.echo(f"Disagreement: {item}", err=True)
    shown = len(result.disagreements)
    if result.disagreement_count > shown:
        click.echo(f"... and {result.disagreement_count - shown:,} more disagreements", err=True)
    summary = (
        f"{result.disagreement_count:,} of {result.keys_checked:,} keys disagree, {len(result.drift)} triggers drift"
    )
    if result.repaired:
        again = check_report_keys()
        click.echo(f"Repaired: {summary}. Now: {'all keys agree' if again.ok else 'still disagreeing'}.")
        if not again.ok:
            raise SystemExit(1)
        return
    click.echo(f"{summary}. Run `flask reports check --repair` to rewrite them.", err=True)
    raise SystemExit(1)


@reports_cli.command("trigger-revision")
@click.option("--message", "-m", required=True, help="What changed in the rules (the revision's title).")
def trigger_revision(message: str) -> None:
    """Write a migration that makes every database's report-key triggers follow the rules as they are now."""
    from inclusion.reports.trigger_revision import write_revision

    click.echo(f"Wrote {write_revision(message)}")
