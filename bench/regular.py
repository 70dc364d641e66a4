"""Measures of issue 17's parts 1-3: the champion-activity page, the sessions list with its regular
sessions' occurrences, and `flask reminders send` for 500 champions (against a loopback SMTP server)."""

import time
from datetime import timedelta

from sqlalchemy import delete, func, insert, select

from bench.database import PASSWORD, UNTIL
from bench.measures import NotAvailable, _get_ok, has_command, has_route, median_ms, signed_in_client
from inclusion.auth.models import User
from inclusion.extensions import db

REMINDED_CHAMPIONS = 500
# As if run a fortnight after the data ends: no session is logged then, so every slot's
# occurrences of the last 14 days are unlogged and every champion on a slot has an e-mail.
REMINDERS_DAY = UNTIL + timedelta(days=14)


def _slots(app) -> int:
    from inclusion.regular.models import RegularSession

    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(RegularSession))
        db.session.remove()
    return count


def champion_activity(app, repeats: int) -> dict:
    if not has_route(app, "/reports/champion-activity"):
        raise NotAvailable("no champion-activity page on this branch (issue 17)")
    client = signed_in_client(app, "bench-coordinator@example.org")
    value, _ = median_ms(_get_ok(client, "/reports/champion-activity"), repeats)
    return {"value": value, "unit": "ms", "note": "bench-coordinator, every partner's champions"}


def sessions_with_occurrences(app, repeats: int) -> dict:
    if not has_route(app, "/regular/"):
        raise NotAvailable("no regular sessions on this branch (issue 17)")
    client = signed_in_client(app, "bench-coordinator@example.org")
    value, _ = median_ms(_get_ok(client, "/sessions/"), repeats)
    return {"value": value, "unit": "ms", "note": f"/sessions/ as bench-coordinator, {_slots(app)} regular slots"}


def _reminded_champions(app) -> list[int]:
    """REMINDED_CHAMPIONS champions, each on one generated slot at one of their partner's venues (made once)."""
    from inclusion.auth.passwords import hash_password
    from inclusion.partners.models import Venue
    from inclusion.regular.models import RegularSession, ReminderSend, regular_session_champions

    with app.app_context():
        slots = db.session.execute(
            select(RegularSession.id, Venue.partner_id)
            .join(Venue, Venue.id == RegularSession.venue_id)
            .order_by(RegularSession.id)
        ).all()
        if not slots:
            raise NotAvailable("the bench database has no regular slots (flask demo generate --regular-sessions)")
        ids = list(db.session.scalars(select(User.id).where(User.email.like("bench-reminded%")).order_by(User.id)))
        if len(ids) < REMINDED_CHAMPIONS:
            password_hash = hash_password(PASSWORD)
            for number in range(len(ids), REMINDED_CHAMPIONS):
                slot_id, partner_id = slots[number % len(slots)]
                user = User(
                    email=f"bench-reminded{number}@example.org",
                    name=f"Bench Reminded {number}",
                    role="champion",
                    partner_id=partner_id,
                    password_hash=password_hash,
                )
                db.session.add(user)
                db.session.flush()
                db.session.execute(
                    insert(regular_session_champions).values(regular_session_id=slot_id, user_id=user.id)
                )
            db.session.commit()
            ids = list(db.session.scalars(select(User.id).where(User.email.like("bench-reminded%"))))
        db.session.execute(delete(ReminderSend))  # each timed run sends the week's e-mails afresh
        db.session.commit()
        db.session.remove()
    return ids


def reminders_send(app, _repeats: int) -> dict:
    if not has_command(app, "reminders", "send"):
        raise NotAvailable("no `flask reminders send` on this branch (issue 17)")
    from tests.mail_server import MailServer

    _reminded_champions(app)
    server = MailServer().start()
    keys = ("MAIL_BACKEND", "MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USERNAME", "APP_BASE_URL")
    saved = {key: app.config[key] for key in keys}
    app.config.update(
        MAIL_BACKEND="smtp",  # the bench app has development settings, whose outbox would keep the e-mails
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=server.port,
        MAIL_USE_TLS=False,
        MAIL_USERNAME=None,
        APP_BASE_URL="https://inclusion.example.org",
    )
    try:
        started = time.perf_counter()
        result = app.test_cli_runner().invoke(args=["reminders", "send", "--today", REMINDERS_DAY.isoformat()])
        seconds = time.perf_counter() - started
    finally:
        app.config.update(saved)
        server.stop()
    if result.exit_code != 0:
        raise RuntimeError(f"flask reminders send exited {result.exit_code}: {result.output[-500:]}")
    sent = len(server.messages)
    if sent < REMINDED_CHAMPIONS:
        raise RuntimeError(f"only {sent} reminders were sent, not at least {REMINDED_CHAMPIONS}")
    return {"value": round(seconds * 1000, 1), "unit": "ms", "note": f"{sent} e-mails to a loopback SMTP server"}
