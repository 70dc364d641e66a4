"""Follow-ups for `flask demo generate`: who may be contacted, and the calls made to those due, in bulk.

About one learner in ten says "do not contact me". Of the others, those due by the last day (first
attendance + FOLLOW_UP_DAYS, the queue's own rule) are mostly called: the longer overdue, the likelier
someone has tried (the recently due are the queue's backlog). Each call reaches them, is declined or
goes unanswered; an unanswered one is tried again a few days later, up to FOLLOW_UP_ATTEMPTS times,
and a reached or declined one closes the follow-up, as the form allows. About 40 % of those due are
reached, and about a third of those reached have gone on to further learning, work or volunteering.
The plan has a random stream of its own (seeded from the generator's seed), so adding it left every
other generated row as it was; it is inserted in bulk with the rest.
"""

import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from flask import current_app

from inclusion.followups.models import ANSWER_COLUMNS, CLOSING_OUTCOMES, FollowUp
from inclusion.followups.queue import due_on

NO_CONTACT_SHARE = 0.1  # learners who asked not to be contacted
# (days overdue up to, share called at least once): the recently due are still waiting in the queue.
CALLED_BY_OVERDUE = ((14, 0.2), (45, 0.6))
CALLED_LATER = 0.75
CALL_OUTCOMES = (("reached", 0.25), ("declined", 0.07), ("not-reached", 0.68))
FIRST_CALL_WITHIN_DAYS = 20  # of the due date
NEXT_CALL_DAYS = (4, 14)  # after an unanswered one
# A yes to each question, given a yes or a no to still being online (the rest follows from being online).
YES_IF_ONLINE = {"does_more_alone": 0.7, "further_learning": 0.3, "work_or_volunteering": 0.12, "has_device": 0.85}
YES_IF_OFFLINE = {"does_more_alone": 0.15, "further_learning": 0.05, "work_or_volunteering": 0.04, "has_device": 0.4}
STILL_ONLINE = 0.88
CONNECTED_WITH_DEVICE, CONNECTED_WITHOUT = 0.9, 0.5

FOLLOW_UPS_TABLE = FollowUp.__table__  # where generate.py inserts the rows


def set_contact_preferences(seed: int, learner_rows: list[dict]) -> None:
    """Give each learner row its `may_contact` answer (asked at registration; default yes)."""
    rng = random.Random(f"{seed}:may contact")
    for row in learner_rows:
        row["may_contact"] = rng.random() >= NO_CONTACT_SHARE


def plan_follow_ups(
    seed: int,
    learner_rows: list[dict],
    attendance_rows: list[dict],
    session_rows: list[dict],
    today: date,
    now: datetime,
) -> list[dict]:
    """Insert rows of follow-ups for `learner_rows` (with `first_attended_on` and `may_contact` set), up to `today`.

    Each is recorded by the champion who logged the learner's first session, at their registering
    partner's venue: the queue is that partner's.
    """
    logged_by = {row["id"]: row["created_by_id"] for row in session_rows}
    first_session: dict[int, tuple] = {}
    for row in attendance_rows:
        visit = (row["session_date"], row["session_id"])
        if visit < first_session.get(row["learner_id"], (date.max, 0)):
            first_session[row["learner_id"]] = visit
    candidates = [
        (row["id"], row["first_attended_on"], row["may_contact"], logged_by.get(first_session[row["id"]][1]))
        for row in learner_rows
        if row["id"] in first_session
    ]
    return follow_ups_for(seed, candidates, today, now)


def follow_ups_for(seed: int, candidates: list[tuple], today: date, now: datetime) -> list[dict]:
    """Insert rows of follow-ups up to `today` for (learner id, first attended on, may contact, recorded by)."""
    attempts = current_app.config["FOLLOW_UP_ATTEMPTS"]
    rng = random.Random(f"{seed}:follow-ups")
    rows = []
    for learner_id, first_attended_on, may_contact, recorded_by in candidates:
        due = due_on(first_attended_on)
        if not may_contact or due is None or due > today or not _called(rng, (today - due).days):
            continue
        for day, outcome in _calls(rng, due, today, attempts):
            rows.append(
                {
                    "learner_id": learner_id,
                    "followed_up_on": day,
                    "outcome": outcome,
                    **(_answers(rng) if outcome == "reached" else dict.fromkeys(ANSWER_COLUMNS)),
                    "recorded_by_id": recorded_by,
                    "created_at": now,
                }
            )
    rows.sort(key=lambda row: (row["followed_up_on"], row["learner_id"]))  # as a live system writes them
    return rows


def _called(rng: random.Random, overdue_days: int) -> bool:
    share = next((share for within, share in CALLED_BY_OVERDUE if overdue_days <= within), CALLED_LATER)
    return rng.random() < share


def _calls(rng: random.Random, due: date, today: date, attempts: int) -> Iterator[tuple[date, str]]:
    """The calls made: none after today, none after one that closed it, at most `attempts` unanswered."""
    day = due + timedelta(days=rng.randint(0, FIRST_CALL_WITHIN_DAYS))
    for _ in range(attempts):
        if day > today:
            return
        outcome = rng.choices([o for o, _ in CALL_OUTCOMES], weights=[w for _, w in CALL_OUTCOMES])[0]
        yield day, outcome
        if outcome in CLOSING_OUTCOMES:
            return
        day += timedelta(days=rng.randint(*NEXT_CALL_DAYS))


def _answers(rng: random.Random) -> dict[str, bool]:
    online = rng.random() < STILL_ONLINE
    shares = YES_IF_ONLINE if online else YES_IF_OFFLINE
    answers = {"still_online": online, **{column: rng.random() < share for column, share in shares.items()}}
    answers["has_connection"] = rng.random() < (CONNECTED_WITH_DEVICE if answers["has_device"] else CONNECTED_WITHOUT)
    return {column: answers[column] for column in ANSWER_COLUMNS}
