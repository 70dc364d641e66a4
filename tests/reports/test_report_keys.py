"""The report keys on attendances and skill achievements stay right whoever writes (database triggers).

The figures read session_date, venue_id and learner_key off the fact rows themselves
(migration 3f6a9c2d7b15); if a write could leave them behind, a figure would silently be wrong.
"""

from datetime import date

from flask_migrate import downgrade, upgrade
from sqlalchemy import insert, select, text, update

from inclusion.extensions import db
from inclusion.learners.merging import merge_learners, undo_merge
from inclusion.learners.models import Learner
from inclusion.reports import metrics
from inclusion.reports.periods import Period
from inclusion.sessions.models import Attendance, LearningSession, SkillAchievement
from tests import factories

OCTOBER = Period.month(date(2026, 10, 1))


def _keys(model) -> set[tuple]:
    db.session.expire_all()
    rows = db.session.execute(
        select(model.learner_id, model.session_id, model.session_date, model.venue_id, model.learner_key)
    )
    return {tuple(row) for row in rows}


def _expected(model) -> set[tuple]:
    """The keys as the joins they stand for would give them."""
    rows = db.session.execute(
        select(
            model.learner_id,
            model.session_id,
            LearningSession.session_date,
            LearningSession.venue_id,
            Learner.merged_into_id,
            Learner.id,
        )
        .join(LearningSession, LearningSession.id == model.session_id)
        .join(Learner, Learner.id == model.learner_id)
    )
    return {(lid, sid, day, venue, merged or own) for lid, sid, day, venue, merged, own in rows}


def _first_dates() -> dict[int, date]:
    """Each learner's first_attended_on, as stored by the triggers (learners with none left out)."""
    rows = db.session.execute(select(Learner.id, Learner.first_attended_on))
    return {learner_id: first for learner_id, first in rows if first is not None}


def _expected_first_dates() -> dict[int, date]:
    """The earliest session date of the attendances counted as each learner, worked out afresh."""
    firsts: dict[int, date] = {}
    for _, _, day, _, key in _expected(Attendance):
        firsts[key] = min(day, firsts.get(key, day))
    return firsts


def _first_achievements() -> set[int]:
    return set(db.session.scalars(select(SkillAchievement.id).where(SkillAchievement.is_first.is_(True))))


def _expected_first_achievements() -> set[int]:
    """The earliest achievement (session date, session id, id) of each (counted learner, skill), afresh."""
    rows = db.session.execute(
        select(
            SkillAchievement.id,
            SkillAchievement.skill_id,
            SkillAchievement.learner_id,
            LearningSession.session_date,
            LearningSession.id,
            Learner.merged_into_id,
        )
        .join(LearningSession, LearningSession.id == SkillAchievement.session_id)
        .join(Learner, Learner.id == SkillAchievement.learner_id)
    )
    firsts: dict[tuple, tuple] = {}
    for achievement_id, skill_id, learner_id, day, session_id, merged_into in rows:
        pair, order = (merged_into or learner_id, skill_id), (day, session_id, achievement_id)
        firsts[pair] = min(order, firsts.get(pair, order))
    return {order[2] for order in firsts.values()}


def _all_right() -> None:
    for model in (Attendance, SkillAchievement):
        assert _keys(model) == _expected(model)
        assert None not in {value for row in _keys(model) for value in row}
    assert _first_dates() == _expected_first_dates()
    assert _first_achievements() == _expected_first_achievements()


def test_keys_are_set_when_a_session_is_logged(db):
    venue = factories.create_venue()
    learner = factories.create_learner()
    factories.create_session(venue, date(2026, 10, 6), attendees=[learner], skills={learner: ["FND-01"]})

    assert _keys(Attendance) == {(learner.id, _session_id(), date(2026, 10, 6), venue.id, learner.id)}
    _all_right()


def test_keys_are_set_for_rows_written_with_plain_sql(db):
    venue = factories.create_venue()
    learner = factories.create_learner()
    session = factories.create_session(venue, date(2026, 10, 6))
    db.session.execute(insert(Attendance).values(session_id=session.id, learner_id=learner.id))
    db.session.execute(
        text(
            "INSERT INTO skill_achievements (learner_id, skill_id, session_id) "
            "VALUES (:learner, (SELECT id FROM skills WHERE code = 'COM-01'), :session)"
        ),
        {"learner": learner.id, "session": session.id},
    )
    db.session.commit()

    _all_right()
    assert metrics.adults_helped(OCTOBER) == 1
    assert metrics.skills_gained(OCTOBER) == 1


def test_keys_follow_a_session_moved_to_another_day_and_venue(db):
    venue, other_venue = factories.create_venue(), factories.create_venue()
    learner = factories.create_learner()
    session = factories.create_session(venue, date(2026, 10, 6), attendees=[learner], skills={learner: ["FND-01"]})
    assert metrics.adults_helped(OCTOBER) == 1

    db.session.execute(
        update(LearningSession)
        .where(LearningSession.id == session.id)
        .values(session_date=date(2026, 11, 2), venue_id=other_venue.id)
    )
    db.session.commit()

    _all_right()
    assert metrics.adults_helped(OCTOBER) == 0
    assert metrics.adults_helped(Period.month(date(2026, 11, 1)), by="venue") == {other_venue.name: 1}


def test_keys_follow_a_merge_and_its_undo(db):
    venue = factories.create_venue()
    keep, duplicate = factories.create_learner(), factories.create_learner()
    factories.create_session(
        venue,
        date(2026, 10, 6),
        attendees=[keep, duplicate],
        skills={keep: ["FND-01"], duplicate: ["FND-01", "COM-01"]},
    )
    factories.create_session(venue, date(2026, 10, 9), attendees=[duplicate], skills={duplicate: ["FND-02"]})
    assert metrics.adults_helped(OCTOBER) == 2

    event = merge_learners(keep.id, duplicate.id, acting_user_id=None)
    _all_right()
    assert metrics.adults_helped(OCTOBER) == 1
    assert metrics.attendances(OCTOBER) == 2
    assert metrics.skills_gained(OCTOBER) == 3

    undo_merge(event.id, acting_user_id=None)
    _all_right()
    assert metrics.adults_helped(OCTOBER) == 2
    assert metrics.skills_gained(OCTOBER) == 4


def test_a_record_marked_merged_with_plain_sql_counts_as_the_one_it_was_merged_into(db):
    """Attendances left on a merged record (as older data may have) count as the record kept."""
    venue = factories.create_venue()
    keep, duplicate = factories.create_learner(), factories.create_learner()
    factories.create_session(venue, date(2026, 10, 6), attendees=[keep, duplicate])

    db.session.execute(
        text("UPDATE learners SET merged_into_id = :keep WHERE id = :duplicate"),
        {"keep": keep.id, "duplicate": duplicate.id},
    )
    db.session.commit()

    _all_right()
    assert metrics.adults_helped(OCTOBER) == 1
    assert metrics.attendances(OCTOBER) == 1


def _session_id() -> int:
    return db.session.scalar(select(LearningSession.id))


def test_first_attendance_dates_follow_new_earlier_and_deleted_attendances(db):
    venue = factories.create_venue()
    ann, bob = factories.create_learner(), factories.create_learner()
    later = factories.create_session(venue, date(2026, 10, 20), attendees=[ann, bob])
    assert _first_dates() == {ann.id: date(2026, 10, 20), bob.id: date(2026, 10, 20)}

    earlier = factories.create_session(venue, date(2026, 9, 1), attendees=[ann])
    _all_right()
    assert _first_dates()[ann.id] == date(2026, 9, 1)

    db.session.delete(db.session.get(LearningSession, earlier.id))  # as the app deletes a session
    db.session.commit()
    _all_right()
    assert _first_dates()[ann.id] == date(2026, 10, 20)

    db.session.execute(text("DELETE FROM learning_sessions WHERE id = :id"), {"id": later.id})  # cascades
    db.session.commit()
    _all_right()
    assert _first_dates() == {}
    assert metrics.adults_helped_to_date(OCTOBER) == 0


def test_first_attendance_date_moves_with_a_re_dated_session(db):
    venue = factories.create_venue()
    ann = factories.create_learner()
    session = factories.create_session(venue, date(2026, 10, 20), attendees=[ann])
    factories.create_session(venue, date(2026, 10, 25), attendees=[ann])

    db.session.execute(
        update(LearningSession).where(LearningSession.id == session.id).values(session_date=date(2026, 11, 3))
    )
    db.session.commit()

    _all_right()
    assert _first_dates()[ann.id] == date(2026, 10, 25)


def test_the_first_achievement_of_a_skill_moves_when_an_earlier_one_is_added_or_the_first_removed(db):
    venue = factories.create_venue()
    ann = factories.create_learner()
    later = factories.create_session(venue, date(2026, 10, 20), attendees=[ann], skills={ann: ["FND-01"]})
    assert metrics.skills_gained(OCTOBER) == 1

    earlier = factories.create_session(venue, date(2026, 9, 8), attendees=[ann], skills={ann: ["FND-01"]})
    _all_right()
    assert metrics.skills_gained(OCTOBER) == 0
    assert metrics.skills_gained(Period.month(date(2026, 9, 1))) == 1

    db.session.delete(db.session.get(LearningSession, earlier.id))
    db.session.commit()
    _all_right()
    assert metrics.skills_gained(OCTOBER) == 1

    db.session.execute(text("DELETE FROM skill_achievements WHERE session_id = :id"), {"id": later.id})
    db.session.commit()
    _all_right()
    assert metrics.skills_gained(OCTOBER) == 0


def test_a_merge_leaves_one_first_achievement_per_skill(db):
    venue = factories.create_venue()
    keep, duplicate = factories.create_learner(), factories.create_learner()
    factories.create_session(venue, date(2026, 10, 20), attendees=[keep], skills={keep: ["FND-01", "COM-01"]})
    factories.create_session(venue, date(2026, 10, 6), attendees=[duplicate], skills={duplicate: ["FND-01"]})
    assert metrics.skills_gained(OCTOBER) == 3

    merge_learners(keep.id, duplicate.id, acting_user_id=None)

    _all_right()
    assert metrics.skills_gained(OCTOBER) == 2
    assert metrics.skills_gained(OCTOBER, by="venue") == {venue.name: 2}


def test_upgrading_a_database_with_history_fills_in_every_key_flag_and_date(db):
    """The report-key migrations work out the keys for the records already there."""
    venue, other_venue = factories.create_venue(), factories.create_venue()
    keep, duplicate, child = factories.create_learner(), factories.create_learner(), factories.create_learner()
    factories.create_session(
        venue, date(2026, 10, 20), attendees=[keep, child], skills={keep: ["FND-01", "COM-01"], child: ["FND-01"]}
    )
    factories.create_session(other_venue, date(2026, 9, 2), attendees=[duplicate], skills={duplicate: ["FND-01"]})
    db.session.execute(
        text("UPDATE learners SET merged_into_id = :keep WHERE id = :duplicate"),
        {"keep": keep.id, "duplicate": duplicate.id},
    )
    db.session.commit()
    keep_id, child_id = keep.id, child.id
    db.session.remove()

    downgrade(revision="7d1f0c2a9e51")  # the keys, dates and flags are dropped; the records stay
    upgrade()  # and are worked out again from the records

    _all_right()
    assert _first_dates() == {keep_id: date(2026, 9, 2), child_id: date(2026, 10, 20)}
    assert metrics.skills_gained(OCTOBER) == 2  # keep: COM-01 only (FND-01 came in September); the child
