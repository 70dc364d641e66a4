"""Reading the audit log: filtered, newest first, a page at a time."""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from inclusion.audit.models import AuditEvent
from inclusion.auth.models import User
from inclusion.extensions import db
from inclusion.paging import Page, page_within
from inclusion.timeutil import LONDON

PER_PAGE = 50


def _utc_start_of(day: date) -> datetime:
    """Midnight in London as the naive UTC the log stores."""
    return datetime.combine(day, time(0), tzinfo=LONDON).astimezone(UTC).replace(tzinfo=None)


def search_audit_events(
    *,
    user_id: int | None = None,
    record_type: str | None = None,
    record_id: str | None = None,
    action: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Page:
    """Events matching every filter given (dates are London days, both ends included), newest first.

    Each row is (event, name of the user who acted); a page past the last is the last page.
    """
    conditions = []
    if user_id is not None:
        conditions.append(AuditEvent.user_id == user_id)
    if record_type:
        conditions.append(AuditEvent.record_type == record_type)
    if record_id:
        conditions.append(AuditEvent.record_id == record_id)
    if action:
        conditions.append(AuditEvent.action == action)
    if date_from:
        conditions.append(AuditEvent.occurred_at >= _utc_start_of(date_from))
    if date_to:
        conditions.append(AuditEvent.occurred_at < _utc_start_of(date_to + timedelta(days=1)))
    total = db.session.scalar(select(func.count(AuditEvent.id)).where(*conditions))
    page = page_within(page, total, per_page)
    events = db.session.execute(
        select(AuditEvent, User.name)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(*conditions)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page([tuple(row) for row in events], total, page, per_page)


def audit_filter_choices() -> tuple[list[tuple[int, str]], list[str], list[str]]:
    """Users who appear in the log, and the record types and actions it holds, for the filter lists."""
    users = db.session.execute(
        select(User.id, User.name).where(User.id.in_(select(AuditEvent.user_id).distinct())).order_by(User.name)
    ).all()
    types = db.session.scalars(
        select(AuditEvent.record_type)
        .where(AuditEvent.record_type.is_not(None))
        .distinct()
        .order_by(AuditEvent.record_type)
    ).all()
    actions = db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all()
    return [tuple(user) for user in users], list(types), list(actions)
