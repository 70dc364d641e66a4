"""The report keys written afresh from the base columns, in nine set-based statements.

Used by `flask reports check --repair` and, compiled to each dialect's SQL, by the migrations that
snapshot the triggers (`flask reports trigger-revision`): after the triggers change, every stored
key is brought into line with the rules. Each statement writes only rows whose value differs,
and they run in order: the facts' copies and learner keys first, then what follows from them.
"""

from sqlalchemy import column, or_, select, table, update
from sqlalchemy.sql.expression import Update

from inclusion.reports import keys
from inclusion.sessions.models import Attendance, LearningSession, SkillAchievement

# Only the columns the keys use: the mapped learners table would also set updated_at (its
# onupdate), but a key brought into line is not an edit of the learner's record.
_LEARNERS = table(
    "learners",
    column("id"),
    column(keys.MERGED_INTO),
    column("first_attended_on"),
    *(column(name) for level in keys.LEVELS for name in (level.reached_on, level.venue)),
)


def statements() -> list[Update]:
    learners, sessions = _LEARNERS, LearningSession.__table__
    found = []
    for facts in (Attendance.__table__, SkillAchievement.__table__):
        values = {
            name: select(sessions.c[name]).where(sessions.c.id == facts.c.session_id).scalar_subquery()
            for name in keys.SESSION_COPIES
        }
        values["learner_key"] = (
            select(keys.learner_key_of(learners.c)).where(learners.c.id == facts.c.learner_id).scalar_subquery()
        )
        differs = or_(*(facts.c[name].is_distinct_from(value) for name, value in values.items()))
        found.append(update(facts).where(differs).values(**values))
    first = keys.first_attendance_of(Attendance.__table__, learners.c.id)
    found.append(
        update(learners).where(learners.c.first_attended_on.is_distinct_from(first)).values(first_attended_on=first)
    )
    for rule in keys.FIRST_ROWS:
        rows = {"skill_achievements": SkillAchievement.__table__, "attendances": Attendance.__table__}[rule.table]
        ranked = select(rows.c.id, (keys.first_row_rank(rule, rows) == 1).label("first")).subquery()
        flag = rows.c[rule.flag]
        found.append(
            update(rows)
            .where(rows.c.id == ranked.c.id, flag.is_distinct_from(ranked.c.first))
            .values({rule.flag: ranked.c.first})
        )
    # The levels last: they read the first achievements' flags set just above.
    for level in keys.LEVELS:
        found += _levels(level)
    return found


def _levels(level: keys.Level) -> list[Update]:
    """The learners who reached `level` given their date and venue; the others none."""
    learners = _LEARNERS
    day, venue = learners.c[level.reached_on], learners.c[level.venue]
    rule = keys.levels_reached(level, SkillAchievement.__table__)
    reached = rule.subquery(f"{level.name}_reached")
    differs = or_(day.is_distinct_from(reached.c.reached_on), venue.is_distinct_from(reached.c.venue_id))
    set_reached = (
        update(learners)
        .where(learners.c.id == reached.c.learner_key, differs)
        .values({level.reached_on: reached.c.reached_on, level.venue: reached.c.venue_id})
    )
    who = rule.subquery(f"{level.name}_reached_by")
    unset = (
        update(learners)
        .where(or_(day.is_not(None), venue.is_not(None)), learners.c.id.not_in(select(who.c.learner_key)))
        .values({level.reached_on: None, level.venue: None})
    )
    return [set_reached, unset]


def compiled(dialect_name: str) -> list[str]:
    """The statements as `dialect_name`'s SQL text, for a migration to hold."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql.dialect() if dialect_name == "postgresql" else sqlite.dialect()
    return [str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True})) for stmt in statements()]
