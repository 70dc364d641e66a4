"""Under gunicorn each worker is a process: with PROMETHEUS_MULTIPROC_DIR a scrape adds up all of them."""

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from inclusion.observability import gunicorn

ROOT = Path(__file__).resolve().parents[2]
WORKER = """
import sys
from config import TestConfig
from inclusion import create_app

client = create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://").test_client()
for _ in range(int(sys.argv[1])):
    assert client.get("/login").status_code == 200
if sys.argv[2] == "scrape":
    sys.stdout.write(client.get("/metrics").get_data(as_text=True))
"""


def _worker(directory: Path, requests: int, scrape: bool = False) -> str:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(directory), "INCLUSION_ENV": "test"}
    args = [sys.executable, "-c", WORKER, str(requests), "scrape" if scrape else "-"]
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_scrape_adds_up_the_requests_of_every_worker_process(tmp_path):
    _worker(tmp_path, 3)
    text = _worker(tmp_path, 2, scrape=True)
    line = 'inclusion_http_requests_total{endpoint="auth.login",method="GET",status="200"} 5.0'
    assert line in text.splitlines()


def test_the_gunicorn_hooks_empty_the_directory_at_start_and_let_go_of_an_ended_worker(tmp_path, monkeypatch):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    (tmp_path / "counter_999.db").write_bytes(b"left over from the last run")
    gunicorn.on_starting(server=None)
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "gauge_livesum_4242.db").write_bytes(b"")
    gunicorn.child_exit(server=None, worker=SimpleNamespace(pid=4242))
    assert list(tmp_path.iterdir()) == []


def test_a_missing_metrics_directory_is_made_so_a_command_line_job_can_count(tmp_path):
    directory = tmp_path / "not-yet"
    _worker(directory, 1)
    assert any(directory.iterdir())
