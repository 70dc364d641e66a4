# ruff: noqa: S608 -- the SQL is assembled from this module's constants; values are bound parameters
"""The SQL floor: each dashboard figure as one hand-written query, the fastest the database can answer.

The dashboard may not beat this; the benchmark reports how close it comes (target: 1.5 times).
Definitions follow DESIGN.md: adults only, by session date. The shapes avoid grouping the whole
history: "first ever" becomes "in the period, and NOT EXISTS an earlier one", and "to date"
becomes "EXISTS one on or before the day", each answered from the index on
attendances (learner_id, session_id) or skill_achievements (learner_id, skill_id, session_id).
The generated data has no merged duplicates; a merge is expected to move a duplicate's
attendances and achievements to the learner it was merged into, so every row here belongs to
an unmerged learner. docs/performance.md explains why these shapes are fast.
"""

from sqlalchemy import text

ADULT = "l.age_band <> 'under-18'"
IN_PERIOD = (
    "FROM attendances a JOIN learning_sessions s ON s.id = a.session_id "
    f"JOIN learners l ON l.id = a.learner_id WHERE {ADULT} AND s.session_date BETWEEN :start AND :end"
)
NONE_BEFORE = (
    "NOT EXISTS (SELECT 1 FROM attendances b JOIN learning_sessions t ON t.id = b.session_id "
    "WHERE b.learner_id = a.learner_id AND t.session_date < :start)"
)
FIRST_SKILLS = (
    "SELECT DISTINCT sa.learner_id, sa.skill_id FROM skill_achievements sa "
    "JOIN learning_sessions s ON s.id = sa.session_id JOIN learners l ON l.id = sa.learner_id "
    f"WHERE {ADULT} AND s.session_date BETWEEN :start AND :end AND NOT EXISTS ("
    "SELECT 1 FROM skill_achievements b JOIN learning_sessions t ON t.id = b.session_id "
    "WHERE b.learner_id = sa.learner_id AND b.skill_id = sa.skill_id AND t.session_date < :start)"
)

FIGURES = {
    "adults_helped_to_date": f"SELECT count(*) FROM learners l WHERE {ADULT} AND l.merged_into_id IS NULL "
    "AND EXISTS (SELECT 1 FROM attendances a JOIN learning_sessions s ON s.id = a.session_id "
    "WHERE a.learner_id = l.id AND s.session_date <= :end)",
    "adults_helped": f"SELECT count(DISTINCT a.learner_id) {IN_PERIOD}",
    "new_learners": f"SELECT count(DISTINCT a.learner_id) {IN_PERIOD} AND {NONE_BEFORE}",
    "sessions_delivered": "SELECT count(*) FROM learning_sessions s "
    "WHERE s.session_date BETWEEN :start AND :end AND (s.unregistered_attendees > 0 "
    "OR EXISTS (SELECT 1 FROM attendances a WHERE a.session_id = s.id))",
    "unregistered_attendances": "SELECT coalesce(sum(unregistered_attendees), 0) FROM learning_sessions "
    "WHERE session_date BETWEEN :start AND :end",
    "attendances": f"SELECT count(*) {IN_PERIOD}",
    "learner_hours": f"SELECT round(coalesce(sum(s.duration_minutes), 0) / 60.0, 1) {IN_PERIOD}",
    "skills_gained": f"SELECT count(*) FROM ({FIRST_SKILLS}) f",
    "learners_gaining_skills": f"SELECT count(DISTINCT f.learner_id) FROM ({FIRST_SKILLS}) f",
    "milestone_target": "SELECT target FROM milestones WHERE is_current",
    "adults_helped_by_venue": f"SELECT s.venue_id, count(DISTINCT a.learner_id) {IN_PERIOD} "
    "GROUP BY s.venue_id",
    "skills_gained_by_area": f"SELECT k.area, count(*) FROM ({FIRST_SKILLS}) f "
    "JOIN skills k ON k.id = f.skill_id GROUP BY k.area",
}


def compute(connection, start, end, only: str | None = None) -> dict:
    """Every figure (or just `only`) for the period, one query each."""
    return {
        name: connection.execute(text(sql), {"start": start, "end": end}).all()
        for name, sql in FIGURES.items()
        if only in (None, name)
    }
