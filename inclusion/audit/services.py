"""Recording audit events; called inside the service's own transaction, never commits."""

from typing import Any

from flask import has_request_context, request

from inclusion.audit.models import AuditEvent
from inclusion.extensions import db


def record_event(
    action: str,
    *,
    user_id: int | None,
    record_type: str | None = None,
    record_id: object = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction (the caller commits)."""
    event = AuditEvent(
        action=action,
        user_id=user_id,
        record_type=record_type,
        record_id=None if record_id is None else str(record_id),
        before=before,
        after=after,
        details=details,
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    return event


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that changed, as JSON-safe before/after dictionaries."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return ({k: _json_safe(before.get(k)) for k in keys}, {k: _json_safe(after.get(k)) for k in keys})


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value) if not hasattr(value, "isoformat") else value.isoformat()
