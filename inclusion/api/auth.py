"""Bearer-token access to the feed: the only credential it accepts (a signed-in browser is not one).

The token is looked up in the database on every call (no cache in the process), so a token revoked
or expired on one host is refused at once by every host.
"""

import logging
from collections.abc import Callable
from functools import wraps

from flask import current_app, request

from inclusion.api import tokens
from inclusion.api.models import FIGURES_READ, ApiToken
from inclusion.api.problems import UNAUTHORISED, problem
from inclusion.observability.logs import security_event

_UNSET = object()


def bearer_secret() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else None


def current_token(scope: str) -> ApiToken | None:
    """The request's usable token for `scope` (looked up once per request, kept with the request), or None."""
    key = f"inclusion.api_token:{scope}"
    cached = request.environ.get(key, _UNSET)
    if cached is _UNSET:
        cached = request.environ[key] = tokens.find_usable_token(bearer_secret(), scope)
    return cached


def requires_token(scope: str) -> Callable:
    """Allow only calls bearing a usable token with `scope`; others get a 401 problem.

    The view is marked public for the sign-in rule of the pages (inclusion/auth/loader.py): no
    sign-in is needed or accepted here, the token is the credential. `token_scope` tells the
    security suite which kind of route this is.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            token = current_token(scope)
            if token is None:
                detail = (
                    "This token is not valid: it may have been revoked or have expired"
                    if bearer_secret()
                    else "Send a token of the feed: Authorization: Bearer <token> (signing in is not enough)"
                )
                security_event("token_refused", reason="invalid" if bearer_secret() else "missing", scope=scope)
                return problem(401, detail, type_=UNAUTHORISED)
            security_event("token_used", level=logging.INFO, token_id=token.id, scope=scope)
            return view(*args, **kwargs)

        wrapped.is_public = True
        wrapped.token_scope = scope
        return wrapped

    return decorator


# Flask-Limiter checks limits before the view runs, so these look the token up themselves (once a request).
def rate_limit_key() -> str:
    """Each token has its own allowance, shared by every host through RATELIMIT_STORAGE_URI."""
    token = current_token(FIGURES_READ)
    return f"api-token:{token.id}" if token else f"api-no-token:{request.remote_addr}"


def without_usable_token() -> bool:
    """Calls without a usable token are refused (401) before any work, so they use no allowance."""
    return current_token(FIGURES_READ) is None


def rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]
