"""`flask learners anonymise-inactive`: the scheduled retention job."""

import click
from flask import current_app
from flask.cli import with_appcontext

from inclusion.cli_support import user_errors
from inclusion.learners.learner_data import learner_data_owners
from inclusion.learners.privacy import PrivacyError, anonymise_inactive
from inclusion.locks import advisory_lock

# Held while the job runs: scheduled on several hosts, one does the work and the others say so.
RETENTION_LOCK = "retention:anonymise-inactive"


# Joins `flask learners` in create_app (inclusion/__init__.py).
@click.command("anonymise-inactive")
@with_appcontext
@click.option(
    "--years",
    type=int,
    default=None,
    help="Years without attendance before a record is anonymised (default: the RETENTION_YEARS setting).",
)
@click.option("--dry-run", is_flag=True, help="List who would be anonymised, without changing anything.")
@user_errors(PrivacyError)
def anonymise_inactive_command(years: int | None, dry_run: bool) -> None:
    """Anonymise learners with no attendance (or, if they never attended, no registration) in N years.

    Also asks every learner-data owner to purge what has expired (uploaded spreadsheets, like
    `flask import purge-expired`). Safe to schedule on several hosts: while one runs it, another
    says so and exits 0.
    """
    years = years if years is not None else current_app.config["RETENTION_YEARS"]
    with advisory_lock(RETENTION_LOCK) as held:
        if not held and not dry_run:
            click.echo("Another process is running the retention job now; nothing to do.")
            return
        found = anonymise_inactive(years, dry_run=dry_run)
    verb = "Would anonymise" if dry_run else "Anonymised"
    click.echo(f"{verb} {len(found)} learner{'' if len(found) == 1 else 's'} with no attendance in {years} years.")
    for _, reference, last_seen in found:
        click.echo(f"  {reference}  last attended: {last_seen.isoformat() if last_seen else 'never'}")
    # Whatever else has outlived its purpose, e.g. uploaded spreadsheets past their 24 hours (docs/data-rights.md).
    for owner in learner_data_owners():
        if line := owner.purge_expired(dry_run=dry_run):
            click.echo(line)
