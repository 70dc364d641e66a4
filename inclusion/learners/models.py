"""A learner: an adult (or young person) helped by the alliance, and the consent we hold."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inclusion.extensions import db
from inclusion.learners.constants import AGE_BANDS, HEARD_ABOUT, LAWFUL_BASES
from inclusion.partners.models import Partner
from inclusion.timeutil import utcnow


def _sql_in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Learner(db.Model):
    __tablename__ = "learners"
    __table_args__ = (
        CheckConstraint(_sql_in("age_band", AGE_BANDS), name="age_band_known"),
        CheckConstraint(_sql_in("lawful_basis", LAWFUL_BASES), name="lawful_basis_known"),
        CheckConstraint("heard_about IS NULL OR " + _sql_in("heard_about", HEARD_ABOUT), name="heard_about_known"),
        CheckConstraint(
            "lawful_basis <> 'consent' OR (consent_recorded_at IS NOT NULL AND consent_method IS NOT NULL)",
            name="consent_recorded",
        ),
        CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="not_merged_into_self"),
        # Namesakes at one postcode (the duplicates queue), and the name alone from its first column.
        Index("ix_learners_search_name_postcode", "search_name", "postcode"),
        # The search box matches a part of a name (LIKE '%marg%', learners/search.py): on PostgreSQL a
        # trigram index (pg_trgm) finds it without reading every learner. SQLite has no such index: it scans.
        Index(
            "ix_learners_search_name_trigram",
            "search_name",
            postgresql_using="gin",
            postgresql_ops={"search_name": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
        # The figures' "adults only": the under-18s' ids straight from the index.
        Index("ix_learners_age_band_id", "age_band", "id"),
        Index("ix_learners_first_attended_on", "first_attended_on", "age_band"),
        # A partner's follow-up queue: its learners in order of their first attendance (followups/queue.py).
        Index("ix_learners_partner_first_attended_on", "registered_partner_id", "first_attended_on", "id"),
        # The skills levels reached in a period, at a venue: the learners who reached them only.
        Index(
            "ix_learners_foundation_reached",
            "foundation_reached_on",
            "foundation_reached_venue_id",
            sqlite_where=text("foundation_reached_on IS NOT NULL"),
            postgresql_where=text("foundation_reached_on IS NOT NULL"),
        ),
        Index(
            "ix_learners_life_skills_reached",
            "life_skills_reached_on",
            "life_skills_reached_venue_id",
            sqlite_where=text("life_skills_reached_on IS NOT NULL"),
            postgresql_where=text("life_skills_reached_on IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    # Lower-case, accent-free "first last" for searching; kept in step by the services.
    search_name: Mapped[str] = mapped_column(String(201))
    date_of_birth: Mapped[date | None] = mapped_column(index=True)
    age_band: Mapped[str] = mapped_column(String(10), default="unknown")
    postcode: Mapped[str | None] = mapped_column(String(8))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    gender: Mapped[str | None] = mapped_column(String(40))
    ethnicity: Mapped[str | None] = mapped_column(String(60))
    disability: Mapped[str | None] = mapped_column(String(40))
    heard_about: Mapped[str | None] = mapped_column(String(30))  # HEARD_ABOUT; None: not asked

    lawful_basis: Mapped[str] = mapped_column(String(24))
    consent_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    consent_recorded_at: Mapped[datetime | None]
    consent_method: Mapped[str | None] = mapped_column(String(20))
    privacy_notice_version: Mapped[str | None] = mapped_column(String(20))
    # "Can we contact you later to ask how you are getting on?" No: never in the follow-up queue,
    # never counted in follow_ups_due (docs/follow-ups.md).
    may_contact: Mapped[bool] = mapped_column(default=True, server_default=true())

    registered_on: Mapped[date]
    registered_partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("learners.id"), index=True)
    # The earliest session date of the attendances counted as this learner (a duplicate merged
    # into them included), kept by database triggers for the figures (migration 9b2e4d6f8a31);
    # application code never writes it.
    first_attended_on: Mapped[date | None] = mapped_column(deferred=True)
    # The session date and venue of the first achievement that completed each skills level for
    # the learner counted (reports/keys.py LEVELS), NULL when not reached or merged away; kept by
    # triggers for the figures like first_attended_on (migration 5d8e2f1a7c34).
    foundation_reached_on: Mapped[date | None] = mapped_column(deferred=True)
    foundation_reached_venue_id: Mapped[int | None] = mapped_column(deferred=True)
    life_skills_reached_on: Mapped[date | None] = mapped_column(deferred=True)
    life_skills_reached_venue_id: Mapped[int | None] = mapped_column(deferred=True)
    anonymised_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    registered_partner: Mapped[Partner] = relationship()
    merged_into: Mapped["Learner | None"] = relationship(remote_side=[id])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_adult(self) -> bool:
        return self.age_band != "under-18"

    def __repr__(self) -> str:
        return f"<Learner {self.reference}>"


class DuplicateDismissal(db.Model):
    """A pair a coordinator said are not the same person: never suggested again."""

    __tablename__ = "duplicate_dismissals"
    __table_args__ = (
        UniqueConstraint("learner_id", "other_learner_id"),
        CheckConstraint("learner_id < other_learner_id", name="pair_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"))
    other_learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"), index=True)
    dismissed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    dismissed_at: Mapped[datetime] = mapped_column(default=utcnow)
