"""Each measure of the benchmark. A measure whose feature is not on this branch yet reports
"not available" (with why) instead of failing, so the harness runs before and after features land.
"""

import csv
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import func, select, text
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import MethodNotAllowed, NotFound

from bench import floor, host_python
from bench.database import PASSWORD, ROOT, UNTIL
from inclusion.extensions import db
from inclusion.learners.models import Learner
from inclusion.partners.models import Venue
from inclusion.reports.periods import Period
from inclusion.sessions.models import Attendance, LearningSession, Skill
from tests.scale.forms import fill_session_form

MONTH = UNTIL.strftime("%Y-%m")
YEAR_OF_MONTHS = [f"{UNTIL.year - (UNTIL.month <= i)}-{(UNTIL.month - i - 1) % 12 + 1:02d}" for i in range(12)]
SEARCH_TERM = "marg"
# The Redis the shared-store measure uses (emptied before it): a database number nothing else uses.
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")


class NotAvailable(Exception):
    """The feature this measure needs is not in the application (yet)."""


def run_guarded(function, *args) -> dict:
    try:
        return {"status": "ok", **function(*args)}
    except NotAvailable as reason:
        return {"status": "not available", "note": str(reason)}
    except Exception as error:  # a measure must never stop the others; the error is the result
        return {"status": "error", "note": f"{type(error).__name__}: {error}"}


def has_route(app, path: str, method: str = "GET") -> bool:
    try:
        app.url_map.bind("localhost").match(path, method=method)
    except (NotFound, MethodNotAllowed):
        return False
    return True


def has_command(app, group: str, name: str) -> bool:
    command = app.cli.commands.get(group)
    return command is not None and name in getattr(command, "commands", {})


def median_ms(action, repeats: int, before=None) -> tuple[float, list[float]]:
    """Median time of `action` after a warm-up; `before` (untimed) runs ahead of each timed call."""
    action()  # warm-up: templates compiled, connections open, caches as a day's use would have them
    times = []
    for _ in range(repeats):
        if before is not None:
            before()
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1), times


def signed_in_client(app, email: str):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"could not sign in as {email}: status {response.status_code}")
    return client


def _get_ok(client, path: str):
    def action():
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}")

    return action


# The month every dashboard measure shows: the last month with data, the month the floor computes.
MONTH_LABEL = UNTIL.strftime("%B %Y")


def dashboard_path(partner_id: int | None = None) -> str:
    return f"/reports/?month={MONTH}&partner={partner_id or ''}&venue="


def _dashboard_ok(client, path: str):
    """GET the dashboard, and make sure it shows MONTH (a rejected filter would show this month, empty)."""

    def action():
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}")
        if f"Dashboard: {MONTH_LABEL}" not in response.get_data(as_text=True):
            raise RuntimeError(f"GET {path} did not show {MONTH_LABEL}")

    return action


def dashboard(app, repeats: int) -> dict:
    if not has_route(app, "/reports/"):
        raise NotAvailable("no /reports/ dashboard on this branch (issue 4)")
    client = signed_in_client(app, "bench-coordinator@example.org")
    value, _ = median_ms(_dashboard_ok(client, dashboard_path()), repeats)
    return {"value": value, "unit": "ms", "note": f"{MONTH}, repeated (figure cache)"}


def sql_floor(app, repeats: int) -> dict:
    month = Period.month(UNTIL.replace(day=1))
    with app.app_context():
        names = list(floor.queries(month, db.engine.dialect.name))
    each: dict[str, list[float]] = {name: [] for name in names}

    def compute_timing_each(connection):
        for name in names:
            started = time.perf_counter()
            floor.compute(connection, month, only=name)
            each[name].append((time.perf_counter() - started) * 1000)

    with app.app_context(), db.engine.connect() as connection:
        value, _ = median_ms(lambda: compute_timing_each(connection), repeats)
    return {
        "value": value,
        "unit": "ms",
        "note": f"{len(names)} queries: every figure of the dashboard for {MONTH}",
        "figures_ms": {name: round(statistics.median(times), 1) for name, times in each.items()},
    }


CSV_VERSION = "2"  # the funder CSV measured: version 2 (the new measures and secondary suppression)


def _monthly(app, month: str, out: str) -> None:
    arguments = ["reports", "monthly", "--month", month, "--out", out, "--version", CSV_VERSION]
    result = app.test_cli_runner().invoke(args=arguments)
    if result.exit_code != 0:
        raise RuntimeError(f"flask reports monthly --month {month} exited {result.exit_code}: {result.output}")


def csv_month(app, repeats: int) -> dict:
    if not has_command(app, "reports", "monthly"):
        raise NotAvailable("no `flask reports monthly` on this branch (issue 4)")
    with tempfile.TemporaryDirectory() as tmp:
        value, _ = median_ms(lambda: _monthly(app, MONTH, os.path.join(tmp, "month.csv")), max(3, repeats // 5))
    return {"value": value, "unit": "ms", "note": f"{MONTH}, version {CSV_VERSION}"}


AFTER_A_WRITE = f"{MONTH}, after a session in {MONTH} is saved (its figures computed afresh)"


def write_happened(app):
    """A real write in the month measured, through the triggers: one of its sessions saved again.

    The figure cache keeps a figure until a write reaches its period (inclusion/reports/reach.py):
    this write reaches MONTH, so every figure of it, everything to date and the trends' last month
    are computed afresh; earlier months (the month before, a year before, the trends' other eleven)
    stay stored, as they do when a champion logs or edits a session in the month a coordinator views.
    """
    start = UNTIL.replace(day=1)

    def write():
        with app.app_context(), db.engine.begin() as connection:
            connection.execute(
                text(
                    "UPDATE learning_sessions SET unregistered_attendees = unregistered_attendees WHERE id = "
                    "(SELECT min(id) FROM learning_sessions WHERE session_date BETWEEN :start AND :end)"
                ),
                {"start": start, "end": UNTIL},
            )

    return write


def write_reaching_all_of_history(app):
    """A write that may change every month's figures (a venue's details saved again: who belongs where)."""

    def write():
        with app.app_context(), db.engine.begin() as connection:
            connection.execute(text("UPDATE venues SET name = name WHERE id = (SELECT min(id) FROM venues)"))

    return write


def dashboard_cold(app, repeats: int) -> dict:
    """The dashboard's first render after a write: every figure computed, nothing from the cache."""
    if not has_route(app, "/reports/"):
        raise NotAvailable("no /reports/ dashboard on this branch (issue 4)")
    client = signed_in_client(app, "bench-coordinator@example.org")
    value, _ = median_ms(_dashboard_ok(client, dashboard_path()), repeats, before=write_happened(app))
    return {
        "value": value,
        "unit": "ms",
        "note": AFTER_A_WRITE,
    }


def dashboard_cold_all_months(app, repeats: int) -> dict:
    """The dashboard's first render after a write that reaches all of history: every figure computed."""
    if not has_route(app, "/reports/"):
        raise NotAvailable("no /reports/ dashboard on this branch (issue 4)")
    client = signed_in_client(app, "bench-coordinator@example.org")
    before = write_reaching_all_of_history(app)
    value, _ = median_ms(_dashboard_ok(client, dashboard_path()), repeats, before=before)
    return {"value": value, "unit": "ms", "note": f"{MONTH}, after a write reaching every month (nothing stored)"}


def _busiest_partner(app) -> int:
    with app.app_context():
        partner_id = db.session.scalar(
            select(Venue.partner_id)
            .join(Attendance, Attendance.venue_id == Venue.id)
            .group_by(Venue.partner_id)
            .order_by(func.count().desc(), Venue.partner_id)
            .limit(1)
        )
        db.session.remove()
    return partner_id


def dashboard_partner_cold(app, repeats: int) -> dict:
    """A coordinator's dashboard filtered to the partner with the most attendances, after a write."""
    if not has_route(app, "/reports/"):
        raise NotAvailable("no /reports/ dashboard on this branch (issue 4)")
    partner_id = _busiest_partner(app)
    client = signed_in_client(app, "bench-coordinator@example.org")
    value, _ = median_ms(_dashboard_ok(client, dashboard_path(partner_id)), repeats, before=write_happened(app))
    return {"value": value, "unit": "ms", "note": f"{MONTH}, partner {partner_id}, after a write"}


def dashboard_champion_cold(app, repeats: int) -> dict:
    """A champion's dashboard (their own partner's figures), after a write."""
    if not has_route(app, "/reports/"):
        raise NotAvailable("no /reports/ dashboard on this branch (issue 4)")
    client = signed_in_client(app, "bench-champion0@example.org")
    value, _ = median_ms(_dashboard_ok(client, dashboard_path()), repeats, before=write_happened(app))
    return {"value": value, "unit": "ms", "note": f"{MONTH}, bench-champion0, after a write"}


def csv_download_cold(app, repeats: int) -> dict:
    """The web download of one month's CSV (GET /reports/monthly/<month>.csv), after a write."""
    path = f"/reports/monthly/{MONTH}.csv?version={CSV_VERSION}"
    if not has_route(app, path.partition("?")[0]):
        raise NotAvailable("no web CSV download on this branch")
    client = signed_in_client(app, "bench-coordinator@example.org")
    value, _ = median_ms(_get_ok(client, path), max(3, repeats // 3), before=write_happened(app))
    return {"value": value, "unit": "ms", "note": f"{MONTH}, version {CSV_VERSION}, after a write"}


def _command_environment(url: str) -> dict:
    """A fresh `flask` process's environment for the bench database at `url` (SQLite file or PostgreSQL)."""
    env = {**os.environ, "FLASK_APP": "inclusion", "INCLUSION_ENV": "development", "DATABASE_URL": url}
    env["INCLUSION_ALLOW_DEV_SETTINGS"] = "1"  # the benchmark's own database, not the instance file
    # A host's installed app has its bytecode (pip compiles a wheel as it installs it); a shell that
    # turns bytecode off (some containers, CI) would time compiling about 240 modules in every process.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _fresh_processes(url: str, python: str, **settings: str) -> list[float]:
    """Milliseconds of three `flask reports monthly` processes run by `python`, after one untimed."""
    env = {**_command_environment(url), **settings}
    if python != sys.executable:  # a host's virtualenv: the app from this checkout, as its wheel would be
        env["PYTHONPATH"] = str(ROOT)
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        command = [python, "-m", "flask", "reports", "monthly", "--month", MONTH, "--out", f"{tmp}/m.csv"]
        command += ["--version", CSV_VERSION]
        for run in range(4):  # the first, untimed, writes any bytecode missing (as installing would have)
            started = time.perf_counter()
            process = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False)  # noqa: S603
            if run:
                times.append((time.perf_counter() - started) * 1000)
            if process.returncode != 0:
                raise RuntimeError(f"the CSV command exited {process.returncode}: {process.stderr.decode()[-500:]}")
    return times


def _cron_python() -> tuple[str, str]:
    """The interpreter cron's command is timed with (a host's, bench/host_python.py), and a note saying which."""
    python = host_python.host_python()
    if python is None:
        return sys.executable, "no host interpreter of this Python version: the developer's interpreter"
    return python, host_python.describe(python)


def _csv_cli_computed(app, url: str, python: str, which: str) -> dict:
    """Fresh `flask reports monthly` processes run by `python`, no shared store: every figure computed."""
    if not has_command(app, "reports", "monthly"):
        raise NotAvailable("no `flask reports monthly` on this branch (issue 4)")
    times = _fresh_processes(url, python, FIGURE_STORE_URI="")
    note = f"{MONTH}, version {CSV_VERSION}, no shared figure store, median of 3 processes (after one untimed); {which}"
    return {"value": round(statistics.median(times), 1), "unit": "ms", "note": note}


def csv_cli_fresh(app, url: str) -> dict:
    """`flask reports monthly` as cron runs it: a fresh process (start-up, imports, every figure computed)."""
    return _csv_cli_computed(app, url, *_cron_python())


def csv_cli_fresh_dev(app, url: str) -> dict:
    """The same run by the bench's own interpreter and packages (the developer's: test tools installed)."""
    return _csv_cli_computed(app, url, sys.executable, host_python.describe(sys.executable))


def csv_cli_fresh_shared(app, url: str) -> dict:
    """The same with FIGURE_STORE_URI set: the untimed first process computes the month, the next three read it."""
    if not has_command(app, "reports", "monthly"):
        raise NotAvailable("no `flask reports monthly` on this branch (issue 4)")
    try:
        from inclusion.reports import shared_store  # noqa: F401  (the shared store is on this branch)
    except ImportError:
        raise NotAvailable("no shared figure store (FIGURE_STORE_URI) on this branch") from None
    import redis

    try:
        redis.Redis.from_url(BENCH_REDIS_URL, socket_connect_timeout=2).flushdb()
    except (redis.RedisError, OSError) as error:
        raise NotAvailable(f"no Redis at {BENCH_REDIS_URL} (BENCH_REDIS_URL): {error}") from None
    python, which = _cron_python()
    times = _fresh_processes(url, python, FIGURE_STORE_URI=BENCH_REDIS_URL)
    note = f"{MONTH}, version {CSV_VERSION}, the month's figures in the shared store, median of 3 processes; {which}"
    return {"value": round(statistics.median(times), 1), "unit": "ms", "note": note}


def csv_month_cold(app, repeats: int) -> dict:
    if not has_command(app, "reports", "monthly"):
        raise NotAvailable("no `flask reports monthly` on this branch (issue 4)")
    with tempfile.TemporaryDirectory() as tmp:
        value, _ = median_ms(
            lambda: _monthly(app, MONTH, os.path.join(tmp, "month.csv")),
            max(3, repeats // 5),
            before=write_happened(app),
        )
    return {
        "value": value,
        "unit": "ms",
        "note": f"{MONTH}, version {CSV_VERSION}, after a write (figure cache missed)",
    }


def _feed_client(app):
    """A BI tool's view of the feed: a client that sends a freshly issued token (the feed is on this branch)."""
    if not has_route(app, "/api/v1/figures"):
        raise NotAvailable("no open data feed (/api/v1/figures) on this branch (issue 18)")
    from inclusion.api import tokens

    with app.app_context():
        secret = tokens.issue_token(
            f"bench {secrets.token_hex(4)}", date.today().replace(year=date.today().year + 1), acting_user_id=None
        ).secret
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


def feed_figures(app, repeats: int) -> dict:
    """GET /api/v1/figures for one month with data, warm cache: the cells computed afresh from cached figures."""
    client = _feed_client(app)
    value, _ = median_ms(_get_ok(client, f"/api/v1/figures?month={MONTH}"), repeats)
    return {"value": value, "unit": "ms", "note": f"{MONTH}, figure cache warm (no If-None-Match)"}


def feed_figures_cold(app, repeats: int) -> dict:
    """The same call as the first after a write: every figure of the month computed."""
    client = _feed_client(app)
    value, _ = median_ms(
        _get_ok(client, f"/api/v1/figures?month={MONTH}"), max(3, repeats // 5), before=write_happened(app)
    )
    return {
        "value": value,
        "unit": "ms",
        "note": AFTER_A_WRITE,
    }


def csv_year(app, _repeats: int) -> dict:
    if not has_command(app, "reports", "monthly"):
        raise NotAvailable("no `flask reports monthly` on this branch (issue 4)")
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        for month in YEAR_OF_MONTHS:
            _monthly(app, month, os.path.join(tmp, f"{month}.csv"))
    return {
        "value": round((time.perf_counter() - started) * 1000, 1),
        "unit": "ms",
        "note": f"{YEAR_OF_MONTHS[-1]} to {YEAR_OF_MONTHS[0]}, one version {CSV_VERSION} file each",
    }


def search(app, repeats: int) -> dict:
    if not has_route(app, "/learners/"):
        raise NotAvailable("no /learners/ search on this branch (issue 3)")
    client = signed_in_client(app, "bench-coordinator@example.org")
    value, _ = median_ms(_get_ok(client, f"/learners/?q={SEARCH_TERM}"), repeats)
    return {"value": value, "unit": "ms", "note": f"q={SEARCH_TERM}"}


def _busiest_learner(app) -> tuple[str, int]:
    """The reference of the learner with the most attendances, and how many."""
    with app.app_context():
        found = db.session.execute(
            select(Learner.reference, func.count())
            .join(Attendance, Attendance.learner_id == Learner.id)
            .group_by(Learner.reference)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
        db.session.remove()
    return found


def learner_page(app, repeats: int) -> dict:
    reference, visits = _busiest_learner(app)
    if not has_route(app, f"/learners/{reference}"):
        raise NotAvailable("no /learners/<reference> page on this branch (issue 3)")
    client = signed_in_client(app, "bench-coordinator@example.org")
    value, _ = median_ms(_get_ok(client, f"/learners/{reference}"), repeats)
    return {"value": value, "unit": "ms", "note": f"{visits} attendances"}


def follow_up_queue(app, repeats: int) -> dict:
    """The first page of the follow-up queue of the partner that registered the most learners (issue 15)."""
    if not has_route(app, "/followups/"):
        raise NotAvailable("no /followups/ queue on this branch (issue 15)")
    with app.app_context():
        partner_id, registered = db.session.execute(
            select(Learner.registered_partner_id, func.count())
            .group_by(Learner.registered_partner_id)
            .order_by(func.count().desc(), Learner.registered_partner_id)
            .limit(1)
        ).one()
        db.session.remove()
    client = signed_in_client(app, "bench-coordinator@example.org")
    path = f"/followups/?partner={partner_id}"

    def action():
        response = client.get(path)
        if response.status_code != 200 or "to follow up" not in response.get_data(as_text=True):
            raise RuntimeError(f"GET {path} answered {response.status_code} without the queue")

    value, _ = median_ms(action, repeats)
    return {"value": value, "unit": "ms", "note": f"partner {partner_id}: {registered:,} learners registered"}


def skills_passport(app, repeats: int) -> dict:
    """The skills passport of the learner with the most attendances (each opening is audited: a write)."""
    reference, visits = _busiest_learner(app)
    if not has_route(app, f"/learners/{reference}/passport"):
        raise NotAvailable("no skills passport on this branch (issue 15)")
    client = signed_in_client(app, "bench-coordinator@example.org")
    value, _ = median_ms(_get_ok(client, f"/learners/{reference}/passport"), repeats)
    return {"value": value, "unit": "ms", "note": f"{visits} attendances"}


def _busiest_venue(app, counted) -> tuple[int, int] | None:
    """(venue id, rows) of the venue with the most rows of `counted` (a select of venue ids), or None."""
    with app.app_context():
        found = db.session.execute(
            select(counted.c.venue_id, func.count())
            .group_by(counted.c.venue_id)
            .order_by(func.count().desc(), counted.c.venue_id)
            .limit(1)
        ).first()
        db.session.remove()
    return tuple(found) if found else None


def device_stock(app, repeats: int) -> dict:
    """The stock list of the venue holding the most devices (its first page), as a coordinator."""
    if not has_route(app, "/devices/venues/1"):
        raise NotAvailable("no /devices/venues/<id> stock list on this branch (issue 16)")
    from inclusion.devices.models import Device

    busiest = _busiest_venue(app, select(Device.venue_id).subquery())
    if busiest is None:
        raise NotAvailable("no devices in this database: build it with `demo generate --devices`")
    client = signed_in_client(app, "bench-coordinator@example.org")
    value, _ = median_ms(_get_ok(client, f"/devices/venues/{busiest[0]}"), repeats)
    return {"value": value, "unit": "ms", "note": f"{busiest[1]} devices at the venue"}


def overdue_loans(app, repeats: int) -> dict:
    """The overdue list of the venue with the most open loans (its first page), as a coordinator."""
    if not has_route(app, "/devices/venues/1/overdue"):
        raise NotAvailable("no /devices/venues/<id>/overdue list on this branch (issue 16)")
    from inclusion.devices.models import Loan

    busiest = _busiest_venue(app, select(Loan.venue_id).where(Loan.returned_on.is_(None)).subquery())
    if busiest is None:
        raise NotAvailable("no open loans in this database: build it with `demo generate --loans`")
    client = signed_in_client(app, "bench-coordinator@example.org")
    value, _ = median_ms(_get_ok(client, f"/devices/venues/{busiest[0]}/overdue"), repeats)
    return {"value": value, "unit": "ms", "note": f"{busiest[1]} open loans at the venue"}


def offline_data(app, repeats: int) -> dict:
    """What a device keeps for the session form offline (docs/offline.md), for a coordinator: every venue."""
    if not has_route(app, "/offline/data.json"):
        raise NotAvailable("no /offline/data.json on this branch (issue 14)")
    client = signed_in_client(app, "bench-coordinator@example.org")
    value, _ = median_ms(_get_ok(client, "/offline/data.json"), repeats)
    learners = len(client.get("/offline/data.json").get_json()["learners"])
    return {"value": value, "unit": "ms", "note": f"{learners} recent learners"}


def session_context(app, partner_id: int | None = None, attendees: int = 10) -> dict:
    """A venue and `attendees` learners of one partner, and two skills, for a session form."""
    with app.app_context():
        venue = db.session.scalar(
            select(Venue).where(*([Venue.partner_id == partner_id] if partner_id else [])).order_by(Venue.id).limit(1)
        )
        learners = db.session.execute(
            select(Learner.id, Learner.reference)
            .where(Learner.registered_partner_id == venue.partner_id)
            .order_by(Learner.id)
            .limit(attendees)
        ).all()
        skills = db.session.execute(select(Skill.id, Skill.code).where(Skill.code.in_(["FND-01", "COM-01"]))).all()
        context = {
            "venue_id": venue.id,
            "learner_ids": [row.id for row in learners],
            "learner_references": [row.reference for row in learners],
            "skill_ids": [row.id for row in skills],
            "skill_codes": [row.code for row in skills],
        }
        db.session.remove()
    return context


def log_session(app, repeats: int) -> dict:
    if not has_route(app, "/sessions/new", "POST"):
        raise NotAvailable("no /sessions/new form on this branch (issue 3)")
    client = signed_in_client(app, "bench-coordinator@example.org")
    context = session_context(app)

    def count() -> int:
        with app.app_context():
            number = db.session.scalar(select(func.count()).select_from(LearningSession))
            db.session.remove()
            return number

    def post():
        form = fill_session_form(client.get("/sessions/new").get_data(as_text=True), on=date.today(), **context)
        response = client.post("/sessions/new", data=MultiDict(form))
        if response.status_code not in (302, 303):
            raise RuntimeError(
                f"the session form was not accepted (status {response.status_code}); "
                "adjust tests/scale/forms.py to the form's fields"
            )

    before = count()
    value, _ = median_ms(post, max(5, repeats // 2))
    stored = count() - before
    if stored < 1:
        raise RuntimeError("the form answered with a redirect but no session was stored")
    return {"value": value, "unit": "ms", "note": "10 attendees, 2 skills each; includes GET of the form"}


def session_form_browser(app, url: str) -> dict:
    """A champion's phone logging a session of eight in Chromium (bench/browser.py): taps, page loads, time."""
    if not has_route(app, "/sessions/register-learner", "POST"):
        raise NotAvailable("no in-place registration on the session form on this branch (issue 14)")
    from bench import browser

    try:
        return browser.session_of_eight(app, url)
    except browser.Unavailable as reason:
        raise NotAvailable(str(reason)) from None


def _write_learners_file(app, path: Path, rows: int, prefix: str) -> None:
    """A learners file of `rows` new people registered at the first venue's partner."""
    with app.app_context():
        partner = db.session.scalar(select(Venue).order_by(Venue.id).limit(1)).partner.name
        db.session.remove()
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["first_name", "last_name", "date_of_birth", "postcode", "consent", "registered_on", "partner"])
        for number in range(rows):
            writer.writerow(
                [
                    f"{prefix}{number}",
                    f"Learner{number % 977}",
                    f"19{40 + number % 60}-0{1 + number % 9}-15",
                    f"SK{1 + number % 7} {1 + number % 9}AB",
                    "yes",
                    "2026-10-01",
                    partner,
                ]
            )


def import_learners(app, _repeats: int) -> dict:
    if not has_command(app, "import", "learners"):
        raise NotAvailable("no `flask import learners` on this branch (issue 5)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "learners.csv"
        _write_learners_file(app, path, 10_000, "Import")
        started = time.perf_counter()
        result = app.test_cli_runner().invoke(args=["import", "learners", str(path)])
        seconds = time.perf_counter() - started
    if result.exit_code != 0:
        raise RuntimeError(f"flask import learners exited {result.exit_code}: {result.output[-500:]}")
    return {"value": round(seconds * 1000, 1), "unit": "ms", "note": "10,000 rows"}


def csv_peak_memory(app, url: str) -> dict:
    if not has_command(app, "reports", "monthly"):
        raise NotAvailable("no `flask reports monthly` on this branch (issue 4)")
    with tempfile.TemporaryDirectory() as tmp:
        arguments = ["reports", "monthly", "--month", MONTH, "--out", os.path.join(tmp, "month.csv")]
        peak_kb = _peak_rss_kb(url, [*arguments, "--version", CSV_VERSION])
    return {"value": round(peak_kb / 1024, 1), "unit": "MB", "note": "peak RSS of the whole process"}


IMPORT_MEMORY_ROWS = 50_000  # the IMPORT_MAX_ROWS default: the largest import a file may hold


def import_peak_memory(app, url: str, rows: int = IMPORT_MEMORY_ROWS) -> dict:
    """Peak RSS of `flask import learners` of a `rows`-row file, in a fresh process (it adds the learners)."""
    if not has_command(app, "import", "purge-expired"):
        raise NotAvailable("no bounded import on this branch (issue 12)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "learners.csv"
        _write_learners_file(app, path, rows, "Memory")
        peak_kb = _peak_rss_kb(url, ["import", "learners", str(path)])
    return {"value": round(peak_kb / 1024, 1), "unit": "MB", "note": f"{rows:,} rows; peak RSS of the whole process"}


EXPORT_PATHS = ("/exports/learners.csv", "/exports/learners.xlsx")


def _learner_count(app) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count(Learner.id)).where(Learner.merged_into_id.is_(None)))
        db.session.remove()
    return count


def export_learners(app, _repeats: int) -> dict:
    """Every learner as a coordinator exports them, CSV then XLSX, read to the last byte; the slower of the two."""
    if not has_route(app, EXPORT_PATHS[1]):
        raise NotAvailable("no list exports on this branch (issue 17)")
    client = signed_in_client(app, "bench-coordinator@example.org")
    times = {}
    for path in EXPORT_PATHS:
        started = time.perf_counter()
        response = client.get(path)
        size = len(response.get_data())
        times[path] = (time.perf_counter() - started) * 1000
        if response.status_code != 200 or size == 0:
            raise RuntimeError(f"GET {path} answered {response.status_code} with {size} bytes")
    note = ", ".join(f"{path.rsplit('.', 1)[1]} {ms / 1000:.1f} s" for path, ms in times.items())
    return {"value": round(max(times.values()), 1), "unit": "ms", "note": f"{_learner_count(app):,} learners: {note}"}


def export_peak_memory(app, url: str) -> dict:
    """Peak RSS of a fresh process that signs in and streams the XLSX export of every learner to a file."""
    if not has_route(app, EXPORT_PATHS[1]):
        raise NotAvailable("no list exports on this branch (issue 17)")
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "bench.export_once", url, EXPORT_PATHS[1], os.path.join(tmp, "out.xlsx")]
        peak_kb = _peak_rss_of(url, command, "bench.export_once")
    learners = _learner_count(app)
    return {"value": round(peak_kb / 1024, 1), "unit": "MB", "note": f"{learners:,} learners, XLSX; whole process"}


def _peak_rss_kb(url: str, flask_arguments: list[str]) -> int:
    """Run `flask ARGUMENTS` against the database at `url` in a fresh process; its peak RSS in KB."""
    command = [sys.executable, "-m", "flask", *flask_arguments]
    return _peak_rss_of(url, command, f"flask {' '.join(flask_arguments[:2])}")


def _peak_rss_of(url: str, command: list[str], label: str) -> int:
    """Run `command` (a Python process of this tree) against the database at `url`; its peak RSS in KB."""
    env = _command_environment(url)
    # Through a small wrapper process: on Linux a child's peak RSS starts from its parent's
    # RSS at fork (exec keeps the high-water mark), so measuring it straight from this process,
    # which holds the whole app, reported this process's size (about 350 MB), not the command's.
    process = subprocess.run(  # noqa: S603  (our own interpreter and arguments)
        [sys.executable, "-c", _PEAK_RSS_WRAPPER, *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=False,
    )
    if process.returncode != 0:
        error = process.stderr.decode()
        raise RuntimeError(f"`{label}` exited {process.returncode}: {error[-500:]}")
    return int(process.stdout.decode().split()[-1])


# Runs the command in a child of a small process and prints the child's peak RSS in KB.
_PEAK_RSS_WRAPPER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_pid, status, usage = os.wait4(child.pid, 0)
code = os.waitstatus_to_exitcode(status)
print(usage.ru_maxrss)
sys.exit(code)
"""


def home_champion(app, repeats: int) -> dict:
    """A champion's home page (their unfinished session and recent sessions), after a write."""
    client = signed_in_client(app, "bench-champion0@example.org")
    value, _ = median_ms(_get_ok(client, "/"), repeats, before=write_happened(app))
    return {"value": value, "unit": "ms", "note": "bench-champion0, after a write"}


def home_coordinator(app, repeats: int) -> dict:
    """A coordinator's home page (this month's figures, the duplicates queue, pending imports), after a write."""
    client = signed_in_client(app, "bench-coordinator@example.org")
    value, _ = median_ms(_get_ok(client, "/"), repeats, before=write_happened(app))
    return {"value": value, "unit": "ms", "note": "figures computed again, duplicates compared again"}
