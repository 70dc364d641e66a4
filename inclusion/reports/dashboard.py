"""Everything the dashboard shows, assembled from metrics.py (which defines every figure)."""

from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import select

from inclusion.auth.models import User
from inclusion.auth.roles import Role
from inclusion.extensions import db
from inclusion.learners.constants import AGE_BANDS
from inclusion.partners.models import Partner, Venue
from inclusion.reports import cache, metrics
from inclusion.reports.periods import Period, add_months
from inclusion.sessions.constants import SKILL_AREAS

HEADLINE_MEASURES = (
    ("adults_helped", "Adults helped"),
    ("new_learners", "New learners"),
    ("returning_learners", "Returning learners"),
    ("sessions_delivered", "Sessions delivered"),
    ("attendances", "Attendances"),
    ("learner_hours", "Learner hours"),
    ("skills_gained", "Skills gained"),
    ("learners_gaining_skills", "Learners gaining skills"),
    ("unregistered_attendances", "Unregistered attendances"),
    ("learners_reaching_foundation", "Learners reaching foundation skills"),
    ("learners_reaching_life_skills", "Learners reaching life skills"),
    ("confidence_checks_paired", "Learners with a before-and-after confidence check"),
    ("learners_more_confident", "Learners more confident"),
    ("follow_ups_due", "Follow-ups due"),
    ("follow_ups_reached", "Learners reached at follow-up"),
    ("learners_progressed", "Learners gone on to learning, work or volunteering"),
    ("signposts_made", "Signposts made"),
    ("signposts_arrived", "Signposts arrived"),
)
# Devices and data: the period's figure only (the headline's comparisons would cost three queries each).
DEVICE_MEASURES = (
    ("devices_lent", "Devices lent"),
    ("devices_returned", "Devices returned"),
    ("devices_gifted", "Devices given away"),
    ("data_gifts", "SIMs and data vouchers given"),
    ("adults_connected", "Adults given a device or data"),
    ("loans_overdue", "Loans overdue at the end of the period"),
)
BREAKDOWN_MEASURES = (
    ("adults_helped", "Adults helped"),
    ("new_learners", "New learners"),
    ("attendances", "Attendances"),
    ("skills_gained", "Skills gained"),
)
TREND_MEASURES = (
    ("new_learners", "New learners"),
    ("adults_helped", "Adults helped"),
    ("skills_gained", "Skills gained"),
)
# Follow-ups have partner rows only: their trend is not shown with a venue chosen.
FOLLOW_UP_TREND = (
    ("follow_ups_due", "Due"),
    ("follow_ups_reached", "Reached"),
    ("learners_progressed", "Gone on to learning, work or volunteering"),
)
# The outcome measures' trends (version 2), each a small chart of its own beside the first: (heading, measures).
OUTCOME_TRENDS = (
    (
        "Confidence before and after",
        (
            ("confidence_checks_paired", "With a before-and-after check"),
            ("learners_more_confident", "More confident"),
        ),
    ),
    (
        "Skills levels reached",
        (
            ("learners_reaching_foundation", "Reaching foundation skills"),
            ("learners_reaching_life_skills", "Reaching life skills"),
        ),
    ),
    ("Follow-ups month by month (about three months after a learner's first session)", FOLLOW_UP_TREND),
)
TREND_MONTHS = 12
MONTH_CHOICES = 36


@dataclass(frozen=True)
class Filters:
    period: Period
    partner_id: int | None = None
    venue_id: int | None = None
    partner_name: str | None = None
    venue_name: str | None = None


@dataclass
class Dashboard:
    filters: Filters
    suppressed: bool
    headline: list[dict] = field(default_factory=list)
    not_by_venue: list[str] = field(default_factory=list)  # labels of measures a venue filter leaves out
    devices: list[dict] = field(default_factory=list)
    milestone: dict = field(default_factory=dict)  # the alliance's progress: empty when filtered
    target: int = 0
    trend: list[dict] = field(default_factory=list)
    trend_max: int = 0
    outcome_trends: list[dict] = field(default_factory=list)  # one per OUTCOME_TRENDS: heading, measures, rows, max
    skills_by_area: list[dict] = field(default_factory=list)
    breakdowns: dict[str, list[dict]] = field(default_factory=dict)


def month_choices(today: date) -> list[tuple[str, str]]:
    """The last three years of months, newest first."""
    first = today.replace(day=1)
    months = [Period.month(add_months(first, -offset)) for offset in range(MONTH_CHOICES)]
    return [(month.key, month.label) for month in months]


def period_choices(today: date) -> list[tuple[str, str]]:
    """Single months, then longer runs of whole months ending with the current one."""
    this = Period.month(today)
    # The UK financial year starts in April.
    april = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    runs = [
        (Period(add_months(this.start, -2), this.end), "Last 3 months"),
        (Period(add_months(this.start, -11), this.end), "Last 12 months"),
        (Period(april, this.end), "Financial year so far"),
    ]
    return month_choices(today) + [(run.key, f"{label} ({run.label})") for run, label in runs]


def partner_choices(user: User) -> list[tuple[str, str]]:
    """Partners the user may filter by: a champion only their own."""
    stmt = select(Partner.id, Partner.name).order_by(Partner.name)
    if user.role == Role.CHAMPION:
        return [("", user.partner.name)] if user.partner else []
    return [("", "All partners")] + [(str(pid), name) for pid, name in db.session.execute(stmt)]


def venue_choices(user: User) -> list[tuple[str, str]]:
    stmt = select(Venue.id, Venue.name).order_by(Venue.name)
    if user.role == Role.CHAMPION:
        stmt = stmt.where(Venue.partner_id == user.partner_id)
    return [("", "All venues")] + [(str(vid), name) for vid, name in db.session.execute(stmt)]


class FilterError(ValueError):
    """Filters that contradict each other; the message says which and what to choose instead."""


def resolve_filters(user: User, period: Period, partner_id: int | None, venue_id: int | None) -> Filters:
    """Apply the user's permissions: a champion always sees only their own partner's figures.

    A venue of another partner than the one chosen is a FilterError, never silently dropped.
    """
    if user.role == Role.CHAMPION:
        if user.partner_id is None:
            raise PermissionError("A champion without a partner has no figures to see")
        partner_id = user.partner_id
    venue = db.session.get(Venue, venue_id) if venue_id else None
    partner = db.session.get(Partner, partner_id) if partner_id else None
    if venue is not None and partner is not None and venue.partner_id != partner.id:
        raise FilterError(
            f"{venue.name} is not one of {partner.name}'s venues: choose one of its venues, or All venues"
        )
    return Filters(
        period,
        partner.id if partner else None,
        venue.id if venue else None,
        partner.name if partner else None,
        venue.name if venue else None,
    )


def build_dashboard(filters: Filters, *, today: date, suppressed: bool) -> Dashboard:
    """The dashboard's figures; `suppressed` (funders) hides small numbers as the CSV does."""
    with cache.one_version():  # ~90 figures, one read of the data version (they only read)
        return _build_dashboard(filters, today=today, suppressed=suppressed)


def _build_dashboard(filters: Filters, *, today: date, suppressed: bool) -> Dashboard:
    narrowed = {"partner_id": filters.partner_id, "venue_id": filters.venue_id}
    filtered = filters.partner_id is not None or filters.venue_id is not None
    threshold = _threshold() if suppressed else 0

    def shown(measure, value, breakdown=False):
        return metrics.suppress(measure, value, threshold) if (breakdown or filtered) else value

    period = filters.period
    board = Dashboard(filters, suppressed)
    comparisons = (period, period.previous(), period.year_earlier())
    for measure, label in HEADLINE_MEASURES:
        if filters.venue_id is not None and measure in metrics.REGISTERING_PARTNER_MEASURES:
            board.not_by_venue.append(label)  # counted by the learner's registering partner only
            continue
        figure = metrics.ALL_MEASURES[measure]
        values = [shown(measure, figure(p, **narrowed)) for p in comparisons]
        board.headline.append({"measure": measure, "label": label, "values": values})

    for measure, label in DEVICE_MEASURES:
        value = shown(measure, metrics.ALL_MEASURES[measure](period, **narrowed))
        board.devices.append({"measure": measure, "label": label, "value": value})
    board.target = metrics.milestone_target()
    if not filtered:  # the milestone is the alliance's: a partner or venue has no share of it to show
        board.milestone = _milestone(period, today)

    span = Period(add_months(period.start, 1 - TREND_MONTHS), period.end)
    series = {m: metrics.MEASURES[m](span, by="month", **narrowed) for m, _ in TREND_MEASURES}
    for month in span.each_month():
        raw = {measure: series[measure].get(month.key, 0) for measure, _ in TREND_MEASURES}
        board.trend.append({"month": month, "raw": raw, "values": {m: shown(m, v) for m, v in raw.items()}})
    board.trend_max = max([max(row["raw"].values()) for row in board.trend] + [1])
    board.outcome_trends = [
        _trend(heading, measures, span, narrowed, shown)
        for heading, measures in OUTCOME_TRENDS
        if filters.venue_id is None or measures is not FOLLOW_UP_TREND
    ]

    gained = metrics.skills_gained(period, by="skill_area", **narrowed)
    gaining = metrics.learners_gaining_skills(period, by="skill_area", **narrowed)
    board.skills_by_area = [
        {
            "code": code,
            "name": name,
            "skills_gained": shown("skills_gained", gained.get(code, 0), True),
            "learners_gaining_skills": shown("learners_gaining_skills", gaining.get(code, 0), True),
        }
        for code, name in SKILL_AREAS.items()
    ]

    for dimension in ("partner", "venue", "age_band"):
        values = {m: metrics.MEASURES[m](period, by=dimension, **narrowed) for m, _ in BREAKDOWN_MEASURES}
        categories = sorted(set().union(*(v.keys() for v in values.values())))
        if dimension == "age_band":
            categories = [band for band in AGE_BANDS if band in categories]
        columns = []
        for measure, _ in BREAKDOWN_MEASURES:
            column = {c: shown(measure, values[measure].get(c, 0), True) for c in categories}
            if dimension == "age_band":  # the bands partition the total: as the funder CSV (version 2)
                column = metrics.suppress_partition(column, threshold)
            columns.append(column)
        board.breakdowns[dimension] = [
            {"category": category, "values": [column[category] for column in columns]} for category in categories
        ]
    return board


def _trend(heading: str, measures, span: Period, narrowed: dict, shown) -> dict:
    """One chart's months: each measure's monthly figures (metrics.py, by="month"), suppressed as `shown` says."""
    series = {measure: metrics.ALL_MEASURES[measure](span, by="month", **narrowed) for measure, _ in measures}
    rows = []
    for month in span.each_month():
        raw = {measure: series[measure].get(month.key, 0) for measure, _ in measures}
        rows.append({"month": month, "raw": raw, "values": {m: shown(m, v) for m, v in raw.items()}})
    top = max([max(row["raw"].values()) for row in rows] + [1])
    return {"heading": heading, "measures": measures, "rows": rows, "max": top}


def _milestone(period: Period, today: date) -> dict:
    """Progress to the alliance's target up to the end of `period`, and when it would be reached."""
    to_date = metrics.adults_helped_to_date(period)
    target = metrics.milestone_target()
    # Up to the end of the current month is up to today: no session is recorded ahead.
    known = to_date if period.start <= today <= period.end else None
    projection = metrics.projected_milestone_date(today, helped_to_date=known)
    return {
        "helped": to_date,
        "target": target,
        "percent": metrics.percent_of_target(to_date),
        "bar_percent": min(100, 100 * to_date / target),
        "projection": projection,
        "projection_new": projection.new_in_window,
        "so_far": period.end >= today,
    }


def _threshold() -> int:
    return current_app.config["SUPPRESSION_THRESHOLD"]
