"""The demo journeys, every log line captured and searched for anyone's personal details: none found.

Over `flask demo seed` data: each demo role signs in; a champion registers a learner, searches,
opens the learner's page and logs a session; the dashboard; CSV and subject-access downloads; a
failed sign-in, a refused page; the retention job. Every line logged is then searched for every
learner's name, date of birth, postcode, e-mail address, phone number and reference, and every
user's name and e-mail address.
"""

import re
from datetime import date

from flask import g
from sqlalchemy import select

from inclusion.auth.models import User
from inclusion.core.demo_data import DEMO_ACCOUNTS
from inclusion.extensions import db
from inclusion.learners.models import Learner
from inclusion.partners.models import Venue
from inclusion.timeutil import today_in_london
from tests.observability.support import lines_of
from tests.sessions.helpers import session_form

NEW_LEARNER = {
    "first_name": "Philomena",
    "last_name": "Cartwheel",
    "date_of_birth": ["9", "11", "1947"],
    "postcode": "sk4 2qq",
    "email": "philomena.cartwheel@example.net",
    "phone": "0161 496 0123",
    "lawful_basis": "consent",
    "consent_given": "y",
    "consent_method": "verbal",
    "age_band": "unknown",
}
REQUEST_FIELDS = {"request_id", "method", "route", "endpoint", "status", "duration_ms", "user_id", "role"}


def _sign_in(client, role_email: str) -> None:
    client.post("/logout")
    password = next(account[4] for account in DEMO_ACCOUNTS if account[0] == role_email)
    response = client.post("/login", data={"email": role_email, "password": password})
    assert response.status_code == 302, role_email


def _journeys(client, runner) -> list:
    """Walk the demo as its users would; returns the responses, to check their request ids."""
    responses = []

    def get(url, expected=200):
        response = client.get(url)
        assert response.status_code == expected, (url, response.status_code)
        responses.append(response)
        return response

    some = db.session.scalars(select(Learner).where(Learner.date_of_birth.is_not(None)).limit(3)).all()
    month = today_in_london().strftime("%Y-%m")

    responses.append(client.post("/login", data={"email": "champion@example.org", "password": "not-it"}))
    responses.append(client.post("/login", data={"email": "Somebody.Unknown@example.org", "password": "x"}))

    _sign_in(client, "champion@example.org")
    champion = db.session.scalar(select(User).where(User.email == "champion@example.org"))
    get("/learners/")
    get(f"/learners/?q={some[0].last_name}")
    get(f"/learners/?q={some[0].date_of_birth:%d/%m/%Y}")
    registered = client.post("/learners/new", data=NEW_LEARNER | {"register_anyway": "y"})
    assert registered.status_code == 302, registered.get_data(as_text=True)
    new_reference = registered.headers["Location"].rsplit("/", 1)[-1]
    get(f"/learners/{new_reference}")
    learner = db.session.scalar(select(Learner).where(Learner.reference == new_reference))
    venue = db.session.scalar(select(Venue).where(Venue.partner_id == champion.partner_id))
    logged = client.post(
        "/sessions/new",
        data=session_form(venue, on=today_in_london(), attendees=[learner], skills={learner: ["FND-01"]}),
    )
    assert logged.status_code == 302, logged.get_data(as_text=True)
    get("/sessions/")
    get("/reports/")
    get(f"/reports/monthly/{month}.csv", expected=403)

    _sign_in(client, "coordinator@example.org")
    get(f"/learners/{some[1].reference}")
    get(f"/learners/?q={some[1].first_name}+{some[1].last_name}&postcode={some[1].postcode or 'SK1'}")
    get(f"/reports/?month={month}")
    get(f"/reports/monthly/{month}.csv")
    get(f"/learners/{new_reference}/export")

    _sign_in(client, "funder@example.org")
    get("/reports/")
    get(f"/reports/monthly/{month}.csv")
    get(f"/learners/{some[2].reference}", expected=403)

    _sign_in(client, "admin@example.org")
    get("/admin/audit")
    get("/admin/users")
    _sign_in(client, "champion2@example.org")
    get("/reports/")
    client.post("/logout")

    assert runner.invoke(args=["learners", "anonymise-inactive", "--dry-run"]).exit_code == 0
    return responses


def _personal_details() -> list[str]:
    details = []
    for learner in db.session.scalars(select(Learner)):
        details += [f"{learner.first_name} {learner.last_name}", learner.last_name, learner.reference]
        details += [learner.postcode, learner.email, learner.phone]
        if learner.date_of_birth:
            born: date = learner.date_of_birth
            details += [born.isoformat(), f"{born:%d/%m/%Y}"]
    for user in db.session.scalars(select(User)):
        details += [user.email, user.name]
    return sorted({detail for detail in details if detail})


def test_no_log_line_of_the_demo_journeys_holds_personal_data(client, runner, log_lines):
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    vars(g._get_current_object()).clear()
    responses = _journeys(client, runner)

    lines = log_lines(raw=True)
    text = "\n".join(lines).lower()
    found = [d for d in _personal_details() if re.search(rf"(?<![\w.-]){re.escape(d.lower())}(?![\w-])", text)]
    assert not found, f"personal details in the logs: {found}"
    for needle in ("somebody.unknown", "philomena", "cartwheel", "q=", "?"):
        assert needle not in text, needle

    parsed = log_lines()
    requests = lines_of(parsed, logger="inclusion.requests")
    assert len(requests) >= len(responses)
    assert all(set(line) >= REQUEST_FIELDS for line in requests)
    ids = {line["request_id"] for line in requests}
    assert {response.headers["X-Request-ID"] for response in responses} <= ids
    roles = {line["role"] for line in requests}
    assert {"champion", "coordinator", "funder", "admin", None} <= roles
    events = {line.get("event") for line in parsed if line["logger"] == "inclusion.security"}
    assert {"sign_in_failed", "permission_refused", "export"} <= events
    assert {line["job"] for line in lines_of(parsed, logger="inclusion.jobs")} >= {
        "demo seed",
        "learners anonymise-inactive",
    }
