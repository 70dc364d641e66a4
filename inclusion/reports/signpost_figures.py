"""Aggregate SQL for the signposting measures: signposts made, and signposts arrived, in scope.

The signposts' dates and venues, and their arrivals, come from the one definition in
inclusion/signposts/arrivals.py (worked out from the attendance at query time, so merges, undo and
corrected or deleted sessions are always reflected). Only adults count, as in every figure.
"""

from sqlalchemy import Subquery, select

from inclusion.partners.models import Partner, Venue
from inclusion.reports.queries import _LEARNERS, Scope, _adult, _within
from inclusion.sessions.models import Attendance, LearningSession
from inclusion.signposts.arrivals import arrivals, effective_signposts
from inclusion.signposts.models import Signpost

# The tables these figures read, for the figure cache (reports/figure_tables.py reads this module's names).
READS = (Signpost, LearningSession, Attendance, Venue, Partner, _LEARNERS)


def signposts_made(scope: Scope) -> Subquery:
    """(learner_key, venue_id): adults' signposts made in scope, under the venue where each was made."""
    made = effective_signposts()
    stmt = select(made.c.learner_id.label("learner_key"), made.c.venue_id).where(_adult(made.c.learner_id))
    return _within(stmt, scope, made.c.made_on, made.c.venue_id).subquery("signposts_made")


def signposts_arrived(scope: Scope) -> Subquery:
    """(learner_key, venue_id): adults' signposts that arrived in scope, under the venue arrived at.

    A signpost arrives on one of its learner's attendances, so only the signposts of learners who
    attended in the period can arrive in it, and no attendance after the period matters: a month
    reads that month's learners' signposts instead of every signpost's whole attendance history.
    """
    attended = None
    if scope.start is not None:
        attended = select(Attendance.learner_key).where(Attendance.session_date.between(scope.start, scope.end))
    arrived = arrivals(effective_signposts(attended), until=scope.end)
    stmt = select(arrived.c.learner_id.label("learner_key"), arrived.c.arrived_venue_id.label("venue_id"))
    stmt = stmt.where(arrived.c.arrived_on.is_not(None), _adult(arrived.c.learner_id))
    return _within(stmt, scope, arrived.c.arrived_on, arrived.c.arrived_venue_id).subquery("signposts_arrived")
