"""An uploaded spreadsheet's parsed rows, kept between its preview and the coordinator's confirmation."""

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from inclusion.extensions import db
from inclusion.timeutil import utcnow


class ImportUpload(db.Model):
    """Held in the database, not in a worker's memory or disk, so any worker can confirm it."""

    __tablename__ = "import_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the random token in the preview page's address: the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(255))
    # The rows as read at upload (zlib-compressed JSON, inclusion/imports/uploads.py), not the file.
    parsed_table: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
