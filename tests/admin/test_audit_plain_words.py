"""The audit log says what happened in words, not as field names and Python lists (issue 14)."""

from datetime import date

from inclusion.admin.audit_display import describe
from inclusion.learners.merging import merge_learners
from tests.factories import create_learner, create_session, create_venue


def test_a_merge_entry_counts_what_moved_in_words(client, login_as):
    login_as("admin")
    kept, duplicate = create_learner("Ann", "Walker"), create_learner("Ann", "Walker")
    create_session(create_venue(), date(2026, 9, 4), attendees=[duplicate], skills={duplicate: ["FND-01"]})
    merge_learners(kept.id, duplicate.id, acting_user_id=None)
    page = client.get("/admin/audit?action=learner_merged").get_data(as_text=True)
    assert "Sessions: attendances moved: 1" in page
    assert "Sessions: skills moved: 1" in page
    assert "Earlier duplicates now pointing at the kept record: none" in page
    assert "ids =" not in page and "= []" not in page and "_" not in _details_cell(page)


def _details_cell(page: str) -> str:
    start = page.index("<strong>Details:</strong>")
    return page[start : page.index("<br>", start)]


def test_values_read_as_plain_words():
    assert list(describe({"moved_attendance_ids": [], "resend": True, "file": None})) == [
        ("Attendances moved", "none"),
        ("Resend", "yes"),
        ("File", "empty"),
    ]
    assert list(describe({"sha256": "ab" * 32})) == [("File fingerprint", "abababababab…")]
    assert list(describe({"owners": {"confidence": {"moved_check_ids": [4, 5]}}})) == [
        ("Confidence checks: checks moved", "2")
    ]
