"""Signposts: a learner pointed on to an alliance venue or partner, or to a service in the directory."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inclusion.extensions import db
from inclusion.timeutil import utcnow

NAME_MAX_LENGTH = 120
WEB_ADDRESS_MAX_LENGTH = 300
AREA_MAX_LENGTH = 120
TARGET_KINDS = ("venue", "partner", "service")


class SignpostService(db.Model):
    """A service outside the alliance that learners are pointed to; kept by coordinators, retired not deleted."""

    __tablename__ = "signpost_services"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX_LENGTH), unique=True)
    web_address: Mapped[str | None] = mapped_column(String(WEB_ADDRESS_MAX_LENGTH))
    area: Mapped[str | None] = mapped_column(String(AREA_MAX_LENGTH))
    retired_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class Signpost(db.Model):
    """One learner pointed to exactly one place: an alliance venue, an alliance partner or a directory service.

    `made_on` and `venue_id` say when and where it was made. A signpost made at a session keeps
    `session_id` too, and the session's own date and venue then win (signposts/arrivals.py), so
    correcting the session's date or venue moves the signpost with it; if the session is deleted the
    signpost stays, with the date and venue it was recorded with (`ON DELETE SET NULL`).
    Whether and when it **arrived** is never stored: it is worked out from the attendance when asked.
    """

    __tablename__ = "signposts"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN to_venue_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN to_partner_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN to_service_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_target",
        ),
        Index("ix_signposts_learner_id", "learner_id"),
        Index("ix_signposts_made_on", "made_on"),
        Index("ix_signposts_session_id", "session_id"),
        Index("ix_signposts_to_service_id", "to_service_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id"))
    made_on: Mapped[date]
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"))  # where it was made
    session_id: Mapped[int | None] = mapped_column(ForeignKey("learning_sessions.id", ondelete="SET NULL"))
    to_venue_id: Mapped[int | None] = mapped_column(ForeignKey("venues.id"))
    to_partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    to_service_id: Mapped[int | None] = mapped_column(ForeignKey("signpost_services.id"))
    made_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    venue = relationship("Venue", foreign_keys=[venue_id])
    to_venue = relationship("Venue", foreign_keys=[to_venue_id])
    to_partner = relationship("Partner")
    to_service: Mapped[SignpostService | None] = relationship()

    @property
    def target_kind(self) -> str:
        if self.to_venue_id is not None:
            return "venue"
        if self.to_partner_id is not None:
            return "partner"
        return "service"
