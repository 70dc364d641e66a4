"""A bounded load test: gunicorn (4 workers) on loopback, 20 champions logging sessions and searching.

Each simulated champion signs in, then loops until the time is up: a search for part of a name
(GET /learners/?q=), then logging a session with its attendees (GET and POST /sessions/new).
Operations whose feature is not on the branch are left out; with neither, the test is skipped.
"""

import random
import statistics
import threading
import time
from datetime import date

from sqlalchemy import select

from bench.database import CHAMPIONS, PASSWORD
from bench.measures import NotAvailable, has_route, session_context
from inclusion.auth.models import User
from inclusion.extensions import db
from tests.scale.forms import fill_session_form
from tests.scale.hosts import Browser, Host, host_environment

SEARCH_TERMS = ("marg", "hugh", "pat", "kha", "smi", "nowa", "jean", "doy")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1) if ordered else 0.0


def run(app, url: str, seconds: int, workers: int = 4) -> dict:
    operations = [name for name, path, method in (("search", "/learners/", "GET"),
                                                  ("log_session", "/sessions/new", "POST"))
                  if has_route(app, path, method)]
    if not operations:
        raise NotAvailable("neither /learners/ search nor /sessions/new is on this branch (issue 3)")
    with app.app_context():
        champions = db.session.execute(select(User.email, User.partner_id).where(
            User.email.like("bench-champion%")).order_by(User.id)).all()[:CHAMPIONS]
        db.session.remove()
    contexts = {partner_id: session_context(app, partner_id, attendees=40) for partner_id in {c.partner_id for c in champions}}
    host = Host(host_environment(url, LOGIN_RATE_LIMIT="100000 per minute"),
                workers=workers).start()
    latencies: dict[str, list[float]] = {name: [] for name in operations}
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def champion(email: str, partner_id: int, number: int) -> None:
        rng, browser = random.Random(number), Browser(host)
        if browser.sign_in(email, PASSWORD).status != 302:
            with lock:
                errors.append(f"{email}: sign-in failed")
            return
        while time.monotonic() < deadline:
            for operation in operations:
                started = time.perf_counter()
                try:
                    ok = _do(operation, browser, rng, contexts[partner_id])
                except OSError as error:
                    ok = False
                    problem = repr(error)
                else:
                    problem = f"{operation} answered an error"
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies[operation].append(elapsed)
                    if not ok:
                        errors.append(problem)
        browser.close()

    threads = [threading.Thread(target=champion, args=(c.email, c.partner_id, n)) for n, c in enumerate(champions)]
    started = time.monotonic()
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(seconds + 120)
    finally:
        host.stop()
    elapsed = time.monotonic() - started
    total = sum(len(values) for values in latencies.values())
    return {
        "users": len(champions), "workers": workers, "seconds": round(elapsed, 1),
        "operations": total, "throughput_per_s": round(total / elapsed, 1), "errors": len(errors),
        "error_examples": sorted(set(errors))[:5],
        "latency_ms": {name: {"p50": percentile(values, 0.5), "p95": percentile(values, 0.95),
                              "p99": percentile(values, 0.99), "count": len(values),
                              "mean": round(statistics.fmean(values), 1) if values else 0.0}
                       for name, values in latencies.items()},
    }


def _do(operation: str, browser: Browser, rng: random.Random, context: dict) -> bool:
    if operation == "search":
        return browser.get(f"/learners/?q={rng.choice(SEARCH_TERMS)}").status == 200
    form_page = browser.get("/sessions/new")
    if form_page.status != 200:
        return False
    attendees = rng.sample(range(len(context["learner_ids"])), k=min(10, len(context["learner_ids"])))
    chosen = {**context, "learner_ids": [context["learner_ids"][i] for i in attendees],
              "learner_references": [context["learner_references"][i] for i in attendees]}
    form = fill_session_form(form_page.text, on=date.today(), **chosen)
    return browser.post("/sessions/new", form).status in (302, 303)
