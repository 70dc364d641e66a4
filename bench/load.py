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


def run(app, url: str, seconds: int, workers: int = 4, think: tuple[float, float] = (0.5, 1.5)) -> dict:
    """Run the load; `think` is the pause (seconds, uniform) a champion takes between actions."""
    operations = [
        name
        for name, path, method in (("search", "/learners/", "GET"), ("log_session", "/sessions/new", "POST"))
        if has_route(app, path, method)
    ]
    if not operations:
        raise NotAvailable("neither /learners/ search nor /sessions/new is on this branch (issue 3)")
    with app.app_context():
        champions = db.session.execute(
            select(User.email, User.partner_id).where(User.email.like("bench-champion%")).order_by(User.id)
        ).all()[:CHAMPIONS]
        db.session.remove()
    contexts = {
        partner_id: session_context(app, partner_id, attendees=40) for partner_id in {c.partner_id for c in champions}
    }
    host = Host(host_environment(url, LOGIN_RATE_LIMIT="100000 per minute"), workers=workers).start()
    latencies: dict[str, list[float]] = {name: [] for name in operations}
    errors: list[str] = []
    lock = threading.Lock()
    # Everyone signs in first (password hashing is slow on purpose); the clock starts after.
    window = {"started": 0.0, "deadline": 0.0}

    def start_clock() -> None:  # run once, as the barrier releases everyone
        window["started"] = time.monotonic()
        window["deadline"] = window["started"] + seconds

    ready = threading.Barrier(len(champions) + 1, action=start_clock)

    def champion(email: str, partner_id: int, number: int) -> None:
        rng, browser = random.Random(number), Browser(host)
        signed_in = browser.sign_in(email, PASSWORD).status == 302
        ready.wait()
        if not signed_in:
            with lock:
                errors.append(f"{email}: sign-in failed")
            return
        while time.monotonic() < window["deadline"]:
            for operation in operations:
                try:
                    timings = _do(operation, browser, rng, contexts[partner_id])
                except OSError as error:
                    timings = [(operation, None, repr(error))]
                with lock:
                    for name, elapsed, problem in timings:
                        if elapsed is not None:
                            latencies.setdefault(name, []).append(elapsed)
                        if problem:
                            errors.append(problem)
                if think[1] > 0:
                    time.sleep(rng.uniform(*think))
        browser.close()

    threads = [threading.Thread(target=champion, args=(c.email, c.partner_id, n)) for n, c in enumerate(champions)]
    try:
        for thread in threads:
            thread.start()
        ready.wait()
        for thread in threads:
            thread.join(seconds + 120)
    finally:
        host.stop()
    elapsed = time.monotonic() - window["started"]
    total = sum(len(values) for values in latencies.values())
    return {
        "users": len(champions),
        "workers": workers,
        "seconds": round(elapsed, 1),
        "think_seconds": list(think),
        "operations": total,
        "throughput_per_s": round(total / elapsed, 1),
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:5],
        "latency_ms": {
            name: {
                "p50": percentile(values, 0.5),
                "p95": percentile(values, 0.95),
                "p99": percentile(values, 0.99),
                "count": len(values),
                "mean": round(statistics.fmean(values), 1) if values else 0.0,
            }
            for name, values in latencies.items()
        },
    }


def _timed(name: str, request, ok_statuses: tuple[int, ...]):
    started = time.perf_counter()
    response = request()
    elapsed = (time.perf_counter() - started) * 1000
    problem = None if response.status in ok_statuses else f"{name} answered {response.status}"
    return response, (name, elapsed, problem)


def _do(operation: str, browser: Browser, rng: random.Random, context: dict) -> list[tuple]:
    """One operation; returns (name, milliseconds, problem or None) for each request it made."""
    if operation == "search":
        _, timing = _timed("search", lambda: browser.get(f"/learners/?q={rng.choice(SEARCH_TERMS)}"), (200,))
        return [timing]
    form_page, form_timing = _timed("session_form", lambda: browser.get("/sessions/new"), (200,))
    if form_timing[2]:
        return [form_timing]
    attendees = rng.sample(range(len(context["learner_ids"])), k=min(10, len(context["learner_ids"])))
    chosen = {
        **context,
        "learner_ids": [context["learner_ids"][i] for i in attendees],
        "learner_references": [context["learner_references"][i] for i in attendees],
    }
    form = fill_session_form(form_page.text, on=date.today(), **chosen)
    _, post_timing = _timed("log_session", lambda: browser.post("/sessions/new", form), (302, 303))
    return [form_timing, post_timing]
