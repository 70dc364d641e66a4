"""Every figure of DESIGN.md's metric table: the one place each is defined.

Each measure is a function of a period, optionally narrowed to one partner or venue, that
returns a number, or with `by=` a breakdown {category: number} ("partner", "venue",
"skill_area", "age_band"; and "month" for the trend measures adults_helped, new_learners,
skills_gained, learners_gaining_skills and the four outcome measures of version 2). Breakdowns
list only categories with rows; filling in zeros is the caller's business. The dashboard, the
CSV and anything later call these and nothing else.
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask import current_app
from sqlalchemy import select

from inclusion.extensions import db
from inclusion.reports import (
    cache,
    confidence_figures,
    device_figures,
    follow_up_figures,
    queries,
    signpost_figures,
    skills_levels,
)
from inclusion.reports.cache import cached_figure
from inclusion.reports.models import Milestone
from inclusion.reports.periods import Period

DEFAULT_MILESTONE_TARGET = 5000
ONE_DECIMAL = Decimal("0.1")


def _scope(period: Period, partner_id: int | None, venue_id: int | None, *, to_date=False) -> queries.Scope:
    return queries.Scope(None if to_date else period.start, period.end, partner_id, venue_id)


def _by_month(name: str, period: Period, partner_id, venue_id, facts_for, value_for) -> dict[str, int]:
    """A trend: the figure for each calendar month of `period` (breakdown by="month").

    Each month is remembered on its own (cache.each_month): after a write only the months it reaches are counted.
    """

    def count(months: list[Period]) -> dict[str, int]:
        arms = [(month.key, month.start, month.end) for month in months]
        return queries.each_month(arms, facts_for, value_for, _scope(period, partner_id, venue_id))

    return cache.each_month(name, list(period.each_month()), count, partner_id=partner_id, venue_id=venue_id)


def _by_month_once(name: str, period: Period, partner_id, venue_id, facts_for, value_for) -> dict[str, int]:
    """A trend of facts dated by their session_date that do not depend on the period (the skills levels):
    found once for the months to count, then counted month by month (breakdown by="month")."""

    def count(months: list[Period]) -> dict[str, int]:
        arms = [(month.key, month.start, month.end) for month in months]
        span = Period(months[0].start, months[-1].end)
        return queries.each_month_of(arms, facts_for(_scope(span, partner_id, venue_id)), "session_date", value_for)

    return cache.each_month(name, list(period.each_month()), count, partner_id=partner_id, venue_id=venue_id)


def _learners(facts):
    return queries.count_distinct(facts.c.learner_key)


def one_decimal(numerator: int, denominator: int) -> Decimal:
    """numerator / denominator to one decimal place, halves rounded up (as people expect)."""
    return (Decimal(numerator) / Decimal(denominator)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


@cached_figure
def adults_helped_to_date(period: Period, *, partner_id=None, venue_id=None, by=None):
    """Distinct adults with at least one attendance on or before the period's last day."""
    scope = _scope(period, partner_id, venue_id, to_date=True)
    if partner_id is None and venue_id is None and by in (None, "age_band"):
        facts = queries.first_attenders(scope)  # first attended by the period's end
        return queries.aggregate(facts, queries.count_rows(), by)
    # By place, or at one place: the distinct learners of their first attendances at each venue
    # there (one flagged row per learner and venue, read from a partial index).
    facts = queries.first_visits(scope)
    return queries.aggregate(facts, _learners(facts), by, whole_history=True)


@cached_figure
def adults_helped(period: Period, *, partner_id=None, venue_id=None, by=None):
    """Distinct adults with at least one attendance in the period."""
    if by == "month":
        return _by_month("adults_helped", period, partner_id, venue_id, queries.adult_attendances, _learners)
    facts = queries.adult_attendances(_scope(period, partner_id, venue_id))
    return queries.aggregate(facts, _learners(facts), by)


@cached_figure
def new_learners(period: Period, *, partner_id=None, venue_id=None, by=None):
    """Adults whose first attendance ever falls in the period (under every venue they attended in it)."""
    # The whole alliance's new learners are read off the learners' first attendance dates; by
    # place, or at one place, each attendance in the period is checked against its learner's.
    places = by in ("partner", "venue") or partner_id is not None or venue_id is not None
    facts_for = queries.new_learner_attendances if places else queries.first_attenders
    if by == "month":  # new in a month: first attending in it (and attending there in it)
        return _by_month("new_learners", period, partner_id, venue_id, facts_for, _learners)
    facts = facts_for(_scope(period, partner_id, venue_id))
    return queries.aggregate(facts, _learners(facts), by)


@cached_figure
def returning_learners(period: Period, *, partner_id=None, venue_id=None, by=None):
    """Adults helped in the period who had attended before it: adults_helped − new_learners."""
    helped = adults_helped(period, partner_id=partner_id, venue_id=venue_id, by=by)
    new = new_learners(period, partner_id=partner_id, venue_id=venue_id, by=by)
    if by is None:
        return helped - new
    return {category: count - new.get(category, 0) for category, count in helped.items()}


@cached_figure
def sessions_delivered(period: Period, *, partner_id=None, venue_id=None, by=None):
    """Sessions in the period with at least one attendee (of any age) or unregistered attendee."""
    sessions = queries.sessions_in_scope(_scope(period, partner_id, venue_id), delivered_only=True)
    return queries.aggregate(sessions, queries.count_rows(), by)


@cached_figure
def unregistered_attendances(period: Period, *, partner_id=None, venue_id=None, by=None):
    """The sum of unregistered attendees over the sessions in the period."""
    sessions = queries.sessions_in_scope(_scope(period, partner_id, venue_id))
    return queries.aggregate(sessions, queries.total(sessions.c.unregistered_attendees), by)


@cached_figure
def attendances(period: Period, *, partner_id=None, venue_id=None, by=None):
    """Attendances of adults at sessions in the period (a merged duplicate's counted once per session)."""
    facts = queries.adult_attendances(_scope(period, partner_id, venue_id), distinct=True)
    return queries.aggregate(facts, queries.count_rows(), by)


@cached_figure
def learner_hours(period: Period, *, partner_id=None, venue_id=None, by=None):
    """The sum of session durations over those attendances, in hours to one decimal."""
    facts = queries.adult_attendances(_scope(period, partner_id, venue_id), distinct=True, minutes=True)
    minutes = queries.aggregate(facts, queries.total(facts.c.duration_minutes), by)
    if by is None:
        return one_decimal(minutes, 60)
    return {category: one_decimal(value, 60) for category, value in minutes.items()}


@cached_figure
def skills_gained(period: Period, *, partner_id=None, venue_id=None, by=None):
    """First achievements of a skill by an adult (learner, skill pairs) made at sessions in the period."""
    if by == "month":
        return _by_month(
            "skills_gained",
            period,
            partner_id,
            venue_id,
            queries.first_skill_achievements,
            lambda firsts: queries.count_rows(),
        )
    firsts = queries.first_skill_achievements(_scope(period, partner_id, venue_id))
    return queries.aggregate(firsts, queries.count_rows(), by)


@cached_figure
def learners_gaining_skills(period: Period, *, partner_id=None, venue_id=None, by=None):
    """Distinct adults with at least one first achievement of a skill in the period."""
    if by == "month":
        return _by_month(
            "learners_gaining_skills", period, partner_id, venue_id, queries.first_skill_achievements, _learners
        )
    firsts = queries.first_skill_achievements(_scope(period, partner_id, venue_id))
    return queries.aggregate(firsts, _learners(firsts), by)


def milestone_target() -> int:
    """The MILESTONE_TARGET setting if it is set, else the current milestone's target, else 5,000."""
    configured = current_app.config.get("MILESTONE_TARGET")
    if configured:
        return int(configured)
    target = db.session.scalar(
        select(Milestone.target).where(Milestone.is_current.is_(True)).order_by(Milestone.id.desc()).limit(1)
    )
    return target or DEFAULT_MILESTONE_TARGET


def milestone_progress_percent(period: Period, *, partner_id=None, venue_id=None) -> Decimal:
    """100 × adults_helped_to_date / milestone_target, to one decimal."""
    return percent_of_target(adults_helped_to_date(period, partner_id=partner_id, venue_id=venue_id))


def percent_of_target(helped_to_date: int) -> Decimal:
    """milestone_progress_percent for an adults_helped_to_date figure already worked out."""
    return one_decimal(100 * helped_to_date, milestone_target())


@dataclass(frozen=True)
class Projection:
    """When the milestone would be reached at the recent rate of new learners."""

    status: str  # "reached", "projected" or "not enough data"
    reached_on: date | None = None
    new_in_window: int = 0
    window_days: int = 90


MINIMUM_NEW_LEARNERS_FOR_PROJECTION = 5


def projected_milestone_date(
    today: date, *, partner_id=None, venue_id=None, window_days=90, helped_to_date: int | None = None
) -> Projection:
    """Project the date adults_helped_to_date reaches the target at the trailing `window_days` rate.

    Too little data (records that began less than a whole window ago, or fewer than
    five new learners in it) gives status "not enough data" rather than a wild guess.
    `helped_to_date`: adults_helped_to_date up to today, if the caller has it already.
    """
    window = Period(today - timedelta(days=window_days - 1), today)
    helped = helped_to_date
    if helped is None:
        helped = adults_helped_to_date(window, partner_id=partner_id, venue_id=venue_id)
    target = milestone_target()
    if helped >= target:
        return Projection("reached", window_days=window_days)
    recent = new_learners(window, partner_id=partner_id, venue_id=venue_id)
    earliest = queries.earliest_attendance_date()
    if earliest is None or earliest > window.start or recent < MINIMUM_NEW_LEARNERS_FOR_PROJECTION:
        return Projection("not enough data", new_in_window=recent, window_days=window_days)
    days = math.ceil((target - helped) * window_days / recent)
    return Projection("projected", today + timedelta(days=days), recent, window_days)


# measure name → function, in DESIGN.md's order; the CSV and the dashboard iterate over this.
MEASURES = {
    "adults_helped_to_date": adults_helped_to_date,
    "adults_helped": adults_helped,
    "new_learners": new_learners,
    "returning_learners": returning_learners,
    "sessions_delivered": sessions_delivered,
    "unregistered_attendances": unregistered_attendances,
    "attendances": attendances,
    "learner_hours": learner_hours,
    "skills_gained": skills_gained,
    "learners_gaining_skills": learners_gaining_skills,
}
SESSION_MEASURES = ("sessions_delivered", "unregistered_attendances")
SKILL_MEASURES = ("skills_gained", "learners_gaining_skills")
SUPPRESSED_MEASURES = (
    "adults_helped_to_date",
    "adults_helped",
    "new_learners",
    "returning_learners",
    "attendances",
    "skills_gained",
    "learners_gaining_skills",
    # Second stage (version 2): every new measure is suppressed like adults_helped, except loans_overdue.
    "confidence_checks_paired",
    "learners_more_confident",
    "learners_reaching_foundation",
    "learners_reaching_life_skills",
    "follow_ups_due",
    "follow_ups_reached",
    "learners_progressed",
    "devices_lent",
    "devices_returned",
    "devices_gifted",
    "data_gifts",
    "adults_connected",
    "signposts_made",
    "signposts_arrived",
)
# Counted by the learner's registering partner, with no venue rows (DESIGN.md, "Outcomes").
REGISTERING_PARTNER_MEASURES = ("follow_ups_due", "follow_ups_reached", "learners_progressed")
# Devices and data: counts of loans and gifts, by the venue (and partner) of the loan or gift; only
# adults_connected counts people, and so has age-band rows.
DEVICE_MEASURES = ("devices_lent", "devices_returned", "devices_gifted", "data_gifts", "loans_overdue")


def dimensions_of(measure: str) -> tuple[str, ...]:
    """The breakdowns DESIGN.md gives a measure."""
    if measure in SESSION_MEASURES or measure in DEVICE_MEASURES:
        return ("partner", "venue")
    if measure in SKILL_MEASURES:
        return ("partner", "venue", "skill_area", "age_band")
    if measure in REGISTERING_PARTNER_MEASURES:
        return ("partner", "age_band")
    return ("partner", "venue", "age_band")


def suppress(measure: str, value, threshold: int):
    """A breakdown value from 1 to threshold − 1 of a learner-count measure becomes "[c]"; 0 turns it off."""
    if measure in SUPPRESSED_MEASURES and threshold > 0 and 0 < value < threshold:
        return "[c]"
    return value


def suppress_partition(values: dict, threshold: int) -> dict:
    """Secondary suppression of cells that partition a total (age bands), given in category order.

    `values` are already primarily suppressed (suppress()). Where exactly one cell is "[c]", the
    smallest remaining non-zero cell (ties: the first in category order) becomes "[c]" too, so the
    hidden one cannot be worked out as the total minus the others. None or several hidden: as given.
    """
    hidden = [category for category, value in values.items() if isinstance(value, str)]
    if threshold <= 0 or len(hidden) != 1:
        return dict(values)
    shown = [(value, index, category) for index, (category, value) in enumerate(values.items())]
    candidates = [item for item in shown if not isinstance(item[0], str) and item[0] > 0]
    if not candidates:
        return dict(values)
    _, _, smallest = min(candidates)
    return {category: "[c]" if category == smallest else value for category, value in values.items()}


@cached_figure
def learners_reaching_foundation(period: Period, *, partner_id=None, venue_id=None, by=None):
    """Adults who first held every framework foundation skill (local ones not needed) on a session date in
    the period: once each, under the venue of the session that completed it."""
    if by == "month":  # a trend: completions found once, then one small aggregate per month
        return _by_month_once(
            "learners_reaching_foundation",
            period,
            partner_id,
            venue_id,
            skills_levels.foundation_completions,
            _learners,
        )
    facts = skills_levels.foundation_completions(_scope(period, partner_id, venue_id))
    return queries.aggregate(facts, _learners(facts), by)


@cached_figure
def learners_reaching_life_skills(period: Period, *, partner_id=None, venue_id=None, by=None):
    """Adults who first held a skill (local ones count) in each of COM, HIC, TRA, PRB and SAF on a session
    date in the period: once each, under the venue of the session that completed it."""
    if by == "month":  # a trend: completions found once, then one small aggregate per month
        return _by_month_once(
            "learners_reaching_life_skills",
            period,
            partner_id,
            venue_id,
            skills_levels.life_skills_completions,
            _learners,
        )
    facts = skills_levels.life_skills_completions(_scope(period, partner_id, venue_id))
    return queries.aggregate(facts, _learners(facts), by)


@cached_figure
def confidence_checks_paired(period: Period, *, partner_id=None, venue_id=None, by=None):
    """Adults with a baseline check and at least one later (exit or follow-up) check recorded in the period,
    under the venue of the latest of those later checks."""
    if by == "month":  # a trend: one small aggregate per month
        return _by_month(
            "confidence_checks_paired", period, partner_id, venue_id, confidence_figures.paired_checks, _learners
        )
    facts = confidence_figures.paired_checks(_scope(period, partner_id, venue_id))
    return queries.aggregate(facts, _learners(facts), by)


@cached_figure
def learners_more_confident(period: Period, *, partner_id=None, venue_id=None, by=None):
    """Those of confidence_checks_paired whose latest later check in the period has a higher overall
    confidence than their baseline (a skipped overall answer on either is not higher)."""
    if by == "month":  # a trend: one small aggregate per month
        return _by_month(
            "learners_more_confident", period, partner_id, venue_id, confidence_figures.more_confident, _learners
        )
    facts = confidence_figures.more_confident(_scope(period, partner_id, venue_id))
    return queries.aggregate(facts, _learners(facts), by)


def _follow_up_figure(name: str, facts_for, period: Period, partner_id, venue_id, by):
    if by == "month":
        return _by_month(name, period, partner_id, venue_id, facts_for, _learners)
    facts = facts_for(_scope(period, partner_id, venue_id))
    return follow_up_figures.aggregate(facts, _learners(facts), by)


@cached_figure
def follow_ups_due(period: Period, *, partner_id=None, venue_id=None, by=None):
    """Adults who may be contacted whose follow-up due date (first attendance + FOLLOW_UP_DAYS) falls in the
    period, by their registering partner (no venue rows: a venue raises follow_up_figures.NotCountedByVenue)."""
    return _follow_up_figure("follow_ups_due", follow_up_figures.due_follow_ups, period, partner_id, venue_id, by)


@cached_figure
def follow_ups_reached(period: Period, *, partner_id=None, venue_id=None, by=None):
    """Adults with a follow-up recorded in the period as reached, by their registering partner."""
    return _follow_up_figure(
        "follow_ups_reached", follow_up_figures.reached_follow_ups, period, partner_id, venue_id, by
    )


@cached_figure
def learners_progressed(period: Period, *, partner_id=None, venue_id=None, by=None):
    """Adults with a follow-up recorded in the period as reached and yes to further learning, or to a job or
    volunteering, by their registering partner."""
    return _follow_up_figure(
        "learners_progressed", follow_up_figures.progressed_follow_ups, period, partner_id, venue_id, by
    )


@cached_figure
def devices_lent(period: Period, *, partner_id=None, venue_id=None, by=None):
    """Loans (to adults) starting in the period, under the venue where the device was lent."""
    facts = device_figures.loans_lent(_scope(period, partner_id, venue_id))
    return queries.aggregate(facts, queries.count_rows(), by)


@cached_figure
def signposts_made(period: Period, *, partner_id=None, venue_id=None, by=None):
    """Signposts of adults made in the period (at a session: on its date), under the venue where each was made."""
    facts = signpost_figures.signposts_made(_scope(period, partner_id, venue_id))
    return queries.aggregate(facts, queries.count_rows(), by)


@cached_figure
def devices_returned(period: Period, *, partner_id=None, venue_id=None, by=None):
    """Loans (to adults) returned in the period, under the venue where the device was lent."""
    facts = device_figures.loans_returned(_scope(period, partner_id, venue_id))
    return queries.aggregate(facts, queries.count_rows(), by)


@cached_figure
def devices_gifted(period: Period, *, partner_id=None, venue_id=None, by=None):
    """Devices given (to adults) to keep in the period, under the venue that gave them."""
    facts = device_figures.devices_gifted(_scope(period, partner_id, venue_id))
    return queries.aggregate(facts, queries.count_rows(), by)


@cached_figure
def data_gifts(period: Period, *, partner_id=None, venue_id=None, by=None):
    """SIMs and data vouchers given (to adults) in the period, under the venue that gave them."""
    facts = device_figures.data_gifts(_scope(period, partner_id, venue_id))
    return queries.aggregate(facts, queries.count_rows(), by)


@cached_figure
def adults_connected(period: Period, *, partner_id=None, venue_id=None, by=None):
    """Distinct adults given a loan, a device or a data gift in the period (under every venue that did)."""
    facts = device_figures.adults_connected(_scope(period, partner_id, venue_id))
    return queries.aggregate(facts, _learners(facts), by)


@cached_figure
def loans_overdue(period: Period, *, partner_id=None, venue_id=None, by=None):
    """Loans (to adults) still open on the period's last day whose due date is before that day."""
    facts = device_figures.loans_overdue(_scope(period, partner_id, venue_id))
    return queries.aggregate(facts, queries.count_rows(), by)


@cached_figure
def signposts_arrived(period: Period, *, partner_id=None, venue_id=None, by=None):
    """Signposts of adults to an alliance venue or partner whose arrival (the learner's first attendance
    there on or after the day it was made) falls in the period, under the venue arrived at."""
    facts = signpost_figures.signposts_arrived(_scope(period, partner_id, venue_id))
    return queries.aggregate(facts, queries.count_rows(), by)


# The second stage's measures (DESIGN.md), in the funder CSV from version 2 on: name → function.
V2_MEASURES = {
    "confidence_checks_paired": confidence_checks_paired,
    "learners_more_confident": learners_more_confident,
    "learners_reaching_foundation": learners_reaching_foundation,
    "learners_reaching_life_skills": learners_reaching_life_skills,
    "follow_ups_due": follow_ups_due,
    "follow_ups_reached": follow_ups_reached,
    "learners_progressed": learners_progressed,
    "devices_lent": devices_lent,
    "devices_returned": devices_returned,
    "devices_gifted": devices_gifted,
    "data_gifts": data_gifts,
    "adults_connected": adults_connected,
    "loans_overdue": loans_overdue,
    "signposts_made": signposts_made,
    "signposts_arrived": signposts_arrived,
}
ALL_MEASURES = {**MEASURES, **V2_MEASURES}
