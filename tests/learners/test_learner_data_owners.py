"""Merge, undo, subject access and erasure of a learner with rows in every table a registered owner holds."""

import io
import json
import zipfile
from datetime import date

import pytest
from sqlalchemy import func, or_, select

from inclusion.audit.models import AuditEvent
from inclusion.extensions import db
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
    assert rows_about(kept_id) == {"attendances": 2, "confidence_checks": 3, "signposts": 1, "skill_achievements": 2}
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
    for file_name, rows in (
        ("attendance.csv", 2),
        ("skills.csv", 2),
        ("confidence_checks.csv", 2),
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
    assert found == {kept.reference: date(2026, 9, 4)}  # the duplicate was last seen 2 October 2026
