"""What a champion's device keeps for logging offline, and the sessions it sends late from its queue."""

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select

from inclusion.auth.models import User
from inclusion.extensions import db
from inclusion.learners.access import require_personal_data_access, venue_visible, visible_learners
from inclusion.learners.models import Learner
from inclusion.partners.models import Venue
from inclusion.sessions import queries, services
from inclusion.sessions.models import Attendance, LearningSession
from inclusion.sessions.services import SessionDetails, SessionError
from inclusion.timeutil import today_in_london

MERGE_HOPS = 10  # a duplicate merged into a learner later merged again: follow the chain this far


def cache_scope(user: User, secret: str) -> str:
    """An opaque name for what one user's browser keeps (caches, queue): the same on every sign-in, never the id."""
    return hmac.new(secret.encode(), f"offline-scope:{user.id}".encode(), hashlib.sha256).hexdigest()[:32]


def offline_data(user: User, *, recent_days: int, limit: int) -> dict:
    """The venues, recent learners and skills the session form needs offline (names and references only)."""
    require_personal_data_access(user)
    venues = queries.venues_for(user)
    since = today_in_london() - timedelta(days=recent_days)
    last_seen = func.max(LearningSession.session_date).label("last_seen")
    seen = (
        select(Learner.id, Learner.reference, Learner.first_name, Learner.last_name, last_seen)
        .join(Attendance, Attendance.learner_id == Learner.id)
        .join(LearningSession, Attendance.session_id == LearningSession.id)
        .join(Venue, LearningSession.venue_id == Venue.id)
        .where(
            venue_visible(user),
            LearningSession.session_date >= since,
            Learner.merged_into_id.is_(None),
            Learner.anonymised_at.is_(None),
            visible_learners(user),
        )
        .group_by(Learner.id, Learner.reference, Learner.first_name, Learner.last_name)
        .order_by(last_seen.desc(), Learner.last_name, Learner.id)
        .limit(limit)
    )
    learners = {row.id: row for row in db.session.execute(seen)}
    venue_ids: dict[int, list[int]] = {learner_id: [] for learner_id in learners}
    if learners:
        for learner_id, venue_id in db.session.execute(
            select(Attendance.learner_id, LearningSession.venue_id)
            .join(LearningSession, Attendance.session_id == LearningSession.id)
            .where(Attendance.learner_id.in_(list(learners)), LearningSession.session_date >= since)
            .distinct()
        ):
            venue_ids[learner_id].append(venue_id)
    return {
        "venues": [{"id": venue.id, "name": venue.name} for venue in venues],
        "default_venue_id": queries.default_venue_id(user, venues),
        "learners": [
            {
                "id": row.id,
                "reference": row.reference,
                "name": f"{row.first_name} {row.last_name}",
                "last_seen": row.last_seen.isoformat() if hasattr(row.last_seen, "isoformat") else str(row.last_seen),
                "venue_ids": sorted(venue_ids[row.id]),
            }
            for row in learners.values()
        ],
        "areas": [
            {"code": code, "name": name, "skills": [{"code": skill.code, "title": skill.title} for skill in skills]}
            for code, name, skills in queries.active_skills_by_area()
        ],
        "recent_days": recent_days,
    }


@dataclass
class SentSession:
    session_id: int
    created: bool
    notes: list[str] = field(default_factory=list)


def _kept(learner_ids: list[int]) -> dict[int, int]:
    """Each learner id -> the id of the learner kept (itself unless merged away), following merge chains."""
    kept = {learner_id: learner_id for learner_id in learner_ids}
    for _ in range(MERGE_HOPS):
        current = set(kept.values())
        merged = dict(
            db.session.execute(
                select(Learner.id, Learner.merged_into_id).where(
                    Learner.id.in_(current), Learner.merged_into_id.is_not(None)
                )
            ).all()
        )
        if not merged:
            break
        kept = {original: merged.get(target, target) for original, target in kept.items()}
    return kept


def _label(learner: Learner) -> str:
    return f"{learner.first_name} {learner.last_name} ({learner.reference})"


def send_queued_session(user: User, details: SessionDetails, idempotency_key: str | None) -> SentSession:
    """Store a session that a device kept while offline; the same key again is the same session.

    A learner merged meanwhile is recorded as the learner kept (and the answer says so); a venue
    that closed after the session's date still takes it; anything else is a `SessionError`, which
    the device keeps in its queue for the champion to correct or discard.
    """
    require_personal_data_access(user)
    existing = services.find_by_idempotency_key(idempotency_key) if idempotency_key else None
    if existing is not None and existing.created_by_id == user.id:
        return SentSession(existing.id, False, ["It had already been received: it was stored once."])
    kept = _kept(details.attendees)
    people = {
        learner.id: learner
        for learner in db.session.scalars(select(Learner).where(Learner.id.in_(set(kept) | set(kept.values()))))
    }
    notes = []
    attendees: list[int] = []
    skills: dict[int, list[str]] = {}
    for original in details.attendees:
        if original not in people:
            raise SessionError("One of the attendees is no longer on the system: remove them and send again", None)
        target = kept[original]
        if target != original:
            notes.append(
                f"{_label(people[original])} had been merged into {_label(people[target])}: "
                f"the session is recorded for {people[target].reference}."
            )
        if target not in attendees:
            attendees.append(target)
        skills[target] = sorted(set(skills.get(target, [])) | set(details.skills.get(original, [])))
    details.attendees, details.skills = attendees, skills
    learning_session, created = services.record_session(user, details, idempotency_key, late=True)
    venue = db.session.get(Venue, learning_session.venue_id)
    if created and venue is not None and venue.closed_at is not None:
        notes.append(f"{venue.name} has closed since; the session is recorded there because it took place before.")
    if not created:
        notes.append("It had already been received: it was stored once.")
    return SentSession(learning_session.id, created, notes)
