"""Importing a learners or attendance spreadsheet whole or not at all; uploads awaiting confirmation."""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from inclusion.audit.models import AuditEvent
from inclusion.audit.services import record_event
from inclusion.auth.models import User
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.imports.attendance_rows import plan_attendance, write_attendance
from inclusion.imports.learner_rows import plan_learners, write_learners
from inclusion.imports.parsing import ImportFileError, Problem, Table
from inclusion.imports.reading import ReadLimits, read_table
from inclusion.imports.uploads import delete_upload, find_upload, unpack_table
from inclusion.observability.prometheus import count_import

KINDS = {
    "learners": (plan_learners, write_learners),
    "attendance": (plan_attendance, write_attendance),
}
Progress = Callable[[int], None]

__all__ = ["ImportFileError", "ImportResult", "import_table", "read_upload_table", "run_import"]


@dataclass
class ImportResult:
    kind: str
    rows: int
    dry_run: bool
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run


def max_import_bytes() -> int:
    return current_app.config["IMPORT_MAX_BYTES"]


def read_limits() -> ReadLimits:
    config = current_app.config
    return ReadLimits(
        max_bytes=config["IMPORT_MAX_BYTES"],
        max_rows=config["IMPORT_MAX_ROWS"],
        max_uncompressed_bytes=config["IMPORT_MAX_UNCOMPRESSED_BYTES"],
    )


def read_upload_table(data: bytes, filename: str) -> Table:
    """The file's rows; raises ImportFileError when the file as a whole is unusable or over a limit."""
    return read_table(data, filename, read_limits())


def import_table(
    kind: str,
    table: Table,
    *,
    filename: str,
    user_id: int | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    after_write: Callable[[], None] | None = None,
) -> ImportResult:
    """Check every row; unless it is a dry run or there are problems, write them all in one transaction.

    `progress` is called with numbers of rows done, adding up to twice the number of rows
    (checking, then writing). On any problem nothing is written and every problem is returned.
    Raises ImportFileError if a concurrent change makes the write collide.
    """
    if dry_run:
        plan = KINDS[kind][0](table, progress)
        count_import(kind, "checked")
        return ImportResult(kind, plan.rows, True, plan.problems, plan.counts)
    try:
        result = _check_and_write(kind, table, filename, user_id, progress, after_write)
    except IntegrityError:
        count_import(kind, "failed")
        # Only when someone else wrote the same records at the same moment (PostgreSQL lets both check first).
        raise ImportFileError(
            "Another import or change saved some of the same records at the same time. Nothing was imported: try again"
        ) from None
    except Exception:
        count_import(kind, "failed")
        raise
    count_import(kind, "succeeded" if result.ok else "refused")
    return result


def _check_and_write(kind, table, filename, user_id, progress, after_write) -> ImportResult:
    plan_rows, write_rows = KINDS[kind]
    with write_transaction():
        # Checked inside the transaction, so what was found (existing sessions...) is still true when writing.
        plan = plan_rows(table, progress)
        result = ImportResult(kind, plan.rows, False, plan.problems, plan.counts)
        if plan.problems:
            return result
        write_rows(plan, user_id, progress)
        record_event(
            f"import_{kind}",
            user_id=user_id,
            record_type="import",
            record_id=None,
            details={"file": filename[:200], "rows": plan.rows, **plan.counts},
        )
        if after_write:
            after_write()
    return result


def run_import(
    kind: str,
    data: bytes,
    filename: str,
    *,
    user_id: int | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    after_write: Callable[[], None] | None = None,
) -> ImportResult:
    """Read and import a file (raises ImportFileError for an unusable file)."""
    return import_table(
        kind,
        read_upload_table(data, filename),
        filename=filename,
        user_id=user_id,
        dry_run=dry_run,
        progress=progress,
        after_write=after_write,
    )


def recent_imports(limit: int = 10) -> list[tuple[AuditEvent, str | None]]:
    """The latest imports (from the audit log), with who ran them: proof a file went in."""
    return [
        tuple(row)
        for row in db.session.execute(
            select(AuditEvent, User.name)
            .outerjoin(User, User.id == AuditEvent.user_id)
            .where(AuditEvent.record_type == "import")
            .order_by(AuditEvent.id.desc())
            .limit(limit)
        )
    ]


def confirm_upload(token: str, user_id: int) -> ImportResult | None:
    """Import an upload's stored rows for real and forget it; None if there is no such upload.

    Raises UploadExpired for an upload past its lifetime. The rows are those parsed at upload:
    they are checked again (the records they refer to may have changed), not read again.
    """
    upload = find_upload(token, user_id)
    if upload is None:
        return None
    kind, filename, upload_id = upload.kind, upload.filename, upload.id
    table = unpack_table(upload.parsed_table)
    # Forgotten in the same transaction as the import, so a second confirm cannot import it again.
    return import_table(kind, table, filename=filename, user_id=user_id, after_write=lambda: delete_upload(upload_id))
