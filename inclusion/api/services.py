"""What the feed serves: the funder CSV's cells as JSON values, the months, the archive's metadata.

Nothing here reads a learner: every cell comes from the funder CSV's own rows (already suppressed),
and the archive's metadata leaves out the recipients' addresses.
"""

import hashlib
from datetime import UTC, date, datetime, timedelta

from flask import current_app, request
from sqlalchemy import func, select, text, update

from inclusion.api.models import ApiToken
from inclusion.audit.services import record_event
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.reports import cache, metrics, versions
from inclusion.reports.exports import DECIMAL_MEASURES
from inclusion.reports.models import ReportRun
from inclusion.reports.periods import Period, add_months
from inclusion.sessions.models import LearningSession
from inclusion.timeutil import today_in_london, utcnow

SUPPRESSED = "[c]"
# Every run archived so far is of version 1: ReportRun gains its own `version` with version 2.
FIRST_VERSION = 1
LAST_USED_RESOLUTION = timedelta(minutes=5)


def cell_value(measure: str, text: str) -> int | float | None:
    """A CSV value as a JSON number: whole numbers as integers, one-decimal figures as decimals."""
    if text == SUPPRESSED:
        return None
    return float(text) if measure in DECIMAL_MEASURES else int(text)


def cached_figure_cells(period: Period, version: int, etag: str | None) -> list[dict]:
    """figure_cells, remembered under the figure cache's data version and the ETag (never stale).

    The ETag holds everything else the cells depend on (threshold, milestone target), so one
    lookup replaces the forty figure lookups of building the rows again.
    """
    if etag is None:
        return figure_cells(period, version)
    return _remembered_cells(period, version, etag)


@cache.remembered
def _remembered_cells(period: Period, version: int, etag: str) -> list[dict]:
    return figure_cells(period, version)


def figure_cells(period: Period, version: int) -> list[dict]:
    """Exactly the rows of that month's funder CSV of `version`, in the CSV's order, as cells."""
    with cache.one_version(shared=True):  # the CSV's figures: one read of the versions, shared as the CSV's are
        rows = versions.monthly_rows(period, version)
    return [
        {
            "measure": row.measure,
            "dimension": row.dimension,
            "category": row.category,
            "value": cell_value(row.measure, row.value),
            "suppressed": row.value == SUPPRESSED,
        }
        for row in rows
    ]


def figures_etag(period: Period, version: int) -> str | None:
    """A tag that changes whenever the month's cells could: None when the data version is unknown.

    Cheap on purpose (two small queries, no figure computed) so an hourly poll answered 304 costs
    nothing. Beside the data version (changed by trigger on every write the figures read), the
    cells depend on the suppression threshold and the milestone's target, which no trigger covers.
    """
    data_version = cache.data_version()
    if data_version is None:
        return None
    parts = [
        "v1-feed",
        str(data_version),
        period.key,
        str(version),
        str(current_app.config["SUPPRESSION_THRESHOLD"]),
        str(metrics.milestone_target()),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def months_with_figures(today: date | None = None) -> list[dict]:
    """Every month from the first session's to the current one (whose figures are still growing)."""
    today = today or today_in_london()
    first = db.session.scalar(select(func.min(LearningSession.session_date)))
    if first is None:
        return []
    current = today.replace(day=1)
    months, day = [], first.replace(day=1)
    while day <= current:
        months.append({"month": day.strftime("%Y-%m"), "complete": day < current})
        day = add_months(day, 1)
    return months


def archived_reports() -> list[dict]:
    """The report archive's metadata, newest first: no recipients (their addresses are personal data)."""
    newest_first = select(ReportRun).order_by(ReportRun.created_at.desc(), ReportRun.id.desc())
    return [
        {
            "id": run.id,
            "month": run.month,
            "version": getattr(run, "version", None) or FIRST_VERSION,
            "generated_at": as_utc(run.created_at),
            "sha256": run.sha256,
            "sent": run.sent_at is not None,
            "sent_at": as_utc(run.sent_at),
        }
        for run in db.session.scalars(newest_first)
    ]


def as_utc(moment: datetime | None) -> datetime | None:
    """Stored timestamps are naive UTC; the feed writes them with their offset (RFC 3339)."""
    return moment.replace(tzinfo=UTC) if moment else None


def record_call(token: ApiToken, *, status: int, month: str | None = None, version: int | None = None) -> None:
    """Audit one call (the token's name, the route, the month) and note when the token was last used.

    One small row a call: a BI tool polling hourly adds 24 a day a token. The token's last use is
    written only when the one noted is older than LAST_USED_RESOLUTION, not on every call. On
    PostgreSQL the call does not wait for this commit to reach the disk (synchronous_commit off,
    for this transaction only): a crash could lose the last fraction of a second of read-call
    audit rows, never a figure or an edit, and each call is spared a disk flush.
    """
    token_id, name, last_used = token.id, token.name, token.last_used_at
    details = {"token": name, "route": request.path, "status": status}
    if month is not None:
        details |= {"month": month, "version": version}
    now = utcnow()
    with write_transaction():
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("SET LOCAL synchronous_commit TO OFF"))
        if last_used is None or now - last_used > LAST_USED_RESOLUTION:
            db.session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
        record_event("api_called", user_id=None, record_type="api_token", record_id=token_id, details=details)
