"""Attendances and skill achievements as learner data: merge and undo, subject access, retention, the page."""

from typing import Any

from sqlalchemy import delete, insert, select, update

from inclusion.extensions import db
from inclusion.learners.learner_data import ExportTable, LearnerDataOwner, LearnerPanel
from inclusion.partners.models import Venue
from inclusion.sessions.constants import LIFE_SKILLS_AREAS
from inclusion.sessions.learner_page import learner_profile
from inclusion.sessions.models import Attendance, LearningSession, Skill, SkillAchievement
from inclusion.templating import format_date

ATTENDANCE_COLUMNS = ("record", "session_date", "start_time", "venue", "session_type", "duration_minutes")
SKILL_COLUMNS = ("record", "code", "skill", "session_date", "venue")


def _rows(columns: tuple[str, ...], result, references: dict[int, str]) -> list[dict[str, Any]]:
    """Rows of (learner_id, *values) as dicts: the learner's reference first, dates as ISO text."""
    return [
        dict(zip(columns, (references[learner_id], *(_text(value) for value in values)), strict=True))
        for learner_id, *values in result
    ]


def _text(value) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value


class SessionRecords(LearnerDataOwner):
    """The sessions package's rows about a learner. Attendance and skills hold no personal detail:
    anonymisation keeps them (the figures still count the learner), so `anonymise` is the default."""

    name = "sessions"
    tables = ("attendances", "skill_achievements")

    def merge(self, keep_id: int, duplicate_id: int) -> dict[str, Any]:
        """Move the duplicate's attendance and skills; a row the kept learner also has is removed instead.

        The same session attended by both, or the same skill at the same session: the duplicate's
        row is deleted (the pair is unique), and the record lists it so undo can put it back.
        """
        kept_sessions = set(db.session.scalars(select(Attendance.session_id).where(Attendance.learner_id == keep_id)))
        moved_attendances, removed_attendances = [], []
        for attendance_id, session_id in db.session.execute(
            select(Attendance.id, Attendance.session_id).where(Attendance.learner_id == duplicate_id)
        ):
            if session_id in kept_sessions:
                removed_attendances.append(session_id)
            else:
                moved_attendances.append(attendance_id)
        kept_skills = set(
            db.session.execute(
                select(SkillAchievement.skill_id, SkillAchievement.session_id).where(
                    SkillAchievement.learner_id == keep_id
                )
            ).all()
        )
        moved_skills, removed_skills = [], []
        for achievement_id, skill_id, session_id in db.session.execute(
            select(SkillAchievement.id, SkillAchievement.skill_id, SkillAchievement.session_id).where(
                SkillAchievement.learner_id == duplicate_id
            )
        ):
            if (skill_id, session_id) in kept_skills:
                removed_skills.append([skill_id, session_id])
            else:
                moved_skills.append(achievement_id)
        db.session.execute(
            delete(Attendance).where(
                Attendance.learner_id == duplicate_id, Attendance.session_id.in_(removed_attendances)
            )
        )
        db.session.execute(update(Attendance).where(Attendance.id.in_(moved_attendances)).values(learner_id=keep_id))
        for skill_id, session_id in removed_skills:
            db.session.execute(
                delete(SkillAchievement).where(
                    SkillAchievement.learner_id == duplicate_id,
                    SkillAchievement.skill_id == skill_id,
                    SkillAchievement.session_id == session_id,
                )
            )
        db.session.execute(
            update(SkillAchievement).where(SkillAchievement.id.in_(moved_skills)).values(learner_id=keep_id)
        )
        # The keys are those merge entries have always had (undo reads entries written before owners).
        return {
            "moved_attendance_ids": moved_attendances,
            "removed_attendance_session_ids": removed_attendances,
            "moved_achievement_ids": moved_skills,
            "removed_achievements": removed_skills,
        }

    def undo_merge(self, keep_id: int, duplicate_id: int, record: dict[str, Any]) -> None:
        """Move back what was moved; re-create what was removed, unless its session has been deleted since."""
        db.session.execute(
            update(Attendance)
            .where(Attendance.id.in_(record["moved_attendance_ids"]), Attendance.learner_id == keep_id)
            .values(learner_id=duplicate_id)
        )
        db.session.execute(
            update(SkillAchievement)
            .where(SkillAchievement.id.in_(record["moved_achievement_ids"]), SkillAchievement.learner_id == keep_id)
            .values(learner_id=duplicate_id)
        )
        sessions_left = set(
            db.session.scalars(
                select(LearningSession.id).where(
                    LearningSession.id.in_(
                        record["removed_attendance_session_ids"]
                        + [session for _, session in record["removed_achievements"]]
                    )
                )
            )
        )
        restore = [
            {"session_id": s, "learner_id": duplicate_id}
            for s in record["removed_attendance_session_ids"]
            if s in sessions_left
        ]
        if restore:
            db.session.execute(insert(Attendance), restore)
        restore = [
            {"skill_id": skill, "session_id": s, "learner_id": duplicate_id}
            for skill, s in record["removed_achievements"]
            if s in sessions_left
        ]
        if restore:
            db.session.execute(insert(SkillAchievement), restore)

    def export(self, learner_ids: list[int], references: dict[int, str]) -> list[ExportTable]:
        attendance = db.session.execute(
            select(
                Attendance.learner_id,
                LearningSession.session_date,
                LearningSession.start_time,
                Venue.name,
                LearningSession.session_type,
                LearningSession.duration_minutes,
            )
            .join(LearningSession, LearningSession.id == Attendance.session_id)
            .join(Venue, Venue.id == LearningSession.venue_id)
            .where(Attendance.learner_id.in_(learner_ids))
            .order_by(LearningSession.session_date, LearningSession.id)
        )
        skills = db.session.execute(
            select(SkillAchievement.learner_id, Skill.code, Skill.title, LearningSession.session_date, Venue.name)
            .join(Skill, Skill.id == SkillAchievement.skill_id)
            .join(LearningSession, LearningSession.id == SkillAchievement.session_id)
            .join(Venue, Venue.id == LearningSession.venue_id)
            .where(SkillAchievement.learner_id.in_(learner_ids))
            .order_by(LearningSession.session_date, Skill.code)
        )
        return [
            ExportTable(
                "attendance",
                "attendance.csv",
                "the sessions they attended (date, place, type, length)",
                ATTENDANCE_COLUMNS,
                _rows(ATTENDANCE_COLUMNS, attendance, references),
            ),
            ExportTable(
                "skills",
                "skills.csv",
                "the skills they showed, and at which session",
                SKILL_COLUMNS,
                _rows(SKILL_COLUMNS, skills, references),
            ),
        ]

    def last_activity(self):
        """A learner is active on the date of every session they attended (skills are shown at those)."""
        return select(Attendance.learner_id.label("learner_id"), LearningSession.session_date.label("day")).join(
            LearningSession, LearningSession.id == Attendance.session_id
        )

    def panel(self, learner) -> LearnerPanel:
        profile = learner_profile(learner)
        summary = [
            ("First visit", format_date(profile.first_visit) if profile.first_visit else "None yet"),
            ("Latest visit", format_date(profile.latest_visit) if profile.latest_visit else "None yet"),
            ("Foundation skills", f"{profile.foundation_held} of {profile.foundation_total}"),
            ("Life skills areas", f"{profile.life_skills_areas_held} of {len(LIFE_SKILLS_AREAS)}"),
        ]
        return LearnerPanel("sessions/_learner_panel.html", profile, summary)
