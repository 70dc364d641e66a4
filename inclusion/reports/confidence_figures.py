"""Aggregate SQL for the confidence measures: each adult's latest later check in scope, beside their baseline.

One row per adult with a baseline and an exit or follow-up check in scope: the latest such check
(by date, then id) gives the venue the learner counts under, and its overall answer is set beside
the baseline's (DESIGN.md, "Outcomes").
"""

from sqlalchemy import Column, Date, Integer, MetaData, String, Subquery, Table, func, select

from inclusion.reports.queries import Scope, _adult, _within

_metadata = MetaData()
_CHECKS = Table(
    "confidence_checks",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("learner_id", Integer),
    Column("stage", String),
    Column("checked_on", Date),
    Column("venue_id", Integer),
    Column("overall", Integer),
)
LATER_STAGES = ("exit", "follow-up")  # as inclusion/outcomes/models.py


def paired_checks(scope: Scope) -> Subquery:
    """(learner_key, venue_id, overall, baseline_overall): adults with a baseline and a later check in scope."""
    checks = _CHECKS
    latest = (
        func.row_number()
        .over(partition_by=checks.c.learner_id, order_by=(checks.c.checked_on.desc(), checks.c.id.desc()))
        .label("latest")
    )
    later = select(checks.c.learner_id, checks.c.checked_on, checks.c.venue_id, checks.c.overall, latest)
    later = later.where(checks.c.stage.in_(LATER_STAGES), checks.c.checked_on <= scope.end)
    if scope.start is not None:
        later = later.where(checks.c.checked_on >= scope.start)
    later = later.subquery("later_checks")
    baseline = _CHECKS.alias("baseline")
    stmt = (
        select(
            later.c.learner_id.label("learner_key"),
            later.c.venue_id,
            later.c.overall,
            baseline.c.overall.label("baseline_overall"),
        )
        .join(baseline, (baseline.c.learner_id == later.c.learner_id) & (baseline.c.stage == "baseline"))
        .where(later.c.latest == 1, _adult(later.c.learner_id))
    )
    return _within(stmt, scope, later.c.checked_on, later.c.venue_id).subquery("paired_checks")


def more_confident(scope: Scope) -> Subquery:
    """Of paired_checks, those whose latest later check's overall answer is above the baseline's."""
    paired = paired_checks(scope)
    stmt = select(paired).where(paired.c.overall > paired.c.baseline_overall)
    return stmt.subquery("more_confident")
