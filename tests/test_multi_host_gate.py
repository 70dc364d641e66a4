"""The multi-host tests never pass silently: without PostgreSQL or Redis they skip and say why, or fail if required."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ONE_MULTI_HOST_TEST = "tests/scale/test_multi_host.py::test_a_user_signed_in_on_one_host_is_signed_in_on_the_other"
CLOSED_REDIS = "redis://127.0.0.1:1/0"  # port 1: nothing listens there


def _run(**env) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key != "INCLUSION_MULTI_HOST_REQUIRED"}
    environment.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            ONE_MULTI_HOST_TEST,
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_a_reachable_redis_the_multi_host_tests_skip_and_say_which_address_they_tried():
    result = _run(TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:1/none", TEST_REDIS_URL=CLOSED_REDIS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    assert f"multi-host tests need Redis at {CLOSED_REDIS}" in result.stdout


def test_on_sqlite_the_multi_host_tests_fail_when_ci_requires_them():
    environment = {"TEST_DATABASE_URL": "", "INCLUSION_MULTI_HOST_REQUIRED": "1"}
    result = _run(**environment)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "INCLUSION_MULTI_HOST_REQUIRED=1 says the multi-host tests must run" in result.stdout
    assert "set TEST_DATABASE_URL to PostgreSQL" in result.stdout
