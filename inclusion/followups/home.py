"""What the follow-ups add to a home page: the size of the user's follow-up queue."""

from dataclasses import dataclass

from flask import url_for

from inclusion.auth.models import User
from inclusion.followups.queue import queue_size
from inclusion.timeutil import today_in_london


@dataclass(frozen=True)
class QueueSummary:
    size: int
    partner_name: str | None  # None: every partner's queue
    href: str


def follow_up_home(user: User) -> QueueSummary | None:
    """The queue `user` works from the home page: their partner's, or (staff without one) all (core/home.py).

    None for a user with no queue (a champion not yet given a partner).
    """
    partner_id = user.partner_id
    try:
        size = queue_size(user, partner_id, today_in_london())
    except PermissionError:
        return None
    href = url_for("followups.index", partner=partner_id or "all")
    return QueueSummary(size, user.partner.name if partner_id else None, href)
