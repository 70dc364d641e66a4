"""`flask learners ...`: learner record housekeeping."""

from flask.cli import AppGroup

learners_cli = AppGroup("learners", help="Learner records.")
