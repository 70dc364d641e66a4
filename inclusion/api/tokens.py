"""Issuing, finding and revoking feed tokens.

A token is 32 random bytes (URL-safe text, with a prefix so a leaked one is recognisable in logs
and secret scanners); the database keeps only its SHA-256, as for invitation links
(inclusion/auth/tokens.py), so a leaked backup holds no working token. A random 256-bit token
needs no slow hash: nobody can guess one, so there is nothing to brute-force offline.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from inclusion.api.models import FIGURES_READ, ApiToken
from inclusion.audit.services import record_event
from inclusion.auth.permissions import require_actor_role
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.timeutil import LONDON, today_in_london, utcnow

PREFIX = "inc_"
MAX_VALID_DAYS = 366 * 2


class TokenError(ValueError):
    """A mistake in what an admin asked for, with a message fit to show them."""


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once, then only its hash exists


def hash_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def end_of_day(day: date) -> datetime:
    """The naive-UTC moment a token valid 'until `day`' stops working: midnight after it, London time."""
    midnight = datetime.combine(day + timedelta(days=1), time(0), tzinfo=LONDON)
    return midnight.astimezone(UTC).replace(tzinfo=None)


def issue_token(name: str, valid_until: date, *, acting_user_id: int | None, scope: str = FIGURES_READ) -> IssuedToken:
    """Create a named token that works until the end of `valid_until` (London time)."""
    name = " ".join((name or "").split())
    if not name:
        raise TokenError("Enter a name for the token, such as the team or tool that will use it")
    if len(name) > 80:
        raise TokenError("Name must be 80 characters or fewer")
    today = today_in_london()
    if valid_until < today:
        raise TokenError("The expiry date must be today or in the future")
    if valid_until > today + timedelta(days=MAX_VALID_DAYS):
        raise TokenError("The expiry date must be within two years: issue a new token when it runs out")
    secret = PREFIX + secrets.token_urlsafe(32)
    with write_transaction():
        require_actor_role(acting_user_id, "admin")
        taken = select(ApiToken.id).where(func.lower(ApiToken.name) == name.lower())
        if db.session.scalar(taken) is not None:
            raise TokenError(f"There is already a token called '{name}': choose another name")
        token = ApiToken(
            name=name,
            token_hash=hash_of(secret),
            scope=scope,
            created_by_id=acting_user_id,
            expires_at=end_of_day(valid_until),
        )
        db.session.add(token)
        db.session.flush()
        record_event(
            "api_token_created",
            user_id=acting_user_id,
            record_type="api_token",
            record_id=token.id,
            after={"name": name, "scope": scope, "expires_at": token.expires_at.isoformat()},
        )
    return IssuedToken(token, secret)


def revoke_token(token_id: int, *, acting_user_id: int | None) -> ApiToken:
    """Stop a token working, at once and on every host (each call checks the database)."""
    with write_transaction():
        require_actor_role(acting_user_id, "admin")
        token = get_token(token_id)
        if token.revoked_at is None:
            token.revoked_at = utcnow()
            token.revoked_by_id = acting_user_id
            record_event(
                "api_token_revoked",
                user_id=acting_user_id,
                record_type="api_token",
                record_id=token.id,
                details={"name": token.name},
            )
    return token


def get_token(token_id: int) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise LookupError(token_id)
    return token


def list_tokens() -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def find_usable_token(secret: str | None, scope: str) -> ApiToken | None:
    """The unrevoked, unexpired token with this secret and scope, or None. Always asks the database."""
    if not secret or not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_of(secret)))
    if token is None or token.scope != scope or not token.is_usable(utcnow()):
        return None
    return token
