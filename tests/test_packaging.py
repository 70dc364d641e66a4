"""The wheel is the whole app: installed outside the checkout it migrates, serves and finds its assets.

The wheel is installed with --no-deps into a fresh virtualenv whose only other path is this
environment's site-packages (for the dependencies, already installed): no checkout, no
`config.py` or `migrations/` beside it, run from an empty directory. (A full `pip install
'.[postgres]'` also downloads every dependency: that adds minutes and tests pip, not us.)
"""

import os
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.mail_server import free_port

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    if not (ROOT / "inclusion" / "static" / "build" / "manifest.json").exists():
        pytest.fail("the built assets are missing: run `make assets` first", pytrace=False)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    [built] = out.glob("inclusion-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> dict:
    """A fresh virtualenv with the wheel, and the environment of a production host around it."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site = Path(
        subprocess.check_output(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True
        ).strip()
    )
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    workdir = tmp_path_factory.mktemp("anywhere")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("FLASK_", "INCLUSION_", "PYTHON"))}
    env.update(
        FLASK_APP="inclusion",
        INCLUSION_ENV="production",
        SECRET_KEY="packaging-test-only",
        DATABASE_URL=f"sqlite:///{workdir / 'inclusion.sqlite3'}",
        REQUIRE_TWO_FACTOR="0",
    )
    return {"python": str(python), "cwd": workdir, "env": env}


def _flask(installed, *args, stdin=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [installed["python"], "-m", "flask", *args],
        cwd=installed["cwd"],
        env=installed["env"],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_wheel_holds_templates_migrations_and_built_assets_but_no_test_tools(wheel):
    names = zipfile.ZipFile(wheel).namelist()

    assert "inclusion/config.py" in names
    assert "inclusion/templates/base.html" in names
    assert "inclusion/migrations/env.py" in names and "inclusion/migrations/script.py.mako" in names
    assert any(name.startswith("inclusion/migrations/versions/") for name in names)
    assert "inclusion/static/build/manifest.json" in names
    assert "inclusion/auth/common_passwords.txt" in names
    assert not [name for name in names if "axe" in name.lower()]
    assert not [name for name in names if name.startswith(("tests/", "config.py", "migrations/"))]


def test_the_installed_app_migrates_and_adds_a_user_from_any_directory(installed):
    upgrade = _flask(installed, "db", "upgrade")
    assert upgrade.returncode == 0, upgrade.stderr

    added = _flask(
        installed,
        "users",
        "add",
        "admin@example.org",
        "--name",
        "Admin",
        "--role",
        "admin",
        "--password-stdin",
        stdin="correct horse battery staple\n",
    )
    assert added.returncode == 0, added.stderr
    assert "Added admin admin@example.org" in added.stdout


def test_the_installed_app_serves_pages_and_its_fingerprinted_assets_under_gunicorn(installed):
    assert _flask(installed, "db", "upgrade").returncode == 0
    port = free_port()
    server = subprocess.Popen(
        [
            installed["python"],
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "inclusion:create_app()",
        ],
        cwd=installed["cwd"],
        env=installed["env"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        page = _get_when_up(base + "/login", server)
        stylesheet = page.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
        with urllib.request.urlopen(base + stylesheet, timeout=10) as response:  # noqa: S310 (loopback http)
            assert response.status == 200
            assert "immutable" in response.headers["Cache-Control"]
    finally:
        server.terminate()
        server.wait(timeout=30)


def _get_when_up(url: str, server: subprocess.Popen) -> str:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback http)
                return response.read().decode()
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"gunicorn did not serve {url}: {server.stderr.read().decode()[-2000:]}") from None
            time.sleep(0.5)
