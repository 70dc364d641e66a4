"""Importing a learners or attendance spreadsheet whole or not at all; uploads awaiting confirmation."""

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from inclusion.audit.models import AuditEvent
from inclusion.audit.services import record_event
from inclusion.auth.models import User
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.imports.attendance_rows import plan_attendance, write_attendance
from inclusion.imports.learner_rows import plan_learners, write_learners
from inclusion.imports.models import ImportUpload
from inclusion.imports.parsing import ImportFileError, Problem, Table, read_table
from inclusion.observability.prometheus import count_import
from inclusion.timeutil import utcnow

KINDS = {
    "learners": (plan_learners, write_learners),
    "attendance": (plan_attendance, write_attendance),
}
UPLOAD_LIFETIME = timedelta(hours=24)
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


def read_upload_table(data: bytes, filename: str) -> Table:
    """The file's rows; raises ImportFileError when the file as a whole is unusable."""
    return read_table(data, filename, max_import_bytes())


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


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def store_upload(kind: str, data: bytes, filename: str, user_id: int) -> str:
    """Keep an uploaded file until its preview is confirmed; returns the token that names it."""
    token = secrets.token_urlsafe(32)
    with write_transaction():
        # Uploads nobody confirmed are personal data we no longer need.
        db.session.execute(delete(ImportUpload).where(ImportUpload.created_at < utcnow() - UPLOAD_LIFETIME))
        db.session.add(
            ImportUpload(
                token_hash=_token_hash(token),
                user_id=user_id,
                kind=kind,
                filename=filename[:255],
                content=data,
            )
        )
    return token


def find_upload(token: str, user_id: int) -> ImportUpload | None:
    """The user's own upload named by `token`, if it has not expired."""
    return db.session.scalar(
        select(ImportUpload).where(
            ImportUpload.token_hash == _token_hash(token),
            ImportUpload.user_id == user_id,
            ImportUpload.created_at >= utcnow() - UPLOAD_LIFETIME,
        )
    )


def confirm_upload(token: str, user_id: int) -> ImportResult | None:
    """Import an uploaded file for real and forget it; None if there is no such upload."""
    upload = find_upload(token, user_id)
    if upload is None:
        return None
    kind, content, filename, upload_id = upload.kind, upload.content, upload.filename, upload.id
    # Forgotten in the same transaction as the import, so a second confirm cannot import it again.
    return run_import(kind, content, filename, user_id=user_id, after_write=lambda: _delete_upload(upload_id))


def _delete_upload(upload_id: int) -> None:
    db.session.execute(delete(ImportUpload).where(ImportUpload.id == upload_id))


def discard_upload(token: str, user_id: int) -> None:
    """Forget an upload the user chose not to import."""
    with write_transaction():
        db.session.execute(
            delete(ImportUpload).where(ImportUpload.token_hash == _token_hash(token), ImportUpload.user_id == user_id)
        )
