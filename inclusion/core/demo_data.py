"""A small, realistic alliance for trying the app: Stockport-like partners, libraries and learners."""

import random
import time as clock
from datetime import date, datetime, time, timedelta

import click
from sqlalchemy import func, insert, select

from inclusion.auth.models import User
from inclusion.auth.passwords import hash_password
from inclusion.database import write_transaction
from inclusion.devices.demo import seed_demo_devices
from inclusion.extensions import db
from inclusion.followups.demo import demo_follow_ups
from inclusion.learners.constants import GENDERS
from inclusion.learners.fields import age_band_for, new_reference, search_key
from inclusion.learners.models import Learner
from inclusion.outcomes.demo import demo_confidence_checks
from inclusion.partners.models import Partner, Venue
from inclusion.regular.demo import demo_regular_sessions
from inclusion.sessions.models import Attendance, LearningSession, Skill, SkillAchievement, session_champions
from inclusion.signposts.demo import demo_signposts
from inclusion.timeutil import today_in_london, utcnow

PARTNERS = {
    "Stockport Libraries": [
        ("Central Library", "Brinnington and Central"),
        ("Reddish Library", "Reddish North"),
        ("Edgeley Library", "Edgeley and Cheadle Heath"),
        ("Marple Library", "Marple North"),
        ("Bramhall Library", "Bramhall South and Woodford"),
        ("Hazel Grove Library", "Hazel Grove"),
        ("Heaton Moor Library", "Heatons North"),
    ],
    "Age Friendly Stockport": [("Age Friendly Hub, Merseyway", "Brinnington and Central")],
    "Starting Point Community Learning": [("Starting Point, Offerton", "Offerton")],
    "Stockport Homes Digital Team": [("Brinnington Community Centre", "Brinnington and Central")],
}
DEMO_ACCOUNTS = [
    ("admin@example.org", "Alex Admin", "admin", None, "admin-demo-password"),
    ("coordinator@example.org", "Chris Coordinator", "coordinator", None, "coordinator-demo-password"),
    ("champion@example.org", "Sam Champion", "champion", "Stockport Libraries", "champion-demo-password"),
    ("champion2@example.org", "Jo Champion", "champion", "Age Friendly Stockport", "champion2-demo-password"),
    ("funder@example.org", "Frankie Funder", "funder", None, "funder-demo-password"),
]
FIRST_NAMES = [
    "Margaret",
    "John",
    "Susan",
    "David",
    "Patricia",
    "Peter",
    "Jean",
    "Brian",
    "Elsie",
    "Tariq",
    "Zofia",
    "Ann",
    "Mohammed",
    "Irene",
    "Kevin",
    "Barbara",
    "Sandra",
    "Ahmed",
    "Doreen",
    "Wei",
    "Gareth",
    "Siobhan",
    "Priya",
    "Derek",
    "Maureen",
    "Olu",
    "Agnieszka",
    "Rita",
    "Terence",
    "Joan",
]
LAST_NAMES = [
    "Hughes",
    "Khan",
    "O'Connor",
    "Patel",
    "Nowak",
    "Walker",
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Wilson",
    "Evans",
    "Thomas",
    "Roberts",
    "Ahmed",
    "Murphy",
    "Kowalski",
    "Begum",
    "Clarke",
    "Wood",
    "Hall",
    "Lewis",
    "Singh",
    "Okafor",
    "Chen",
    "Doyle",
    "Green",
    "Baker",
    "Turner",
    "Hill",
]
POSTCODE_DISTRICTS = ["SK1", "SK2", "SK3", "SK4", "SK5", "SK6", "SK7"]


def seed_demo(*, if_empty: bool = False, learners: int = 300, seed: int = 2026, story: bool = False) -> None:
    """Create the demo alliance and print the demo sign-ins.

    `story` (what `flask demo seed` asks for) adds two years of growth to several thousand adults,
    a pair of possible duplicates and archived monthly reports (inclusion/core/demo_story.py).
    Without it the alliance is the small one whose figures the report tests pin.
    """
    if db.session.scalar(select(func.count(User.id))):
        if if_empty:
            click.echo("Demo data already present; nothing added.")
            _print_logins()
            return
        raise click.ClickException("The database already has users: `flask demo seed` only fills an empty one.")
    rng = random.Random(seed)
    today = today_in_london()
    with write_transaction():
        venues = _partners_and_venues()
        users = _accounts()
        learner_rows = _learners(rng, learners, today, venues)
        _sessions(rng, today, venues, users, learner_rows)
        recorders = [user.id for user in users.values() if user.role in ("champion", "coordinator")]
        demo_confidence_checks(rng, learner_rows, recorders, today)
        lent = seed_demo_devices(seed, today, users["coordinator@example.org"].id)
        demo_regular_sessions(today)
        demo_signposts(seed, learner_rows, recorders, today)
        demo_follow_ups(seed, today)  # once the sessions are in: due dates follow first attendances
    click.echo(f"Seeded {len(venues)} venues, {learners} learners and two years of sessions.")
    click.echo(
        f"Lending library: {lent['devices']} devices, {lent['loans']} loans, {lent['data_gifts']} SIMs or vouchers."
    )
    if story:
        _tell_the_story(random.Random(seed + 1), today, venues, users)
    _print_logins()


def _tell_the_story(rng: random.Random, today: date, venues: list[Venue], users: dict[str, User]) -> None:
    from inclusion.core import demo_story

    started = clock.perf_counter()
    with write_transaction():
        before = db.session.scalar(select(func.max(Learner.id))) or 0
        story = demo_story.add_story(rng, today, venues, (FIRST_NAMES, LAST_NAMES), POSTCODE_DISTRICTS, users)
        # Before the reports are archived, as the calls would have been made before they were sent.
        demo_follow_ups(rng.randrange(2**32), today, after_id=before)  # drawn last: the story is as it was
    with write_transaction():  # the reports are worked out from the committed rows
        reports = demo_story.archive_reports(today)
    click.echo(
        f"Added the story: {story.learners:,} more learners, {story.sessions:,} sessions, "
        f"{story.attendances:,} attendances, {story.achievements:,} skills gained and {reports} archived "
        f"monthly reports in {clock.perf_counter() - started:.1f} s."
    )


def _print_logins() -> None:
    click.echo("Demo sign-ins (password after the email address):")
    for email, _name, role, partner, password in DEMO_ACCOUNTS:
        click.echo(f"  {role:<12} {email:<26} {password}" + (f"  ({partner})" if partner else ""))


def _partners_and_venues() -> list[Venue]:
    venues = []
    for partner_name, venue_specs in PARTNERS.items():
        partner = Partner(name=partner_name)
        db.session.add(partner)
        venues += [Venue(name=name, ward=ward, partner=partner) for name, ward in venue_specs]
    db.session.add_all(venues)
    db.session.flush()
    return venues


def _accounts() -> dict[str, User]:
    partners = {p.name: p for p in db.session.scalars(select(Partner))}
    users = {}
    for email, name, role, partner_name, password in DEMO_ACCOUNTS:
        users[email] = User(
            email=email,
            name=name,
            role=role,
            partner=partners.get(partner_name),
            password_hash=hash_password(password),
        )
    db.session.add_all(users.values())
    db.session.flush()
    return users


def _learners(rng: random.Random, count: int, today: date, venues: list[Venue]) -> list[dict]:
    rows, references = [], set()
    for _ in range(count):
        reference = new_reference()
        while reference in references:
            reference = new_reference()
        references.add(reference)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        registered_on = today - timedelta(days=rng.randint(0, 729))
        dob = None
        if rng.random() < 0.8:
            dob = date(
                rng.choice([rng.randint(1935, 1960), rng.randint(1950, 2003), rng.randint(2008, 2011)]),
                rng.randint(1, 12),
                rng.randint(1, 28),
            )
        home = rng.choice(venues)
        rows.append(
            {
                "reference": reference,
                "first_name": first,
                "last_name": last,
                "search_name": search_key(first, last),
                "date_of_birth": dob,
                "age_band": age_band_for(dob, registered_on)
                if dob
                else rng.choice(["55-64", "65-74", "75+", "unknown"]),
                "postcode": f"{rng.choice(POSTCODE_DISTRICTS)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}"
                f"{rng.choice('LNPQRSTUWXYZ')}"
                if rng.random() < 0.7
                else None,
                "gender": rng.choice(GENDERS),
                "lawful_basis": "consent",
                "consent_method": "paper-form",
                "consent_recorded_at": datetime.combine(registered_on, time(10)),
                "privacy_notice_version": "2026-09",
                "registered_on": registered_on,
                "registered_partner_id": home.partner_id,
                "created_at": utcnow(),
                "updated_at": utcnow(),
                "_home_venue": home,
            }
        )
    db.session.execute(insert(Learner), [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows])
    ids = dict(db.session.execute(select(Learner.reference, Learner.id)).all())
    for row in rows:
        row["id"] = ids[row["reference"]]
    return rows


def _sessions(rng, today, venues, users, learner_rows) -> None:
    skills = list(db.session.scalars(select(Skill)))
    champion_ids = [u.id for u in users.values() if u.role in ("champion", "coordinator")]
    by_venue = {v.id: [r for r in learner_rows if r["_home_venue"].id == v.id] for v in venues}
    attendance, achievements, champions = [], [], []
    day = today - timedelta(days=729)
    while day <= today:
        for venue in venues:
            # Weekly drop-ins, fewer in August and over Christmas.
            quiet = day.month == 8 or (day.month == 12 and day.day > 20)
            if day.weekday() != venue.id % 5 or (quiet and rng.random() < 0.6):
                continue
            eligible = [r for r in by_venue[venue.id] if r["registered_on"] <= day] or []
            attendees = rng.sample(eligible, k=min(len(eligible), rng.randint(0, 6)))
            learning_session = LearningSession(
                session_date=day,
                start_time=time(rng.choice([10, 14])),
                venue_id=venue.id,
                session_type=rng.choice(["drop-in", "drop-in", "one-to-one", "group"]),
                duration_minutes=rng.choice([60, 60, 90, 120]),
                unregistered_attendees=rng.choice([0, 0, 0, 1, 2]),
                created_by_id=rng.choice(champion_ids),
            )
            db.session.add(learning_session)
            db.session.flush()
            champions.append({"session_id": learning_session.id, "user_id": learning_session.created_by_id})
            for learner in attendees:
                attendance.append({"session_id": learning_session.id, "learner_id": learner["id"]})
                for skill in rng.sample(skills, k=rng.choice([0, 1, 1, 2])):
                    achievements.append(
                        {"session_id": learning_session.id, "learner_id": learner["id"], "skill_id": skill.id}
                    )
        day += timedelta(days=1)
    db.session.execute(insert(session_champions), champions)
    if attendance:
        db.session.execute(insert(Attendance), attendance)
    if achievements:
        db.session.execute(insert(SkillAchievement), achievements)
