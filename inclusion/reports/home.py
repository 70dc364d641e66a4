"""The coordinator's home panel: this month's headline figures, from metrics.py (cached like the dashboard)."""

from dataclasses import dataclass
from datetime import date

from inclusion.auth.models import User
from inclusion.reports import metrics
from inclusion.reports.periods import Period, this_month
from inclusion.timeutil import today_in_london

HOME_MEASURES = (
    ("adults_helped", "Adults helped"),
    ("new_learners", "New learners"),
    ("sessions_delivered", "Sessions delivered"),
    ("skills_gained", "Skills gained"),
)


@dataclass(frozen=True)
class MonthFigures:
    period: Period
    so_far: bool  # the month is not over: the figures are "so far"
    figures: list[tuple[str, int]]  # (label, value) in HOME_MEASURES order
    helped_to_date: int
    target: int
    percent: object  # Decimal, to one place


def month_figures(user: User, *, today: date | None = None) -> MonthFigures:
    """The whole alliance's figures for the current month (coordinators and admins see every partner)."""
    today = today or today_in_london()
    period = this_month(today)
    helped = metrics.adults_helped_to_date(period)
    return MonthFigures(
        period=period,
        so_far=period.start <= today <= period.end,
        figures=[(label, metrics.ALL_MEASURES[measure](period)) for measure, label in HOME_MEASURES],
        helped_to_date=helped,
        target=metrics.milestone_target(),
        percent=metrics.percent_of_target(helped),
    )
