"""`flask db backup` and `flask db restore`, added to Flask-Migrate's `db` group."""

import functools
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import OperationalError

from inclusion.backups import BackupError
from inclusion.backups.after_restore import bump_data_version, figures_self_check, row_counts
from inclusion.backups.services import default_backup_name, make_backup, restore_backup
from inclusion.cli_support import fail, user_errors
from inclusion.schema_version import AHEAD, BEHIND, schema_state


def _database_answers(command):
    """A database that cannot be reached is the operator's to fix: a message, exit 1, no traceback."""

    @functools.wraps(command)
    def wrapped(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except OperationalError as error:
            fail(f"The database does not answer: {str(error.orig).strip()}")

    return wrapped


@click.command("backup")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="The file to write (must not exist).")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="Instead of --out: write inclusion-<UTC time>.dump (or .sqlite3) in this directory.",
)
@click.option("--keep", type=int, help="With --dir: then delete all but the newest N backups there.")
@with_appcontext
@_database_answers
@user_errors(BackupError)
def backup_command(out: Path | None, directory: Path | None, keep: int | None) -> None:
    """Write a consistent copy of the database while the app keeps serving.

    PostgreSQL: pg_dump --format=custom. SQLite: the online backup API. Safe to schedule on
    several hosts: while one makes a backup, another says so and exits 0 without making one.
    """
    if (out is None) == (directory is None):
        fail("Give exactly one of --out FILE or --dir DIRECTORY.")
    if keep is not None and directory is None:
        fail("--keep goes with --dir (it prunes the backups named inclusion-* in that directory).")
    result = make_backup(out or directory / default_backup_name(), keep=keep)
    if result.path is None:
        click.echo("Another process is making a backup of this database now; nothing to do.")
        return
    click.echo(f"Wrote {result.path} ({result.size:,} bytes).")
    for removed in result.removed:
        click.echo(f"Removed the older backup {removed}.")


@click.command("restore")
@click.argument("backup", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Overwrite a database that is not empty (everything in it is lost).")
@click.option("--yes", is_flag=True, help="With --replace: do not ask for confirmation.")
@with_appcontext
@_database_answers
@user_errors(BackupError)
def restore_command(backup: Path, replace: bool, yes: bool) -> None:
    """Load a backup made by `flask db backup` into the (empty) database, then check it.

    Prints the row counts of the main tables and runs the figures' self-check; exit 1 if the
    self-check finds a problem.
    """
    if replace and not yes and sys.stdin.isatty():
        click.confirm("--replace deletes everything in the database named by DATABASE_URL. Go on?", abort=True)
    restore_backup(backup, replace=replace)
    bumped = bump_data_version()
    click.echo(f"Restored {backup}.")
    for name, count in row_counts().items():
        click.echo(f"  {name:<20} {count:>10,}")
    click.echo(
        "The data version was changed, so no figure cached before the restore is served. "
        "Restart the app (systemctl restart inclusion) on every host, then check /readyz."
        if bumped
        else "This backup has no data version (an old schema): restart the app on every host."
    )
    state = schema_state()
    if state.status == BEHIND:
        click.echo(
            f"The backup's schema ({', '.join(state.database)}) is older than this release's "
            f"({', '.join(state.expected)}): run `flask db upgrade`, then the figures' self-check."
        )
        return
    if state.status == AHEAD:
        fail(
            f"The backup's schema ({', '.join(state.database)}) is newer than this release knows: "
            "run the release that made it."
        )
    problems = figures_self_check()
    if problems:
        fail("The figures' self-check found problems:\n" + "\n".join(f"  {problem}" for problem in problems))
    click.echo("The figures' self-check found no problems.")
