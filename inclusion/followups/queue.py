"""The follow-up queue: a partner's learners whose follow-up is due, the most overdue first (docs/follow-ups.md).

A learner is in the queue when, on `today`:
- they are a record of their own (not merged away) and not anonymised, and may be contacted;
- they registered with the partner (the queue's partner: DESIGN.md "the learner's registering partner");
- their first attendance + FOLLOW_UP_DAYS is today or earlier (the follow-up is due);
- no follow-up of theirs was reached or declined, and fewer than FOLLOW_UP_ATTEMPTS were not reached.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import joinedload, undefer

from inclusion.auth.models import User
from inclusion.auth.roles import ALLIANCE_WIDE_ROLES, Role
from inclusion.extensions import db
from inclusion.followups.models import CLOSING_OUTCOMES, FollowUp
from inclusion.learners.access import visible_learners
from inclusion.learners.models import Learner
from inclusion.paging import Page, page_within

PER_PAGE = 25


@dataclass(frozen=True)
class QueueRow:
    learner: Learner
    due_on: date
    attempts: int  # follow-ups that did not reach them
    last_tried: date | None

    def overdue_days(self, today: date) -> int:
        return (today - self.due_on).days


def follow_up_days() -> int:
    return current_app.config["FOLLOW_UP_DAYS"]


def due_on(first_attended_on: date | None) -> date | None:
    """The day a learner's follow-up falls due: first attendance + FOLLOW_UP_DAYS (None: never attended)."""
    return None if first_attended_on is None else first_attended_on + timedelta(days=follow_up_days())


def finished_learners():
    """Learners whose follow-up is over: reached or declined, or FOLLOW_UP_ATTEMPTS times not reached.

    One grouped read of the follow-ups (through their (learner_id, outcome) index), which the database
    keeps as a set for the query, rather than two look-ups for each of a partner's learners.
    """
    closing = func.sum(case((FollowUp.outcome.in_(CLOSING_OUTCOMES), 1), else_=0))
    unanswered = func.sum(case((FollowUp.outcome == "not-reached", 1), else_=0))
    attempts = current_app.config["FOLLOW_UP_ATTEMPTS"]
    return select(FollowUp.learner_id).group_by(FollowUp.learner_id).having(or_(closing > 0, unanswered >= attempts))


def queue_partner_ids(user: User, partner_id: int | None) -> int | None:
    """The partner whose queue the user works: a champion only their own; alliance staff any (None: all)."""
    if user.role == Role.CHAMPION:
        if user.partner_id is None:
            raise PermissionError("A champion without a partner has no queue")
        return user.partner_id
    if user.role not in ALLIANCE_WIDE_ROLES:
        raise PermissionError("Only champions, coordinators and admins work the follow-up queue")
    return partner_id


def in_queue(user: User, partner_id: int | None, today: date) -> ColumnElement[bool]:
    """The WHERE clause on Learner of the queue of `partner_id` (None: every partner) as `user` may see it."""
    partner_id = queue_partner_ids(user, partner_id)
    due_by = today - timedelta(days=follow_up_days())
    conditions = [
        Learner.merged_into_id.is_(None),
        Learner.anonymised_at.is_(None),
        Learner.may_contact.is_(True),
        Learner.first_attended_on <= due_by,
        Learner.id.not_in(finished_learners()),
        visible_learners(user),
    ]
    if partner_id is not None:
        conditions.insert(0, Learner.registered_partner_id == partner_id)
    return and_(*conditions)


def queue_size(user: User, partner_id: int | None, today: date) -> int:
    return db.session.scalar(select(func.count(Learner.id)).where(in_queue(user, partner_id, today))) or 0


def follow_up_queue(user: User, partner_id: int | None, today: date, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """One page of the queue, the longest overdue first (then in order of registration); three queries."""
    where = in_queue(user, partner_id, today)
    total = queue_size(user, partner_id, today)
    page = page_within(page, total, per_page)
    learners = list(
        db.session.scalars(
            select(Learner)
            .options(undefer(Learner.first_attended_on), joinedload(Learner.registered_partner))
            .where(where)
            .order_by(Learner.first_attended_on, Learner.id)  # the partner's index order: no sort
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    tries = {}
    if learners:
        tries = {
            learner_id: (count, last)
            for learner_id, count, last in db.session.execute(
                select(FollowUp.learner_id, func.count(FollowUp.id), func.max(FollowUp.followed_up_on))
                .where(FollowUp.learner_id.in_([learner.id for learner in learners]))
                .group_by(FollowUp.learner_id)
            )
        }
    rows = [
        QueueRow(learner, due_on(learner.first_attended_on), *tries.get(learner.id, (0, None))) for learner in learners
    ]
    return Page(rows=rows, total=total, page=page, per_page=per_page)
