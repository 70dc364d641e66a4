"""The coordinator's home panel for imports: their uploads previewed but not yet confirmed."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from inclusion.auth.models import User
from inclusion.extensions import db
from inclusion.imports.models import ImportUpload
from inclusion.imports.uploads import UPLOAD_LIFETIME
from inclusion.timeutil import utcnow


@dataclass(frozen=True)
class PendingImport:
    filename: str
    kind: str
    uploaded_at: datetime
    discarded_at: datetime  # when it expires unconfirmed


def pending_imports(user: User, *, now: datetime | None = None) -> list[PendingImport]:
    """The user's own unexpired uploads, newest first (the preview's address holds the only key to each)."""
    rows = db.session.execute(
        select(ImportUpload.filename, ImportUpload.kind, ImportUpload.created_at)
        .where(ImportUpload.user_id == user.id, ImportUpload.created_at >= (now or utcnow()) - UPLOAD_LIFETIME)
        .order_by(ImportUpload.created_at.desc())
    )
    return [PendingImport(name, kind, at, at + UPLOAD_LIFETIME) for name, kind, at in rows]
