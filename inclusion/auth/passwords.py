"""Password rules: long rather than complicated (NCSC guidance), and hashing."""

from functools import cache
from importlib.resources import files

from flask import current_app, has_app_context
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 12
MAX_LENGTH = 128


@cache
def _common_passwords() -> frozenset[str]:
    text = files("inclusion.auth").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def password_problem(password: str) -> str | None:
    """A sentence saying what is wrong with a new password, or None if it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer"
    if password.lower() in _common_passwords():
        return "That password is too common: choose a phrase of three or four random words"
    return None


def _method() -> str:
    # scrypt in production; tests choose a cheap method so hundreds of sign-ins stay fast.
    return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=_method())


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Compare against a throwaway hash so an unknown e-mail takes as long as a wrong password.
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(password_hash, password)


def _dummy_hash() -> str:
    return _dummy_hash_for(_method())


@cache
def _dummy_hash_for(method: str) -> str:
    return generate_password_hash("not-a-real-password-for-timing", method=method)
