"""Bearer tokens for the open data feed: named, expiring, revocable; the database keeps only a hash."""

from datetime import date, datetime, timedelta

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inclusion.auth.models import User
from inclusion.extensions import db
from inclusion.timeutil import to_london, utcnow

FIGURES_READ = "figures:read"
SCOPES = (FIGURES_READ,)
_scopes_sql = ", ".join(f"'{scope}'" for scope in SCOPES)


class ApiToken(db.Model):
    __tablename__ = "api_tokens"
    __table_args__ = (CheckConstraint(f"scope IN ({_scopes_sql})", name="scope_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the token, hex
    scope: Mapped[str] = mapped_column(String(40), default=FIGURES_READ)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    last_used_at: Mapped[datetime | None]

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    @property
    def last_day(self) -> date:
        """The last London day the token works (it stops at the midnight that ends it)."""
        return to_london(self.expires_at - timedelta(microseconds=1)).date()

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now

    def status(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.expires_at > now else "expired"
