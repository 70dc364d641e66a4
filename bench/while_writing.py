"""The "while writing" measure: a coordinator's dashboard while ten champions log sessions.

Every session logged is a write dated in the month the coordinator views (the bench's MONTH), so
that month's figures are computed afresh again and again: this is what a coordinator watching the
current month sees on a busy afternoon. The champions are threads in this process (Flask test
clients, one signed-in champion each), so they share its interpreter with the timed requests:
the figure is an upper bound for a host whose writers are other processes.
"""

import statistics
import threading
import time

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from bench.database import UNTIL
from bench.measures import NotAvailable, _dashboard_ok, dashboard_path, has_route, session_context, signed_in_client
from inclusion.auth.models import User
from inclusion.extensions import db
from tests.scale.forms import fill_session_form

WRITERS = 10


def _champions(app) -> list[tuple[str, int]]:
    with app.app_context():
        rows = db.session.execute(
            select(User.email, User.partner_id).where(User.email.like("bench-champion%")).order_by(User.id)
        ).all()
        db.session.remove()
    return [(row.email, row.partner_id) for row in rows[:WRITERS]]


def dashboard_while_writing(app, repeats: int) -> dict:
    if not (has_route(app, "/reports/") and has_route(app, "/sessions/new", "POST")):
        raise NotAvailable("needs the dashboard and the session form")
    champions = _champions(app)
    if len(champions) < WRITERS:
        raise RuntimeError(f"the bench database has {len(champions)} bench champions, not {WRITERS}")
    stop = threading.Event()
    logged, errors = [], []
    # The timing starts once every champion is signed in and has logged a session.
    writing = threading.Barrier(len(champions) + 1)

    def champion(email: str, partner_id: int) -> None:
        try:
            client = signed_in_client(app, email)
            context = session_context(app, partner_id)
            first = True
            while not stop.is_set():
                page = client.get("/sessions/new").get_data(as_text=True)
                response = client.post("/sessions/new", data=MultiDict(fill_session_form(page, on=UNTIL, **context)))
                (logged if response.status_code in (302, 303) else errors).append(response.status_code)
                if first:
                    first = False
                    writing.wait(timeout=300)
        except Exception as error:  # noqa: BLE001  (reported as the measure's error)
            errors.append(repr(error))
            writing.abort()  # the timing does not wait for a champion who cannot write

    coordinator = signed_in_client(app, "bench-coordinator@example.org")
    view = _dashboard_ok(coordinator, dashboard_path())
    view()  # warm-up before the writers start
    threads = [threading.Thread(target=champion, args=pair, daemon=True) for pair in champions]
    for thread in threads:
        thread.start()
    times = []
    try:
        writing.wait(timeout=300)
        before = len(logged)
        for _ in range(repeats):
            started = time.perf_counter()
            view()
            times.append((time.perf_counter() - started) * 1000)
        during = len(logged) - before
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    if errors:
        raise RuntimeError(f"{len(errors)} session posts failed while measuring (statuses {sorted(set(errors))})")
    return {
        "value": round(statistics.median(times), 1),
        "unit": "ms",
        "note": f"{dashboard_path()}, {WRITERS} champions logging ({during} sessions logged while timing)",
    }
