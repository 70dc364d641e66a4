"""The sessions block of the learner page: sessions attended, skills gained by area, first and latest visit."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from inclusion.extensions import db
from inclusion.learners.models import Learner
from inclusion.partners.models import Venue
from inclusion.reports.keys import first_achievements_of
from inclusion.sessions.constants import FOUNDATION_AREA, LIFE_SKILLS_AREAS, SKILL_AREAS
from inclusion.sessions.models import Attendance, LearningSession, Skill


@dataclass
class SkillStatus:
    skill: Skill
    first_gained_on: date | None  # the first achievement is the one that counts
    first_session_id: int | None


@dataclass
class AreaProgress:
    code: str
    name: str
    skills: list[SkillStatus]

    @property
    def done(self) -> list[SkillStatus]:
        return [status for status in self.skills if status.first_gained_on]

    @property
    def remaining(self) -> list[SkillStatus]:
        return [status for status in self.skills if not status.first_gained_on]


@dataclass
class LearnerProfile:
    learner: Learner
    sessions: list[Any]
    areas: list[AreaProgress]
    foundation_held: int = 0  # framework foundation skills held (local ones are not part of the level)
    foundation_total: int = 0
    life_skills_areas_held: int = 0  # of the five life-skills areas, those with a skill held (local ones count)

    @property
    def first_visit(self) -> date | None:
        return self.sessions[-1].session_date if self.sessions else None

    @property
    def latest_visit(self) -> date | None:
        return self.sessions[0].session_date if self.sessions else None

    def session_visible_to(self, user, session_id: int | None) -> bool:
        """Whether to link to the session: champions open only their partner's sessions."""
        partner_of = {row.id: row.partner_id for row in self.sessions}
        return user.sees_all_partners or partner_of.get(session_id) == user.partner_id

    @property
    def skills_gained(self) -> int:
        return sum(len(area.done) for area in self.areas)


def learner_profile(learner: Learner) -> LearnerProfile:
    """Three queries whatever the learner's history: sessions, achievements, skills."""
    sessions = list(
        db.session.execute(
            select(
                LearningSession.id,
                LearningSession.session_date,
                LearningSession.start_time,
                LearningSession.session_type,
                LearningSession.duration_minutes,
                Venue.name.label("venue_name"),
                Venue.partner_id.label("partner_id"),
            )
            .join(Attendance, Attendance.session_id == LearningSession.id)
            .join(Venue, LearningSession.venue_id == Venue.id)
            .where(Attendance.learner_id == learner.id)
            .order_by(
                LearningSession.session_date.desc(),
                LearningSession.start_time.desc(),
                LearningSession.id.desc(),
            )
        )
    )
    # The achievement the figures count (one rule: inclusion/reports/keys.py); merged records redirect here.
    first: dict[int, tuple[date, int]] = {
        skill_id: (session_date, session_id)
        for skill_id, session_date, session_id in db.session.execute(first_achievements_of(learner.id))
    }
    skills = db.session.scalars(select(Skill).order_by(Skill.code)).all()
    areas = []
    for code, name in SKILL_AREAS.items():
        statuses = [
            SkillStatus(skill, *first.get(skill.id, (None, None)))
            for skill in skills
            if skill.area == code and (skill.retired_at is None or skill.id in first)
        ]
        areas.append(AreaProgress(code, name, statuses))
    foundation = [skill for skill in skills if skill.area == FOUNDATION_AREA and not skill.is_local]
    life_areas = {skill.area for skill in skills if skill.id in first and skill.area in LIFE_SKILLS_AREAS}
    return LearnerProfile(
        learner=learner,
        sessions=sessions,
        areas=areas,
        foundation_held=sum(1 for skill in foundation if skill.id in first),
        foundation_total=len(foundation),
        life_skills_areas_held=len(life_areas),
    )
