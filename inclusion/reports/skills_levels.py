"""Aggregate SQL for the skills levels: the adults who reached each level, off the learners' report keys.

Each counted learner carries the session date and venue on which they reached each level, kept by
the report-key triggers from the rule in reports/keys.py (LEVELS; DESIGN.md, "Outcomes"): a period's
learners reaching a level are a range of one partial index, not a ranking of every learner's first
achievements.
"""

from sqlalchemy import Subquery, select

from inclusion.reports import keys
from inclusion.reports.queries import _LEARNERS, UNDER_18, Scope, _within


def _reached(level: keys.Level, scope: Scope) -> Subquery:
    """(learner_key, session_date, venue_id, age_band): adults who reached `level` on a session date in scope."""
    learners = _LEARNERS
    day, venue = learners.c[level.reached_on], learners.c[level.venue]
    stmt = select(
        learners.c.id.label("learner_key"), day.label("session_date"), venue.label("venue_id"), learners.c.age_band
    )
    # Adults only, off the learner's own row: the level is kept on the learner it counts as,
    # whose age band is the one _adult would look up.
    stmt = stmt.where(learners.c.age_band != UNDER_18)
    return _within(stmt, scope, day, venue).subquery(f"{level.name}_completions")


def foundation_completions(scope: Scope) -> Subquery:
    """Adults who first held every framework foundation skill on a session date in scope."""
    return _reached(keys.FOUNDATION, scope)


def life_skills_completions(scope: Scope) -> Subquery:
    """Adults who first held a skill in each life-skills area on a session date in scope."""
    return _reached(keys.LIFE_SKILLS, scope)
