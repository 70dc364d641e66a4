"""The skills passport: one printable page a learner takes home, in plain words, opening it audited.

It holds the learner's name and reference, the skills they have gained by area, what to try
next and where sessions usually run; never their date of birth, postcode or contact details
(DESIGN.md, "Outcomes"). The sessions that "usually run" are read off the sessions logged at
the venues in the last twelve weeks: a weekday and start time seen at least three times.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from sqlalchemy import func, select

from inclusion.audit.services import record_event
from inclusion.auth.models import User
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.learners.models import Learner
from inclusion.learners.services import get_learner
from inclusion.outcomes.learner_page import confidence_progress
from inclusion.partners.models import Venue
from inclusion.sessions.constants import FOUNDATION_AREA, LIFE_SKILLS_AREAS
from inclusion.sessions.learner_page import AreaProgress, learner_profile
from inclusion.sessions.models import Attendance, LearningSession
from inclusion.timeutil import today_in_london

# The framework's areas as a learner would say them (the codes and the framework's names are on the learner page).
PLAIN_AREAS = {
    "FND": "The basics",
    "COM": "Keeping in touch",
    "HIC": "Finding and keeping information",
    "TRA": "Buying, paying and using services",
    "PRB": "Sorting out problems",
    "SAF": "Staying safe online",
}
NEXT_STEPS = 3  # skills suggested under "What to try next"
VENUES_SHOWN = 3
USUAL_WEEKS = 12  # "usually": seen at least USUAL_TIMES times in the last USUAL_WEEKS weeks
USUAL_TIMES = 3
DAYS_SHOWN = 3  # weekdays shown per venue
WEEKDAYS = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")


@dataclass(frozen=True)
class PassportArea:
    name: str
    done: list[str]  # skills gained, in plain words, capitalised


@dataclass(frozen=True)
class VenueSessions:
    name: str
    ward: str | None
    usual: list[str]  # e.g. "Tuesdays at 10am and 2pm"; empty when no pattern is known


@dataclass
class Passport:
    learner: Learner
    printed_on: date
    skills_gained: int
    areas: list[PassportArea]
    foundation_held: int
    foundation_total: int
    life_skills_areas_held: int
    next_steps: list[str]
    venues: list[VenueSessions] = field(default_factory=list)
    confidence_then: int | None = None  # overall confidence at the baseline, 1–5
    confidence_now: int | None = None  # at the latest later check

    @property
    def life_skills_areas_total(self) -> int:
        return len(LIFE_SKILLS_AREAS)


def plain(title: str) -> str:
    """A skill's wording as a line of its own: "turn on a device" → "Turn on a device"."""
    return title[:1].upper() + title[1:]


def _next_steps(areas: list[AreaProgress]) -> list[str]:
    """The basics first; then one skill from each everyday area not started; then the next in each area."""
    by_code = {area.code: area for area in areas}
    steps = [status.skill.title for status in by_code[FOUNDATION_AREA].remaining if not status.skill.is_local]
    untouched = [code for code in LIFE_SKILLS_AREAS if not by_code[code].done and by_code[code].remaining]
    steps += [by_code[code].remaining[0].skill.title for code in untouched]
    steps += [
        status.skill.title for code in LIFE_SKILLS_AREAS for status in by_code[code].remaining if by_code[code].done
    ]
    unique = list(dict.fromkeys(steps))
    return [plain(step) for step in unique[:NEXT_STEPS]]


def _clock(start: time) -> str:
    hour = start.hour % 12 or 12
    suffix = "am" if start.hour < 12 else "pm"
    return f"{hour}{suffix}" if start.minute == 0 else f"{hour}.{start.minute:02d}{suffix}"


def usual_sessions(venue_ids: list[int], today: date) -> dict[int, list[str]]:
    """Per venue, each weekday with the start times sessions were logged at USUAL_TIMES or more times lately."""
    if not venue_ids:
        return {}
    since = today - timedelta(weeks=USUAL_WEEKS)
    rows = db.session.execute(
        select(LearningSession.venue_id, LearningSession.session_date, LearningSession.start_time)
        .where(
            LearningSession.venue_id.in_(venue_ids),
            LearningSession.session_date > since,
            LearningSession.session_date <= today,
        )
        .group_by(LearningSession.venue_id, LearningSession.session_date, LearningSession.start_time)
    )
    seen: Counter = Counter((venue_id, day.weekday(), start) for venue_id, day, start in rows)
    times: dict[tuple[int, int], list[time | None]] = {}
    for venue_id, weekday, start in sorted(seen, key=lambda slot: (slot[0], slot[1], slot[2] or time.min)):
        if seen[venue_id, weekday, start] >= USUAL_TIMES:
            times.setdefault((venue_id, weekday), []).append(start)
    usual: dict[int, list[str]] = {venue_id: [] for venue_id in venue_ids}
    for (venue_id, weekday), starts in times.items():
        if len(usual[venue_id]) < DAYS_SHOWN:
            clocks = [_clock(start) for start in starts if start is not None]
            usual[venue_id].append(WEEKDAYS[weekday] + (f" at {' and '.join(clocks)}" if clocks else ""))
    return usual


def _venues(learner: Learner, sessions: list, today: date) -> list[VenueSessions]:
    """The open venues the learner went to, latest first; none yet: their registering partner's."""
    venue_ids = list(dict.fromkeys(row.venue_id for row in sessions))
    if not venue_ids:
        venue_ids = list(
            db.session.scalars(
                select(Venue.id)
                .where(Venue.partner_id == learner.registered_partner_id, Venue.closed_at.is_(None))
                .order_by(Venue.name)
            )
        )
    venues = {
        venue.id: venue
        for venue in db.session.scalars(select(Venue).where(Venue.id.in_(venue_ids), Venue.closed_at.is_(None)))
    }
    shown = [venue_id for venue_id in venue_ids if venue_id in venues][:VENUES_SHOWN]
    usual = usual_sessions(shown, today)
    return [VenueSessions(venues[venue_id].name, venues[venue_id].ward, usual[venue_id]) for venue_id in shown]


def build_passport(learner: Learner, today: date) -> Passport:
    """What the page shows: a handful of queries whatever the learner's history."""
    profile = learner_profile(learner)
    areas = [
        PassportArea(PLAIN_AREAS[area.code], [plain(status.skill.title) for status in area.done])
        for area in profile.areas
    ]
    progress = confidence_progress(learner.id, learner.reference)
    passport = Passport(
        learner=learner,
        printed_on=today,
        skills_gained=profile.skills_gained,
        areas=areas,
        foundation_held=profile.foundation_held,
        foundation_total=profile.foundation_total,
        life_skills_areas_held=profile.life_skills_areas_held,
        next_steps=_next_steps(profile.areas),
        venues=_venues(learner, _visited_venues(learner), today),
    )
    if progress.baseline is not None and progress.latest is not None:
        passport.confidence_then = progress.baseline.overall
        passport.confidence_now = progress.latest.overall
    return passport


def _visited_venues(learner: Learner) -> list:
    """(venue_id, last visit) for each venue the learner attended, latest first (merged records included)."""
    return list(
        db.session.execute(
            select(Attendance.venue_id, func.max(Attendance.session_date).label("last_visit"))
            .where(Attendance.learner_key == learner.id)
            .group_by(Attendance.venue_id)
            .order_by(func.max(Attendance.session_date).desc(), Attendance.venue_id)
        )
    )


def open_passport(user: User, reference: str, *, today: date | None = None) -> Passport:
    """The passport of a learner the user may see (LookupError / AccessDenied otherwise); the opening is audited."""
    learner = get_learner(user, reference)
    if learner.merged_into_id is not None:
        learner = db.session.get(Learner, learner.merged_into_id)
    passport = build_passport(learner, today or today_in_london())
    with write_transaction():
        record_event(
            "skills_passport_opened",
            user_id=user.id,
            record_type="learner",
            record_id=learner.id,
            details={"skills_gained": passport.skills_gained},
        )
    return passport
