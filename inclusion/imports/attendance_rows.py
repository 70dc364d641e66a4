"""Checking and writing an attendance spreadsheet: rows grouped into sessions, nothing added twice."""

from dataclasses import dataclass, field
from datetime import date, time

from sqlalchemy import insert, select

from inclusion.extensions import db
from inclusion.imports.cells import with_control_character_problems, without_control_characters
from inclusion.imports.lookups import learner_ids_by_reference
from inclusion.imports.parsing import CellError, Problem, Table, check_columns, header_stops_row_checks, parse_date
from inclusion.partners.models import Venue
from inclusion.rules import Invalid
from inclusion.sessions import rules
from inclusion.sessions.locking import lock_counted_learners
from inclusion.sessions.models import Attendance, LearningSession, Skill, SkillAchievement
from inclusion.timeutil import today_in_london

COLUMNS = (
    "session_date",
    "start_time",
    "venue",
    "session_type",
    "duration_minutes",
    "learner_reference",
    "skills",
    "session_ref",
)
REQUIRED = ("session_date", "venue", "duration_minutes", "learner_reference")
CHUNK = 500

# (date, start time, venue id, type, duration): what makes two rows without a session_ref one session.
SessionShape = tuple[date, time | None, int, str, int]


@dataclass
class PlannedSession:
    shape: SessionShape
    import_ref: str | None
    first_row: int
    existing_id: int | None = None
    # learner id -> skill ids, in file order
    learners: dict[int, list[int]] = field(default_factory=dict)
    # learners whose attendance at the existing session is already stored
    already_attending: set[int] = field(default_factory=set)


@dataclass
class AttendancePlan:
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    sessions: list[PlannedSession] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def plan_attendance(table: Table, progress=None) -> AttendancePlan:
    """Every problem in the file, or the sessions, attendances and skills it would add (writes nothing)."""
    plan = AttendancePlan(rows=len(table.rows), problems=check_columns(table, COLUMNS, REQUIRED))
    if header_stops_row_checks(plan.problems):
        return plan
    venues = {name.lower(): venue_id for venue_id, name in db.session.execute(select(Venue.id, Venue.name))}
    skills = {code.upper(): skill_id for skill_id, code in db.session.execute(select(Skill.id, Skill.code))}
    learners = learner_ids_by_reference([values.get("learner_reference", "").upper() for _, values in table.rows])
    today = today_in_london()
    by_key: dict[tuple, PlannedSession] = {}
    for position, (number, values) in enumerate(table.rows, start=1):
        parsed = _attendance_row(number, values, venues, skills, learners, today, plan.problems)
        if parsed is not None:
            shape, ref, learner_id, skill_ids = parsed
            key = ("ref", ref) if ref else ("shape", shape)
            planned = by_key.get(key)
            if planned is None:
                planned = by_key[key] = PlannedSession(shape=shape, import_ref=ref, first_row=number)
            elif planned.shape != shape:
                plan.problems.append(
                    Problem(
                        number,
                        "session_ref",
                        f"{ref} has a different date, time, venue, type or duration on row {planned.first_row}",
                    )
                )
            gained = planned.learners.setdefault(learner_id, [])
            gained.extend(skill for skill in skill_ids if skill not in gained)
        if progress and position % 200 == 0:
            progress(200)
    if progress:
        progress(len(table.rows) % 200)
    plan.sessions = list(by_key.values())
    if not plan.problems:
        _match_existing_sessions(plan)
    return plan


def _attendance_row(number, values, venues, skills, learners, today, problems):
    """(session shape, session_ref, learner id, skill ids), or None after appending the row's problems."""
    values, dirty = without_control_characters(values)
    found: list[Problem] = []

    def problem(column: str, message: str) -> None:
        found.append(Problem(number, column, message))

    def follow(column: str, rule, value=None):
        try:
            return rule(values.get(column, "") if value is None else value)
        except Invalid as error:
            problem(column, error.cell)
            return None

    session_date = venue_id = None
    if not values.get("session_date"):
        problem("session_date", "is required")
    else:
        try:
            typed_date = parse_date(values["session_date"])
        except CellError as error:
            problem("session_date", str(error))
        else:
            session_date = follow("session_date", lambda value: rules.session_date(value, today), typed_date)
    start_time = follow("start_time", rules.start_time)
    venue = values.get("venue", "")
    if not venue:
        problem("venue", "is required")
    elif venue.lower() not in venues:
        problem("venue", f"no venue called '{venue}'")
    else:
        venue_id = venues[venue.lower()]
    session_type = follow("session_type", rules.session_type)
    duration = follow("duration_minutes", rules.duration_minutes)
    reference = values.get("learner_reference", "").upper()
    if not reference:
        problem("learner_reference", "is required")
    elif reference not in learners:
        problem("learner_reference", f"no learner with the reference {reference}")
    skill_ids = []
    for code in (part.strip().upper() for part in values.get("skills", "").split(";")):
        if not code:
            continue
        if code not in skills:
            problem("skills", f"no skill with the code {code}")
        elif skills[code] not in skill_ids:
            skill_ids.append(skills[code])
    ref = follow("session_ref", rules.session_ref)
    problems.extend(with_control_character_problems(number, dirty, found))
    if found or dirty:
        return None
    return (session_date, start_time, venue_id, session_type, duration), ref, learners[reference], skill_ids


def _match_existing_sessions(plan: AttendancePlan) -> None:
    """Find the sessions, attendances and achievements already stored, so a re-import adds nothing."""
    refs = [planned.import_ref for planned in plan.sessions if planned.import_ref]
    by_ref = {}
    for start in range(0, len(refs), CHUNK):
        query = select(LearningSession).where(LearningSession.import_ref.in_(refs[start : start + CHUNK]))
        by_ref.update({found.import_ref: found for found in db.session.scalars(query)})
    shapes = [planned for planned in plan.sessions if not planned.import_ref]
    by_shape: dict[SessionShape, int] = {}
    dates = sorted({planned.shape[0] for planned in shapes})
    for start in range(0, len(dates), CHUNK):
        query = (
            select(
                LearningSession.id,
                LearningSession.session_date,
                LearningSession.start_time,
                LearningSession.venue_id,
                LearningSession.session_type,
                LearningSession.duration_minutes,
            )
            .where(LearningSession.session_date.in_(dates[start : start + CHUNK]))
            .order_by(LearningSession.id)
        )
        for session_id, *shape in db.session.execute(query):
            by_shape.setdefault(tuple(shape), session_id)
    for planned in plan.sessions:
        if planned.import_ref:
            found = by_ref.get(planned.import_ref)
            if found is None:
                continue
            shape = (
                found.session_date,
                found.start_time,
                found.venue_id,
                found.session_type,
                found.duration_minutes,
            )
            if shape != planned.shape:
                plan.problems.append(
                    Problem(
                        planned.first_row,
                        "session_ref",
                        f"{planned.import_ref} was imported before with a different date, "
                        "time, venue, type or duration",
                    )
                )
            planned.existing_id = found.id
        else:
            planned.existing_id = by_shape.get(planned.shape)
    existing_ids = [planned.existing_id for planned in plan.sessions if planned.existing_id]
    attended, achieved = set(), set()
    for start in range(0, len(existing_ids), CHUNK):
        chunk = existing_ids[start : start + CHUNK]
        attended.update(
            db.session.execute(
                select(Attendance.session_id, Attendance.learner_id).where(Attendance.session_id.in_(chunk))
            ).all()
        )
        achieved.update(
            db.session.execute(
                select(SkillAchievement.session_id, SkillAchievement.learner_id, SkillAchievement.skill_id).where(
                    SkillAchievement.session_id.in_(chunk)
                )
            ).all()
        )
    counts = dict.fromkeys(
        (
            "sessions_added",
            "sessions_already_present",
            "attendances_added",
            "attendances_already_present",
            "skills_added",
            "skills_already_present",
        ),
        0,
    )
    for planned in plan.sessions:
        counts["sessions_already_present" if planned.existing_id else "sessions_added"] += 1
        for learner_id, skill_ids in planned.learners.items():
            if (planned.existing_id, learner_id) in attended:
                planned.already_attending.add(learner_id)
                counts["attendances_already_present"] += 1
            else:
                counts["attendances_added"] += 1
            new_skills = [skill for skill in skill_ids if (planned.existing_id, learner_id, skill) not in achieved]
            counts["skills_already_present"] += len(skill_ids) - len(new_skills)
            counts["skills_added"] += len(new_skills)
            skill_ids[:] = new_skills
    plan.counts = counts


def write_attendance(plan: AttendancePlan, user_id: int | None, progress=None) -> None:
    """Insert the new sessions, attendances and achievements in bulk (the caller holds the transaction)."""
    new = [planned for planned in plan.sessions if not planned.existing_id]
    for start in range(0, len(new), CHUNK):
        chunk = new[start : start + CHUNK]
        rows = [
            {
                "session_date": p.shape[0],
                "start_time": p.shape[1],
                "venue_id": p.shape[2],
                "session_type": p.shape[3],
                "duration_minutes": p.shape[4],
                "import_ref": p.import_ref,
                "unregistered_attendees": 0,
                "created_by_id": user_id,
            }
            for p in chunk
        ]
        ids = db.session.scalars(
            insert(LearningSession).returning(LearningSession.id, sort_by_parameter_order=True), rows
        ).all()
        for planned, session_id in zip(chunk, ids, strict=True):
            planned.existing_id = session_id
    attendances, achievements = [], []
    for planned in plan.sessions:
        for learner_id, skill_ids in planned.learners.items():
            if learner_id not in planned.already_attending:
                attendances.append({"session_id": planned.existing_id, "learner_id": learner_id})
            achievements.extend(
                {"session_id": planned.existing_id, "learner_id": learner_id, "skill_id": skill_id}
                for skill_id in skill_ids
            )
    lock_counted_learners({row["learner_id"] for row in attendances + achievements})
    for model, rows in ((Attendance, attendances), (SkillAchievement, achievements)):
        for start in range(0, len(rows), CHUNK):
            db.session.execute(insert(model), rows[start : start + CHUNK])
    if progress:
        progress(plan.rows)
