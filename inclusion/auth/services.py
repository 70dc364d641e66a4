"""Signing in and out, lockout, and users: the rules, callable from views, CLI and tests."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select, update

from inclusion.audit.services import record_event
from inclusion.auth.models import LoginSession, User
from inclusion.auth.passwords import hash_password, password_problem, verify_password
from inclusion.auth.roles import ALL_ROLES, Role
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.observability.logs import security_event
from inclusion.partners.models import Partner
from inclusion.timeutil import utcnow

SIGN_IN_FAILED = (
    "Email address or password not recognised. After 10 wrong attempts an account is locked for 15 minutes."
)
LAST_SEEN_RESOLUTION = timedelta(seconds=60)


class AuthError(ValueError):
    """A user mistake with a message fit to show them."""


@dataclass
class SignIn:
    user: User
    login_session: LoginSession


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def sign_in(email: str, password: str, *, ip_address: str | None = None, user_agent: str | None = None) -> SignIn:
    """Check the credentials and open a sign-in session; raise AuthError with one generic message."""
    config = current_app.config
    with write_transaction():
        user = find_user_by_email(email)
        now = utcnow()
        locked = False
        if user is None or user.locked_until and user.locked_until > now:
            verify_password(None, password)
            failure = ("unknown_account", None) if user is None else ("account_locked", user.id)
            raise_after = True
        elif not verify_password(user.password_hash, password) or not user.active:
            failure = ("wrong_password" if user.active else "inactive_account", user.id)
            user.failed_login_count += 1
            if user.failed_login_count >= config["LOGIN_LOCKOUT_ATTEMPTS"]:
                user.locked_until = now + timedelta(minutes=config["LOGIN_LOCKOUT_MINUTES"])
                user.failed_login_count = 0
                record_event("account_locked", user_id=user.id, record_type="user", record_id=user.id)
                locked = True
            record_event("sign_in_failed", user_id=user.id, record_type="user", record_id=user.id)
            raise_after = True
        else:
            raise_after = False
            user.failed_login_count = 0
            user.locked_until = None
            user.last_login_at = now
            login_session = LoginSession(
                id=secrets.token_urlsafe(32),
                user_id=user.id,
                created_at=now,
                last_seen_at=now,
                ip_address=ip_address,
                user_agent=(user_agent or "")[:255] or None,
            )
            db.session.add(login_session)
            record_event("signed_in", user_id=user.id, record_type="user", record_id=user.id)
    if raise_after:
        security_event("sign_in_failed", reason=failure[0], account_id=failure[1])  # never the address typed
        if locked:
            security_event("account_locked", account_id=failure[1], after="password")
        raise AuthError(SIGN_IN_FAILED)
    user.login_session_id = login_session.id
    return SignIn(user=user, login_session=login_session)


def resume_login_session(login_session_id: str) -> User | None:
    """The user of a live sign-in session, or None if it ended, idled out or is too old."""
    if not login_session_id:
        return None
    login_session = db.session.get(LoginSession, login_session_id)
    if login_session is None or login_session.ended_at is not None:
        return None
    user = login_session.user
    config = current_app.config
    now = utcnow()
    idle_limit = timedelta(minutes=config["SESSION_IDLE_MINUTES"])
    max_age = timedelta(hours=config["SESSION_MAX_HOURS"])
    if not user.active or now - login_session.last_seen_at > idle_limit or now - login_session.created_at > max_age:
        end_login_sessions(LoginSession.id == login_session_id)
        return None
    if now - login_session.last_seen_at > LAST_SEEN_RESOLUTION:
        with write_transaction():
            db.session.execute(update(LoginSession).where(LoginSession.id == login_session_id).values(last_seen_at=now))
        user = db.session.get(User, user.id)
    user.login_session_id = login_session_id
    return user


def end_login_sessions(*criteria) -> int:
    """End every still-open sign-in session matching `criteria`; returns how many."""
    with write_transaction():
        result = db.session.execute(
            update(LoginSession).where(LoginSession.ended_at.is_(None), *criteria).values(ended_at=utcnow())
        )
    return result.rowcount


def sign_out(user: User) -> None:
    login_session_id = getattr(user, "login_session_id", None)
    if login_session_id:
        end_login_sessions(LoginSession.id == login_session_id)
        with write_transaction():
            record_event("signed_out", user_id=user.id, record_type="user", record_id=user.id)


def create_user(
    email: str,
    name: str,
    role: str,
    *,
    password: str | None = None,
    partner_name: str | None = None,
    acting_user_id: int | None = None,
) -> User:
    """Add a user; champions need a partner. Raises AuthError for bad input."""
    email = normalise_email(email)
    name = name.strip()
    if "@" not in email or len(email) > 254:
        raise AuthError(f"'{email}' is not an email address")
    if not name:
        raise AuthError("Enter the person's name")
    if role not in ALL_ROLES:
        raise AuthError(f"Unknown role '{role}': choose one of {', '.join(ALL_ROLES)}")
    if password is not None and (problem := password_problem(password)):
        raise AuthError(problem)
    with write_transaction():
        partner = None
        if partner_name:
            same_name = func.lower(Partner.name) == func.lower(partner_name.strip())
            partner = db.session.scalar(select(Partner).where(same_name))
            if partner is None:
                raise AuthError(f"No partner called '{partner_name}'")
        if role == Role.CHAMPION and partner is None:
            raise AuthError("A champion must belong to a partner: give --partner")
        if find_user_by_email(email) is not None:
            raise AuthError(f"There is already a user with the email address {email}")
        user = User(
            email=email,
            name=name,
            role=role,
            partner=partner,
            password_hash=hash_password(password) if password else None,
        )
        db.session.add(user)
        db.session.flush()
        record_event(
            "user_created",
            user_id=acting_user_id,
            record_type="user",
            record_id=user.id,
            after={"email": email, "name": name, "role": role, "partner": partner.name if partner else None},
        )
    return user
