"""Report actions: audited downloads, the archive of monthly runs, and sending the CSV to funders."""

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from inclusion.audit.services import record_event
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.locks import advisory_lock
from inclusion.mail import Attachment, send_email
from inclusion.observability.logs import security_event
from inclusion.observability.prometheus import count_report_job
from inclusion.reports import exports, funder_csv
from inclusion.reports.models import ReportRun
from inclusion.reports.periods import Period
from inclusion.timeutil import utcnow


class AlreadySentError(RuntimeError):
    """The month's report was sent before; sending again needs an explicit resend."""


class NoRecipientsError(RuntimeError):
    """FUNDER_REPORT_RECIPIENTS is empty."""


class SendInProgressError(RuntimeError):
    """Another host held the month's sending lock for longer than we were prepared to wait."""


# How long a second host waits for the first to finish sending before giving up (seconds).
SEND_LOCK_WAIT_SECONDS = 600
# Hosts' cron jobs fire in the same minute, but one may finish sending before another has even
# started (a second of start-up is enough): a run sent this recently before a scheduled send
# began is that other host's, not an earlier send that needs --resend.
SAME_SCHEDULE_SECONDS = 120


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def download_monthly_csv(period: Period, *, user_id: int | None, version: int | None = None) -> bytes:
    """The monthly CSV's bytes (default: FUNDER_CSV_VERSION) for a download, recorded in the audit log."""
    version = version or funder_csv.default_version()
    content = funder_csv.monthly_csv(period, version)
    count_report_job("monthly_csv", "generated")
    with write_transaction():
        event = record_event(
            "report_downloaded",
            user_id=user_id,
            record_type="monthly_report",
            record_id=period.key,
            details={"month": period.key, "version": version, "sha256": sha256_of(content)},
        )
        db.session.flush()
    security_event("export", level=logging.INFO, export="monthly_csv", month=period.key, audit_event_id=event.id)
    return content


def download_archived_run(run: ReportRun, *, user_id: int | None) -> bytes:
    """The exact bytes stored for a report run, recorded in the audit log."""
    with write_transaction():
        event = record_event(
            "report_downloaded",
            user_id=user_id,
            record_type="report_run",
            record_id=run.id,
            details={"month": run.month, "sha256": run.sha256},
        )
        db.session.flush()
    security_event("export", level=logging.INFO, export="report_run", month=run.month, audit_event_id=event.id)
    return run.content


def sent_runs(month: str) -> list[ReportRun]:
    stmt = select(ReportRun).where(ReportRun.month == month, ReportRun.sent_at.is_not(None))
    return list(db.session.scalars(stmt.order_by(ReportRun.sent_at)))


@dataclass(frozen=True)
class SendResult:
    run: ReportRun
    resent: bool
    by_another_host: bool = False  # sent just now by another host; this one sent nothing


def send_monthly_report(
    period: Period,
    *,
    resend: bool = False,
    user_id: int | None = None,
    wait_seconds: int = SEND_LOCK_WAIT_SECONDS,
    same_schedule_seconds: int = 0,
) -> SendResult:
    """Build the month's CSV, archive it as a ReportRun and e-mail it to FUNDER_REPORT_RECIPIENTS.

    Several hosts may run this at the same moment (the same cron line on each), so the check
    for an earlier sent run, the sending and the recording all happen while holding a database
    lock for the month (inclusion.locks.advisory_lock): a PostgreSQL advisory lock, shared by
    every host. A host that finds the lock taken waits for the holder, then sends nothing if
    a run was sent while it waited (by_another_host: success, nothing to do). A month sent
    before this call began raises AlreadySentError unless `resend` is given; with
    `same_schedule_seconds` (the command line: SAME_SCHEDULE_SECONDS), a run sent less than that
    long before the call began counts as sent by another host just now too.

    The run is stored before sending, so the archive holds what was attempted; it is marked
    sent (sent_at) only once the SMTP server has taken the message. Each call counts once in
    inclusion_report_jobs_total{job="send_monthly"}: sent, skipped (sent already) or failed.
    """
    try:
        result = _send_monthly_report(period, resend, user_id, wait_seconds, same_schedule_seconds)
    except AlreadySentError:
        count_report_job("send_monthly", "skipped")
        raise
    except Exception:
        count_report_job("send_monthly", "failed")
        raise
    count_report_job("send_monthly", "skipped" if result.by_another_host else "sent")
    return result


def _send_monthly_report(
    period: Period, resend: bool, user_id: int | None, wait_seconds: int, same_schedule_seconds: int
) -> SendResult:
    recipients = list(current_app.config["FUNDER_REPORT_RECIPIENTS"])
    if not recipients:
        raise NoRecipientsError("No funder addresses: set FUNDER_REPORT_RECIPIENTS (comma separated)")
    name = f"send-monthly:{period.key}"
    # Runs already sent before we started: anything sent after this, while we wait, is another host's.
    recent = utcnow() - timedelta(seconds=same_schedule_seconds)
    known = {run.id for run in sent_runs(period.key) if not same_schedule_seconds or run.sent_at < recent}
    _end_read()
    with advisory_lock(name) as held:
        if held:
            return _send_holding_lock(period, recipients, known, resend, user_id)
    with advisory_lock(name, wait=True, timeout=wait_seconds) as held:
        if not held:
            raise SendInProgressError(
                f"The {period.key} report is still being sent from elsewhere after {wait_seconds} seconds; "
                "check the report archive before trying again"
            )
        return _send_holding_lock(period, recipients, known, resend, user_id)


def _end_read() -> None:
    """End the read transaction, so what other hosts commit while we wait is seen afterwards."""
    db.session.rollback()


def _send_holding_lock(
    period: Period, recipients: list[str], known: set[int], resend: bool, user_id: int | None
) -> SendResult:
    _end_read()
    earlier = sent_runs(period.key)
    sent_meanwhile = [run for run in earlier if run.id not in known]
    if sent_meanwhile:
        return SendResult(sent_meanwhile[-1], resent=False, by_another_host=True)
    if earlier and not resend:
        when = earlier[-1].sent_at.strftime("%Y-%m-%d %H:%M UTC")
        raise AlreadySentError(f"The report for {period.key} was already sent on {when}; use --resend to send it again")
    version = funder_csv.default_version()
    content = funder_csv.monthly_csv(period, version)
    with write_transaction():
        run = ReportRun(
            month=period.key,
            version=version,
            created_by_id=user_id,
            sha256=sha256_of(content),
            content=content,
            recipients=", ".join(recipients),
        )
        db.session.add(run)
        db.session.flush()
        record_event(
            "report_archived",
            user_id=user_id,
            record_type="report_run",
            record_id=run.id,
            details={"month": period.key, "version": version, "sha256": run.sha256},
        )
    alliance = current_app.config["ALLIANCE_NAME"]
    send_email(
        recipients,
        f"{alliance}: monthly figures for {period.label}",
        _message_body(period, alliance, run.sha256),
        attachments=(Attachment(exports.monthly_filename(period), content),),
    )
    with write_transaction():
        run.sent_at = utcnow()
        record_event(
            "report_sent",
            user_id=user_id,
            record_type="report_run",
            record_id=run.id,
            details={"month": period.key, "recipients": recipients, "resend": bool(earlier)},
        )
    return SendResult(run, bool(earlier))


def _message_body(period: Period, alliance: str, sha256: str) -> str:
    return (
        f"Attached are the {alliance}'s figures for {period.label}, one row per figure.\n\n"
        "The data dictionary explains each measure. Small numbers (below the suppression threshold) "
        "are shown as [c] to protect the people behind them.\n\n"
        f"SHA-256 of the attached file: {sha256}\n"
    )


@dataclass(frozen=True)
class ArchivedRun:
    run: ReportRun
    revised: bool  # the figures recomputed now differ from the bytes stored


def archived_runs(limit: int = 24) -> list[ArchivedRun]:
    """The latest runs, newest first, each marked revised if recomputing its month now gives other bytes."""
    newest_first = select(ReportRun).order_by(ReportRun.created_at.desc(), ReportRun.id.desc())
    runs = list(db.session.scalars(newest_first.limit(limit)))
    current: dict[tuple[str, int], str] = {}
    result = []
    for run in runs:
        key = (run.month, run.version)
        if key not in current:
            current[key] = sha256_of(funder_csv.monthly_csv(month_period(run.month), run.version))
        result.append(ArchivedRun(run, current[key] != run.sha256))
    return result


def month_period(month: str) -> Period:
    year, number = (int(part) for part in month.split("-"))
    return Period.month(date(year, number, 1))


def get_run(run_id: int) -> ReportRun | None:
    return db.session.get(ReportRun, run_id)
