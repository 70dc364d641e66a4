"""`flask import learners|attendance FILE [--dry-run]`, and `flask import purge-expired` (scheduled)."""

import os
import sys

import click
from flask.cli import AppGroup

from inclusion.cli_support import fail
from inclusion.imports.parsing import ImportFileError
from inclusion.imports.services import ImportResult, import_table, max_import_bytes, read_upload_table
from inclusion.imports.summary import import_summary
from inclusion.imports.uploads import UPLOAD_LIFETIME, count_expired_uploads, purge_expired_uploads

import_cli = AppGroup("import", help="Import learners or attendance from a spreadsheet.")

LABELS = {
    "learners_added": "learners added",
    "learners_already_present": "learners already present (skipped)",
    "sessions_added": "sessions added",
    "sessions_already_present": "sessions already present",
    "attendances_added": "attendances added",
    "attendances_already_present": "attendances already present (skipped)",
    "skills_added": "skills gained added",
    "skills_already_present": "skills gained already present (skipped)",
}


def _run(kind: str, path: str, dry_run: bool) -> None:
    try:
        with open(path, "rb") as file:
            data = file.read(max_import_bytes() + 1)  # a byte over the limit is enough to refuse it
    except OSError as error:
        fail(f"Cannot read {path}: {error.strerror}")
    filename = os.path.basename(path)
    try:
        table = read_upload_table(data, filename)
    except ImportFileError as error:
        fail(str(error))
    # Checking then writing: the bar counts each row twice. On stderr, so stdout stays the summary.
    try:
        with click.progressbar(length=2 * len(table.rows), label=f"Importing {kind}", file=sys.stderr) as bar:
            result = import_table(kind, table, filename=filename, dry_run=dry_run, progress=bar.update)
    except ImportFileError as error:
        fail(str(error))
    _report(result)


def _report(result: ImportResult) -> None:
    if result.problems:
        for problem in result.problems:
            click.echo(str(problem), err=True)
        noun = "problem" if len(result.problems) == 1 else "problems"
        click.echo(f"Error: {len(result.problems)} {noun} found; nothing was imported.", err=True)
        raise SystemExit(1)
    if result.dry_run:
        click.echo(f"Dry run: the file is valid; nothing was written. {result.rows} rows.")
    else:
        click.echo(import_summary(result.rows, result.counts))
    for key, value in result.counts.items():
        click.echo(f"  {LABELS.get(key, key)}: {value}")


@import_cli.command("learners")
@click.argument("path", metavar="FILE", type=click.Path())
@click.option("--dry-run", is_flag=True, help="Check the file and report, without writing anything.")
def import_learners_command(path: str, dry_run: bool) -> None:
    """Import learners from a CSV or XLSX file (columns in docs/importing.md)."""
    _run("learners", path, dry_run)


@import_cli.command("attendance")
@click.argument("path", metavar="FILE", type=click.Path())
@click.option("--dry-run", is_flag=True, help="Check the file and report, without writing anything.")
def import_attendance_command(path: str, dry_run: bool) -> None:
    """Import sessions, attendance and skills gained from a CSV or XLSX file."""
    _run("attendance", path, dry_run)


@import_cli.command("purge-expired")
@click.option("--dry-run", is_flag=True, help="Say how many would be deleted, without deleting them.")
def purge_expired_command(dry_run: bool) -> None:
    """Delete uploaded spreadsheets nobody confirmed within 24 hours (run it hourly from a scheduler)."""
    hours = int(UPLOAD_LIFETIME.total_seconds() // 3600)
    if dry_run:
        click.echo(f"Would delete {count_expired_uploads()} uploaded spreadsheets older than {hours} hours.")
    else:
        click.echo(f"Deleted {purge_expired_uploads()} uploaded spreadsheets older than {hours} hours.")
