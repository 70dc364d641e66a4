"""A sign-in waiting for its second step: the password was right, the code is still to come.

Kept in the (signed) Flask session under its own key, never as Flask-Login's user id, so a
half-finished sign-in reaches no page but the code page.
"""

import time

from flask import session

from inclusion.auth import services
from inclusion.auth.models import LoginSession, User

PENDING_KEY = "pending_sign_in"
PENDING_SECONDS = 10 * 60


def begin(user: User, next_url: str | None) -> None:
    session.clear()
    session[PENDING_KEY] = {
        "user_id": user.id,
        "login_session_id": user.login_session_id,
        "next": next_url,
        "started": int(time.time()),
    }


def current() -> dict | None:
    """The pending sign-in, or None (an expired one is ended)."""
    data = session.get(PENDING_KEY)
    if not data:
        return None
    if time.time() - data.get("started", 0) > PENDING_SECONDS:
        abandon()
        return None
    return data


def abandon() -> None:
    data = session.pop(PENDING_KEY, None)
    if data:
        services.end_login_sessions(LoginSession.id == data["login_session_id"])
