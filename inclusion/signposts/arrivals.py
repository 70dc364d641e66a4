"""When a signpost arrived: worked out from the attendance whenever it is asked, never stored.

A signpost to an alliance venue (or partner) arrives on the date of the learner's first attendance
there (at any of the partner's venues) on or after the day it was made (DESIGN.md, "Referrals and
signposting"). Computing it in SQL at query time keeps it right whatever happens later, with no
code elsewhere to remember it: a merge moves the duplicate's signposts and attendance to the learner
kept (and the attendance's `learner_key` already counts the duplicate's as theirs), an undo moves
them back, a session re-dated or moved to another venue, or deleted with its attendance, changes
the attendance the query reads. A stored `arrived_on` would need every one of those writers (in
sessions/, learners/, imports/) to update it, and would be wrong whenever one forgot.

One definition, used by the learner page and by the figures (reports/signpost_figures.py).
"""

from datetime import date

from sqlalchemy import Select, Subquery, and_, func, or_, select

from inclusion.partners.models import Venue
from inclusion.sessions.models import Attendance, LearningSession
from inclusion.signposts.models import Signpost

_TARGET_VENUE = Venue.__table__.alias("target_venue")


def effective_signposts(learner_ids: list[int] | Select | None = None) -> Subquery:
    """Every signpost (or those of these learners: ids, or a query of them) with the date and venue it
    counts as made: its session's, while it has one."""
    made_on = func.coalesce(LearningSession.session_date, Signpost.made_on).label("made_on")
    made_at = func.coalesce(LearningSession.venue_id, Signpost.venue_id).label("venue_id")
    stmt = select(
        Signpost.id.label("signpost_id"),
        Signpost.learner_id,
        made_on,
        made_at,
        Signpost.to_venue_id,
        Signpost.to_partner_id,
        Signpost.to_service_id,
    ).outerjoin(LearningSession, LearningSession.id == Signpost.session_id)
    if learner_ids is not None:
        stmt = stmt.where(Signpost.learner_id.in_(learner_ids))
    return stmt.subquery("effective_signposts")


def arrivals(signposts: Subquery | None = None, until: date | None = None) -> Subquery:
    """(signpost_id, learner_id, made_on, venue_id, arrived_on, arrived_venue_id) for every signpost.

    arrived_on and arrived_venue_id are NULL until the learner attends there. The first attendance
    is the earliest session date, then the lowest session id. Attendances are matched on the learner
    they count as (`learner_key`), so a duplicate merged into the learner attending counts.
    `until`: only attendances up to that date are read, so an arrival after it reads as NULL (the
    arrivals up to it are the same).
    """
    made = signposts if signposts is not None else effective_signposts()
    at_target = or_(
        Attendance.venue_id == made.c.to_venue_id,
        and_(made.c.to_partner_id.is_not(None), _TARGET_VENUE.c.partner_id == made.c.to_partner_id),
    )
    rank = (
        func.row_number()
        .over(partition_by=made.c.signpost_id, order_by=(Attendance.session_date, Attendance.session_id))
        .label("attendance_rank")
    )
    matched = (
        select(made.c.signpost_id, Attendance.session_date, Attendance.venue_id, rank)
        .join(Attendance, Attendance.learner_key == made.c.learner_id)
        .join(_TARGET_VENUE, _TARGET_VENUE.c.id == Attendance.venue_id)
        .where(made.c.to_service_id.is_(None), Attendance.session_date >= made.c.made_on, at_target)
        .where(*([Attendance.session_date <= until] if until is not None else []))
        .subquery("signpost_attendances")
    )
    first = select(matched.c.signpost_id, matched.c.session_date, matched.c.venue_id)
    first = first.where(matched.c.attendance_rank == 1).subquery("first_arrivals")
    stmt = select(
        made.c.signpost_id,
        made.c.learner_id,
        made.c.made_on,
        made.c.venue_id,
        first.c.session_date.label("arrived_on"),
        first.c.venue_id.label("arrived_venue_id"),
    ).outerjoin(first, first.c.signpost_id == made.c.signpost_id)
    return stmt.subquery("signpost_arrivals")
