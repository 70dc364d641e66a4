"""Logs and metrics an operator can read: structured log lines, security events, Prometheus metrics.

`register(app)` wires logging and the request hooks into an app; create_app calls it first, so
that its hooks see every request, even one that another hook answers early. The `/metrics`
blueprint and the logging of command-line jobs are registered with the other blueprints and
commands. Feature code says what happened through `logs.security_event(...)` and `prometheus`.
"""

from flask import Flask


def register(app: Flask) -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from inclusion.observability.access import check_metrics_settings
    from inclusion.observability.logs import configure_logging
    from inclusion.observability.prometheus import prepare_multiprocess_dir
    from inclusion.observability.requests import count_database_error, register_request_logging

    configure_logging(app)
    check_metrics_settings(app)
    prepare_multiprocess_dir()
    register_request_logging(app)
    if not event.contains(Engine, "handle_error", count_database_error):
        event.listen(Engine, "handle_error", count_database_error)
