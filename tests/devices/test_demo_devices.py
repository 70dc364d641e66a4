"""`flask demo seed` and `flask demo generate --devices --loans`: a lending library, the same for the same seed."""

from datetime import date

from sqlalchemy import delete, func, select

from inclusion.core import demo_data
from inclusion.core.generate import generate
from inclusion.devices.models import DataGift, Device, DeviceGift, Loan
from inclusion.extensions import db
from inclusion.followups.models import FollowUp
from inclusion.learners.models import Learner
from inclusion.outcomes.models import ConfidenceCheck
from inclusion.sessions.models import Attendance, LearningSession, SkillAchievement, session_champions
from inclusion.signposts.models import Signpost

UNTIL = date(2026, 10, 31)


def _quiet(_message: str) -> None:
    pass


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _snapshot() -> list:
    return [
        db.session.execute(
            select(Device.asset_tag, Device.kind, Device.status, Device.venue_id).order_by(Device.id)
        ).all(),
        db.session.execute(
            select(Loan.learner_id, Loan.venue_id, Loan.lent_on, Loan.due_on, Loan.returned_on).order_by(Loan.id)
        ).all(),
        db.session.execute(select(DataGift.learner_id, DataGift.identifier).order_by(DataGift.id)).all(),
    ]


def _consistent() -> None:
    """Each device's status follows its rows; loans start on a day the borrower attended at the device's venue."""
    open_loans = set(db.session.scalars(select(Loan.device_id).where(Loan.returned_on.is_(None))))
    on_loan = set(db.session.scalars(select(Device.id).where(Device.status == "on-loan")))
    assert open_loans == on_loan
    gifted = set(db.session.scalars(select(Device.id).where(Device.status == "gifted")))
    assert gifted == set(db.session.scalars(select(DeviceGift.device_id)))
    assert not _count(Loan, Loan.returned_on > UNTIL) and not _count(Loan, Loan.lent_on > UNTIL)
    assert not _count(
        Loan, Loan.venue_id != select(Device.venue_id).where(Device.id == Loan.device_id).scalar_subquery()
    )


def test_generate_adds_devices_and_about_the_loans_asked_for_in_bulk(app):
    generate(400, 200, seed=5, until=UNTIL, devices=60, loans=300, progress=_quiet)
    assert _count(Device) == 60
    # About the loans asked for (a quiet venue runs out of visits first), and some devices out today.
    assert 0.8 * 300 <= _count(Loan) <= 300 + 60
    assert _count(Loan, Loan.returned_on.is_(None), Loan.due_on < UNTIL) > 0  # some overdue
    assert _count(DataGift) == 60
    _consistent()


def test_generate_makes_the_same_devices_and_loans_for_the_same_seed(app):
    generate(150, 80, seed=9, until=UNTIL, devices=20, loans=80, progress=_quiet)
    first = _snapshot()
    for table in (
        DataGift.__table__,
        DeviceGift.__table__,
        Loan.__table__,
        Device.__table__,
        ConfidenceCheck.__table__,  # demo generate records confidence checks too (issue 15)
        FollowUp.__table__,  # and follow-ups and signposts
        Signpost.__table__,
        SkillAchievement.__table__,
        Attendance.__table__,
        session_champions,
        LearningSession.__table__,
        Learner.__table__,
    ):
        db.session.execute(delete(table))
    db.session.commit()
    generate(150, 80, seed=9, until=UNTIL, devices=20, loans=80, progress=_quiet)
    assert _snapshot() == first


def test_the_command_takes_devices_and_loans_and_refuses_loans_without_devices(runner):
    ok = runner.invoke(
        args=[
            "demo",
            "generate",
            "--learners",
            "60",
            "--sessions",
            "30",
            "--devices",
            "10",
            "--loans",
            "20",
            "--until",
            "2026-10-31",
        ]
    )
    assert ok.exit_code == 0, ok.output
    assert "generate: inserted 10 devices" in ok.stderr and _count(Device) == 10
    refused = runner.invoke(args=["demo", "generate", "--learners", "5", "--sessions", "5", "--loans", "20"])
    assert refused.exit_code == 1 and "--devices" in refused.output


def test_the_demo_alliance_has_a_lending_library(app, monkeypatch):
    monkeypatch.setattr(demo_data, "today_in_london", lambda: date(2026, 11, 15))
    demo_data.seed_demo(learners=120, seed=3)
    assert _count(Device) == 40 and _count(DataGift) == 60
    assert _count(Loan) >= 100 and _count(Loan, Loan.returned_on.is_(None)) > 0
    _consistent_on(date(2026, 11, 15))


def _consistent_on(today: date) -> None:
    open_loans = set(db.session.scalars(select(Loan.device_id).where(Loan.returned_on.is_(None))))
    assert open_loans == set(db.session.scalars(select(Device.id).where(Device.status == "on-loan")))
    assert not _count(Loan, Loan.returned_on > today)
