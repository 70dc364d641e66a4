"""Permission guards: public pages, and pages that need one of some roles."""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user


def public(view: Callable) -> Callable:
    """Mark a view as reachable without signing in (every other view needs a signed-in user)."""
    view.is_public = True
    return view


def requires_role(*roles: str) -> Callable:
    """Allow only signed-in users with one of `roles`; others get 403 (anonymous: sign-in page)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from inclusion.extensions import login_manager

                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles
        return wrapped

    return decorator
