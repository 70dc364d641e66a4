"""Who may see which learners: the one place the visibility rule is written down."""

from sqlalchemy import ColumnElement, false, or_, true

from inclusion.auth.models import User
from inclusion.auth.roles import ALLIANCE_WIDE_ROLES, Role
from inclusion.learners.models import Learner
from inclusion.partners.models import Venue
from inclusion.sessions.history import attended_partner_venue


class AccessDenied(Exception):
    """The user may not see or change this record (the views answer 403)."""


def may_see_personal_data(user: User) -> bool:
    return user.role in (Role.CHAMPION, *ALLIANCE_WIDE_ROLES)


def require_personal_data_access(user: User) -> None:
    if not may_see_personal_data(user):
        raise AccessDenied("This role never sees learners' personal data")


def visible_learners(user: User) -> ColumnElement[bool]:
    """A WHERE clause: champions see learners registered with, or who attended, their partner."""
    if user.role in ALLIANCE_WIDE_ROLES:
        return true()
    if user.role != Role.CHAMPION or user.partner_id is None:
        return false()
    return or_(Learner.registered_partner_id == user.partner_id, attended_partner_venue(user.partner_id))


def venue_visible(user: User) -> ColumnElement[bool]:
    """A WHERE clause on Venue: champions work at their own partner's venues only."""
    if user.role in ALLIANCE_WIDE_ROLES:
        return true()
    if user.role != Role.CHAMPION or user.partner_id is None:
        return false()
    return Venue.partner_id == user.partner_id
