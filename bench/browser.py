"""The browser measure: a champion on a 390 px phone logs a session of eight (issue 14), in taps,
full page loads and wall time, against the app served by gunicorn on the bench database.

The journey is the browser test's own (tests/e2e/session_journey.py). It needs Chromium at
/usr/bin/chromium (or INCLUSION_CHROMIUM) and the Playwright package; without them the measure
says "not available". Each run registers one new learner (a made-up name) in the bench database.
"""

import random
import string
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from bench.database import PASSWORD, ROOT
from inclusion.auth.models import User
from inclusion.extensions import db
from inclusion.learners.models import Learner

CHAMPION = "bench-champion0@example.org"


class Unavailable(Exception):
    """Chromium or Playwright is missing on this machine."""


def _references(app, email: str) -> list[str]:
    """Learners registered with the champion's partner: found by reference when the venue's recent list is short."""
    with app.app_context():
        partner_id = db.session.scalar(select(User.partner_id).where(User.email == email))
        references = list(
            db.session.scalars(
                select(Learner.reference)
                .where(Learner.registered_partner_id == partner_id, Learner.merged_into_id.is_(None))
                .order_by(Learner.id)
                .limit(20)
            )
        )
        db.session.remove()
    return references


def _made_up_name(rng: random.Random) -> tuple[str, str]:
    return tuple("".join(rng.choice(string.ascii_lowercase) for _ in range(7)).capitalize() for _ in range(2))


def session_of_eight(app, database_url: str) -> dict:
    from tests.e2e.conftest import _free_port, _server_environment, _wait_until_up
    from tests.e2e.settings import CHROMIUM, CHROMIUM_ARGS

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise Unavailable("the playwright package is not installed: `pip install -e '.[test]'`") from None
    if not CHROMIUM.exists():
        raise Unavailable(f"Chromium not found at {CHROMIUM}")
    from tests.e2e.session_journey import PHONE, log_a_session_of_eight
    from tests.e2e.support import sign_in

    references = _references(app, CHAMPION)
    env = _server_environment(database_url)
    port = _free_port()
    log_path = ROOT / "instance" / "bench-browser-gunicorn.log"
    log_path.parent.mkdir(exist_ok=True)
    with open(log_path, "w") as log:
        server = subprocess.Popen(  # noqa: S603  (our own gunicorn and arguments)
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "2",
                "inclusion:create_app()",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(url, server, log_path)
            with sync_playwright() as api:
                browser = api.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
                context = browser.new_context(viewport=PHONE, base_url=url)
                context.set_default_timeout(15_000)
                page = context.new_page()
                sign_in(page, CHAMPION, PASSWORD)
                page.wait_for_load_state("load")
                journey = log_a_session_of_eight(page, _made_up_name(random.Random()), references)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
    return {
        "value": round(journey.seconds, 2),
        "unit": "s",
        "taps": journey.taps,
        "page_loads": journey.page_loads,
        "note": f"390 px: 8 attendees (1 registered in the form), skills for 3: {journey.taps} taps, "
        f"{journey.page_loads} full page loads",
    }
