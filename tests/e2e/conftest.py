"""Browser tests: the app served by gunicorn on a free loopback port, driven by Chromium.

The server runs against a fresh SQLite file, migrated with `flask db upgrade` and filled with
`flask demo seed`. Without /usr/bin/chromium (or the Playwright package, or the built axe-core)
the tests skip and say why — unless INCLUSION_E2E_REQUIRED=1, as CI sets, when they fail.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.settings import AXE, BROWSER_WAIT_MS, CHROMIUM, CHROMIUM_ARGS, REQUIRED, ROOT, SCREENSHOTS, VIEWPORTS


@dataclass(frozen=True)
class Account:
    role: str
    email: str
    password: str
    partner: str | None


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)


def pytest_terminal_summary(terminalreporter):
    if SCREENSHOTS.is_dir() and any(SCREENSHOTS.iterdir()):
        count = sum(1 for _ in SCREENSHOTS.glob("*.png"))
        terminalreporter.write_line(f"Browser screenshots ({count}) of the pages visited: {SCREENSHOTS}")


def _unavailable(reason: str):
    if REQUIRED:
        pytest.fail(f"{reason}, and INCLUSION_E2E_REQUIRED=1 says the browser tests must run", pytrace=False)
    pytest.skip(f"{reason} (set INCLUSION_E2E_REQUIRED=1 to make this a failure)")


@pytest.fixture(scope="session")
def playwright_api():
    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium`")
    if not AXE.exists():
        _unavailable(f"{AXE} is missing: run `npm ci` (make assets does)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed: `pip install -e '.[test]'`")
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)  # the folder shows this run's pages only
    with sync_playwright() as api:
        yield api


@pytest.fixture(scope="session")
def browser(playwright_api):
    browser = playwright_api.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_environment(database_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"TEST_DATABASE_URL", "FLASK_RUN_PORT"}}
    env.update(
        INCLUSION_ENV="development",  # the demo's settings: no two-step verification required
        INCLUSION_ALLOW_DEV_SETTINGS="1",  # on a throwaway SQLite file outside instance/
        DATABASE_URL=database_url,
        FLASK_APP="inclusion",
        SECRET_KEY="e2e-only-not-secret",
        LOGIN_RATE_LIMIT="1000 per minute",  # the journeys sign in many times within a minute
        SUPPORT_EMAIL="support@example.org",
    )
    return env


def _flask(env, *args) -> str:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "flask"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _printed_accounts(seed_output: str) -> list[Account]:
    """The demo sign-ins as `flask demo seed` prints them: role, email, password, (partner)."""
    accounts = []
    for line in seed_output.splitlines():
        match = re.match(r"\s+(\w+)\s+(\S+@\S+)\s+(\S+)(?:\s+\((.+)\))?\s*$", line)
        if match:
            accounts.append(Account(*match.groups()))
    return accounts


@dataclass
class LiveServer:
    url: str
    database: Path
    accounts: list[Account]

    def account(self, role: str) -> Account:
        return next(account for account in self.accounts if account.role == role)


@pytest.fixture(scope="session")
def live_server(playwright_api, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    database = tmp / "e2e.sqlite3"
    env = _server_environment(f"sqlite:///{database}")
    _flask(env, "db", "upgrade")
    accounts = _printed_accounts(_flask(env, "demo", "seed"))
    assert {a.role for a in accounts} == {"admin", "coordinator", "champion", "funder"}, accounts
    port = _free_port()
    log = open(tmp / "gunicorn.log", "w")  # noqa: SIM115  (open for the whole session)
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "2",
            "--access-logfile",
            "-",
            "inclusion:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server, tmp / "gunicorn.log")
        yield LiveServer(url, database, accounts)
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def _wait_until_up(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer within 30 seconds:\n{log.read_text()}")


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> str:
    return request.param


@pytest.fixture(scope="session", autouse=True)
def _patient_assertions():
    try:
        from playwright.sync_api import expect
    except ImportError:  # the browser tests skip (or, where required, fail) on their own
        return
    expect.set_options(timeout=BROWSER_WAIT_MS)


@pytest.fixture
def browser_page(browser, live_server, viewport, request):
    """A page in a fresh browser context (no cookies) at the test's viewport, with its checker."""
    from tests.e2e.support import PageChecker

    context = browser.new_context(viewport=VIEWPORTS[viewport], base_url=live_server.url, accept_downloads=True)
    context.set_default_timeout(BROWSER_WAIT_MS)
    page = context.new_page()
    checker = PageChecker(page, f"{request.node.originalname}-{viewport}", viewport)
    yield page, checker
    context.close()
    checker.assert_no_console_errors()
