"""`flask reports ...`: the monthly funder report."""

from flask.cli import AppGroup

reports_cli = AppGroup("reports", help="Funder reports.")
