"""The interpreter and packages a host runs the app's commands with, for the fresh-process measures.

A host (docs/deployment.md) runs cron's `flask reports monthly` with Debian's `python3` in a
virtualenv of `requirements/production.txt`. The bench's own interpreter is the developer's: on
the bench machines, pyenv's build, compiled without profile-guided optimisation (about 15 %
slower to start the app), with every test tool installed, some of which Flask loads for any
command (Flask-Limiter's `flask limiter` imports rich when it is there). Timing cron's command
with it measures a process no host runs, so the fresh-process measures use a virtualenv like the
host's, made once in `instance/bench-host-venv` (made again when the production lock or the
interpreter changes), with the app from this checkout on `PYTHONPATH`. The developer's
interpreter is still timed, as `csv_cli_fresh_dev`, for comparison.

`BENCH_HOST_PYTHON` names another interpreter (default `/usr/bin/python3`). None when there is
none of the bench's own minor version (the lock's wheels are for it): the measures then say so
and use the bench's interpreter.
"""

import hashlib
import os
import shutil
import subprocess
import sys

from bench.database import ROOT

PRODUCTION_LOCK = ROOT / "requirements" / "production.txt"
VENV = ROOT / "instance" / "bench-host-venv"

_made: dict[str, str | None] = {}


def _version(python: str) -> str | None:
    try:
        found = subprocess.run(  # noqa: S603
            [python, "-c", "import sys; print(sys.version)"], capture_output=True, text=True, check=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return found.stdout.strip()


def host_python() -> str | None:
    """The python of a virtualenv like a host's (made now if missing or stale), or None without a host interpreter."""
    interpreter = os.environ.get("BENCH_HOST_PYTHON", "/usr/bin/python3")
    if interpreter in _made:
        return _made[interpreter]
    version = _version(interpreter)
    own = f"{sys.version_info.major}.{sys.version_info.minor}."
    if version is None or not version.startswith(own):
        _made[interpreter] = None
        return None
    python = VENV / "bin" / "python"
    stamp = VENV / "bench-host-venv.sha256"
    wanted = hashlib.sha256(PRODUCTION_LOCK.read_bytes() + version.encode()).hexdigest()
    if not (stamp.exists() and stamp.read_text() == wanted):
        shutil.rmtree(VENV, ignore_errors=True)
        subprocess.run([interpreter, "-m", "venv", "--without-pip", str(VENV)], check=True, timeout=120)  # noqa: S603
        install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps"]
        install += ["--require-hashes", "-r", str(PRODUCTION_LOCK)]
        installed = subprocess.run(install, capture_output=True, text=True, check=False, timeout=900)  # noqa: S603
        if installed.returncode != 0:
            raise RuntimeError(f"installing {PRODUCTION_LOCK.name} into {VENV} failed: {installed.stderr[-500:]}")
        stamp.write_text(wanted)
    _made[interpreter] = str(python)
    return _made[interpreter]


def describe(python: str) -> str:
    return "the developer's interpreter" if python == sys.executable else f"a host's ({python}, production packages)"
