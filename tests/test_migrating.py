"""Flask-Migrate, bound in create_app but imported only when something migrates (inclusion/migrating.py)."""

import os

from flask import Flask
from flask_migrate import Migrate

from config import TestConfig
from inclusion import create_app
from inclusion.extensions import db


def test_the_migrate_extension_holds_what_flask_migrates_own_init_app_stores():
    # A new app: migrating adds to the context arguments (migrations/env.py), as it does to Flask-Migrate's.
    ours = create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://").extensions["migrate"]
    own = Flask(__name__)
    directory = ours.directory
    Migrate(db=db, directory=directory).init_app(own)
    expected = own.extensions["migrate"]

    assert os.path.isdir(directory)
    assert (ours.db, ours.directory, ours.configure_args) == (expected.db, expected.directory, expected.configure_args)
    assert ours.configure_args == {"compare_type": True, "render_as_batch": True}
    assert ours.metadata is db.metadata
    assert ours.migrate.get_config().get_main_option("script_location") == directory


def test_flask_db_has_flask_migrates_commands_and_the_backup_commands(runner):
    result = runner.invoke(args=["db", "--help"])

    assert result.exit_code == 0, result.output
    for command in ("upgrade", "downgrade", "current", "heads", "stamp", "backup", "restore"):
        assert f"  {command} " in result.output
