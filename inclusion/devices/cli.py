"""`flask devices import FILE [--dry-run]`: add devices from a spreadsheet, whole or not at all."""

import os

import click
from flask.cli import AppGroup

from inclusion.cli_support import fail
from inclusion.devices.importing import ImportFileError, import_devices
from inclusion.imports.services import max_import_bytes

devices_cli = AppGroup("devices", help="Device stock: add devices from a spreadsheet.")


class CommandLine:
    """The person at the shell, trusted as a coordinator (as `flask import` trusts them)."""

    id = None
    role = "coordinator"
    email = "command line"


@devices_cli.command("import")
@click.argument("path", metavar="FILE", type=click.Path())
@click.option("--dry-run", is_flag=True, help="Check the file and report, without adding anything.")
def import_command(path: str, dry_run: bool) -> None:
    """Add devices from a CSV or XLSX file (columns in docs/devices.md)."""
    try:
        with open(path, "rb") as file:
            data = file.read(max_import_bytes() + 1)
    except OSError as error:
        fail(f"Cannot read {path}: {error.strerror}")
    try:
        result = import_devices(CommandLine(), data, os.path.basename(path), dry_run=dry_run)
    except ImportFileError as error:
        fail(str(error))
    if result.problems:
        for problem in result.problems:
            click.echo(str(problem), err=True)
        noun = "problem" if len(result.problems) == 1 else "problems"
        click.echo(f"Error: {len(result.problems)} {noun} found; nothing was added.", err=True)
        raise SystemExit(1)
    if dry_run:
        click.echo(
            f"Dry run: the file is valid; nothing was written. {result.rows} rows, {len(result.devices)} devices."
        )
    else:
        click.echo(f"Added {len(result.devices)} devices from {result.rows} rows.")
