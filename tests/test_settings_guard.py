"""Development settings run only on the SQLite file in instance/, unless INCLUSION_ALLOW_DEV_SETTINGS=1 says so."""

import os
import subprocess
import sys

import pytest

from inclusion import create_app
from inclusion.settings_guard import DevelopmentSettingsRefused

PRODUCTION_LIKE_URL = "postgresql+psycopg://inclusion:s3cret-password@db.example.org:5432/inclusion"


@pytest.fixture
def development(monkeypatch):
    monkeypatch.setenv("INCLUSION_ENV", "development")
    monkeypatch.delenv("INCLUSION_ALLOW_DEV_SETTINGS", raising=False)
    return monkeypatch


def test_development_settings_against_another_database_are_refused_without_showing_its_password(development):
    with pytest.raises(DevelopmentSettingsRefused) as refused:
        create_app(SQLALCHEMY_DATABASE_URI=PRODUCTION_LIKE_URL)

    message = refused.value.message
    assert "INCLUSION_ENV=production" in message and "INCLUSION_ALLOW_DEV_SETTINGS=1" in message
    assert "db.example.org" in message
    assert "s3cret-password" not in message


def test_development_settings_against_a_sqlite_file_outside_the_instance_folder_are_refused(development, tmp_path):
    with pytest.raises(DevelopmentSettingsRefused):
        create_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}")


def test_development_settings_with_no_database_url_use_the_instance_folders_sqlite_file(development):
    app = create_app(SQLALCHEMY_DATABASE_URI=None)  # as when DATABASE_URL is unset

    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{os.path.join(app.instance_path, 'inclusion.sqlite3')}"


def test_development_settings_elsewhere_run_when_asked_for_explicitly(development, tmp_path):
    development.setenv("INCLUSION_ALLOW_DEV_SETTINGS", "1")

    app = create_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}")

    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("elsewhere.sqlite3")


def test_the_command_line_refuses_with_a_one_line_error_and_exit_status_1(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("FLASK_", "INCLUSION_"))}
    env.update(FLASK_APP="inclusion", INCLUSION_ENV="development", DATABASE_URL=PRODUCTION_LIKE_URL)

    result = subprocess.run(
        [sys.executable, "-m", "flask", "reports", "monthly", "--month", "2026-10"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 1
    assert "Error: INCLUSION_ENV=development" in result.stderr
    assert "Traceback" not in result.stderr
