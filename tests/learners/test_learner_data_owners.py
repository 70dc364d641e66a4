"""Merge, undo, subject access and erasure of a learner with rows in every table a registered owner holds."""

import io
import json
import zipfile
from datetime import date

import pytest
from sqlalchemy import func, or_, select

from inclusion.audit.models import AuditEvent
from inclusion.devices.models import DataGift, Device, DeviceGift, Loan
from inclusion.extensions import db
from inclusion.followups.models import FollowUp
from inclusion.learners.learner_data import learner_data_owners
from inclusion.learners.merging import merge_learners, undo_merge
from inclusion.learners.models import Learner
from inclusion.learners.privacy import anonymise_learner, inactive_learners
from inclusion.learners.subject_access import subject_access_export
from inclusion.outcomes.models import ConfidenceCheck, ConfidenceQuestionSet
from inclusion.sessions.models import Attendance, SkillAchievement
from tests import factories


def rows_about(learner_id: int, metadata=None) -> dict[str, int]:
    """How many rows each owned table holds about the learner (through its foreign keys to learners.id)."""
    metadata = metadata or db.metadata
    counts = {}
    for name in sorted(learner_data_owners().tables):
        table = metadata.tables[name]
        columns = [key.parent for key in table.foreign_keys if key.target_fullname == "learners.id"]
        query = select(func.count()).select_from(table).where(or_(*(column == learner_id for column in columns)))
        counts[name] = db.session.scalar(query)
    return counts


@pytest.fixture
def pair():
    """(kept, duplicate): both at one session showing one skill there; the duplicate also at another."""
    venue = factories.create_venue("Central Library")
    kept = factories.create_learner("Margaret", "Hughes")
    duplicate = factories.create_learner("Maggie", "Hughes")
    factories.create_session(
        venue, date(2026, 9, 4), attendees=[kept, duplicate], skills={kept: ["FND-01"], duplicate: ["FND-01"]}
    )
    october = factories.create_session(venue, date(2026, 10, 2), attendees=[duplicate], skills={duplicate: ["COM-01"]})
    # A signpost: the duplicate pointed on to another venue at the October session.
    factories.create_signpost(
        duplicate,
        venue,
        date(2026, 10, 2),
        to_venue=factories.create_venue("Bramhall Library"),
        learning_session=october,
    )
    # Confidence checks: a baseline each (a merge keeps the earlier as the one baseline), and the duplicate's exit.
    question_set = db.session.scalar(select(ConfidenceQuestionSet.id).where(ConfidenceQuestionSet.is_current))
    for learner, stage, day in ((kept, "baseline", 4), (duplicate, "baseline", 1), (duplicate, "exit", 2)):
        month = 9 if stage == "baseline" else 10
        db.session.add(
            ConfidenceCheck(
                learner_id=learner.id,
                stage=stage,
                checked_on=date(2026, month, day),
                venue_id=venue.id,
                question_set_id=question_set,
                overall=3,
            )
        )
    # Follow-ups: the duplicate was not reached once, then reached (with the six answers).
    answers = dict.fromkeys(
        ("still_online", "does_more_alone", "further_learning", "work_or_volunteering", "has_device", "has_connection"),
        True,
    )
    db.session.add(FollowUp(learner_id=duplicate.id, followed_up_on=date(2026, 12, 10), outcome="not-reached"))
    db.session.add(FollowUp(learner_id=duplicate.id, followed_up_on=date(2027, 1, 5), outcome="reached", **answers))
    # Devices and data (inclusion/devices): a returned loan, a device given, and a SIM, all the duplicate's.
    lent, given = (
        Device(asset_tag=tag, kind="laptop", make_model="Lenovo", condition="good", venue_id=venue.id)
        for tag in ("LAP-1", "LAP-2")
    )
    lent.status, given.status = "in-stock", "gifted"
    db.session.add_all([lent, given])
    db.session.flush()
    db.session.add_all(
        [
            Loan(
                device_id=lent.id,
                learner_id=duplicate.id,
                venue_id=venue.id,
                lent_on=date(2026, 9, 4),
                due_on=date(2026, 9, 30),
                agreement_version="2026-12",
                returned_on=date(2026, 9, 28),
                return_condition="good",
            ),
            DeviceGift(device_id=given.id, learner_id=duplicate.id, venue_id=venue.id, given_on=date(2026, 9, 4)),
            DataGift(
                learner_id=duplicate.id,
                venue_id=venue.id,
                kind="sim",
                network="Vodafone",
                identifier="8944100000000000001",
                eligibility_reason="no-home-internet",
                given_on=date(2026, 9, 4),
                expires_on=date(2027, 3, 4),
            ),
        ]
    )
    db.session.commit()
    return kept, duplicate


def _history(learner_id: int) -> tuple[set, set]:
    return (
        set(db.session.scalars(select(Attendance.session_id).where(Attendance.learner_id == learner_id))),
        set(
            db.session.execute(
                select(SkillAchievement.skill_id, SkillAchievement.session_id).where(
                    SkillAchievement.learner_id == learner_id
                )
            ).all()
        ),
    )


def test_the_learner_used_here_has_rows_in_every_owned_table(pair):
    _, duplicate = pair
    counts = rows_about(duplicate.id)
    assert set(counts) == learner_data_owners().tables
    assert all(counts.values()), counts


def test_a_merge_moves_the_rows_of_every_owned_table_and_undo_puts_back_exactly_what_was_there(pair):
    kept, duplicate = pair
    kept_id, duplicate_id = kept.id, duplicate.id
    before = {kept_id: rows_about(kept_id), duplicate_id: rows_about(duplicate_id)}
    history = {kept_id: _history(kept_id), duplicate_id: _history(duplicate_id)}

    event = merge_learners(kept_id, duplicate_id, acting_user_id=None)
    assert all(count == 0 for count in rows_about(duplicate_id).values())
    # The shared session and the skill shown there by both collapse into the kept learner's rows.
    assert rows_about(kept_id) == {
        "attendances": 2,
        "confidence_checks": 3,
        "follow_ups": 2,
        "signposts": 1,
        "skill_achievements": 2,
        "loans": 1,
        "device_gifts": 1,
        "data_gifts": 1,
    }
    assert set(event.details["owners"]) == {owner.name for owner in learner_data_owners()}

    undo_merge(event.id, acting_user_id=None)
    db.session.expire_all()
    assert {kept_id: rows_about(kept_id), duplicate_id: rows_about(duplicate_id)} == before
    assert {kept_id: _history(kept_id), duplicate_id: _history(duplicate_id)} == history


def test_a_merge_entry_written_before_owners_existed_is_still_undone(pair):
    kept, duplicate = pair
    kept_id, duplicate_id = kept.id, duplicate.id
    history = {kept_id: _history(kept_id), duplicate_id: _history(duplicate_id)}
    event = merge_learners(kept_id, duplicate_id, acting_user_id=None)
    # The shape the code before owners wrote: the sessions lists at the top level of `details`.
    details = dict(event.details)
    details.update(details.pop("owners")["sessions"])
    event.details = details
    db.session.commit()
    assert "moved_attendance_ids" in db.session.get(AuditEvent, event.id).details

    undo_merge(event.id, acting_user_id=None)
    db.session.expire_all()
    assert db.session.get(Learner, duplicate_id).merged_into_id is None
    assert {kept_id: _history(kept_id), duplicate_id: _history(duplicate_id)} == history


def _export(reference: str) -> tuple[dict[str, str], dict]:
    _name, content = subject_access_export(reference, acting_user=None)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        files = {name: archive.read(name).decode() for name in archive.namelist()}
    return files, json.loads(files["learner.json"])


def test_the_subject_access_export_has_a_file_and_a_json_key_for_each_owners_rows(pair):
    _, duplicate = pair
    files, data = _export(duplicate.reference)
    assert list(data) == [
        "learner",
        "merged_duplicates",
        "attendance",
        "skills",
        "confidence_checks",
        "follow_ups",
        "loans",
        "device_gifts",
        "data_gifts",
        "signposts",
        "audit_entries",
    ]
    assert [(row["made_on"], row["made_at"], row["pointed_to"]) for row in data["signposts"]] == [
        ("2026-10-02", "Central Library", "Bramhall Library")
    ]
    assert [(row["session_date"], row["venue"]) for row in data["attendance"]] == [
        ("2026-09-04", "Central Library"),
        ("2026-10-02", "Central Library"),
    ]
    assert [row["code"] for row in data["skills"]] == ["FND-01", "COM-01"]
    assert [(row["stage"], row["checked_on"]) for row in data["confidence_checks"]] == [
        ("baseline", "2026-09-01"),
        ("exit", "2026-10-02"),
    ]
    assert [(row["followed_up_on"], row["outcome"], row["further_learning"]) for row in data["follow_ups"]] == [
        ("2026-12-10", "not-reached", None),
        ("2027-01-05", "reached", True),
    ]
    assert [(row["asset_tag"], row["returned_on"]) for row in data["loans"]] == [("LAP-1", "2026-09-28")]
    assert [row["asset_tag"] for row in data["device_gifts"]] == ["LAP-2"]
    # The learner's own SIM number is theirs to see.
    assert [(row["network"], row["identifier"]) for row in data["data_gifts"]] == [("Vodafone", "8944100000000000001")]
    for file_name, rows in (
        ("attendance.csv", 2),
        ("skills.csv", 2),
        ("confidence_checks.csv", 2),
        ("follow_ups.csv", 2),
        ("loans.csv", 1),
        ("device_gifts.csv", 1),
        ("data_gifts.csv", 1),
        ("signposts.csv", 1),
    ):
        assert file_name in files["README.txt"]
        assert files[file_name].count(duplicate.reference) == rows


def test_after_a_merge_the_export_of_the_learner_kept_holds_the_duplicates_record_and_moved_rows(pair):
    kept, duplicate = pair
    merge_learners(kept.id, duplicate.id, acting_user_id=None)
    files, data = _export(kept.reference)
    assert [record["reference"] for record in data["merged_duplicates"]] == [duplicate.reference]
    assert [row["session_date"] for row in data["attendance"]] == ["2026-09-04", "2026-10-02"]
    assert sorted(row["code"] for row in data["skills"]) == ["COM-01", "FND-01"]
    assert "any duplicate records merged into it" in files["README.txt"]


def test_anonymising_erases_the_details_of_the_learner_and_its_duplicate_and_keeps_their_session_rows(pair):
    kept, duplicate = pair
    merge_learners(kept.id, duplicate.id, acting_user_id=None)
    counts = rows_about(kept.id)
    anonymise_learner(kept.reference, kept.reference, acting_user=None)
    for learner_id in (kept.id, duplicate.id):
        learner = db.session.get(Learner, learner_id)
        assert (learner.first_name, learner.last_name, learner.anonymised_at is not None) == (
            "Anonymised",
            "learner",
            True,
        )
    assert rows_about(kept.id) == counts


def test_the_retention_limit_counts_the_last_day_of_activity_in_the_owners_rows(pair):
    kept, duplicate = pair
    found = {reference: last for _, reference, last in inactive_learners(2, today=date(2028, 9, 20))}
    # The duplicate was last seen 2 October 2026 and reached at a follow-up on 5 January 2027.
    assert found == {kept.reference: date(2026, 9, 4)}
    found = {reference: last for _, reference, last in inactive_learners(2, today=date(2029, 3, 1))}
    assert found[duplicate.reference] == date(2027, 1, 5)
