"""The demo's story on top of the small alliance: two years of growth to several thousand adults helped.

`flask demo seed` adds it after the small alliance of demo_data.py (whose figures the report tests pin):
about 3,600 more learners, each first seen at a session at their home venue on the day they registered
and coming back a few times, so that the alliance has helped over 3,000 adults and, at the last 90
days' rate, reaches the 5,000 milestone within about a year. Then two possible duplicates for the
coordinator's queue and the last three months' reports in the archive. Rows are planned in Python and
written with executemany inserts (explicit ids, so nothing is read back row by row).
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, insert, select, text

from inclusion.extensions import db
from inclusion.learners.constants import GENDERS
from inclusion.learners.fields import age_band_for, new_reference, search_key
from inclusion.learners.models import Learner
from inclusion.outcomes.demo import demo_confidence_checks
from inclusion.partners.models import Venue
from inclusion.reports import funder_csv
from inclusion.reports.models import ReportRun
from inclusion.reports.periods import Period, add_months
from inclusion.reports.services import sha256_of
from inclusion.sessions.models import Attendance, LearningSession, Skill, SkillAchievement, session_champions
from inclusion.timeutil import utcnow

STORY_LEARNERS = 3_600
DAYS = 730
CHUNK = 5_000
ARCHIVED_MONTHS = 3  # each is the whole funder CSV worked out: a few seconds a month at this size
FUNDERS = "funders@example.org"
# The pair the duplicates queue shows: one woman registered at two libraries, her name misspelt once.
DUPLICATE_PAIR = (("Margaret", "Hughes", "Central Library"), ("Margret", "Hughes", "Reddish Library"))
DUPLICATE_BIRTH = date(1948, 3, 2)


@dataclass(frozen=True)
class Story:
    learners: int
    sessions: int
    attendances: int
    achievements: int
    reports: int


def add_story(rng: random.Random, today: date, venues: list[Venue], names, postcodes, users) -> Story:
    """Learners, sessions, attendances and skills of two years' growth; inside the caller's transaction."""
    champion_for = _champions_by_partner(users)
    used_births = set(db.session.scalars(select(Learner.date_of_birth).where(Learner.date_of_birth.is_not(None))))
    used_births.add(DUPLICATE_BIRTH)
    used_names = set(db.session.execute(select(Learner.search_name, Learner.postcode)).all())
    references = set(db.session.scalars(select(Learner.reference)))
    schedule = {venue.id: _session_days(venue.id, today) for venue in venues}
    weights = [3 if "Library" in venue.name else 2 for venue in venues]
    next_learner = (db.session.scalar(select(func.max(Learner.id))) or 0) + 1
    learners, visits = [], {}  # visits: (venue id, day) -> learner ids
    for _ in range(STORY_LEARNERS):
        venue = rng.choices(venues, weights)[0]
        first = _next_day(schedule[venue.id], today - timedelta(days=rng.randint(0, DAYS - 1)))
        if first is None:  # registered after the venue's last session so far: not seen yet
            continue
        row = _learner(
            rng, next_learner + len(learners), first, venue, names, postcodes, used_births, used_names, references
        )
        learners.append(row)
        for day in _visits(rng, schedule[venue.id], first):
            visits.setdefault((venue.id, day), []).append(row["id"])
    for (first_name, last_name, venue_name), days_ago in zip(DUPLICATE_PAIR, (200, 40), strict=True):
        venue = next(v for v in venues if v.name == venue_name)
        first = _next_day(schedule[venue.id], today - timedelta(days=days_ago))
        row = _learner(rng, next_learner + len(learners), first, venue, names, postcodes, set(), set(), references)
        row.update(first_name=first_name, last_name=last_name, search_name=search_key(first_name, last_name))
        row.update(date_of_birth=DUPLICATE_BIRTH, age_band=age_band_for(DUPLICATE_BIRTH, first))
        learners.append(row)
        visits.setdefault((venue.id, first), []).append(row["id"])
    _insert(Learner.__table__, [{k: v for k, v in row.items() if not k.startswith("_")} for row in learners])
    sessions, attendances, achievements = _sessions(rng, visits, champion_for, venues)
    _insert(LearningSession.__table__, sessions)
    _insert(session_champions, [{"session_id": s["id"], "user_id": s["created_by_id"]} for s in sessions])
    _insert(Attendance.__table__, attendances)
    _insert(SkillAchievement.__table__, achievements)
    _move_sequences()
    recorders = [user.id for user in users.values() if user.role in ("champion", "coordinator")]
    demo_confidence_checks(rng, learners, recorders, today)
    return Story(len(learners), len(sessions), len(attendances), len(achievements), 0)


def archive_reports(today: date) -> int:
    """The last ARCHIVED_MONTHS whole months' reports as sent to the funders on the 3rd of the next month."""
    runs = []
    for back in range(ARCHIVED_MONTHS, 0, -1):
        period = Period.month(add_months(today.replace(day=1), -back))
        version = funder_csv.default_version()
        content = funder_csv.monthly_csv(period, version)
        sent = datetime.combine(add_months(period.start, 1).replace(day=3), time(7))
        runs.append(
            ReportRun(
                month=period.key,
                version=version,
                sha256=sha256_of(content),
                content=content,
                recipients=FUNDERS,
                created_at=sent,
                sent_at=sent,
            )
        )
    db.session.add_all(runs)
    return len(runs)


def _champions_by_partner(users) -> dict[int | None, list[int]]:
    by_partner: dict[int | None, list[int]] = {}
    for user in users.values():
        if user.role == "champion":
            by_partner.setdefault(user.partner_id, []).append(user.id)
        elif user.role == "coordinator":
            by_partner.setdefault(None, []).append(user.id)
    return by_partner


def _session_days(venue_id: int, today: date) -> list[date]:
    """Two sessions a week at each venue (its own two weekdays), over the story's two years."""
    weekdays = {venue_id % 5, (venue_id + 2) % 5}
    start = today - timedelta(days=DAYS - 1)
    return [start + timedelta(days=n) for n in range(DAYS) if (start + timedelta(days=n)).weekday() in weekdays]


def _next_day(days: list[date], on_or_after: date) -> date | None:
    return next((day for day in days if day >= on_or_after), None)


def _visits(rng: random.Random, days: list[date], first: date) -> list[date]:
    """The first visit, then a few more at later sessions within six months (most come back once or twice)."""
    later = [day for day in days if first < day <= first + timedelta(days=180)]
    returns = min(len(later), rng.choice([0, 1, 1, 2, 2, 3, 4, 6]))
    return [first] + sorted(rng.sample(later, returns))


def _learner(rng, learner_id, registered_on, venue, names, postcodes, used_births, used_names, references) -> dict:
    first_name, last_name = rng.choice(names[0]), rng.choice(names[1])
    born = None
    if rng.random() < 0.8:
        for _attempt in range(20):  # no accidental duplicate pairs: the queue shows the one planted
            year = rng.choice([rng.randint(1936, 1962), rng.randint(1950, 2004)] * 9 + [rng.randint(2008, 2010)])
            born = date(year, rng.randint(1, 12), rng.randint(1, 28))
            if born not in used_births:
                break
        used_births.add(born)
    postcode = None
    if rng.random() < 0.7:
        for _attempt in range(20):
            postcode = (
                f"{rng.choice(postcodes)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTUWXYZ')}"
            )
            if (search_key(first_name, last_name), postcode) not in used_names:
                break
        used_names.add((search_key(first_name, last_name), postcode))
    reference = new_reference()
    while reference in references:
        reference = new_reference()
    references.add(reference)
    now = utcnow()
    return {
        "id": learner_id,
        "reference": reference,
        "first_name": first_name,
        "last_name": last_name,
        "search_name": search_key(first_name, last_name),
        "date_of_birth": born,
        "age_band": age_band_for(born, registered_on) if born else rng.choice(["45-54", "55-64", "65-74", "75+"]),
        "postcode": postcode,
        "gender": rng.choice(GENDERS),
        "lawful_basis": "consent",
        "consent_method": rng.choice(["verbal", "verbal", "paper-form"]),
        "consent_recorded_at": datetime.combine(registered_on, time(10)),
        "privacy_notice_version": "2026-09",
        "registered_on": registered_on,
        "registered_partner_id": venue.partner_id,
        "created_at": now,
        "updated_at": now,
        "_home_venue": venue,
    }


def _sessions(rng, visits, champion_for, venues):
    skills = list(db.session.scalars(select(Skill.id).where(Skill.retired_at.is_(None))))
    partner_of = {venue.id: venue.partner_id for venue in venues}
    next_session = (db.session.scalar(select(func.max(LearningSession.id))) or 0) + 1
    sessions, attendances, achievements, gained = [], [], [], {}
    for offset, ((venue_id, day), learner_ids) in enumerate(sorted(visits.items(), key=lambda item: item[0][1])):
        session_id = next_session + offset
        loggers = champion_for.get(partner_of[venue_id]) or champion_for[None]
        sessions.append(
            {
                "id": session_id,
                "session_date": day,
                "start_time": time(rng.choice([10, 10, 14])),
                "venue_id": venue_id,
                "session_type": rng.choice(["drop-in", "drop-in", "drop-in", "group", "one-to-one"]),
                "duration_minutes": rng.choice([60, 90, 120]),
                "unregistered_attendees": rng.choice([0, 0, 0, 1, 2]),
                "created_by_id": rng.choice(loggers),
            }
        )
        for learner_id in learner_ids:
            attendances.append({"session_id": session_id, "learner_id": learner_id})
            learned = gained.setdefault(learner_id, set())
            for skill_id in rng.sample(skills, k=rng.choice([0, 1, 1, 2])):
                if skill_id not in learned:  # a skill is gained once; later sessions practise others
                    learned.add(skill_id)
                    achievements.append({"session_id": session_id, "learner_id": learner_id, "skill_id": skill_id})
    return sessions, attendances, achievements


def _insert(table, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(table), rows[start : start + CHUNK])


def _move_sequences() -> None:
    """Ids were given explicitly: PostgreSQL's sequences must move past them (constant table names)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in ("learners", "learning_sessions"):
        sequence = f"pg_get_serial_sequence('{table}', 'id')"
        db.session.execute(text(f"SELECT setval({sequence}, (SELECT max(id) FROM {table}))"))  # noqa: S608
