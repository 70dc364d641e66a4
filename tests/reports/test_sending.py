"""Sending the monthly report over real SMTP (aiosmtpd on loopback), the archive, and "revised"."""

import email
import hashlib
import socket
from datetime import date, timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from inclusion.extensions import db
from inclusion.reports import funder_csv
from inclusion.reports.models import ReportRun
from inclusion.reports.periods import Period
from inclusion.timeutil import utcnow
from tests import factories
from tests.reports.samples import build_samples

SEPTEMBER = Period.month(date(2026, 9, 1))


class Inbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(app):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    original = {key: app.config[key] for key in ("MAIL_SERVER", "MAIL_PORT", "FUNDER_REPORT_RECIPIENTS")}
    app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, FUNDER_REPORT_RECIPIENTS=["grants@funder.example.org"]
    )
    yield inbox
    app.config.update(original)
    controller.stop()


def _attachment(envelope) -> tuple[str, bytes]:
    message = email.message_from_bytes(envelope.content)
    part = next(part for part in message.walk() if part.get_filename())
    return part.get_filename(), part.get_payload(decode=True)


def test_sending_emails_the_csv_as_an_attachment_to_the_funders(runner, smtp_server):
    build_samples()
    result = runner.invoke(args=["reports", "send-monthly", "--month", "2026-09"])
    assert result.exit_code == 0, result.output
    [envelope] = smtp_server.envelopes
    assert envelope.rcpt_tos == ["grants@funder.example.org"]
    message = email.message_from_bytes(envelope.content)
    assert "September 2026" in message["Subject"]
    filename, content = _attachment(envelope)
    assert filename == "inclusion-monthly-2026-09.csv"
    assert content == funder_csv.monthly_csv(SEPTEMBER)  # the default version (2)


def test_sending_stores_a_report_run_with_the_exact_bytes(runner, smtp_server):
    build_samples()
    runner.invoke(args=["reports", "send-monthly", "--month", "2026-09"])
    run = db.session.scalar(select(ReportRun))
    _filename, sent = _attachment(smtp_server.envelopes[0])
    assert run.month == "2026-09"
    assert run.content == sent
    assert run.sha256 == hashlib.sha256(sent).hexdigest()
    assert run.recipients == "grants@funder.example.org"
    assert run.sent_at is not None


def _sent_minutes_ago(minutes: int) -> None:
    db.session.execute(update(ReportRun).values(sent_at=utcnow() - timedelta(minutes=minutes)))
    db.session.commit()


def test_sending_a_month_twice_needs_resend(runner, smtp_server):
    assert runner.invoke(args=["reports", "send-monthly", "--month", "2026-09"]).exit_code == 0
    _sent_minutes_ago(10)  # a person runs it again later
    again = runner.invoke(args=["reports", "send-monthly", "--month", "2026-09"])
    assert again.exit_code == 1
    assert "already sent" in again.stderr and "--resend" in again.stderr
    assert len(smtp_server.envelopes) == 1
    resent = runner.invoke(args=["reports", "send-monthly", "--month", "2026-09", "--resend"])
    assert resent.exit_code == 0
    assert len(smtp_server.envelopes) == 2
    assert len(db.session.scalars(select(ReportRun)).all()) == 2


def test_sending_without_a_month_sends_last_month(runner, smtp_server):
    from inclusion.reports.periods import last_month

    assert runner.invoke(args=["reports", "send-monthly"]).exit_code == 0
    assert db.session.scalar(select(ReportRun.month)) == last_month().key


def test_sending_with_no_recipients_configured_is_an_error(runner, app):
    original = app.config["FUNDER_REPORT_RECIPIENTS"]
    app.config["FUNDER_REPORT_RECIPIENTS"] = []
    try:
        result = runner.invoke(args=["reports", "send-monthly", "--month", "2026-09"])
    finally:
        app.config["FUNDER_REPORT_RECIPIENTS"] = original
    assert result.exit_code == 1
    assert "FUNDER_REPORT_RECIPIENTS" in result.stderr


def test_an_unreachable_mail_server_is_an_error_not_a_traceback(runner, app):
    original = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = _free_port()  # nothing listens there
    try:
        result = runner.invoke(args=["reports", "send-monthly", "--month", "2026-09"])
    finally:
        app.config["MAIL_PORT"] = original
    assert result.exit_code == 1
    assert "Could not send" in result.stderr
    assert db.session.scalar(select(ReportRun.sent_at)) is None  # archived, not marked sent


def test_the_archive_lists_runs_and_downloads_the_exact_bytes(runner, smtp_server, client, login_as):
    build_samples()
    runner.invoke(args=["reports", "send-monthly", "--month", "2026-09"])
    run = db.session.scalar(select(ReportRun))
    login_as("funder")
    page = client.get("/reports/archive").get_data(as_text=True)
    assert "2026-09" in page and "Current" in page and "Revised" not in page
    response = client.get(f"/reports/archive/{run.id}.csv")
    assert response.status_code == 200
    assert response.data == run.content


def test_a_month_is_marked_revised_after_a_late_attendance(runner, smtp_server, client, login_as):
    samples = build_samples()
    runner.invoke(args=["reports", "send-monthly", "--month", "2026-09"])
    late = factories.create_learner(age_band="25-34")
    factories.create_session(samples["central"], date(2026, 9, 25), attendees=[late])
    login_as("coordinator")
    page = client.get("/reports/archive").get_data(as_text=True)
    assert "Revised" in page


def test_a_run_that_does_not_exist_is_not_found(client, login_as):
    login_as("coordinator")
    assert client.get("/reports/archive/999.csv").status_code == 404


def test_champions_cannot_see_the_archive(client, login_as):
    login_as("champion")
    assert client.get("/reports/archive").status_code == 403


def test_a_coordinator_can_send_a_month_from_the_archive_page(client, login_as, smtp_server):
    user = login_as("coordinator")
    response = client.post("/reports/archive", data={"month": "2026-09"})
    assert response.status_code == 302
    run = db.session.scalar(select(ReportRun))
    assert (run.month, run.created_by_id) == ("2026-09", user.id)
    assert len(smtp_server.envelopes) == 1


def test_sending_twice_from_the_web_asks_for_the_resend_box(client, login_as, smtp_server):
    login_as("coordinator")
    client.post("/reports/archive", data={"month": "2026-09"})
    again = client.post("/reports/archive", data={"month": "2026-09"})
    assert again.status_code == 200
    assert "already sent" in again.get_data(as_text=True)
    assert len(smtp_server.envelopes) == 1
    assert client.post("/reports/archive", data={"month": "2026-09", "resend": "y"}).status_code == 302
    assert len(smtp_server.envelopes) == 2


def test_a_funder_cannot_send_reports(client, login_as):
    login_as("funder")
    assert client.post("/reports/archive", data={"month": "2026-09"}).status_code == 403


def test_a_month_sent_a_moment_before_the_command_started_was_sent_by_another_hosts_schedule(runner, smtp_server):
    """Two hosts' cron jobs in the same minute: one may have finished before the other started."""
    assert runner.invoke(args=["reports", "send-monthly", "--month", "2026-09"]).exit_code == 0
    _sent_minutes_ago(1)

    second_host = runner.invoke(args=["reports", "send-monthly", "--month", "2026-09"])

    assert second_host.exit_code == 0, second_host.output
    sent_at = db.session.scalar(select(ReportRun.sent_at)).strftime("%H:%M UTC")
    assert f"The 2026-09 report was already sent at {sent_at}" in second_host.output
    assert "another host" not in second_host.output  # it may as well have been this one
    assert len(smtp_server.envelopes) == 1
    assert len(db.session.scalars(select(ReportRun)).all()) == 1
