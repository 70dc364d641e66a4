# ruff: noqa: S608 -- the SQL is assembled from this module's constants; values are bound parameters
"""The SQL floor: every figure the dashboard shows, each as one hand-written query.

The dashboard may not beat this; the benchmark reports how close it comes (target: 1.5 times).
It is the same set of figures as the dashboard for a month computes (headline measures for the
month, the month before and the same month a year earlier, the outcome, follow-up and signposting
measures of version 2 among them; the six devices-and-data measures for the month; progress to date
and the projection; ten twelve-month trends; skills by area; four measures by partner, venue and
age band),
written directly in SQL in the fastest shapes this database allows: over the report keys the
triggers keep (attendances and skill achievements carry their session's date and venue and the
learner they count as; learners their first attendance date and the date and venue they reached
each skills level; the first achievement of each skill is flagged), each read through its index.
tests/test_bench_floor.py checks that the floor's answers are the dashboard's. Definitions follow
DESIGN.md: adults only, by session date.
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import text

from inclusion.reports.periods import Period, add_months

ADULT = "learner_key NOT IN (SELECT id FROM learners WHERE age_band = 'under-18')"
ATTENDED = f"FROM attendances WHERE session_date BETWEEN :start AND :end AND {ADULT}"
# {is_first}: the partial index's own condition ("is_first = 1" on SQLite, "is_first" on PostgreSQL).
FIRST_SKILLS = f"FROM skill_achievements WHERE {{is_first}} AND session_date BETWEEN :start AND :end AND {ADULT}"
NEW_HERE = (
    "FROM attendances a JOIN learners l ON l.id = a.learner_key WHERE a.session_date BETWEEN :start AND :end "
    "AND l.age_band <> 'under-18' AND l.first_attended_on >= :start"
)
NEW = "FROM learners WHERE first_attended_on BETWEEN :start AND :end AND age_band <> 'under-18'"
PARTNER = "(SELECT p.name FROM venues v JOIN partners p ON p.id = v.partner_id WHERE v.id = {table}.venue_id)"
VENUE = "(SELECT v.name FROM venues v WHERE v.id = {table}.venue_id)"

HEADLINE = {
    "adults_helped": f"SELECT count(DISTINCT learner_key) {ATTENDED}",
    "new_learners": f"SELECT count(*) {NEW}",
    "sessions_delivered": "SELECT count(*) FROM learning_sessions s WHERE s.session_date BETWEEN :start AND :end "
    "AND (s.unregistered_attendees > 0 OR EXISTS (SELECT 1 FROM attendances a WHERE a.session_id = s.id))",
    "attendances": f"SELECT count(*) FROM (SELECT DISTINCT learner_key, session_id {ATTENDED}) f",
    "learner_hours": "SELECT round(coalesce(sum(s.duration_minutes), 0) / 60.0, 1) "
    f"FROM (SELECT DISTINCT learner_key, session_id {ATTENDED}) f "
    "JOIN learning_sessions s ON s.id = f.session_id",
    "skills_gained": f"SELECT count(*) {FIRST_SKILLS}",
    "learners_gaining_skills": f"SELECT count(DISTINCT learner_key) {FIRST_SKILLS}",
    "unregistered_attendances": "SELECT coalesce(sum(unregistered_attendees), 0) FROM learning_sessions "
    "WHERE session_date BETWEEN :start AND :end",
}
# The outcome measures (version 2: DESIGN.md, "Outcomes"), as grouped counts. A level is reached on
# the date the report-key triggers keep on the learner counted (reports/keys.py LEVELS), read
# through its partial index.
LATER = (
    "stage IN ('exit', 'follow-up') AND checked_on BETWEEN :start AND :end AND learner_id NOT IN "
    "(SELECT id FROM learners WHERE age_band = 'under-18')"
)
# (learner_key, reached_on): the learners who reached each level on a date from :start to :end.
LEVELS_REACHED = {
    f"learners_reaching_{level}": f"SELECT id AS learner_key, {level}_reached_on AS reached_on FROM learners "
    f"WHERE {level}_reached_on BETWEEN :start AND :end AND age_band <> 'under-18'"
    for level in ("foundation", "life_skills")
}
OUTCOMES = {
    **{name: f"SELECT count(*) FROM ({sql}) f" for name, sql in LEVELS_REACHED.items()},
    "confidence_checks_paired": f"SELECT count(DISTINCT c.learner_id) FROM confidence_checks c WHERE c.{LATER} "
    "AND EXISTS (SELECT 1 FROM confidence_checks b WHERE b.learner_id = c.learner_id AND b.stage = 'baseline')",
    "learners_more_confident": "SELECT count(*) FROM (SELECT learner_id, overall, row_number() OVER "
    f"(PARTITION BY learner_id ORDER BY checked_on DESC, id DESC) AS latest FROM confidence_checks WHERE {LATER}) l "
    "JOIN confidence_checks b ON b.learner_id = l.learner_id AND b.stage = 'baseline' "
    "WHERE l.latest = 1 AND l.overall > b.overall",
}
HEADLINE |= OUTCOMES
# Follow-ups (DESIGN.md, "Outcomes"). A follow-up is due on the first attendance + FOLLOW_UP_DAYS, so
# "due in the period" is "first attendance in the period moved back by FOLLOW_UP_DAYS": the queries
# named in SHIFTED get those dates as :start and :end and read learners' first-attendance index.
ADULT_LEARNER = "learner_id NOT IN (SELECT id FROM learners WHERE age_band = 'under-18')"
REACHED = f"FROM follow_ups WHERE outcome = 'reached' AND followed_up_on BETWEEN :start AND :end AND {ADULT_LEARNER}"
FOLLOW_UPS = {
    "follow_ups_due": "SELECT count(*) FROM learners WHERE first_attended_on BETWEEN :start AND :end "
    "AND age_band <> 'under-18' AND may_contact AND merged_into_id IS NULL",
    "follow_ups_reached": f"SELECT count(DISTINCT learner_id) {REACHED}",
    "learners_progressed": f"SELECT count(DISTINCT learner_id) {REACHED} "
    "AND (further_learning OR work_or_volunteering)",
}
SHIFTED = ("follow_ups_due", "trend_follow_ups_due")
# Signposts (DESIGN.md, "Referrals and signposting"): one made at a session counts on the session's
# date (kept apart from the others, so each half reads a date index); one to a venue or partner arrives
# on the learner's first attendance there on or after the day it was made. An arrival in the period is
# an attendance in it: only signposts of learners who attended in the period, made by its end, are read.
TO_ALLIANCE = (
    "SELECT s.id, s.learner_id, s.to_venue_id, s.to_partner_id, coalesce(ls.session_date, s.made_on) AS made_on "
    "FROM signposts s LEFT JOIN learning_sessions ls ON ls.id = s.session_id WHERE s.to_service_id IS NULL "
    f"AND s.{ADULT_LEARNER} AND s.learner_id IN (SELECT learner_key FROM attendances "
    "WHERE session_date BETWEEN :start AND :end)"
)
SIGNPOSTS = {
    "signposts_made": f"SELECT (SELECT count(*) FROM signposts WHERE session_id IS NULL AND made_on BETWEEN :start "
    f"AND :end AND {ADULT_LEARNER}) + (SELECT count(*) FROM signposts s JOIN learning_sessions ls ON ls.id = "
    f"s.session_id WHERE ls.session_date BETWEEN :start AND :end AND s.{ADULT_LEARNER})",
    "signposts_arrived": "SELECT count(*) FROM (SELECT s.id, min(a.session_date) AS arrived_on "
    f"FROM ({TO_ALLIANCE}) s JOIN attendances a ON a.learner_key = s.learner_id "
    "AND a.session_date BETWEEN s.made_on AND :end "
    "JOIN venues v ON v.id = a.venue_id WHERE a.venue_id = s.to_venue_id OR v.partner_id = s.to_partner_id "
    "GROUP BY s.id) f WHERE arrived_on BETWEEN :start AND :end",
}
HEADLINE |= FOLLOW_UPS | SIGNPOSTS
# Devices and data (DESIGN.md): the month's figure only, as the dashboard shows them.
DEVICES = {
    "devices_lent": f"SELECT count(*) FROM loans WHERE lent_on BETWEEN :start AND :end AND {ADULT_LEARNER}",
    "devices_returned": f"SELECT count(*) FROM loans WHERE returned_on BETWEEN :start AND :end AND {ADULT_LEARNER}",
    "devices_gifted": f"SELECT count(*) FROM device_gifts WHERE given_on BETWEEN :start AND :end AND {ADULT_LEARNER}",
    "data_gifts": f"SELECT count(*) FROM data_gifts WHERE given_on BETWEEN :start AND :end AND {ADULT_LEARNER}",
    "adults_connected": "SELECT count(*) FROM (SELECT learner_id FROM loans WHERE lent_on BETWEEN :start AND :end "
    "UNION SELECT learner_id FROM device_gifts WHERE given_on BETWEEN :start AND :end "
    f"UNION SELECT learner_id FROM data_gifts WHERE given_on BETWEEN :start AND :end) u WHERE {ADULT_LEARNER}",
    "loans_overdue": "SELECT count(*) FROM loans WHERE lent_on <= :end AND due_on < :end "
    f"AND (returned_on IS NULL OR returned_on > :end) AND {ADULT_LEARNER}",
}
MILESTONE = {
    "adults_helped_to_date": "SELECT count(*) FROM learners WHERE first_attended_on <= :end AND age_band <> 'under-18'",
    "milestone_target": "SELECT target FROM milestones WHERE is_current",
    "projection_new_learners": f"SELECT count(*) {NEW.replace(':start', ':window_start')}",
    "earliest_attendance": f"SELECT min(session_date) FROM attendances WHERE {ADULT}",
}
TRENDS = {  # one aggregate per month, joined by UNION ALL (arms added for each month)
    "trend_new_learners": f"SELECT count(*) {NEW}",
    "trend_adults_helped": f"SELECT count(DISTINCT learner_key) {ATTENDED}",
    "trend_skills_gained": f"SELECT count(*) {FIRST_SKILLS}",
    **{f"trend_{name}": OUTCOMES[name] for name in ("confidence_checks_paired", "learners_more_confident")},
    **{f"trend_{name}": sql for name, sql in FOLLOW_UPS.items()},
}
# A level is reached on one date whatever the period asked: who reached it in the twelve months is
# found once (a common table expression), then counted month by month.
TRENDS_ONCE = {f"trend_{name}": sql for name, sql in LEVELS_REACHED.items()}
BREAKDOWNS = {
    "skills_gained_by_area": "SELECT k.area, count(*) FROM skill_achievements f JOIN skills k ON k.id = f.skill_id "
    f"WHERE f.{{is_first}} AND f.session_date BETWEEN :start AND :end AND f.{ADULT} GROUP BY k.area",
    "learners_gaining_skills_by_area": "SELECT k.area, count(DISTINCT f.learner_key) FROM skill_achievements f "
    f"JOIN skills k ON k.id = f.skill_id WHERE f.{{is_first}} AND f.session_date BETWEEN :start AND :end "
    f"AND f.{ADULT} GROUP BY k.area",
}
for _dimension, _category in (("partner", PARTNER), ("venue", VENUE)):
    _attendances, _skills = _category.format(table="attendances"), _category.format(table="skill_achievements")
    _new = _category.format(table="a")
    BREAKDOWNS |= {
        f"adults_helped_by_{_dimension}": f"SELECT {_attendances}, count(DISTINCT learner_key) {ATTENDED} "
        f"GROUP BY {_attendances}",
        f"new_learners_by_{_dimension}": f"SELECT {_new}, count(DISTINCT a.learner_key) {NEW_HERE} GROUP BY {_new}",
        f"attendances_by_{_dimension}": f"SELECT c, count(*) FROM (SELECT DISTINCT learner_key, session_id, "
        f"{_attendances} AS c {ATTENDED}) f GROUP BY c",
        f"skills_gained_by_{_dimension}": f"SELECT {_skills}, count(*) {FIRST_SKILLS} GROUP BY {_skills}",
    }
BAND = "(SELECT age_band FROM learners WHERE id = {table}.learner_key)"
BREAKDOWNS |= {
    "adults_helped_by_age_band": f"SELECT {BAND.format(table='attendances')}, count(DISTINCT learner_key) "
    f"{ATTENDED} GROUP BY 1",
    "new_learners_by_age_band": f"SELECT age_band, count(*) {NEW} GROUP BY age_band",
    "attendances_by_age_band": f"SELECT {BAND.format(table='f')}, count(*) FROM (SELECT DISTINCT learner_key, "
    f"session_id {ATTENDED}) f GROUP BY 1",
    "skills_gained_by_age_band": f"SELECT {BAND.format(table='skill_achievements')}, count(*) {FIRST_SKILLS} "
    "GROUP BY 1",
}

PROJECTION_WINDOW_DAYS = 90
TREND_MONTHS = 12


IS_FIRST = {"sqlite": "is_first = 1", "postgresql": "is_first"}


def queries(month: Period, dialect: str) -> dict[str, tuple[str, dict]]:
    """Every figure of the dashboard for `month`: name → (SQL, parameters)."""
    due_after = timedelta(days=current_app.config["FOLLOW_UP_DAYS"])

    def dates(name: str, period: Period) -> tuple:
        shift = due_after if name in SHIFTED else timedelta(0)
        return period.start - shift, period.end - shift

    found: dict[str, tuple[str, dict]] = {}
    for label, period in (("", month), ("previous_", month.previous()), ("year_earlier_", month.year_earlier())):
        for name, sql in HEADLINE.items():
            start, end = dates(name, period)
            found[f"{label}{name}"] = (sql, {"start": start, "end": end})
    for name, sql in DEVICES.items():
        found[name] = (sql, {"start": month.start, "end": month.end})
    window_start = month.end - timedelta(days=PROJECTION_WINDOW_DAYS - 1)
    for name, sql in MILESTONE.items():
        found[name] = (sql, {"start": month.start, "end": month.end, "window_start": window_start})
    months = Period(add_months(month.start, 1 - TREND_MONTHS), month.end).each_month()
    for name, sql in TRENDS.items():
        arms, parameters = [], {}
        for number, each in enumerate(months):
            arm = sql.replace(":start", f":start{number}").replace(":end", f":end{number}")
            arms.append(f"SELECT CAST(:month{number} AS VARCHAR(7)), ({arm})")
            start, end = dates(name, each)
            parameters |= {f"month{number}": each.key, f"start{number}": start, f"end{number}": end}
        found[name] = (" UNION ALL ".join(arms), parameters)
    for name, sql in TRENDS_ONCE.items():
        arms, parameters = [], {"start": months[0].start, "end": months[-1].end}
        for number, each in enumerate(months):
            count = f"(SELECT count(*) FROM reached WHERE reached_on BETWEEN :start{number} AND :end{number})"
            arms.append(f"SELECT CAST(:month{number} AS VARCHAR(7)), {count}")
            parameters |= {f"month{number}": each.key, f"start{number}": each.start, f"end{number}": each.end}
        found[name] = (f"WITH reached AS ({sql}) " + " UNION ALL ".join(arms), parameters)
    for name, sql in BREAKDOWNS.items():
        found[name] = (sql, {"start": month.start, "end": month.end})
    return {
        name: (sql.replace("{is_first}", IS_FIRST[dialect]), parameters) for name, (sql, parameters) in found.items()
    }


def compute(connection, month: Period, only: str | None = None) -> dict:
    """Every figure (or just `only`) for the month, one query each: name → rows."""
    return {
        name: connection.execute(text(sql), parameters).all()
        for name, (sql, parameters) in queries(month, connection.dialect.name).items()
        if only in (None, name)
    }
