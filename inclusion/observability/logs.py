"""Log lines an operator can read: one JSON object a line on stderr, and the security events.

Everything the app logs goes through the standard `logging` module under the `inclusion`
logger (requests: `inclusion.requests`, security events: `inclusion.security`, command-line
jobs: `inclusion.jobs`). What a line may hold is fixed in docs/operations.md: ids, roles,
routes and outcomes, never a name, e-mail address, date of birth, postcode or search term.
"""

import logging
import sys
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

from inclusion.observability import context, prometheus

ROOT_LOGGER = "inclusion"
security_logger = logging.getLogger("inclusion.security")

# Fields a security event must never carry: an event is about an account or a record, named by id.
FORBIDDEN_FIELDS = frozenset(
    {"email", "name", "first_name", "last_name", "date_of_birth", "postcode", "phone", "password", "query", "q"}
)
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def _utc_time(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonLineFormatter(JsonFormatter):
    """`{"time": ..., "level": ..., "logger": ..., "message": ..., <fields>}` on one line."""

    def __init__(self):
        super().__init__("%(levelname)s %(name)s %(message)s", rename_fields={"levelname": "level", "name": "logger"})

    def add_fields(self, log_data, record, message_dict):  # positional: the names changed across versions
        super().add_fields(log_data, record, message_dict)
        fields = dict(log_data)
        log_data.clear()
        log_data["time"] = _utc_time(record)
        log_data.update(fields)


class TextLineFormatter(logging.Formatter):
    """For development: `time LEVEL logger message key=value ...`."""

    def format(self, record: logging.LogRecord) -> str:
        extras = " ".join(
            f"{key}={value}"
            for key, value in vars(record).items()
            if key not in _RECORD_ATTRIBUTES and value is not None
        )
        line = f"{_utc_time(record)} {record.levelname} {record.name} {record.getMessage()}"
        line = f"{line} {extras}" if extras else line
        if record.exc_info:
            line = f"{line}\n{self.formatException(record.exc_info)}"
        return line


class StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (pytest and click swap it), not the one at start-up."""

    def __init__(self):
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


FORMATTERS = {"json": JsonLineFormatter, "text": TextLineFormatter}


def configure_logging(app: Flask) -> None:
    """Level and format from LOG_LEVEL and LOG_FORMAT; one stderr handler on the `inclusion` logger."""
    level_name = str(app.config["LOG_LEVEL"]).upper()
    level = logging.getLevelName(level_name)
    if not isinstance(level, int):
        raise RuntimeError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not '{app.config['LOG_LEVEL']}'")
    log_format = str(app.config["LOG_FORMAT"]).lower()
    if log_format not in FORMATTERS:
        raise RuntimeError(f"LOG_FORMAT must be json or text, not '{app.config['LOG_FORMAT']}'")
    logger = logging.getLogger(ROOT_LOGGER)
    logger.setLevel(level)
    for handler in [h for h in logger.handlers if isinstance(h, StderrHandler)]:
        logger.removeHandler(handler)  # several apps in one process (tests): the last one's settings
    if app.config.get("LOG_TO_STDERR", True):
        handler = StderrHandler()
        handler.setFormatter(FORMATTERS[log_format]())
        logger.addHandler(handler)
        logger.propagate = False  # one line each, even if something configured the root logger
    else:
        logger.propagate = True  # to the root logger, where pytest's caplog listens


def current_user_fields() -> dict:
    """The signed-in user's id and role if this request has loaded them (never loads them itself)."""
    user = g.get("_login_user") if has_request_context() else None
    if user is None or not getattr(user, "is_authenticated", False):
        return {"user_id": None, "role": None}
    return {"user_id": user.id, "role": str(user.role)}


def security_event(name: str, *, level: int = logging.WARNING, **fields) -> None:
    """Log one security event (`sign_in_failed`, `account_locked`, `permission_refused`, `export`,
    `token_used`, ...) with the request's id, user and route; `fields` are ids and codes only.

    Raises ValueError for a field that would carry personal data (an e-mail address, a name...).
    """
    forbidden = FORBIDDEN_FIELDS & set(fields)
    if forbidden:
        raise ValueError(f"security events never carry {', '.join(sorted(forbidden))}: log an id instead")
    event = {"event": name}
    if has_request_context():
        event |= {
            "request_id": context.request_id(),
            **current_user_fields(),
            "route": context.route(),
            "method": context.method(),
            "client_ip": request.remote_addr,
        }
    event |= fields
    prometheus.SECURITY_EVENTS.labels(event=name).inc()
    security_logger.log(level, name, extra=event)
