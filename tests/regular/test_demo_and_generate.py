"""Slots in the demo alliance and in `flask demo generate --regular-sessions N`."""

from sqlalchemy import func, select

from inclusion.extensions import db
from inclusion.partners.models import Venue
from inclusion.regular.models import RegularSession, regular_session_champions
from inclusion.regular.occurrences import slot_dates


def test_generate_adds_the_slots_asked_for_each_run_by_its_venues_champions(runner):
    result = runner.invoke(
        args=[
            "demo",
            "generate",
            "--learners",
            "40",
            "--sessions",
            "30",
            "--until",
            "2026-10-31",
            "--regular-sessions",
            "25",
        ]
    )
    assert result.exit_code == 0, result.output
    slots = db.session.scalars(select(RegularSession)).all()
    assert len(slots) == 25
    for slot in slots:
        assert slot_dates(slot, slot.starts_on, slot.starts_on.replace(year=slot.starts_on.year + 1))
        assert all(champion.partner_id == slot.venue.partner_id for champion in slot.champions)
    assert db.session.scalar(select(func.count()).select_from(regular_session_champions)) >= 1
    # Ids carry on after the generated ones (PostgreSQL's sequence was moved past them).
    extra = RegularSession(
        **{
            k: getattr(slots[0], k)
            for k in (
                "venue_id",
                "frequency",
                "weekday",
                "start_time",
                "session_type",
                "duration_minutes",
                "starts_on",
                "first_day",
            )
        }
    )
    db.session.add(extra)
    db.session.commit()
    assert extra.id == 26


def test_generate_refuses_a_negative_number_of_slots(runner):
    result = runner.invoke(args=["demo", "generate", "--learners", "5", "--sessions", "5", "--regular-sessions", "-1"])
    assert result.exit_code == 1 and "--regular-sessions must be between 0 and 10,000" in result.output


def test_the_demo_alliance_has_regular_sessions_for_its_champions(runner):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    slots = db.session.scalars(select(RegularSession).join(Venue).order_by(Venue.name)).all()
    assert [(slot.venue.name, [c.email for c in slot.champions]) for slot in slots] == [
        ("Age Friendly Hub, Merseyway", ["champion2@example.org"]),
        ("Central Library", ["champion@example.org"]),
        ("Reddish Library", ["champion@example.org"]),
    ]
