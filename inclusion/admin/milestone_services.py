"""Milestones: targets of adults helped; exactly one is current (the dashboard and CSV use it)."""

from datetime import date

from sqlalchemy import func, select, update

from inclusion.audit.services import changed_fields, record_event
from inclusion.auth.permissions import require_actor_role
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.reports.models import Milestone

MAX_TARGET = 10_000_000


class MilestoneError(ValueError):
    """A user mistake with a message fit to show them."""


def list_milestones() -> list[Milestone]:
    return list(db.session.scalars(select(Milestone).order_by(Milestone.start_date, Milestone.id)))


def current_milestone() -> Milestone | None:
    return db.session.scalar(select(Milestone).where(Milestone.is_current.is_(True)))


def get_milestone(milestone_id: int) -> Milestone:
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None:
        raise LookupError(milestone_id)
    return milestone


def _clean(name: str, target: int) -> str:
    name = " ".join(name.split())
    if not name:
        raise MilestoneError("Enter the milestone's name")
    if len(name) > 120:
        raise MilestoneError("Name must be 120 characters or fewer")
    if not isinstance(target, int) or not 1 <= target <= MAX_TARGET:
        raise MilestoneError(f"Target must be a whole number from 1 to {MAX_TARGET:,}")
    return name


def _check_unique_name(name: str, except_id: int | None = None) -> None:
    query = select(Milestone.id).where(func.lower(Milestone.name) == func.lower(name))
    if except_id is not None:
        query = query.where(Milestone.id != except_id)
    if db.session.scalar(query) is not None:
        raise MilestoneError(f"There is already a milestone called '{name}'")


def _describe(milestone: Milestone) -> dict:
    return {
        "name": milestone.name,
        "target": milestone.target,
        "start_date": milestone.start_date.isoformat(),
    }


def add_milestone(name: str, target: int, start_date: date, *, acting_user_id: int | None) -> Milestone:
    """Add a milestone; it becomes current only if there is no current one."""
    name = _clean(name, target)
    with write_transaction():
        require_actor_role(acting_user_id, "admin")
        _check_unique_name(name)
        milestone = Milestone(name=name, target=target, start_date=start_date, is_current=current_milestone() is None)
        db.session.add(milestone)
        db.session.flush()
        record_event(
            "milestone_added",
            user_id=acting_user_id,
            record_type="milestone",
            record_id=milestone.id,
            after=_describe(milestone) | {"is_current": milestone.is_current},
        )
    return milestone


def update_milestone(
    milestone_id: int, name: str, target: int, start_date: date, *, acting_user_id: int | None
) -> Milestone:
    name = _clean(name, target)
    with write_transaction():
        require_actor_role(acting_user_id, "admin")
        milestone = get_milestone(milestone_id)
        _check_unique_name(name, except_id=milestone.id)
        before = _describe(milestone)
        milestone.name, milestone.target, milestone.start_date = name, target, start_date
        before, after = changed_fields(before, _describe(milestone))
        if after:
            record_event(
                "milestone_updated",
                user_id=acting_user_id,
                record_type="milestone",
                record_id=milestone.id,
                before=before,
                after=after,
            )
    return milestone


def make_current(milestone_id: int, *, acting_user_id: int | None) -> Milestone:
    """Make one milestone the current one; every other stops being current in the same transaction."""
    with write_transaction():
        require_actor_role(acting_user_id, "admin")
        milestone = get_milestone(milestone_id)
        previous = current_milestone()
        if previous is not None and previous.id == milestone.id:
            return milestone
        db.session.execute(update(Milestone).where(Milestone.id != milestone.id).values(is_current=False))
        milestone.is_current = True
        record_event(
            "milestone_made_current",
            user_id=acting_user_id,
            record_type="milestone",
            record_id=milestone.id,
            before={"current": previous.name if previous else None},
            after={"current": milestone.name},
        )
    return milestone
