"""deploy/: the systemd units pass `systemd-analyze verify`; the jobs they run exist; gunicorn reads its config."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
INSTALLED_BIN = "/opt/inclusion/venv/bin/"


def _unit_files() -> list[Path]:
    return sorted(UNITS.glob("inclusion*.service")) + sorted(UNITS.glob("inclusion*.timer"))


def test_every_scheduled_job_has_a_service_and_a_timer():
    services = {path.stem for path in UNITS.glob("inclusion-*.service")}
    timers = {path.stem for path in UNITS.glob("inclusion-*.timer")}
    assert (
        services
        == timers
        == {
            "inclusion-backup",
            "inclusion-reminders",
            "inclusion-retention",
            "inclusion-send-monthly",
        }
    )


def test_every_unit_reads_the_one_environment_file_as_the_inclusion_user():
    for path in UNITS.glob("*.service"):
        text = path.read_text()
        assert "EnvironmentFile=/etc/inclusion/inclusion.env" in text, path.name
        assert "User=inclusion" in text and "NoNewPrivileges=yes" in text, path.name


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed here")
def test_the_units_pass_systemd_analyze_verify(tmp_path):
    """Verified as installed, except that the app's virtualenv (not here) is a directory of stubs."""
    stubs = tmp_path / "venv-bin"
    stubs.mkdir()
    for name in ("gunicorn", "flask"):
        (stubs / name).write_text("#!/bin/sh\n")
        (stubs / name).chmod(0o755)
    for path in _unit_files():
        (tmp_path / path.name).write_text(path.read_text().replace(INSTALLED_BIN, f"{stubs}/"))

    result = subprocess.run(  # noqa: S603
        ["systemd-analyze", "verify", *(str(tmp_path / path.name) for path in _unit_files())],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "SYSTEMD_LOG_LEVEL": "notice"},
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr


def _commands_run_by_the_units() -> list[list[str]]:
    commands = []
    for path in UNITS.glob("inclusion-*.service"):
        for line in re.findall(rf"^ExecStart={re.escape(INSTALLED_BIN)}flask (.+)$", path.read_text(), re.M):
            commands.append(line.split())
    return commands


def test_the_jobs_the_timers_run_are_commands_of_the_app(app):
    """Every timer runs a command the app has (`flask reminders send` included, since issue 17)."""
    commands = app.cli.list_commands(None)
    missing = []
    for words in _commands_run_by_the_units():
        group = app.cli.get_command(None, words[0]) if words[0] in commands else None
        if group is None or group.get_command(None, words[1]) is None:
            missing.append(" ".join(words[:2]))
    assert missing == [], missing


def test_gunicorn_accepts_the_config_file(tmp_path):
    environment = {
        **os.environ,
        "INCLUSION_ENV": "production",
        "SECRET_KEY": "only-for-this-check",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    result = subprocess.run(  # noqa: S603
        [str(gunicorn), "--check-config", "--config", str(ROOT / "deploy" / "gunicorn.conf.py")],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_inclusion_flask_runs_flask_as_the_units_do_with_leading_settings_as_overrides(tmp_path):
    """systemd-run is replaced by a stub that prints the command line it was given."""
    (tmp_path / "systemd-run").write_text('#!/bin/sh\nfor word in "$@"; do echo "$word"; done\n')
    (tmp_path / "systemd-run").chmod(0o755)
    result = subprocess.run(  # noqa: S603
        [str(ROOT / "deploy" / "inclusion-flask"), "DATABASE_URL=sqlite:////tmp/x y", "db", "restore", "my file"],
        env={**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    words = result.stdout.splitlines()
    assert "--pipe" in words and "--uid=inclusion" in words
    assert "--property=EnvironmentFile=/etc/inclusion/inclusion.env" in words
    assert words[-6:] == [
        "/usr/bin/env",
        "DATABASE_URL=sqlite:////tmp/x y",
        f"{INSTALLED_BIN}flask",
        "db",
        "restore",
        "my file",
    ]
