"""`flask import learners|attendance FILE`."""

from flask.cli import AppGroup

import_cli = AppGroup("import", help="Import learners or attendance from a spreadsheet.")
