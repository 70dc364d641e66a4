"""Aggregate SQL for the follow-up measures (DESIGN.md, "Outcomes"): by the learner's registering partner.

follow_ups_due reads each counted learner's first attendance date (kept by triggers for the record a
duplicate counts as) through its index: the due date first_attended_on + FOLLOW_UP_DAYS falls in the
period exactly when first_attended_on falls in the period moved back by FOLLOW_UP_DAYS. The reached and
progressed measures read the follow-ups recorded in the period (a merge moves them to the learner kept).
There are no venue rows: a follow-up is the registering partner's, not a venue's.
"""

from datetime import timedelta

import flask  # not `current_app` itself: figure_tables.py reads this module's names, outside a request
from sqlalchemy import Boolean, Column, ColumnElement, Date, Integer, MetaData, String, Subquery, Table, or_, select

from inclusion.extensions import db
from inclusion.partners.models import Partner
from inclusion.reports import queries
from inclusion.reports.queries import _LEARNERS, UNDER_18, Scope

_metadata = MetaData()
_FOLLOW_UPS = Table(
    "follow_ups",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("learner_id", Integer),
    Column("followed_up_on", Date),
    Column("outcome", String),
    Column("further_learning", Boolean),
    Column("work_or_volunteering", Boolean),
)


class NotCountedByVenue(ValueError):
    """The follow-up measures have partner rows only (the learner's registering partner)."""


def _no_venue(scope: Scope) -> None:
    if scope.venue_id is not None:
        raise NotCountedByVenue("Follow-ups are counted by the learner's registering partner, not by venue")


def due_follow_ups(scope: Scope) -> Subquery:
    """(learner_key, partner_id, age_band): adults who may be contacted whose follow-up falls due in scope."""
    _no_venue(scope)
    learners = _LEARNERS
    days = timedelta(days=flask.current_app.config["FOLLOW_UP_DAYS"])
    stmt = select(
        learners.c.id.label("learner_key"),
        learners.c.registered_partner_id.label("partner_id"),
        learners.c.age_band,
    ).where(
        learners.c.first_attended_on <= scope.end - days,
        learners.c.age_band != UNDER_18,
        learners.c.may_contact.is_(True),
        learners.c.merged_into_id.is_(None),
    )
    if scope.start is not None:
        stmt = stmt.where(learners.c.first_attended_on >= scope.start - days)
    if scope.partner_id is not None:
        stmt = stmt.where(learners.c.registered_partner_id == scope.partner_id)
    return stmt.subquery("due_follow_ups")


def reached_follow_ups(scope: Scope, *, progressed: bool = False) -> Subquery:
    """(learner_key, partner_id, age_band): adults with a follow-up recorded in scope as reached.

    `progressed`: only those of them who said yes to further learning, or to a job or volunteering.
    """
    _no_venue(scope)
    follow_ups, learners = _FOLLOW_UPS, _LEARNERS
    stmt = (
        select(
            follow_ups.c.learner_id.label("learner_key"),
            learners.c.registered_partner_id.label("partner_id"),
            learners.c.age_band,
        )
        .join(learners, learners.c.id == follow_ups.c.learner_id)
        .where(follow_ups.c.outcome == "reached", follow_ups.c.followed_up_on <= scope.end)
        .where(learners.c.age_band != UNDER_18)
    )
    if scope.start is not None:
        stmt = stmt.where(follow_ups.c.followed_up_on >= scope.start)
    if scope.partner_id is not None:
        stmt = stmt.where(learners.c.registered_partner_id == scope.partner_id)
    if progressed:
        stmt = stmt.where(or_(follow_ups.c.further_learning.is_(True), follow_ups.c.work_or_volunteering.is_(True)))
    return stmt.subquery("progressed_follow_ups" if progressed else "reached_follow_ups")


def progressed_follow_ups(scope: Scope) -> Subquery:
    return reached_follow_ups(scope, progressed=True)


def aggregate(facts: Subquery, value: ColumnElement, by: str | None = None):
    """As queries.aggregate, with partner rows by the learner's registering partner and no venue rows."""
    if by == "venue":
        raise NotCountedByVenue("Follow-ups are counted by the learner's registering partner, not by venue")
    if by != "partner":
        return queries.aggregate(facts, value, by)
    stmt = (
        select(Partner.name, value)
        .select_from(facts)
        .join(Partner, Partner.id == facts.c.partner_id)
        .group_by(Partner.name)
    )
    return {name: number or 0 for name, number in db.session.execute(stmt)}
