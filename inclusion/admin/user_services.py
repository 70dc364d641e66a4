"""Managing user accounts: inviting, changing role or partner, deactivating and reactivating."""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from inclusion.audit.services import changed_fields, record_event
from inclusion.auth import tokens
from inclusion.auth.account_services import send_link_email
from inclusion.auth.models import LoginSession, User
from inclusion.auth.permissions import require_actor_role
from inclusion.auth.roles import ALL_ROLES, Role
from inclusion.auth.services import AuthError, end_login_sessions, find_user_by_email, normalise_email
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.mail import MailError, MailServerUnreachable
from inclusion.partners.models import Partner
from inclusion.rules import search_text


class UserError(AuthError):
    """A mistake in the user form: the message, and the field it is about (for showing it there)."""

    def __init__(self, message: str, field: str = "name"):
        super().__init__(message)
        self.field = field


STATUSES = {"active": "Active", "invited": "Invitation not yet accepted", "inactive": "Deactivated"}


@dataclass(frozen=True)
class UserFilters:
    role: str | None = None
    partner_id: int | None = None
    status: str | None = None
    text: str | None = None


def list_users(filters: UserFilters = UserFilters()) -> list[User]:
    """Users matching the filters, by name, with their partner loaded in the same query."""
    query = select(User).options(joinedload(User.partner)).order_by(func.lower(User.name), User.id)
    if filters.role:
        query = query.where(User.role == filters.role)
    if filters.partner_id:
        query = query.where(User.partner_id == filters.partner_id)
    if filters.status == "active":
        query = query.where(User.active.is_(True), User.password_hash.is_not(None))
    elif filters.status == "invited":
        query = query.where(User.active.is_(True), User.password_hash.is_(None))
    elif filters.status == "inactive":
        query = query.where(User.active.is_(False))
    if filters.text:
        pattern = f"%{search_text(filters.text, User.email.type.length).lower()}%"
        query = query.where(or_(func.lower(User.name).like(pattern), User.email.like(pattern)))
    return list(db.session.scalars(query))


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise LookupError(user_id)
    return user


def _partner(partner_id: int | None) -> Partner | None:
    if not partner_id:
        return None
    partner = db.session.get(Partner, partner_id)
    if partner is None:
        raise UserError("Choose a partner from the list", "partner_id")
    return partner


def _check_role_and_partner(role: str, partner: Partner | None) -> None:
    if role not in ALL_ROLES:
        raise UserError(f"Unknown role '{role}': choose one of {', '.join(ALL_ROLES)}", "role")
    if role == Role.CHAMPION and partner is None:
        raise UserError("A champion must belong to a partner: choose their partner", "partner_id")


def _describe(user: User) -> dict:
    return {
        "name": user.name,
        "email": user.email,
        "role": user.role,
        "partner": user.partner.name if user.partner else None,
        "active": user.active,
    }


# What became of an invitation e-mail.
SENT, MAIL_SERVER_DOWN, NOT_SENT = "sent", "mail-server-down", "not-sent"


def invite_user(email: str, name: str, role: str, partner_id: int | None, *, acting_user_id: int) -> tuple[User, str]:
    """Add a user without a password and e-mail them a link to choose one.

    Returns the user and what became of the e-mail (SENT, MAIL_SERVER_DOWN or NOT_SENT); if it did
    not go, the account exists and the invitation can be sent again from the user's page.
    """
    email = normalise_email(email)
    name = " ".join(name.split())
    if "@" not in email or len(email) > 254:
        raise UserError(f"'{email}' is not an email address", "email")
    if not name:
        raise UserError("Enter the person's name")
    with write_transaction():
        require_actor_role(acting_user_id, "admin")
        partner = _partner(partner_id)
        _check_role_and_partner(role, partner)
        existing = find_user_by_email(email)
        if existing is not None and not existing.active:
            raise UserError(
                f"{email} belongs to a deactivated account ({existing.name}): reactivate it instead", "email"
            )
        if existing is not None:
            raise UserError(f"There is already a user with the email address {email}", "email")
        user = User(email=email, name=name, role=role, partner=partner, password_hash=None)
        db.session.add(user)
        db.session.flush()
        signed = tokens.issue_token(user, tokens.INVITE)
        record_event(
            "user_invited",
            user_id=acting_user_id,
            record_type="user",
            record_id=user.id,
            after=_describe(user),
        )
    return user, _send(user, signed)


def resend_invitation(user_id: int, *, acting_user_id: int) -> str:
    """A new invitation link for someone who has not yet chosen a password; the old link stops working."""
    with write_transaction():
        require_actor_role(acting_user_id, "admin")
        user = get_user(user_id)
        if user.password_hash is not None:
            raise AuthError(f"{user.name} has already set a password: they can use 'Forgotten your password?'")
        if not user.active:
            raise AuthError(f"{user.name}'s account is deactivated: reactivate it first")
        signed = tokens.issue_token(user, tokens.INVITE)
        record_event("invitation_resent", user_id=acting_user_id, record_type="user", record_id=user.id)
    return _send(user, signed)


def _send(user: User, signed: str) -> str:
    try:
        send_link_email(user, tokens.INVITE, signed)
    except MailServerUnreachable:
        current_app.logger.exception("Could not reach the mail server to invite user %s", user.id)
        return MAIL_SERVER_DOWN
    except MailError:
        current_app.logger.exception("Could not send an invitation to user %s", user.id)
        return NOT_SENT
    return SENT


def update_user(user_id: int, name: str, role: str, partner_id: int | None, *, acting_user_id: int) -> User:
    """Change someone's name, role or partner; an admin cannot take away their own admin role."""
    name = " ".join(name.split())
    if not name:
        raise UserError("Enter the person's name")
    with write_transaction():
        require_actor_role(acting_user_id, "admin")
        user = get_user(user_id)
        partner = _partner(partner_id)
        _check_role_and_partner(role, partner)
        if user.id == acting_user_id and role != Role.ADMIN:
            raise UserError("You cannot change your own role: ask another admin", "role")
        before = _describe(user)
        user.name, user.role, user.partner = name, role, partner
        before, after = changed_fields(before, _describe(user))
        if after:
            record_event(
                "user_updated",
                user_id=acting_user_id,
                record_type="user",
                record_id=user.id,
                before=before,
                after=after,
            )
    return user


def deactivate_user(user_id: int, *, acting_user_id: int) -> User:
    """Stop someone signing in: their open sign-ins end at once and their e-mailed links stop working."""
    with write_transaction():
        require_actor_role(acting_user_id, "admin")
        user = get_user(user_id)
        if user.id == acting_user_id:
            raise AuthError("You cannot deactivate your own account: ask another admin")
        if not user.active:
            raise AuthError(f"{user.name}'s account is already deactivated")
        user.active = False
        tokens.discard_unused_tokens(user.id)
        record_event(
            "user_deactivated",
            user_id=acting_user_id,
            record_type="user",
            record_id=user.id,
            before={"active": True},
            after={"active": False},
        )
    end_login_sessions(LoginSession.user_id == user.id)
    return user


def reactivate_user(user_id: int, *, acting_user_id: int) -> User:
    with write_transaction():
        require_actor_role(acting_user_id, "admin")
        user = get_user(user_id)
        if user.active:
            raise AuthError(f"{user.name}'s account is already active")
        user.active = True
        user.failed_login_count = 0
        user.locked_until = None
        record_event(
            "user_reactivated",
            user_id=acting_user_id,
            record_type="user",
            record_id=user.id,
            before={"active": False},
            after={"active": True},
        )
    return user
