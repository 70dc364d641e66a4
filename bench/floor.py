"""The SQL floor: each dashboard figure as one hand-written query, the fastest the database can answer.

The dashboard may not beat this; the benchmark reports how close it comes (target: 1.5 times).
Definitions follow DESIGN.md: adults only, a merged duplicate counted as its survivor, session dates.
"""

from sqlalchemy import text

PERSON = "coalesce(l.merged_into_id, l.id)"
ADULT = "l.age_band <> 'under-18'"
ATTENDED = ("FROM attendances a JOIN learning_sessions s ON s.id = a.session_id "
            "JOIN learners l ON l.id = a.learner_id")
FIRST_SKILLS = (f"SELECT {PERSON} AS person, sa.skill_id, min(s.session_date) AS first_on "
                "FROM skill_achievements sa JOIN learning_sessions s ON s.id = sa.session_id "
                f"JOIN learners l ON l.id = sa.learner_id WHERE {ADULT} AND s.session_date <= :end "
                f"GROUP BY {PERSON}, sa.skill_id")

FIGURES = {
    "adults_helped_to_date": f"SELECT count(DISTINCT {PERSON}) {ATTENDED} WHERE {ADULT} AND s.session_date <= :end",
    "adults_helped": f"SELECT count(DISTINCT {PERSON}) {ATTENDED} "
                     f"WHERE {ADULT} AND s.session_date BETWEEN :start AND :end",
    "new_learners": f"SELECT count(*) FROM (SELECT {PERSON} AS person, min(s.session_date) AS first_on "
                    f"{ATTENDED} WHERE {ADULT} AND s.session_date <= :end GROUP BY {PERSON}) t "
                    "WHERE first_on >= :start",
    "sessions_delivered": "SELECT count(*) FROM learning_sessions s WHERE s.session_date BETWEEN :start AND :end "
                          "AND (s.unregistered_attendees > 0 "
                          "OR EXISTS (SELECT 1 FROM attendances a WHERE a.session_id = s.id))",
    "unregistered_attendances": "SELECT coalesce(sum(unregistered_attendees), 0) FROM learning_sessions "
                                "WHERE session_date BETWEEN :start AND :end",
    "attendances": f"SELECT count(*) {ATTENDED} WHERE {ADULT} AND s.session_date BETWEEN :start AND :end",
    "learner_hours": f"SELECT round(coalesce(sum(s.duration_minutes), 0) / 60.0, 1) {ATTENDED} "
                     f"WHERE {ADULT} AND s.session_date BETWEEN :start AND :end",
    "skills_gained": f"SELECT count(*) FROM ({FIRST_SKILLS}) f WHERE first_on >= :start",
    "learners_gaining_skills": f"SELECT count(DISTINCT person) FROM ({FIRST_SKILLS}) f WHERE first_on >= :start",
    "milestone_target": "SELECT target FROM milestones WHERE is_current",
    "adults_helped_by_venue": f"SELECT s.venue_id, count(DISTINCT {PERSON}) {ATTENDED} "
                              f"WHERE {ADULT} AND s.session_date BETWEEN :start AND :end GROUP BY s.venue_id",
    "skills_gained_by_area": f"SELECT k.area, count(*) FROM ({FIRST_SKILLS}) f JOIN skills k ON k.id = f.skill_id "
                             "WHERE first_on >= :start GROUP BY k.area",
}


def compute(connection, start, end) -> dict:
    """Every figure for the period, one query each."""
    return {name: connection.execute(text(sql), {"start": start, "end": end}).all()
            for name, sql in FIGURES.items()}
