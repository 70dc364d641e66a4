"""Readiness (`/readyz`): whether this worker should take traffic, with the reasons if not.

Liveness (`/healthz`) asks only whether the database answers. Readiness also asks whether the
schema is at the migration this release expects, and whether a configured Redis (rate-limit
storage) answers. A load balancer polls it every few seconds on every worker, so the answer is
remembered per process for READINESS_CACHE_SECONDS; the reasons name no host, address or
person, since the page is public.
"""

import threading
import time

from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from inclusion.extensions import db
from inclusion.schema_version import AHEAD, EMPTY, schema_state

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
REDIS_TIMEOUT_SECONDS = 1.0

_remembered: dict[str, tuple[float, list[str]]] = {}
_guard = threading.Lock()


def readiness_problems() -> list[str]:
    """What stops this worker serving (an empty list when ready), remembered for a few seconds."""
    ttl = current_app.config.get("READINESS_CACHE_SECONDS", 5)
    key = f"{db.engine.url}|{current_app.config.get('RATELIMIT_STORAGE_URI')}"
    now = time.monotonic()
    with _guard:
        hit = _remembered.get(key)
        if hit is not None and now - hit[0] < ttl:
            return list(hit[1])
    problems = _schema_problems() + _redis_problems()
    with _guard:
        _remembered[key] = (now, problems)
    return list(problems)


def _schema_problems() -> list[str]:
    try:
        state = schema_state()
    except SQLAlchemyError:
        return ["the database does not answer"]
    if state.is_current:
        return []
    if state.status == EMPTY:
        return ["the database has no schema yet: run `flask db upgrade`"]
    if state.status == AHEAD:
        return ["the database schema is newer than this release: deploy the release that migrated it"]
    return ["the database schema is behind this release: run `flask db upgrade`"]


def _redis_problems() -> list[str]:
    uri = current_app.config.get("RATELIMIT_STORAGE_URI") or ""
    if not uri.startswith(REDIS_SCHEMES):
        return []
    import redis  # only a host with Redis storage configured pays for importing the client (~20 ms)

    client = redis.Redis.from_url(
        uri, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )
    try:
        client.ping()
    except (redis.RedisError, OSError):
        return ["Redis (the rate-limit storage) does not answer"]
    finally:
        client.close()
    return []
