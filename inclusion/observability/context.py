"""What a log line may say about the current request: its id and its route (never its raw path)."""

import re
import secrets

from flask import current_app, request

# What we accept from a proxy's header: short, and nothing that could break a log line or a grep.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")
_ENVIRON_KEY = "inclusion.request_id"


def request_id() -> str:
    """This request's id: the trusted proxy's (when TRUSTED_PROXY_COUNT > 0 and it is well formed), else new."""
    environ = request.environ
    if _ENVIRON_KEY not in environ:
        given = request.headers.get(current_app.config["REQUEST_ID_HEADER"], "")
        trusted = current_app.config.get("TRUSTED_PROXY_COUNT", 0) > 0
        environ[_ENVIRON_KEY] = given if trusted and REQUEST_ID_PATTERN.fullmatch(given) else secrets.token_hex(16)
    return environ[_ENVIRON_KEY]


def route() -> str | None:
    """The URL rule (`/learners/<reference>`), which names no record; None when nothing matched."""
    rule = request.url_rule
    return rule.rule if rule is not None else None


KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def method() -> str:
    """The request's method, or `OTHER` for a made-up one (so a label cannot grow without bound)."""
    return request.method if request.method in KNOWN_METHODS else "OTHER"
