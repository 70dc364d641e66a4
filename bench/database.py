"""Build a benchmark database: an empty schema, the migrations, `demo generate` data and bench accounts."""

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import func, select, text

from config import DevelopmentConfig
from inclusion import create_app
from inclusion.auth.models import User
from inclusion.auth.passwords import hash_password
from inclusion.core.generate import generate
from inclusion.devices.models import Device, Loan
from inclusion.extensions import db
from inclusion.followups.models import FollowUp
from inclusion.learners.models import Learner
from inclusion.partners.models import Venue
from inclusion.sessions.models import Attendance, LearningSession, SkillAchievement

ROOT = Path(__file__).resolve().parents[1]
UNTIL = date(2026, 10, 31)  # fixed, so every run measures the same months
SCALES = {"tenth": (5_000, 2_500), "full": (50_000, 25_000), "double": (100_000, 50_000)}
# Devices and loans at each scale (issue 16: full scale plus 5,000 devices and 30,000 loans).
DEVICE_SCALES = {"tenth": (500, 3_000), "full": (5_000, 30_000), "double": (10_000, 60_000)}
PASSWORD = "bench-password-not-secret"  # noqa: S105  (synthetic accounts on a throwaway database)
CHAMPIONS = 20
# Regular slots (issue 17): 400 at full scale, in proportion at the others.
REGULAR_SESSIONS = {"tenth": 40, "full": 400, "double": 800}


@dataclass
class Target:
    backend: str
    scale: str
    url: str


def targets(backends: list[str], scales: list[str]) -> list[Target]:
    found = []
    for backend in backends:
        for scale in scales:
            if backend == "sqlite":
                url = f"sqlite:///{ROOT / 'instance' / f'bench-{scale}.sqlite3'}"
            else:
                url = os.environ["BENCH_DATABASE_URL"]
            found.append(Target(backend, scale, url))
    return found


def bench_app(url: str):
    """The app as a host runs it, with CSRF and the sign-in and feed rate limits out of the timings' way."""
    return create_app(
        DevelopmentConfig,
        SQLALCHEMY_DATABASE_URI=url,
        WTF_CSRF_ENABLED=False,
        LOGIN_RATE_LIMIT="100000 per minute",
        API_RATE_LIMIT="100000 per minute",
        RATELIMIT_STORAGE_URI="memory://",
    )


def build(target: Target, say, *, reuse: bool = False) -> dict:
    """Create (or, with reuse, keep) the database for `target`; returns row counts and build time."""
    learners, sessions = SCALES[target.scale]
    devices, loans = DEVICE_SCALES[target.scale]
    slots = REGULAR_SESSIONS[target.scale]
    if reuse and _reusable(target.url, learners, sessions, devices, slots):
        say(f"{target.backend}/{target.scale}: reusing the existing database")
        seconds = None
    else:
        seconds = _fresh(target, learners, sessions, say, devices, loans, slots)
    app = bench_app(target.url)
    with app.app_context():
        counts = {
            name: db.session.scalar(select(func.count()).select_from(model))
            for name, model in (
                ("learners", Learner),
                ("sessions", LearningSession),
                ("attendances", Attendance),
                ("skill_achievements", SkillAchievement),
                ("devices", Device),
                ("loans", Loan),
            )
        }
        db.session.remove()
        db.engine.dispose()
    return {"rows": counts, "generate_seconds": seconds}


def _fresh(
    target: Target, learners: int, sessions: int, say, devices: int = 0, loans: int = 0, regular_sessions: int = 0
) -> float:
    if target.backend == "sqlite":
        path = Path(target.url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    app = bench_app(target.url)
    with app.app_context():
        if target.backend == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        result = generate(
            learners,
            sessions,
            seed=2026,
            until=UNTIL,
            devices=devices,
            loans=loans,
            regular_sessions=regular_sessions,
            progress=say,
        )
        _bench_accounts()
        if target.backend == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE"))
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return round(result.seconds, 1)


def _reusable(url: str, learners: int, sessions: int, devices: int = 0, regular_sessions: int = 0) -> bool:
    app = bench_app(url)
    with app.app_context():
        found = _has_data(learners, sessions, devices) and _has_slots(regular_sessions)
        db.session.remove()
        db.engine.dispose()
    return found


def _has_data(learners: int, sessions: int, devices: int = 0) -> bool:
    try:
        return (
            db.session.scalar(select(func.count()).select_from(Learner)) == learners
            and db.session.scalar(select(func.count()).select_from(LearningSession)) == sessions
            and db.session.scalar(select(func.count()).select_from(Device)) == devices
            # Generated before `demo generate` made follow-ups: rebuilt, or their figures would count nothing.
            and db.session.scalar(select(func.count()).select_from(FollowUp)) > 0
        )
    except Exception:  # no schema yet
        db.session.rollback()
        return False


def _has_slots(count: int) -> bool:
    from inclusion.regular.models import RegularSession

    try:
        return db.session.scalar(select(func.count()).select_from(RegularSession)) == count
    except Exception:  # a database made before regular sessions existed: build it again
        db.session.rollback()
        return False


def _bench_accounts() -> None:
    """A coordinator and twenty champions (one partner's venue each) with a known password."""
    password_hash = hash_password(PASSWORD)
    venues = list(db.session.scalars(select(Venue).order_by(Venue.id)))
    db.session.add(
        User(
            email="bench-coordinator@example.org",
            name="Bench Coordinator",
            role="coordinator",
            password_hash=password_hash,
        )
    )
    for number in range(CHAMPIONS):
        venue = venues[number % len(venues)]
        db.session.add(
            User(
                email=f"bench-champion{number}@example.org",
                name=f"Bench Champion {number}",
                role="champion",
                partner_id=venue.partner_id,
                password_hash=password_hash,
            )
        )
    db.session.commit()
