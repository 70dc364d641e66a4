"""`flask demo generate`: bulk synthetic data at alliance scale, for benchmarks (and outcomes: confidence
checks, follow-ups and signposts).

Rows are planned in Python (inclusion/core/generate_shape.py) and written with Core insert()
executemany in chunks (COPY on PostgreSQL), inside one write transaction: the whole set
appears, or none of it.
Learners and sessions get explicit ids (after the current maximum) so attendances can refer
to them without reading them back; PostgreSQL's sequences are moved past them afterwards.
"""

import random
import sys
import time as clock
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import func, insert, select, text

from inclusion.auth.models import User
from inclusion.auth.passwords import hash_password
from inclusion.core import generate_shape as shape
from inclusion.core.demo_data import PARTNERS
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.followups.generate import FOLLOW_UPS_TABLE, plan_follow_ups, set_contact_preferences
from inclusion.learners.models import Learner
from inclusion.outcomes.generate import CONFIDENCE_CHECKS_TABLE, plan_confidence_checks
from inclusion.partners.models import Partner, Venue
from inclusion.reports import keys as report_keys
from inclusion.sessions.models import Attendance, LearningSession, Skill, SkillAchievement, session_champions
from inclusion.signposts.generate import SIGNPOSTS_TABLE, directory, plan_signposts
from inclusion.timeutil import today_in_london, utcnow

CHUNK = 10_000
MAX_LEARNERS = 2_000_000
MAX_SESSIONS = 1_000_000
MAX_DEVICES = 200_000
MAX_LOANS = 2_000_000
MAX_REGULAR_SESSIONS = 10_000
GENERATED_PASSWORD = "generated-data-password"  # noqa: S105  (benchmark accounts on synthetic data)


class GenerateError(ValueError):
    """Bad input to `flask demo generate`, with a message for the user."""


@dataclass
class Generated:
    learners: int
    sessions: int
    attendances: int
    achievements: int
    seconds: float
    confidence_checks: int = 0
    follow_ups: int = 0
    signposts: int = 0


def generate(
    learners: int,
    sessions: int,
    *,
    seed: int = 1,
    until: date | None = None,
    years: int = 3,
    devices: int = 0,
    loans: int = 0,
    regular_sessions: int = 0,
    progress: Callable[[str], None] | None = None,
) -> Generated:
    """Add `learners` learners and `sessions` sessions (with attendances and skills) to the database."""
    if learners <= 0 or sessions <= 0:
        raise GenerateError("--learners and --sessions must both be whole numbers greater than 0")
    if learners > MAX_LEARNERS or sessions > MAX_SESSIONS:
        raise GenerateError(f"at most {MAX_LEARNERS:,} learners and {MAX_SESSIONS:,} sessions")
    if not 1 <= years <= 20:
        raise GenerateError("--years must be between 1 and 20")
    if not (0 <= devices <= MAX_DEVICES and 0 <= loans <= MAX_LOANS) or (loans and not devices):
        raise GenerateError(f"--devices (at most {MAX_DEVICES:,}) must be given for --loans (at most {MAX_LOANS:,})")
    if not 0 <= regular_sessions <= MAX_REGULAR_SESSIONS:
        raise GenerateError(f"--regular-sessions must be between 0 and {MAX_REGULAR_SESSIONS:,}")
    say = progress or (lambda message: print(message, file=sys.stderr, flush=True))
    rng = random.Random(seed)
    until = until or today_in_london()
    first_day = until - timedelta(days=365 * years - 1)
    started = clock.perf_counter()
    with write_transaction():
        connection = db.session.connection()
        if connection.dialect.name == "postgresql":
            connection.execute(text("LOCK TABLE learners, learning_sessions IN SHARE ROW EXCLUSIVE MODE"))
        skills = db.session.execute(select(Skill.id, Skill.area).where(Skill.retired_at.is_(None))).all()
        if not skills:
            raise GenerateError("the database has no skills: run `flask db upgrade` first")
        venues = _venues()
        champions = _champions(venues)
        say(
            f"generate: {len(venues)} venues, {sum(map(len, champions.values()))} people logging sessions; "
            "planning sessions"
        )
        session_rows = _plan_sessions(rng, sessions, first_day, until, venues, champions)
        learner_rows, attendance_rows, achievement_rows = _plan_learners(rng, learners, session_rows, venues, skills)
        set_contact_preferences(seed, learner_rows)  # before the learners are written: a column of theirs
        # Every skill, retired ones too: they count towards the levels like any other.
        counted = {
            row.id: (row.area, row.is_local) for row in db.session.execute(select(Skill.id, Skill.area, Skill.is_local))
        }
        _mark_levels(learner_rows, achievement_rows, counted)
        say(
            f"generate: planned {len(learner_rows):,} learners, {len(attendance_rows):,} attendances, "
            f"{len(achievement_rows):,} skill achievements; inserting"
        )
        _insert(connection, Learner.__table__, learner_rows, "learners", say)
        _insert(connection, LearningSession.__table__, session_rows, "sessions", say)
        _insert(
            connection,
            session_champions,
            ({"session_id": row["id"], "user_id": row["created_by_id"]} for row in session_rows),
            "session champions",
            say,
        )
        _insert(connection, Attendance.__table__, attendance_rows, "attendances", say)
        _insert(connection, SkillAchievement.__table__, achievement_rows, "skill achievements", say)
        check_rows = plan_confidence_checks(seed, attendance_rows, session_rows, utcnow())
        _insert(connection, CONFIDENCE_CHECKS_TABLE, check_rows, "confidence checks", say)
        # No follow-up or signpost dated after today, even when the sessions run up to a later --until.
        last_day = min(until, today_in_london())
        follow_up_rows = plan_follow_ups(seed, learner_rows, attendance_rows, session_rows, last_day, utcnow())
        _insert(connection, FOLLOW_UPS_TABLE, follow_up_rows, "follow-ups", say)
        signpost_rows = plan_signposts(
            seed,
            [row for row in attendance_rows if row["session_date"] <= last_day],
            session_rows,
            [(venue.id, venue.partner_id) for venue in venues],
            champions,
            directory(utcnow()),
            utcnow(),
        )
        _insert(connection, SIGNPOSTS_TABLE, signpost_rows, "signposts", say)
        if devices:
            _devices_and_loans(connection, seed, devices, loans, attendance_rows, until, say)
        if regular_sessions:
            from inclusion.regular.demo import generate_regular_sessions

            slots = generate_regular_sessions(rng, regular_sessions, until - timedelta(days=365), champions)
            say(f"generate: inserted {slots:,} regular sessions")
        if connection.dialect.name == "postgresql":
            for table in ("learners", "learning_sessions"):
                # Ids were given explicitly: move each sequence past them (table names are constants).
                sequence = f"pg_get_serial_sequence('{table}', 'id')"
                connection.execute(text(f"SELECT setval({sequence}, (SELECT max(id) FROM {table}))"))  # noqa: S608
    seconds = clock.perf_counter() - started
    say(f"generate: done in {seconds:.1f} s")
    return Generated(
        len(learner_rows),
        len(session_rows),
        len(attendance_rows),
        len(achievement_rows),
        seconds,
        len(check_rows),
        len(follow_up_rows),
        len(signpost_rows),
    )


def _venues() -> list[Venue]:
    """The open venues, or a Stockport-like set of partners and venues when there are none."""
    venues = _open_venues()
    if venues:
        return venues
    partners = {
        name: db.session.scalar(select(Partner).where(Partner.name == name)) or Partner(name=name) for name in PARTNERS
    }
    specs = [(partners[p], name, ward) for p, venue_specs in PARTNERS.items() for name, ward in venue_specs]
    community = partners["Starting Point Community Learning"]
    specs += [(community, name, ward) for name, ward in shape.EXTRA_VENUES]
    venues = [Venue(name=name, ward=ward, partner=partner) for partner, name, ward in specs]
    db.session.add_all(venues)
    db.session.flush()
    return _open_venues()


def _open_venues() -> list[Venue]:
    # Always in id order, so that the same seed gives the same data on a fresh or a filled database.
    return list(db.session.scalars(select(Venue).where(Venue.closed_at.is_(None)).order_by(Venue.id)))


def _champions(venues: list[Venue]) -> dict[int | None, list[int]]:
    """Who logs sessions, by partner (None: coordinators); one champion per partner if nobody does."""
    roles = ("champion", "coordinator")
    found = db.session.execute(
        select(User.id, User.role, User.partner_id).where(User.role.in_(roles), User.active).order_by(User.id)
    ).all()
    if found:
        by_partner: dict[int | None, list[int]] = {}
        for user_id, role, partner_id in found:
            by_partner.setdefault(None if role == "coordinator" else partner_id, []).append(user_id)
        return by_partner
    password_hash = hash_password(GENERATED_PASSWORD)
    users = [
        User(
            email="coordinator@generated.example.org",
            name="Generated Coordinator",
            role="coordinator",
            password_hash=password_hash,
        )
    ]
    for number, partner_id in enumerate(sorted({venue.partner_id for venue in venues}), start=1):
        users.append(
            User(
                email=f"champion{number}@generated.example.org",
                name=f"Generated Champion {number}",
                role="champion",
                partner_id=partner_id,
                password_hash=password_hash,
            )
        )
    db.session.add_all(users)
    db.session.flush()
    return _champions(venues)


def _plan_sessions(rng, count, first_day, last_day, venues, champions) -> list[dict]:
    everyone = sorted(user_id for ids in champions.values() for user_id in ids)
    next_id = (db.session.scalar(select(func.max(LearningSession.id))) or 0) + 1
    weights = shape.venue_weights(len(venues))
    now = utcnow()
    rows = []
    for offset, day in enumerate(shape.session_dates(rng, count, first_day, last_day)):
        venue = rng.choices(venues, weights=weights)[0]
        rows.append(
            {
                "id": next_id + offset,
                "session_date": day,
                "start_time": time(rng.choice((10, 10, 13, 14, 18))),
                "venue_id": venue.id,
                "session_type": shape.pick_weighted(rng, shape.SESSION_TYPES),
                "duration_minutes": rng.choice(shape.DURATIONS),
                "notes": None,
                "unregistered_attendees": rng.choice((0, 0, 0, 0, 1, 2)),
                # A champion of the venue's partner logs it; a coordinator where the partner has none.
                "created_by_id": rng.choice(champions.get(venue.partner_id) or champions.get(None) or everyone),
                "created_at": now,
                "updated_at": now,
            }
        )
    return rows


def _devices_and_loans(connection, seed, devices, loans, attendance_rows, until, say) -> None:
    """Stock at the venues, loans to the learners generated (devices/demo.py), in bulk; its own random sequence."""
    from inclusion.devices import demo as device_demo

    visits = [device_demo.Visit(row["session_date"], row["venue_id"], row["learner_id"]) for row in attendance_rows]
    plan = device_demo.plan_devices(
        random.Random(seed * 100 + 16),
        visits,
        devices=devices,
        loans=loans,
        data_gifts=loans // 5,
        today=until,
        tag_prefix=device_demo.next_tag_prefix(f"GEN{seed}"),
    )
    device_demo.write_plan(
        plan, lambda table, rows: _insert(connection, table, rows, table.name.replace("_", " "), say)
    )


def _plan_learners(rng, count, session_rows, venues, skills):
    """Learners, each attending a run of sessions at their home venue from their first visit on."""
    next_id = (db.session.scalar(select(func.max(Learner.id))) or 0) + 1
    taken = set(db.session.scalars(select(Learner.reference)))
    make_reference = shape.reference_maker(rng, taken)
    partner_of = {venue.id: venue.partner_id for venue in venues}
    by_venue: dict[int, list[dict]] = {venue.id: [] for venue in venues}
    for row in session_rows:
        by_venue[row["venue_id"]].append(row)
    busy = [venue.id for venue in venues if by_venue[venue.id]]
    busy_weights = [len(by_venue[venue_id]) for venue_id in busy]
    foundation = [skill_id for skill_id, area in skills if area == "FND"]
    others = [skill_id for skill_id, area in skills if area != "FND"]
    all_skills = foundation + others
    now = utcnow()
    learners, attendances, achievements = [], [], []
    for offset in range(count):
        learner_id = next_id + offset
        home = rng.choices(busy, weights=busy_weights)[0]
        pool = by_venue[home]
        visits = shape.visit_count(rng)
        span = max(visits * 3, visits + 2)
        # A regular's run of visits ends by the last session rather than being cut short by it.
        start = rng.randrange(max(1, len(pool) - span + 1))
        window = pool[start : start + span]
        attended = sorted(rng.sample(window, k=min(visits, len(window))), key=lambda row: row["id"])
        registered_on = attended[0]["session_date"] if attended else pool[start]["session_date"]
        learners.append(shape.learner_row(rng, learner_id, make_reference(), registered_on, partner_of[home], now))
        order, gained = shape.skill_order(rng, foundation, others), 0
        for session_row in attended:
            # The report keys too (the triggers would fill them in, but a row at a time on SQLite).
            keys = {"session_date": session_row["session_date"], "venue_id": session_row["venue_id"]}
            attendances.append({"session_id": session_row["id"], "learner_id": learner_id, **keys})
            picked = set()
            for _ in range(shape.pick_weighted(rng, shape.SKILLS_PER_ATTENDANCE)):
                # Mostly a new skill; once all are gained, a skill shown again (only the first counts).
                skill_id = order[gained] if gained < len(order) else rng.choice(all_skills)
                gained += 1
                if skill_id not in picked:
                    picked.add(skill_id)
                    achievements.append(
                        {"learner_id": learner_id, "skill_id": skill_id, "session_id": session_row["id"], **keys}
                    )
    return _in_time_order(learners, attendances, achievements, next_id)


def _in_time_order(learners, attendances, achievements, first_id):
    """Number learners in registration order and sort rows by session, as a live system writes them.

    Planning goes learner by learner; written that way, one month's attendances would be spread
    over the whole table, which no real database looks like and which slows month queries.
    """
    learners.sort(key=lambda row: (row["registered_on"], row["id"]))
    new_id = {row["id"]: first_id + position for position, row in enumerate(learners)}
    for row in learners:
        row["id"] = new_id[row["id"]]
    for rows in (attendances, achievements):
        for row in rows:
            row["learner_id"] = row["learner_key"] = new_id[row["learner_id"]]
        rows.sort(key=lambda row: (row["session_id"], row["learner_id"]))
    # The first attendance dates and first achievements as the triggers would set them (the same
    # rules), so the triggers find nothing to change: on SQLite they run a row at a time.
    firsts = report_keys.first_attendance_by_learner(attendances)
    for row in learners:
        row["first_attended_on"] = firsts.get(row["id"])
    report_keys.mark_first_rows(report_keys.FIRST_ACHIEVEMENT, achievements)  # in insertion (= id) order
    report_keys.mark_first_rows(report_keys.FIRST_AT_VENUE, attendances)
    return learners, attendances, achievements


def _mark_levels(learners, achievements, skills) -> None:
    """Each learner's skills levels as the triggers would set them (the same rule, over the planned rows)."""
    for level in report_keys.LEVELS:
        reached = report_keys.levels_by_learner(level, achievements, skills)
        for row in learners:
            row[level.reached_on], row[level.venue] = reached.get(row["id"], (None, None))


def _insert(connection, table, rows: Iterable[dict], label: str, say: Callable[[str], None]) -> None:
    rows = list(rows)
    started = clock.perf_counter()
    if connection.dialect.name == "postgresql" and rows:
        _copy(connection, table, rows)
    else:
        for start in range(0, len(rows), CHUNK):
            connection.execute(insert(table), rows[start : start + CHUNK])
    say(f"generate: inserted {len(rows):,} {label} in {clock.perf_counter() - started:.1f} s")


def _copy(connection, table, rows: list[dict]) -> None:
    """PostgreSQL's COPY, in the same transaction: several times faster than INSERT for bulk rows."""
    columns = list(rows[0])
    statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    with connection.connection.driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row[column] for column in columns])
