"""Several app hosts against one PostgreSQL and one Redis behave as one application."""

import subprocess
import sys
import threading
from datetime import date

from sqlalchemy import func, select

from inclusion.auth.models import User
from inclusion.extensions import db
from inclusion.reports.models import ReportRun
from inclusion.sessions.models import Attendance, LearningSession
from tests import factories
from tests.scale.conftest import LOCKOUT_ATTEMPTS, LOGIN_RATE_LIMIT_PER_MINUTE
from tests.scale.forms import fill_session_form
from tests.scale.hosts import ROOT, Browser, free_port


def test_a_user_signed_in_on_one_host_is_signed_in_on_the_other(hosts):
    first, second = hosts
    user = factories.create_user("coordinator")
    browser = Browser(first)

    assert browser.sign_in(user.email, factories.DEFAULT_PASSWORD).status == 302

    assert browser.on(second).get("/").status == 200
    assert Browser(second).get("/").status == 302  # a browser without the cookie is not signed in


def test_signing_out_on_one_host_signs_out_on_the_other(hosts):
    first, second = hosts
    user = factories.create_user("coordinator")
    browser = Browser(first)
    browser.sign_in(user.email, factories.DEFAULT_PASSWORD)
    stolen_cookies = dict(browser.cookies)

    token = browser.on(second).get("/logout").csrf_token()
    assert browser.on(second).post("/logout", {"csrf_token": token}).status == 302

    response = Browser(first, stolen_cookies).get("/")
    assert response.status == 302
    assert "/login" in response.location


def test_a_lockout_earned_on_both_hosts_holds_on_both(hosts):
    first, second = hosts
    user = factories.create_user("champion")
    for attempt in range(LOCKOUT_ATTEMPTS):
        host = (first, second)[attempt % 2]
        assert Browser(host).sign_in(user.email, "not the password at all").status == 200

    for host in (first, second):
        response = Browser(host).sign_in(user.email, factories.DEFAULT_PASSWORD)
        assert response.status == 200
        assert "Email address or password not recognised" in response.text
    db.session.expire_all()
    assert db.session.scalar(select(User.locked_until).where(User.id == user.id)) is not None


def test_the_sign_in_rate_limit_counts_attempts_on_both_hosts(hosts):
    first, second = hosts
    statuses = []
    for attempt in range(LOGIN_RATE_LIMIT_PER_MINUTE):
        host = (first, second)[attempt % 2]
        statuses.append(Browser(host).sign_in("nobody@example.org", "not the password at all").status)

    assert statuses == [200] * LOGIN_RATE_LIMIT_PER_MINUTE
    assert Browser(first).sign_in("nobody@example.org", "not the password").status == 429
    assert Browser(second).sign_in("nobody@example.org", "not the password").status == 429


def test_the_same_session_submitted_to_both_hosts_at_once_is_stored_once(hosts):
    first, second = hosts
    venue = factories.create_venue()
    champion = factories.create_user("champion", partner=venue.partner)
    learners = [factories.create_learner(partner=venue.partner) for _ in range(3)]
    browser = Browser(first)
    browser.sign_in(champion.email, factories.DEFAULT_PASSWORD)
    form = fill_session_form(
        browser.get("/sessions/new").text,
        venue_id=venue.id,
        on=date(2026, 10, 6),
        learner_ids=[learner.id for learner in learners],
        learner_references=[lr.reference for lr in learners],
        skill_codes=["FND-01"],
        skill_ids=[factories.skill("FND-01").id],
    )
    barrier, statuses = threading.Barrier(2), []

    def submit(host):
        poster = browser.on(host)
        barrier.wait()
        statuses.append(poster.post("/sessions/new", form).status)

    threads = [threading.Thread(target=submit, args=(host,)) for host in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert all(status < 500 for status in statuses), statuses
    assert db.session.scalar(select(func.count()).select_from(LearningSession)) == 1
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 3


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's hook name)
        self.messages.append(envelope)
        return "250 OK"


def test_send_monthly_started_on_both_hosts_at_once_sends_one_email(hosts, host_env):
    from aiosmtpd.controller import Controller

    venue = factories.create_venue()
    learner = factories.create_learner(partner=venue.partner)
    factories.create_session(venue, date(2026, 10, 6), attendees=[learner])
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    env = {
        **host_env,
        "FLASK_APP": "inclusion",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(controller.port),
        "FUNDER_REPORT_RECIPIENTS": "funder@example.org",
    }
    command = [sys.executable, "-m", "flask", "reports", "send-monthly", "--month", "2026-10"]
    try:
        # Both start together, as two hosts' cron jobs would at 06:00 on the first of the month.
        runs = [
            subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(2)
        ]
        outcomes = [run.communicate(timeout=120) for run in runs]
    finally:
        controller.stop()

    assert [run.returncode for run in runs] == [0, 0], outcomes
    assert len(inbox.messages) == 1
    assert sum("report was already sent at" in out.decode() for out, _ in outcomes) == 1, outcomes
    db.session.expire_all()
    sent = select(func.count()).select_from(ReportRun).where(ReportRun.sent_at.is_not(None))
    assert db.session.scalar(sent) == 1
