"""The browser tests never pass silently without a browser: they skip and say why, or fail when required."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ONE_BROWSER_TEST = "tests/e2e/test_sign_in.py::test_a_failed_sign_in_shows_the_error_summary_and_moves_the_focus_to_it"


def _run_without_chromium(**env) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key != "INCLUSION_E2E_REQUIRED"}
    environment.update(INCLUSION_CHROMIUM="/nonexistent/chromium", **env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", ONE_BROWSER_TEST],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_chromium_the_browser_tests_skip_and_say_how_to_install_it():
    result = _run_without_chromium()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 skipped" in result.stdout
    assert "apt-get install -y chromium" in result.stdout


def test_without_chromium_the_browser_tests_fail_when_ci_requires_them():
    result = _run_without_chromium(INCLUSION_E2E_REQUIRED="1")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "INCLUSION_E2E_REQUIRED=1 says the browser tests must run" in result.stdout
