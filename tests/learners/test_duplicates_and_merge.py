"""The duplicate queue: likely pairs, merging (and its undo) and "not the same person"."""

from datetime import date

import pytest
from sqlalchemy import func, select

from inclusion.audit.models import AuditEvent
from inclusion.extensions import db
from inclusion.learners.duplicates import dismiss_pair, find_duplicate_pairs
from inclusion.learners.merging import merge_learners, undo_merge
from inclusion.learners.models import Learner
from inclusion.sessions.models import Attendance, LearningSession, SkillAchievement
from tests.factories import create_learner, create_session, create_venue


def adults_helped(first: date, last: date) -> int:
    """Distinct adults with an attendance in the period, a merged duplicate counted as the learner kept."""
    db.session.rollback()
    return db.session.scalar(
        select(func.count(func.distinct(func.coalesce(Learner.merged_into_id, Learner.id))))
        .select_from(Attendance)
        .join(Learner, Learner.id == Attendance.learner_id)
        .join(LearningSession, LearningSession.id == Attendance.session_id)
        .where(Learner.age_band != "under-18", LearningSession.session_date.between(first, last))
    )


SEPTEMBER = (date(2026, 9, 1), date(2026, 9, 30))


def test_same_date_of_birth_and_similar_names_are_a_likely_pair():
    margaret = create_learner("Margaret", "Hughes", date_of_birth=date(1948, 3, 2))
    maggie = create_learner("Margaret", "Hughs", date_of_birth=date(1948, 3, 2))
    create_learner("Tariq", "Khan", date_of_birth=date(1948, 3, 2))
    pairs = find_duplicate_pairs()
    assert [(pair.first.id, pair.second.id) for pair in pairs] == [(margaret.id, maggie.id)]
    assert "Same date of birth" in pairs[0].reason


def test_same_name_and_postcode_are_a_likely_pair_even_without_a_date_of_birth():
    first = create_learner("Ann", "Walker", postcode="SK4 1AA")
    second = create_learner("ann", "WALKER", postcode="SK4 1AA")
    create_learner("Ann", "Walker", postcode="SK1 3XE")
    pairs = find_duplicate_pairs()
    assert [(pair.first.id, pair.second.id) for pair in pairs] == [(first.id, second.id)]


def test_a_dismissed_pair_is_never_suggested_again():
    first = create_learner("Ann", "Walker", postcode="SK4 1AA")
    second = create_learner("Ann", "Walker", postcode="SK4 1AA")
    dismiss_pair(second.id, first.id, acting_user_id=None)
    assert find_duplicate_pairs() == []


def test_merging_two_learners_who_attended_the_same_month_drops_the_headcount_by_one():
    venue = create_venue()
    kept = create_learner("Margaret", "Hughes", date_of_birth=date(1948, 3, 2))
    duplicate = create_learner("Margaret", "Hughs", date_of_birth=date(1948, 3, 2))
    create_session(venue, date(2026, 9, 4), attendees=[kept])
    create_session(venue, date(2026, 9, 11), attendees=[duplicate])
    assert adults_helped(*SEPTEMBER) == 2
    merge_learners(kept.id, duplicate.id, acting_user_id=None)
    assert adults_helped(*SEPTEMBER) == 1
    assert db.session.get(Learner, duplicate.id).merged_into_id == kept.id
    assert set(db.session.scalars(select(Attendance.learner_id))) == {kept.id}


def test_a_double_attendance_at_one_session_and_a_duplicate_skill_collapse_on_merge():
    venue = create_venue()
    kept = create_learner("Ann", "Walker", postcode="SK4 1AA")
    duplicate = create_learner("Ann", "Walker", postcode="SK4 1AA")
    create_session(
        venue,
        date(2026, 9, 4),
        attendees=[kept, duplicate],
        skills={kept: ["FND-01"], duplicate: ["FND-01", "COM-01"]},
    )
    merge_learners(kept.id, duplicate.id, acting_user_id=None)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Attendance.id))) == 1
    assert db.session.scalar(select(func.count(SkillAchievement.id)).where(SkillAchievement.learner_id == kept.id)) == 2


def test_undoing_a_merge_from_its_audit_entry_restores_both_learners_and_the_headcount():
    venue = create_venue()
    kept = create_learner("Ann", "Walker", postcode="SK4 1AA")
    duplicate = create_learner("Ann", "Walker", postcode="SK4 1AA")
    create_session(venue, date(2026, 9, 4), attendees=[kept, duplicate], skills={duplicate: ["FND-01"]})
    create_session(venue, date(2026, 9, 18), attendees=[duplicate], skills={duplicate: ["COM-01"]})
    before = db.session.execute(
        select(Attendance.session_id, Attendance.learner_id).order_by(Attendance.session_id, Attendance.learner_id)
    ).all()
    event = merge_learners(kept.id, duplicate.id, acting_user_id=None)
    assert adults_helped(*SEPTEMBER) == 1
    undo_merge(event.id, acting_user_id=None)
    assert adults_helped(*SEPTEMBER) == 2
    after = db.session.execute(
        select(Attendance.session_id, Attendance.learner_id).order_by(Attendance.session_id, Attendance.learner_id)
    ).all()
    assert after == before
    assert set(db.session.scalars(select(SkillAchievement.learner_id))) == {duplicate.id}
    assert db.session.get(Learner, duplicate.id).merged_into_id is None


def test_a_merge_is_audited_and_cannot_be_undone_twice(client, login_as):
    from inclusion.learners.merging import MergeError

    kept = create_learner("Ann", "Walker", postcode="SK4 1AA")
    duplicate = create_learner("Ann", "Walker", postcode="SK4 1AA")
    event = merge_learners(kept.id, duplicate.id, acting_user_id=None)
    stored = db.session.get(AuditEvent, event.id)
    assert (stored.action, stored.record_id, stored.details["kept_learner_id"]) == (
        "learner_merged",
        str(duplicate.id),
        kept.id,
    )
    undo_merge(event.id, acting_user_id=None)
    with pytest.raises(MergeError):
        undo_merge(event.id, acting_user_id=None)


def test_a_coordinator_merges_from_the_queue_and_undoes_it_from_the_same_page(client, login_as):
    login_as("coordinator")
    kept = create_learner("Ann", "Walker", postcode="SK4 1AA", date_of_birth=date(1960, 1, 1))
    duplicate = create_learner("Ann", "Walker", postcode="SK4 1AA", date_of_birth=date(1960, 1, 1))
    page = client.get("/learners/duplicates").get_data(as_text=True)
    assert kept.reference in page and duplicate.reference in page and "Same date of birth" in page
    response = client.post(
        "/learners/duplicates/merge", data={"first_id": kept.id, "second_id": duplicate.id, "keep": kept.id}
    )
    assert response.status_code == 302
    page = client.get("/learners/duplicates").get_data(as_text=True)
    assert f"Merged {duplicate.reference} into {kept.reference}" in page
    assert "Undo merge" in page
    event_id = db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "learner_merged"))
    client.post(f"/learners/merges/{event_id}/undo")
    assert db.session.get(Learner, duplicate.id).merged_into_id is None


def test_not_the_same_person_on_the_page_hides_the_pair_for_good(client, login_as):
    login_as("coordinator")
    first = create_learner("Ann", "Walker", postcode="SK4 1AA")
    second = create_learner("Ann", "Walker", postcode="SK4 1AA")
    client.post("/learners/duplicates/dismiss", data={"first_id": first.id, "second_id": second.id})
    page = client.get("/learners/duplicates").get_data(as_text=True)
    assert "There are no likely duplicates" in page


@pytest.mark.parametrize("role", ["champion", "funder"])
def test_champions_and_funders_cannot_reach_the_duplicate_queue(client, login_as, role):
    first = create_learner("Ann", "Walker", postcode="SK4 1AA")
    second = create_learner("Ann", "Walker", postcode="SK4 1AA")
    login_as(role)
    assert client.get("/learners/duplicates").status_code == 403
    pair = {"first_id": first.id, "second_id": second.id, "keep": first.id}
    assert client.post("/learners/duplicates/merge", data=pair).status_code == 403
    assert client.post("/learners/duplicates/dismiss", data=pair).status_code == 403
    assert client.post("/learners/merges/1/undo").status_code == 403
    assert db.session.get(Learner, second.id).merged_into_id is None


def test_the_pair_search_finds_every_pair_among_thousands_of_learners_quickly():
    import time
    from datetime import datetime, timedelta

    from sqlalchemy import insert

    from tests.factories import create_partner

    partner = create_partner()
    rows = []
    for n in range(1500):
        born = date(1940, 1, 1) + timedelta(days=n)
        names = [("Pat", f"Smith{n}")] if n % 3 == 0 else [("Pat", f"Smith{n}"), ("Patt", f"Smith{n}")]
        rows += [
            {
                "reference": f"L-Q{n:04d}{i}",
                "first_name": first,
                "last_name": last,
                "search_name": f"{first} {last}".lower(),
                "date_of_birth": born,
                "age_band": "75+",
                "lawful_basis": "public-task",
                "registered_on": date(2026, 9, 1),
                "registered_partner_id": partner.id,
                "created_at": datetime(2026, 9, 1),
                "updated_at": datetime(2026, 9, 1),
            }
            for i, (first, last) in enumerate(names)
        ]
    db.session.execute(insert(Learner), rows)
    db.session.commit()
    started = time.monotonic()
    pairs = find_duplicate_pairs(limit=5000)
    assert len(pairs) == 1000  # two of every three dates of birth have a near-identical pair
    assert time.monotonic() - started < 10
