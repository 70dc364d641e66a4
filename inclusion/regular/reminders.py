"""`flask reminders send`: one e-mail a week to each champion with regular sessions not logged or drafts unsent.

Several hosts may run it at the same minute (the same timer on each). Each run holds a database
lock for the week (inclusion.locks.advisory_lock, as the monthly report does); a run that finds it
taken waits for the holder, then finds this week's records and sends nothing new. Each champion's
e-mail is claimed first (a `reminder_sends` row, unique per champion and week), then sent, then
marked sent: whatever runs, twice or at once, a champion gets one e-mail a week. Claims and marks
are written 25 at a time over one SMTP connection (500 champions in seconds); a run that dies
midway leaves at most 25 claimed and unconfirmed, which are never sent again that week (one
e-mail at most is the promise) and are counted in the next run's output.
"""

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from urllib.parse import urlencode, urlsplit

from flask import current_app, render_template, url_for
from sqlalchemy import delete, exists, select, update

from inclusion.auth.models import User
from inclusion.auth.roles import Role
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.locks import advisory_lock
from inclusion.mail import Mailer, MailError, MailServerUnreachable
from inclusion.partners.models import Venue
from inclusion.regular.models import ReminderOptOut, ReminderSend, regular_session_champions
from inclusion.regular.occurrences import occurrences
from inclusion.sessions.draft_marks import SessionDraftMark, forget_marks_before
from inclusion.sessions.models import LearningSession
from inclusion.timeutil import utcnow

LOOK_BACK_DAYS = 14
LOCK_WAIT_SECONDS = 600
MARKS_KEPT_DAYS = 28
BATCH = 25  # e-mails claimed, then marked sent, in one transaction each


class RemindersNotConfigured(RuntimeError):
    """The links in the e-mail need the app's public address (APP_BASE_URL)."""


class RemindersInProgress(RuntimeError):
    """Another run held the week's lock for longer than we waited."""


@dataclass(frozen=True)
class Item:
    """A line of a reminder: an occurrence not logged, or a session started and not saved."""

    day: date
    venue_name: str
    start_time: time | None
    link: str
    kind: str  # "occurrence" or "draft"


@dataclass
class Reminder:
    user_id: int
    email: str
    name: str
    occurrences: list[Item] = field(default_factory=list)
    drafts: list[Item] = field(default_factory=list)
    account_link: str = ""


@dataclass
class RunResult:
    week_start: date
    sent: list[str] = field(default_factory=list)
    already: int = 0  # champions with this week's e-mail claimed already (another run, or an earlier one)
    unconfirmed: int = 0  # of those, claimed by a run that stopped before it could record the e-mail sent
    failed: list[str] = field(default_factory=list)
    waited_for_another_run: bool = False
    would_send: list[Reminder] = field(default_factory=list)  # --dry-run


def week_of(today: date) -> date:
    return today - timedelta(days=today.weekday())


def base_url() -> str:
    config = current_app.config
    if config.get("APP_BASE_URL"):
        return config["APP_BASE_URL"].rstrip("/")
    if config.get("SERVER_NAME"):
        return f"{config.get('PREFERRED_URL_SCHEME', 'http')}://{config['SERVER_NAME']}"
    raise RemindersNotConfigured(
        "Set APP_BASE_URL to the address people open Inclusion at (like https://inclusion.example.org): "
        "the reminders' links need it"
    )


def _champions():
    """Active champions with an address who have not turned reminders off."""
    opted_out = exists().where(ReminderOptOut.user_id == User.id)
    return select(User.id).where(User.role == Role.CHAMPION, User.active, ~opted_out)


def due_reminders(today: date) -> list[Reminder]:
    """What each champion should be reminded of on `today`: two queries (and one for names)."""
    first = today - timedelta(days=LOOK_BACK_DAYS - 1)
    champion = regular_session_champions.c.user_id
    # A champion is reminded of a slot at their own partner's venues only (they may have moved).
    same_partner = exists().where(User.id == champion, User.partner_id == Venue.partner_id)
    open_venue = Venue.closed_at.is_(None)
    missed = [
        row
        for row in occurrences(first, today, [champion.in_(_champions()), same_partner, open_venue], per_champion=True)
        if not row.logged
    ]
    saved_since = exists().where(
        LearningSession.created_by_id == SessionDraftMark.user_id,
        LearningSession.venue_id == SessionDraftMark.venue_id,
        LearningSession.session_date == SessionDraftMark.session_date,
        LearningSession.created_at >= SessionDraftMark.saved_at,
    )
    drafts = db.session.execute(
        select(SessionDraftMark.user_id, SessionDraftMark.session_date, SessionDraftMark.venue_id, Venue.name)
        .join(Venue, Venue.id == SessionDraftMark.venue_id)
        .join(User, User.id == SessionDraftMark.user_id)
        .where(
            SessionDraftMark.session_date.between(first, today),
            SessionDraftMark.user_id.in_(_champions()),
            User.partner_id == Venue.partner_id,
            ~saved_since,
        )
        .order_by(SessionDraftMark.session_date, Venue.name)
    ).all()
    people = {row.champion_id for row in missed} | {row.user_id for row in drafts}
    if not people:
        return []
    users = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(people)).order_by(User.id))}
    reminders = {user_id: Reminder(user_id, users[user_id].email, users[user_id].name) for user_id in sorted(users)}
    base = base_url()
    parts = urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc}"
    # url_for outside a request: paths under the public address (its own path prefix included).
    with current_app.test_request_context("/", base_url=base):
        for row in missed:
            link = origin + url_for("regular.log", slot_id=row.slot_id, on=row.day.isoformat())
            reminders[row.champion_id].occurrences.append(
                Item(row.day, row.venue_name, row.start_time, link, "occurrence")
            )
        for row in drafts:
            query = urlencode({"date": row.session_date.isoformat(), "venue": row.venue_id})
            link = f"{origin}{url_for('sessions.new')}?{query}"
            reminders[row.user_id].drafts.append(Item(row.session_date, row.name, None, link, "draft"))
        account = origin + url_for("auth.account") + "#reminders"
    for reminder in reminders.values():
        reminder.account_link = account
    return list(reminders.values())


def send_reminders(today: date, *, dry_run: bool = False, wait_seconds: int = LOCK_WAIT_SECONDS) -> RunResult:
    """Send this week's reminders that nobody has sent yet (see the module's docstring)."""
    week = week_of(today)
    base_url()  # before the lock: a missing setting is said at once
    db.session.rollback()  # no read transaction held while waiting: what another run commits is seen after
    name = f"reminders:{week.isoformat()}"
    waited = False
    with advisory_lock(name) as held:
        if held:
            return _send_holding_lock(today, week, dry_run, waited)
    waited = True
    with advisory_lock(name, wait=True, timeout=wait_seconds) as held:
        if not held:
            raise RemindersInProgress(
                f"Another run was still sending the reminders for the week of {week:%-d %B %Y} after "
                f"{wait_seconds} seconds"
            )
        return _send_holding_lock(today, week, dry_run, waited)


def _send_holding_lock(today: date, week: date, dry_run: bool, waited: bool) -> RunResult:
    db.session.rollback()
    result = RunResult(week, waited_for_another_run=waited)
    if not dry_run:
        forget_marks_before(today - timedelta(days=MARKS_KEPT_DAYS))
    claims = db.session.execute(
        select(ReminderSend.user_id, ReminderSend.sent_at).where(ReminderSend.week_start == week)
    ).all()
    claimed = {row.user_id for row in claims}
    unconfirmed = {row.user_id for row in claims if row.sent_at is None}
    due = []
    for reminder in due_reminders(today):
        if reminder.user_id in claimed:
            result.already += 1
            result.unconfirmed += reminder.user_id in unconfirmed
        else:
            due.append(reminder)
    if dry_run:
        result.would_send = due
        return result
    alliance = current_app.config["ALLIANCE_NAME"]
    with Mailer() as mailer:
        for start in range(0, len(due), BATCH):
            _send_batch(mailer, due[start : start + BATCH], week, alliance, result)
    return result


def _send_batch(mailer: Mailer, batch: list[Reminder], week: date, alliance: str, result: RunResult) -> None:
    """Claim the batch's e-mails (one transaction), send them, then record which went (one more).

    A run that stops between the two leaves at most one batch claimed but not marked sent: the
    next run does not send those again (it cannot know which went), and says how many there are.
    """
    claims = _claim(batch, week)
    sent, released = [], []
    try:
        for reminder in batch:
            if reminder.user_id not in claims:
                result.already += 1
                continue
            body = render_template("regular/reminder.txt", reminder=reminder, alliance=alliance, week=week)
            try:
                mailer.send(reminder.email, _subject(reminder), body)
            except MailServerUnreachable:
                raise
            except MailError as error:
                released.append(claims[reminder.user_id])
                result.failed.append(f"{reminder.email}: {error}")
                continue
            sent.append(claims[reminder.user_id])
            result.sent.append(reminder.email)
    except MailServerUnreachable:
        released.extend(claim for claim in claims.values() if claim not in sent and claim not in released)
        raise
    finally:
        with write_transaction():
            if sent:
                db.session.execute(update(ReminderSend).where(ReminderSend.id.in_(sent)).values(sent_at=utcnow()))
            if released:  # not sent: the next run tries again
                db.session.execute(delete(ReminderSend).where(ReminderSend.id.in_(released)))


def _subject(reminder: Reminder) -> str:
    count = len(reminder.occurrences) + len(reminder.drafts)
    return f"{count} session{'s' if count != 1 else ''} to log"


def _claim(batch: list[Reminder], week: date) -> dict[int, int]:
    """This week's records for the batch's champions, written before sending: user id -> claim id.

    Champions whose record another run wrote meanwhile (the unique constraint) are left out.
    """
    with write_transaction():
        taken = set(
            db.session.scalars(
                select(ReminderSend.user_id).where(
                    ReminderSend.week_start == week, ReminderSend.user_id.in_([r.user_id for r in batch])
                )
            )
        )
        for reminder in batch:
            if reminder.user_id not in taken:
                db.session.add(
                    ReminderSend(
                        user_id=reminder.user_id,
                        week_start=week,
                        occurrences=len(reminder.occurrences),
                        drafts=len(reminder.drafts),
                    )
                )
        db.session.flush()
        rows = db.session.execute(
            select(ReminderSend.user_id, ReminderSend.id).where(
                ReminderSend.week_start == week,
                ReminderSend.user_id.in_([r.user_id for r in batch if r.user_id not in taken]),
            )
        )
        return dict(rows.all())
