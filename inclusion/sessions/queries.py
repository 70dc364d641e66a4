"""Read-only queries for the session pages: venues, recent learners, lists, and a session's attendees."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, or_, select, true

from inclusion.auth.models import User
from inclusion.auth.roles import ALLIANCE_WIDE_ROLES
from inclusion.extensions import db
from inclusion.learners.access import venue_visible, visible_learners
from inclusion.learners.models import Learner
from inclusion.paging import Page, page_within
from inclusion.partners.models import Partner, Venue
from inclusion.sessions.constants import SKILL_AREAS
from inclusion.sessions.filters import SessionFilters, session_conditions
from inclusion.sessions.models import Attendance, LearningSession, Skill, SkillAchievement, session_champions
from inclusion.timeutil import today_in_london

RECENT_DAYS = 90
RECENT_LIMIT = 12
PER_PAGE = 25


def venues_for(user: User, *, include_id: int | None = None, open_only: bool = True) -> list[Venue]:
    """Open venues the user may log sessions at (plus `include_id`, a session's current venue)."""
    condition = Venue.closed_at.is_(None) if open_only else true()
    if include_id is not None:
        condition = or_(condition, Venue.id == include_id)
    return list(db.session.scalars(select(Venue).where(venue_visible(user), condition).order_by(Venue.name)))


def default_venue_id(user: User, venues: list[Venue]) -> int | None:
    """The champion's usual venue: where they last logged a session, else their partner's first venue."""
    open_ids = {venue.id for venue in venues}
    last = db.session.scalar(
        select(LearningSession.venue_id)
        .where(LearningSession.created_by_id == user.id)
        .order_by(LearningSession.created_at.desc())
        .limit(1)
    )
    if last in open_ids:
        return last
    return venues[0].id if len(venues) == 1 or user.role not in ALLIANCE_WIDE_ROLES and venues else None


def recent_learners(user: User, venue_id: int | None, exclude: list[int]) -> list[Any]:
    """Learners seen at the venue lately, most recent first: one tap adds them to a session."""
    if not venue_id:
        return []
    since = today_in_london() - timedelta(days=RECENT_DAYS)
    last_seen = func.max(LearningSession.session_date).label("last_seen")
    statement = (
        select(Learner.id, Learner.reference, Learner.first_name, Learner.last_name, last_seen)
        .join(Attendance, Attendance.learner_id == Learner.id)
        .join(LearningSession, Attendance.session_id == LearningSession.id)
        .where(
            LearningSession.venue_id == venue_id,
            LearningSession.session_date >= since,
            Learner.merged_into_id.is_(None),
            visible_learners(user),
        )
        .group_by(Learner.id, Learner.reference, Learner.first_name, Learner.last_name)
        .order_by(last_seen.desc(), Learner.last_name)
        .limit(RECENT_LIMIT + len(exclude))
    )
    return [row for row in db.session.execute(statement) if row.id not in exclude][:RECENT_LIMIT]


def learners_by_id(user: User, ids: list[int]) -> dict[int, Learner]:
    if not ids:
        return {}
    rows = db.session.scalars(select(Learner).where(Learner.id.in_(ids), visible_learners(user)))
    return {learner.id: learner for learner in rows}


def skills_gained_before(ids: list[int], exclude_session_id: int | None = None) -> dict[int, set[str]]:
    """For each learner, the codes of skills already recorded at other sessions."""
    if not ids:
        return {}
    statement = (
        select(SkillAchievement.learner_id, Skill.code)
        .join(Skill, SkillAchievement.skill_id == Skill.id)
        .where(SkillAchievement.learner_id.in_(ids))
        .distinct()
    )
    if exclude_session_id is not None:
        statement = statement.where(SkillAchievement.session_id != exclude_session_id)
    gained: dict[int, set[str]] = {}
    for learner_id, code in db.session.execute(statement):
        gained.setdefault(learner_id, set()).add(code)
    return gained


def active_skills_by_area() -> list[tuple[str, str, list[Skill]]]:
    """The skills champions can tick, grouped by the six areas (retired skills left out)."""
    skills = db.session.scalars(select(Skill).where(Skill.retired_at.is_(None)).order_by(Skill.code)).all()
    return [(code, name, [skill for skill in skills if skill.area == code]) for code, name in SKILL_AREAS.items()]


def list_sessions(user: User, filters: SessionFilters | None = None, *, page: int = 1) -> Page:
    """Sessions the user may see, newest first, with attendee counts: two queries whatever the rows."""
    conditions = session_conditions(user, filters or SessionFilters())
    base = select(LearningSession.id).join(Venue, LearningSession.venue_id == Venue.id).where(*conditions)
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    attendees = (
        select(func.count(Attendance.id))
        .where(Attendance.session_id == LearningSession.id)
        .scalar_subquery()
        .label("attendees")
    )
    page = page_within(page, total, PER_PAGE)
    rows = list(
        db.session.execute(
            select(
                LearningSession.id,
                LearningSession.session_date,
                LearningSession.start_time,
                LearningSession.session_type,
                LearningSession.duration_minutes,
                LearningSession.unregistered_attendees,
                Venue.name.label("venue_name"),
                attendees,
            )
            .join(Venue, LearningSession.venue_id == Venue.id)
            .where(*conditions)
            .order_by(
                LearningSession.session_date.desc(),
                LearningSession.start_time.desc(),
                LearningSession.id.desc(),
            )
            .limit(PER_PAGE)
            .offset((page - 1) * PER_PAGE)
        )
    )
    return Page(rows=rows, total=total, page=page, per_page=PER_PAGE)


def partners_for_filter(user: User) -> list[Partner]:
    """The partner filter's choices: every partner for coordinators and admins; none for champions (their own)."""
    if user.role not in ALLIANCE_WIDE_ROLES:
        return []
    return list(db.session.scalars(select(Partner).order_by(Partner.name)))


def champions_for_filter(user: User) -> list[User]:
    """People who have logged sessions the user may see (the champion filter's choices)."""
    statement = (
        select(User)
        .join(session_champions, session_champions.c.user_id == User.id)
        .join(LearningSession, LearningSession.id == session_champions.c.session_id)
        .join(Venue, LearningSession.venue_id == Venue.id)
        .where(venue_visible(user))
        .distinct()
        .order_by(User.name)
    )
    return list(db.session.scalars(statement))


@dataclass
class AttendeeSkills:
    learner: Learner
    skills: list[tuple[Skill, bool]]  # (skill, first time this learner gained it)


def session_attendees(learning_session: LearningSession) -> list[AttendeeSkills]:
    """Attendees with the skills recorded at this session, each marked first-time or not: three queries."""
    learners = list(
        db.session.scalars(
            select(Learner)
            .join(Attendance, Attendance.learner_id == Learner.id)
            .where(Attendance.session_id == learning_session.id)
            .order_by(Learner.last_name, Learner.first_name)
        )
    )
    achievements = list(
        db.session.execute(
            select(SkillAchievement.learner_id, Skill)
            .join(Skill, SkillAchievement.skill_id == Skill.id)
            .where(SkillAchievement.session_id == learning_session.id)
            .order_by(Skill.code)
        )
    )
    # The first achievement counts: an earlier session (by date, time, then id) with the same skill.
    this_key = (
        learning_session.session_date,
        learning_session.start_time is not None,
        learning_session.start_time,
        learning_session.id,
    )
    earlier: set[tuple[int, int]] = set()
    if achievements:
        for learner_id, skill_id, session_date, start_time, session_id in db.session.execute(
            select(
                SkillAchievement.learner_id,
                SkillAchievement.skill_id,
                LearningSession.session_date,
                LearningSession.start_time,
                LearningSession.id,
            )
            .join(LearningSession, SkillAchievement.session_id == LearningSession.id)
            .where(
                SkillAchievement.learner_id.in_({row.learner_id for row in achievements}),
                SkillAchievement.skill_id.in_({row.Skill.id for row in achievements}),
                LearningSession.id != learning_session.id,
                LearningSession.session_date <= learning_session.session_date,
            )
        ):
            if (session_date, start_time is not None, start_time, session_id) < this_key:
                earlier.add((learner_id, skill_id))
    by_learner: dict[int, list[tuple[Skill, bool]]] = {}
    for learner_id, skill in achievements:
        by_learner.setdefault(learner_id, []).append((skill, (learner_id, skill.id) not in earlier))
    return [AttendeeSkills(learner, by_learner.get(learner.id, [])) for learner in learners]


def last_session_at(user: User, venue_id: int | None, *, by_user: bool = False) -> LearningSession | None:
    """The latest session at the venue (if the user may see the venue): by anyone, or one they ran.

    The form's defaults use the champion's own last session there (`by_user`: through the champions
    table, indexed on the user); "Repeat a recent session" uses anyone's, for a weekly group that
    several volunteers run in turn. Both follow the (venue, date) index.
    """
    if not venue_id:
        return None
    statement = (
        select(LearningSession)
        .join(Venue, LearningSession.venue_id == Venue.id)
        .where(LearningSession.venue_id == venue_id, venue_visible(user))
        .order_by(
            LearningSession.session_date.desc(),
            LearningSession.start_time.desc().nulls_last(),
            LearningSession.id.desc(),
        )
        .limit(1)
    )
    if by_user:
        statement = statement.where(
            LearningSession.id.in_(select(session_champions.c.session_id).where(session_champions.c.user_id == user.id))
        )
    return db.session.scalar(statement)
