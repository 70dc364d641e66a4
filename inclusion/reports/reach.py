"""How far back a write reaches: the earliest day whose figures a write to each figure table can change.

Every figure of a period reads only rows dated up to the period's last day (sessions, checks,
follow-ups, loans and gifts by their own dates; a learner's report keys by the dates they hold),
and what a row dated d can change is dated d or later: a new attendance can make its learner's
first attendance d (never earlier), a deleted one can move it later, a level is reached on the
date of the achievement that completes it or later. So a write whose rows are dated d, before or
after it, leaves every figure of a period ending before d as it was. The data-version triggers
(inclusion/reports/triggers_data_version.py) record, for each write, the month of the earliest
such day, and the figure cache keeps a figure until a write reaches its period's months
(inclusion/reports/cache.py): logging today's sessions leaves last month's figures and the
trends' earlier months where they are.

A rule here is SQL over one row, written `{row}.column` (NEW or OLD in SQLite's row triggers, a
transition table's row in PostgreSQL's statement triggers) and `{least}` for the smaller of two
days. Its value NULL means the write may reach back to any day (nothing is assumed); a table
without a rule (None) reaches all of history on every write: who belongs to which partner, a
skill's framework level, a learner's age or merge.
"""

from inclusion.reports import keys

SESSION_DATE = "(SELECT s.session_date FROM learning_sessions s WHERE s.id = {row}.session_id)"

# table → the earliest day a write of one row can change figures from (None: all of history).
REACH: dict[str, str | None] = {
    # The session's date as copied onto the row; the session's own when a trigger has not copied it yet.
    "attendances": f"coalesce({{row}}.session_date, {SESSION_DATE})",
    "skill_achievements": f"coalesce({{row}}.session_date, {SESSION_DATE})",
    "learning_sessions": "{row}.session_date",
    # A baseline pairs with the learner's later checks, of any date: from the learner's earliest check.
    "confidence_checks": "{least}({row}.checked_on, coalesce((SELECT min(c.checked_on) FROM confidence_checks c "
    "WHERE c.learner_id = {row}.learner_id), {row}.checked_on))",
    "follow_ups": "{row}.followed_up_on",
    # Lent, due and returned: overdue at a period's end, and returned in it, read all three.
    "loans": "{least}({least}({row}.lent_on, {row}.due_on), coalesce({row}.returned_on, {row}.lent_on))",
    "device_gifts": "{row}.given_on",
    "data_gifts": "{row}.given_on",
    # Made on its own date, or at a session on the session's (signposts/arrivals.py).
    "signposts": f"{{least}}({{row}}.made_on, coalesce({SESSION_DATE}, {{row}}.made_on))",
    "partners": None,
    "venues": None,
    "skills": None,
    "learners": None,  # but see LEARNER_KEY_DATES: the report keys' own changes are dated
}

# A learner's report keys (kept by triggers, or put right by `flask reports check --repair`): each a
# date column and the columns that change with it. A change to them alone reaches back only to the
# earlier of the date before and after; a change to any other column of the learner (age band,
# merge, registering partner...) reaches all of history.
LEARNER_KEY_DATES: dict[str, tuple[str, ...]] = {
    "first_attended_on": (),
    **{level.reached_on: (level.venue,) for level in keys.LEVELS},
}
LEARNER_KEY_COLUMNS: tuple[str, ...] = tuple(
    column for date_column, others in LEARNER_KEY_DATES.items() for column in (date_column, *others)
)
# The first of the month a write that reaches all of history is recorded under.
ALL_OF_HISTORY = "0001-01-01"


def learner_columns_reaching_all_of_history() -> tuple[str, ...]:
    from inclusion.learners.models import Learner

    return tuple(column.name for column in Learner.__table__.columns if column.name not in LEARNER_KEY_COLUMNS)
