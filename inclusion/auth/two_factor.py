"""Two-step verification: time-based codes from an authenticator app, and single-use recovery codes."""

import base64
import hashlib
import hmac
import secrets
import time
from datetime import timedelta
from io import BytesIO

import pyotp
from flask import current_app
from sqlalchemy import func, select

from inclusion.audit.models import AuditEvent
from inclusion.audit.services import record_event
from inclusion.auth.models import LoginSession, User
from inclusion.auth.roles import ALLIANCE_WIDE_ROLES
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.observability.logs import security_event
from inclusion.timeutil import utcnow

RECOVERY_CODE_COUNT = 10
ISSUER = "Inclusion"
CODE_NOT_RECOGNISED = "That code is not right: check your authenticator app and try again"
# Roles that see every resident's data: they must use a second step when the setting is on.
ROLES_REQUIRING_TWO_FACTOR = ALLIANCE_WIDE_ROLES


class TwoFactorError(ValueError):
    """A wrong or unusable code, with a message fit to show."""


def is_required_for(user: User) -> bool:
    return bool(current_app.config.get("REQUIRE_TWO_FACTOR")) and user.role in ROLES_REQUIRING_TWO_FACTOR


def needs_second_step(user: User) -> bool:
    """Whether signing in needs a code after the password (or setting one up, when required)."""
    return user.totp_enabled or is_required_for(user)


def start_setup(user_id: int) -> str:
    """The secret being set up for a user: kept (not enabled) until they prove they scanned it."""
    with write_transaction():
        user = db.session.get(User, user_id)
        if user.totp_enabled:
            raise TwoFactorError("Two-step verification is already set up")
        if not user.totp_secret:
            user.totp_secret = pyotp.random_base32()
        secret = user.totp_secret
    return secret


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_code_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI (the CSP allows images from data:, and no script is needed)."""
    import qrcode  # imported where a code is drawn (once per set-up): app start-up stays light
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _hash_code(code: str) -> str:
    # Recovery codes are random (50 bits), so a fast hash is enough, like the e-mailed tokens.
    return hashlib.sha256(_clean(code).encode()).hexdigest()


def _clean(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _new_recovery_codes() -> list[str]:
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(alphabet) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def _matching_step(secret: str | None, code: str) -> int | None:
    """The time step `code` belongs to, or None. One step either side allows for a clock half a minute out."""
    cleaned = _clean(code)
    # ASCII digits only: '²'.isdigit() is true, and compare_digest refuses non-ASCII text (a 500).
    if not secret or not (cleaned.isascii() and cleaned.isdigit()) or len(cleaned) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now_step = int(time.time()) // totp.interval
    for step in (now_step - 1, now_step, now_step + 1):
        if hmac.compare_digest(totp.generate_otp(step), cleaned):
            return step
    return None


def _totp_matches(secret: str | None, code: str) -> bool:
    return _matching_step(secret, code) is not None


def _last_used_step(user_id: int) -> int:
    """The time step of the last code that set up or passed this user's two-step: each code works once."""
    recent = db.session.execute(
        select(AuditEvent.action, AuditEvent.details)
        .where(AuditEvent.user_id == user_id, AuditEvent.action.in_(("two_factor_enabled", "two_factor_passed")))
        .order_by(AuditEvent.id.desc())
        .limit(20)  # recovery-code sign-ins among them carry no step
    )
    last = -1
    for action, details in recent:
        last = max(last, (details or {}).get("step") or -1)
        if action == "two_factor_enabled":  # codes of an earlier secret say nothing about this one
            break
    return last


def confirm_setup(user_id: int, code: str) -> list[str]:
    """Turn two-step verification on once a code from the scanned secret is right.

    Returns the recovery codes, shown once; only their hashes are kept.
    """
    with write_transaction():
        user = db.session.get(User, user_id)
        if user.totp_enabled:
            raise TwoFactorError("Two-step verification is already set up")
        step = _matching_step(user.totp_secret, code)
        if step is None:
            raise TwoFactorError(CODE_NOT_RECOGNISED)
        codes = _new_recovery_codes()
        user.totp_enabled = True
        user.recovery_codes = "\n".join(_hash_code(c) for c in codes)
        record_event(
            "two_factor_enabled",
            user_id=user.id,
            record_type="user",
            record_id=user.id,
            details={"step": step},
        )
    return codes


def _use_code(user: User, code: str) -> tuple[str, int | None] | None:
    """('totp', step) or ('recovery', None) if `code` is right (a recovery code is used up), else None."""
    step = _matching_step(user.totp_secret, code)
    if step is not None:
        # A code seen over someone's shoulder cannot be used again once it has signed its owner in.
        return ("totp", step) if step > _last_used_step(user.id) else None
    hashes = (user.recovery_codes or "").split()
    digest = _hash_code(code)
    for stored in hashes:
        if hmac.compare_digest(stored, digest):
            hashes.remove(stored)
            user.recovery_codes = "\n".join(hashes)
            return "recovery", None
    return None


def recent_failures(user_id: int) -> int:
    """Wrong codes in the lockout window, counted from the audit log so every worker agrees."""
    since = utcnow() - timedelta(minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"])
    return db.session.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "two_factor_failed",
            AuditEvent.user_id == user_id,
            AuditEvent.occurred_at >= since,
        )
    )


def check_sign_in_code(user_id: int, login_session_id: str, code: str) -> str:
    """Check the second step of a sign-in; returns how it was passed ('totp' or 'recovery').

    Wrong codes count towards the same lockout as wrong passwords: after LOGIN_LOCKOUT_ATTEMPTS
    in the window the account is locked and the half-finished sign-in ended. Entering the
    password again does not reset that count.
    """
    config = current_app.config
    with write_transaction():
        user = db.session.get(User, user_id)
        now = utcnow()
        if user is None or not user.active or (user.locked_until and user.locked_until > now):
            raise TwoFactorError("Sign in again")
        used = _use_code(user, code) if user.totp_enabled else None
        locked = False
        if used is None:
            record_event("two_factor_failed", user_id=user.id, record_type="user", record_id=user.id)
            db.session.flush()
            if recent_failures(user.id) >= config["LOGIN_LOCKOUT_ATTEMPTS"]:
                user.locked_until = now + timedelta(minutes=config["LOGIN_LOCKOUT_MINUTES"])
                db.session.execute(
                    LoginSession.__table__.update()
                    .where(LoginSession.id == login_session_id, LoginSession.ended_at.is_(None))
                    .values(ended_at=now)
                )
                record_event("account_locked", user_id=user.id, record_type="user", record_id=user.id)
                locked = True
        else:
            record_event(
                "two_factor_passed",
                user_id=user.id,
                record_type="user",
                record_id=user.id,
                details={"method": used[0], "step": used[1]},
            )
    if used is None:
        security_event("sign_in_failed", reason="wrong_code", account_id=user_id)
        if locked:
            security_event("account_locked", account_id=user_id, after="code")
        raise TwoFactorError(CODE_NOT_RECOGNISED)
    return used[0]


def remaining_recovery_codes(user: User) -> int:
    return len((user.recovery_codes or "").split())


def replace_recovery_codes(user_id: int, code: str) -> list[str]:
    """New recovery codes (the old ones stop working); needs a current code from the app."""
    with write_transaction():
        user = db.session.get(User, user_id)
        if not user.totp_enabled or not _totp_matches(user.totp_secret, code):
            raise TwoFactorError(CODE_NOT_RECOGNISED)
        codes = _new_recovery_codes()
        user.recovery_codes = "\n".join(_hash_code(c) for c in codes)
        record_event("recovery_codes_replaced", user_id=user.id, record_type="user", record_id=user.id)
    return codes


def turn_off(user_id: int, code: str) -> None:
    """Turn two-step verification off (only for those not required to use it); needs a current code."""
    with write_transaction():
        user = db.session.get(User, user_id)
        if is_required_for(user):
            raise TwoFactorError("Your role must use two-step verification: it cannot be turned off")
        if not user.totp_enabled or not _totp_matches(user.totp_secret, code):
            raise TwoFactorError(CODE_NOT_RECOGNISED)
        user.totp_enabled = False
        user.totp_secret = None
        user.recovery_codes = None
        record_event("two_factor_disabled", user_id=user.id, record_type="user", record_id=user.id)


def reset(user_id: int, *, acting_user_id: int | None = None) -> None:
    """Clear someone's two-step set-up (lost phone and recovery codes); they set it up again at sign-in."""
    with write_transaction():
        user = db.session.get(User, user_id)
        user.totp_enabled = False
        user.totp_secret = None
        user.recovery_codes = None
        record_event("two_factor_reset", user_id=acting_user_id, record_type="user", record_id=user.id)
