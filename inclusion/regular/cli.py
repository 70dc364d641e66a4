"""`flask reminders send`: the weekly reminder e-mails to champions (run by a timer, on any number of hosts)."""

from datetime import date

import click
from flask.cli import AppGroup

from inclusion.cli_support import fail

reminders_cli = AppGroup("reminders", help="Weekly reminders to champions of sessions not logged.")


@reminders_cli.command("send")
@click.option("--today", "today", default=None, help="Run as if today were this date, YYYY-MM-DD (default: today).")
@click.option("--dry-run", is_flag=True, help="Say who would get a reminder, and what it lists; send nothing.")
def send_command(today: str | None, dry_run: bool) -> None:
    """E-mail each champion their regular sessions not logged in the last 14 days, and unsent drafts.

    At most one e-mail a champion a week, however often and on however many hosts it runs.
    """
    from inclusion.mail import MailServerUnreachable
    from inclusion.regular.reminders import RemindersInProgress, RemindersNotConfigured, send_reminders
    from inclusion.timeutil import today_in_london

    day = today_in_london()
    if today:
        try:
            day = date.fromisoformat(today)
        except ValueError:
            fail(f"--today must be a date like 2026-11-30, not '{today}'")
    try:
        result = send_reminders(day, dry_run=dry_run)
    except (RemindersNotConfigured, RemindersInProgress, MailServerUnreachable) as error:
        fail(str(error))
    week = f"the week of {result.week_start:%-d %B %Y}"
    if result.waited_for_another_run:
        click.echo(f"Another run was sending the reminders for {week}; waited for it to finish.")
    if dry_run:
        for reminder in result.would_send:
            click.echo(
                f"Would remind {reminder.email}: {len(reminder.occurrences)} not logged, {len(reminder.drafts)} unsent"
            )
        click.echo(f"Dry run for {week}: {len(result.would_send)} would be sent, {result.already} sent already.")
        return
    click.echo(f"Reminders for {week}: {len(result.sent)} sent, {result.already} sent already by an earlier run.")
    if result.unconfirmed:
        click.echo(
            f"{result.unconfirmed} of those were claimed by a run that stopped before recording them sent: "
            "they may not have gone, and are not sent again this week."
        )
    if result.failed:
        fail("Not sent (tried again next run):\n" + "\n".join(result.failed))
