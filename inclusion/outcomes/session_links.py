"""What the saved session page offers each attendee: a baseline confidence check, or an exit check.

The sessions package cannot import this one (outcomes builds on sessions), so create_app adds
`confidence_stages` as a template global that the session page calls once for all its attendees.
"""

from flask import Flask
from sqlalchemy import select

from inclusion.extensions import db
from inclusion.outcomes.models import ConfidenceCheck


def confidence_stages(attendees) -> dict[int, str]:
    """learner id → the check to offer: "baseline" until the learner has one, then "exit" (one query)."""
    learner_ids = [row.learner.id for row in attendees]
    if not learner_ids:
        return {}
    with_baseline = set(
        db.session.scalars(
            select(ConfidenceCheck.learner_id).where(
                ConfidenceCheck.learner_id.in_(learner_ids), ConfidenceCheck.stage == "baseline"
            )
        )
    )
    return {learner_id: "exit" if learner_id in with_baseline else "baseline" for learner_id in learner_ids}


def register(app: Flask) -> None:
    app.add_template_global(confidence_stages, "confidence_stages")
