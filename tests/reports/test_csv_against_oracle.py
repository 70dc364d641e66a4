"""Every row of the monthly CSV against figures computed independently, in plain Python, from the rows."""

import csv
import io
import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest

from inclusion.extensions import db
from inclusion.learners.constants import AGE_BANDS
from inclusion.reports import exports
from inclusion.reports.periods import Period
from tests import factories

SKILLS = ["FND-01", "FND-06", "COM-01", "COM-03", "HIC-01", "TRA-02", "SAF-01", "PRB-01"]
MONTHS = [Period.month(date(2026, 8, 1)), Period.month(date(2026, 9, 1))]


def _build_random_alliance(rng: random.Random):
    partners = [factories.create_partner(f"Partner {name}") for name in "ABC"]
    venues = [factories.create_venue(f"Venue {n}", partners[n % 3]) for n in range(5)]
    learners = [factories.create_learner(age_band=rng.choice(AGE_BANDS)) for _ in range(30)]
    sessions = []  # (session, date, venue, minutes, unregistered, [learners], {learner: [codes]})
    for _ in range(40):
        day = date(2026, 7, 1) + timedelta(days=rng.randrange(0, 92))
        venue, minutes = rng.choice(venues), rng.choice([30, 45, 60, 75, 90])
        attendees = rng.sample(learners, rng.choice([0, 1, 2, 3, 4]))
        skills = {learner: rng.sample(SKILLS, rng.choice([0, 1, 2])) for learner in attendees}
        unregistered = rng.choice([0, 0, 0, 2])
        made = factories.create_session(
            venue,
            day,
            attendees=attendees,
            skills=skills,
            start_time=None,
            duration_minutes=minutes,
            unregistered_attendees=unregistered,
        )
        sessions.append((made.id, day, venue, minutes, unregistered, attendees, skills))
    for duplicate, kept in zip(learners[:4], learners[4:8], strict=True):
        duplicate.merged_into = kept
    db.session.commit()
    return partners, venues, learners, sessions


def _expected_rows(month: Period, sessions, learners) -> dict[tuple[str, str, str], str]:
    key = {learner.id: (learner.merged_into or learner) for learner in learners}  # counted as
    band = {learner.id: key[learner.id].age_band for learner in learners}

    def adult(learner):
        return band[learner.id] != "under-18"

    # (counted learner, session id) → session
    facts = {(key[person.id].id, s[0]): s for s in sessions for person in s[5] if adult(person)}
    first_date = {}
    for (person, _sid), s in facts.items():
        first_date[person] = min(first_date.get(person, s[1]), s[1])
    first_skill = {}
    for s in sorted(sessions, key=lambda s: (s[1], s[0])):
        for learner, codes in s[6].items():
            for code in codes:
                if adult(learner):
                    first_skill.setdefault((key[learner.id].id, code), s)
    learner_band = {key[person.id].id: band[person.id] for person in learners}
    in_month = {k: s for k, s in facts.items() if month.start <= s[1] <= month.end}
    to_date = {k: s for k, s in facts.items() if s[1] <= month.end}
    skills = {k: s for k, s in first_skill.items() if month.start <= s[1] <= month.end}
    cats = {"partner": lambda s: s[2].partner.name, "venue": lambda s: s[2].name}
    month_sessions = [s for s in sessions if month.start <= s[1] <= month.end]
    rows = {}

    def put(measure, dimension, category, value):
        rows[(measure, dimension, category)] = value

    def grouped(pairs, dimension):
        """{category: set or list of things} for (learner, session)-keyed facts."""
        out = {}
        for (person, _sid), s in pairs.items():
            category = learner_band[person] if dimension == "age_band" else cats[dimension](s)
            out.setdefault(category, []).append((person, s))
        return out

    def hours(minutes):
        return str((Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))

    start = month.start
    figures = {
        "adults_helped_to_date": (to_date, lambda items: len({p for p, _ in items})),
        "adults_helped": (in_month, lambda items: len({p for p, _ in items})),
        "new_learners": (in_month, lambda items: len({p for p, _ in items if first_date[p] >= start})),
        "returning_learners": (in_month, lambda items: len({p for p, _ in items if first_date[p] < start})),
        "attendances": (in_month, len),
        "learner_hours": (in_month, lambda items: hours(sum(s[3] for _, s in items))),
    }
    venues_in_month = {s[2].name for s in month_sessions}
    partners_in_month = {s[2].partner.name for s in month_sessions}
    for measure, (pairs, count) in figures.items():
        put(measure, "total", "all", str(count([(person, s) for (person, _sid), s in pairs.items()])))
        for dimension, names in (("partner", partners_in_month), ("venue", venues_in_month)):
            groups = grouped(pairs, dimension)
            for name in names:
                put(measure, dimension, name, str(count(groups.get(name, []))))
        for name, items in grouped(pairs, "age_band").items():
            value = str(count(items))
            if value not in ("0", "0.0"):
                put(measure, "age_band", name, value)
    delivered = [s for s in month_sessions if s[5] or s[4] > 0]
    session_figures = (
        ("sessions_delivered", delivered, len),
        ("unregistered_attendances", month_sessions, lambda ss: sum(s[4] for s in ss)),
    )
    for measure, chosen, count in session_figures:
        put(measure, "total", "all", str(count(chosen)))
        for dimension, names in (("partner", partners_in_month), ("venue", venues_in_month)):
            for name in names:
                put(measure, dimension, name, str(count([s for s in chosen if cats[dimension](s) == name])))
    skill_figures = (("skills_gained", len), ("learners_gaining_skills", lambda ks: len({k[0] for k in ks})))
    for measure, count in skill_figures:
        put(measure, "total", "all", str(count(list(skills))))
        for dimension, names in (("partner", partners_in_month), ("venue", venues_in_month)):
            for name in names:
                chosen = [k for k, s in skills.items() if cats[dimension](s) == name]
                put(measure, dimension, name, str(count(chosen)))
        for area in ("FND", "COM", "HIC", "TRA", "PRB", "SAF"):
            put(measure, "skill_area", area, str(count([k for k in skills if k[1].startswith(area)])))
        for band_name in AGE_BANDS:
            value = count([k for k in skills if learner_band[k[0]] == band_name])
            if value:
                put(measure, "age_band", band_name, str(value))
    helped_to_date = len({person for person, _sid in to_date})
    put("milestone_target", "total", "all", "5000")
    put(
        "milestone_progress_percent",
        "total",
        "all",
        str((Decimal(100 * helped_to_date) / 5000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)),
    )
    return rows


@pytest.mark.parametrize("seed", [1, 2])
def test_every_row_matches_an_independent_computation(app, seed):
    app.config["SUPPRESSION_THRESHOLD"] = 0
    try:
        _partners, _venues, learners, sessions = _build_random_alliance(random.Random(seed))
        for month in MONTHS:
            content = exports.monthly_csv(month).decode()
            actual = {tuple(row[1:4]): row[4] for row in list(csv.reader(io.StringIO(content)))[1:]}
            assert actual == _expected_rows(month, sessions, learners)
            assert len([v for v in actual.values() if v not in ("0", "0.0")]) > 40  # a rich month, not zeros
    finally:
        app.config["SUPPRESSION_THRESHOLD"] = 5
