"""Uploaded spreadsheets awaiting confirmation: kept as their parsed rows, for 24 hours at most.

The rows are parsed once, when the file is uploaded, and stored (compressed) with the upload;
the preview and the confirmation use them, so a file is never parsed twice, and the file
itself (other sheets, anything the import does not read) is never kept.
"""

import hashlib
import json
import secrets
import zlib
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.imports.models import ImportUpload
from inclusion.imports.parsing import Table
from inclusion.timeutil import utcnow

UPLOAD_LIFETIME = timedelta(hours=24)
EXTRA = "\0extra"  # the marker reading.py puts on a row with more cells than the header


class UploadExpired(LookupError):
    """The user's upload is older than UPLOAD_LIFETIME: it is not served, and is deleted."""


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def pack_table(table: Table) -> bytes:
    rows = [[number, [values.get(c, "") for c in table.columns], EXTRA in values] for number, values in table.rows]
    return zlib.compress(json.dumps({"columns": table.columns, "rows": rows}).encode(), 6)


def unpack_table(packed: bytes) -> Table:
    data = json.loads(zlib.decompress(packed))
    columns = data["columns"]
    table = Table(columns=columns)
    for number, cells, extra in data["rows"]:
        values = dict(zip(columns, cells, strict=True))
        if extra:
            values[EXTRA] = "1"
        table.rows.append((number, values))
    return table


def store_upload(kind: str, table: Table, filename: str, user_id: int, *, now: datetime | None = None) -> str:
    """Keep an upload's parsed rows until its preview is confirmed; returns the token that names it."""
    token = secrets.token_urlsafe(32)
    now = now or utcnow()
    with write_transaction():
        _delete_expired(now)
        db.session.add(
            ImportUpload(
                token_hash=_token_hash(token),
                user_id=user_id,
                kind=kind,
                filename=filename[:255],
                parsed_table=pack_table(table),
                created_at=now,
            )
        )
    return token


def find_upload(token: str, user_id: int, *, now: datetime | None = None) -> ImportUpload | None:
    """The user's own upload named by `token`; raises UploadExpired (and deletes it) once it is too old."""
    upload = db.session.scalar(
        select(ImportUpload).where(ImportUpload.token_hash == _token_hash(token), ImportUpload.user_id == user_id)
    )
    if upload is not None and upload.created_at < (now or utcnow()) - UPLOAD_LIFETIME:
        with write_transaction():
            db.session.execute(delete(ImportUpload).where(ImportUpload.id == upload.id))
        raise UploadExpired
    return upload


def delete_upload(upload_id: int) -> None:
    """Inside the caller's transaction (the import's, so a second confirm cannot import it again)."""
    db.session.execute(delete(ImportUpload).where(ImportUpload.id == upload_id))


def discard_upload(token: str, user_id: int) -> None:
    """Forget an upload the user chose not to import."""
    with write_transaction():
        db.session.execute(
            delete(ImportUpload).where(ImportUpload.token_hash == _token_hash(token), ImportUpload.user_id == user_id)
        )


def _delete_expired(now: datetime) -> int:
    return db.session.execute(delete(ImportUpload).where(ImportUpload.created_at < now - UPLOAD_LIFETIME)).rowcount


def purge_expired_uploads(*, now: datetime | None = None) -> int:
    """Delete every upload older than UPLOAD_LIFETIME (the scheduled job); returns how many."""
    with write_transaction():
        return _delete_expired(now or utcnow())


def count_expired_uploads(*, now: datetime | None = None) -> int:
    return db.session.scalar(
        select(func.count(ImportUpload.id)).where(ImportUpload.created_at < (now or utcnow()) - UPLOAD_LIFETIME)
    )


def forget_pending_uploads() -> int:
    """Delete every upload awaiting confirmation, inside the caller's transaction; returns how many.

    Called when a learner's details are erased: an upload's rows are not indexed by learner, and
    any of them may hold the erased details, so none may outlive the erasure. Whoever was about
    to confirm one uploads the file again.
    """
    return db.session.execute(delete(ImportUpload)).rowcount
