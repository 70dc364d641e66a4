"""List exports for coordinators (and champions, for their own partner): checked, audited, then streamed."""

from collections.abc import Iterator
from dataclasses import dataclass

from inclusion.audit.services import record_event
from inclusion.auth.models import User
from inclusion.database import write_transaction
from inclusion.exports import queries, writers
from inclusion.learners.access import require_personal_data_access
from inclusion.learners.filters import LearnerFilters, check_learner_filters
from inclusion.sessions.filters import SessionFilters, check_session_filters
from inclusion.timeutil import today_in_london

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
LISTS = ("learners", "sessions", "attendances")


@dataclass(frozen=True)
class Export:
    file_name: str
    mimetype: str
    chunks: Iterator[bytes]  # read inside the request: it streams from the database


def start_export(user: User, list_name: str, fmt: str, filters: LearnerFilters | SessionFilters) -> Export:
    """Check the user may export this list with these filters (FilterNotAllowed / AccessDenied), record the
    export in the audit log (who, which list, format, filters), and return the file as a stream of chunks."""
    require_personal_data_access(user)
    if list_name not in LISTS or fmt not in FORMATS:
        raise LookupError(f"{list_name}.{fmt}")
    if list_name == "learners":
        check_learner_filters(user, filters)
        export = queries.learners(user, filters)
    else:
        check_session_filters(user, filters)
        export = (queries.sessions if list_name == "sessions" else queries.attendances)(user, filters)
    with write_transaction():
        record_event(
            "list_exported",
            user_id=user.id,
            record_type="export",
            record_id=list_name,
            details={"list": list_name, "format": fmt, "filters": filters.as_args(), "partner_id": user.partner_id},
        )
    if fmt == "csv":
        chunks = writers.csv_stream(export.columns, export.rows())
    else:
        chunks = writers.xlsx_stream(list_name.capitalize(), export.columns, export.rows())
    return Export(f"inclusion-{list_name}-{today_in_london().isoformat()}.{fmt}", FORMATS[fmt], chunks)
