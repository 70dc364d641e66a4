"""Single-use links e-mailed for invitations and password resets.

The link carries a random token signed with the app's secret key (so a tampered or stale link
is refused before the database is asked); the database keeps only the token's SHA-256, so a
leaked backup holds no working link.
"""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, select

from inclusion.auth.models import User, UserToken
from inclusion.extensions import db
from inclusion.timeutil import utcnow

INVITE = "invite"
RESET = "reset"


class TokenError(ValueError):
    """The link is not valid: unknown, tampered with, already used or out of date."""


def validity(purpose: str) -> timedelta:
    config = current_app.config
    if purpose == INVITE:
        return timedelta(hours=config["INVITE_VALID_HOURS"])
    return timedelta(minutes=config["RESET_VALID_MINUTES"])


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"inclusion-{purpose}")


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(user: User, purpose: str) -> str:
    """Add a new token for `user` (inside the caller's transaction) and return the signed link part.

    Any earlier unused token for the same purpose is deleted: only the newest link works.
    """
    db.session.execute(
        delete(UserToken).where(UserToken.user_id == user.id, UserToken.purpose == purpose, UserToken.used_at.is_(None))
    )
    raw = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        UserToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=token_hash(raw),
            created_at=now,
            expires_at=now + validity(purpose),
        )
    )
    db.session.flush()
    return _serializer(purpose).dumps(raw)


def find_valid_token(signed: str, purpose: str) -> UserToken:
    """The unused, unexpired token named by a link, for an active user; raises TokenError otherwise."""
    try:
        raw = _serializer(purpose).loads(signed, max_age=int(validity(purpose).total_seconds()))
    except BadSignature as error:
        raise TokenError("invalid") from error
    token = db.session.scalar(
        select(UserToken).where(UserToken.token_hash == token_hash(str(raw)), UserToken.purpose == purpose)
    )
    if token is None or token.used_at is not None or token.expires_at <= utcnow() or not token.user.active:
        raise TokenError("invalid")
    return token


def discard_unused_tokens(user_id: int) -> None:
    """Delete every outstanding link of a user (inside the caller's transaction)."""
    db.session.execute(delete(UserToken).where(UserToken.user_id == user_id, UserToken.used_at.is_(None)))
