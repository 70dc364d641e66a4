"""One log line and one count per request; the request id returned in a response header."""

import logging
import sys
import time
import traceback

from flask import Flask, request, request_started

from inclusion.observability import context, prometheus
from inclusion.observability.logs import current_user_fields, security_event

request_logger = logging.getLogger("inclusion.requests")
# Asked every few seconds by machines (load balancer, Prometheus) or served by the proxy in
# production: logged at DEBUG so that they do not drown the lines people read.
QUIET_ENDPOINTS = frozenset({"static", "core.healthz", "core.readyz", "observability.metrics"})
# Statuses that are themselves security events.
REFUSALS = {403: "permission_refused", 429: "rate_limited"}
_STARTED = "inclusion.started"


def register_request_logging(app: Flask) -> None:
    request_started.connect(_start_clock, app, weak=False)
    app.after_request(_finish)
    app.log_exception = _log_exception.__get__(app)  # Flask's own would log the raw path


def _start_clock(_sender, **_extra) -> None:
    request.environ[_STARTED] = time.perf_counter()


def _finish(response):
    started = request.environ.get(_STARTED, time.perf_counter())
    seconds = time.perf_counter() - started
    endpoint = request.endpoint or "none"
    method = context.method()
    prometheus.REQUESTS.labels(endpoint=endpoint, method=method, status=str(response.status_code)).inc()
    prometheus.REQUEST_SECONDS.labels(endpoint=endpoint, method=method).observe(seconds)
    response.headers["X-Request-ID"] = context.request_id()
    if response.status_code in REFUSALS:
        security_event(REFUSALS[response.status_code], status=response.status_code, endpoint=request.endpoint)
    if response.status_code >= 500:
        level = logging.ERROR
    else:
        level = logging.DEBUG if endpoint in QUIET_ENDPOINTS else logging.INFO
    request_logger.log(
        level,
        "request",
        extra={
            "request_id": context.request_id(),
            "method": method,
            "route": context.route(),
            "endpoint": request.endpoint,
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 1),
            **current_user_fields(),
        },
    )
    return response


def _log_exception(app: Flask, exc_info) -> None:
    """An unhandled exception: its class and where it happened, under the request's id and route.

    Not its message, nor the path or query: a database's message quotes the values it refused
    (PostgreSQL's "Key (name)=(...) already exists"), and other messages may quote input too.
    """
    error = exc_info[1] if exc_info and exc_info[1] is not None else sys.exc_info()[1]
    logging.getLogger("inclusion.errors").error(
        "unhandled exception",
        extra={
            "request_id": context.request_id(),
            "method": context.method(),
            "route": context.route(),
            "error": type(error).__name__,
            "traceback": traceback_without_messages(error),
        },
    )


def traceback_without_messages(error: BaseException | None) -> str:
    """The code lines the exception (and each one it was raised from or during) passed through."""
    parts, seen = [], set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        frames = "".join(traceback.format_tb(error.__traceback__))
        parts.append(f"{frames}{type(error).__module__}.{type(error).__qualname__}")
        error = error.__cause__ or error.__context__
    return "\n(raised from or during)\n".join(parts)


def count_database_error(exception_context) -> None:
    """Count every error the driver raises (a statement that failed, a connection lost): an engine event."""
    error = exception_context.sqlalchemy_exception or exception_context.original_exception
    prometheus.DATABASE_ERRORS.labels(error=type(error).__name__).inc()
