"""The registry drives merges, undo, exports, erasure, retention and the learner page: a test-only owner
of a real table (learner notes), registered in an app of its own, takes part in every one of them."""

import io
import json
import zipfile
from datetime import date

import pytest
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy import Column, Date, ForeignKey, Integer, MetaData, String, Table, delete, insert, select, update

from config import TestConfig
from inclusion import create_app
from inclusion.extensions import db
from inclusion.learners.learner_data import (
    ExportTable,
    LearnerDataOwner,
    LearnerPanel,
    learner_data_owners,
    unowned_learner_tables,
)
from inclusion.learners.merging import merge_learners, undo_merge
from inclusion.learners.models import Learner
from inclusion.learners.privacy import anonymise_inactive, anonymise_learner
from inclusion.learners.subject_access import subject_access_export
from tests import factories
from tests.conftest import ExpiringClient

notes_metadata = MetaData()
db.metadata.tables["learners"].to_metadata(notes_metadata)  # so the foreign key below resolves
notes = Table(
    "test_learner_notes",
    notes_metadata,
    Column("id", Integer, primary_key=True),
    Column("learner_id", ForeignKey("learners.id"), nullable=False),
    Column("written_on", Date, nullable=False),
    Column("body", String(200), nullable=False),
)


class LearnerNotes(LearnerDataOwner):
    """Free-text notes about a learner: moved on merge, exported, deleted on erasure (they may name people)."""

    name = "notes"
    tables = ("test_learner_notes",)

    def merge(self, keep_id, duplicate_id):
        moved = list(db.session.scalars(select(notes.c.id).where(notes.c.learner_id == duplicate_id)))
        db.session.execute(update(notes).where(notes.c.id.in_(moved)).values(learner_id=keep_id))
        return {"moved_note_ids": moved}

    def undo_merge(self, keep_id, duplicate_id, record):
        db.session.execute(
            update(notes)
            .where(notes.c.id.in_(record["moved_note_ids"]), notes.c.learner_id == keep_id)
            .values(learner_id=duplicate_id)
        )

    def export(self, learner_ids, references):
        rows = db.session.execute(
            select(notes.c.learner_id, notes.c.written_on, notes.c.body)
            .where(notes.c.learner_id.in_(learner_ids))
            .order_by(notes.c.id)
        )
        return [
            ExportTable(
                "notes",
                "notes.csv",
                "notes written about them",
                ("record", "written_on", "body"),
                [
                    {"record": references[learner_id], "written_on": day.isoformat(), "body": body}
                    for learner_id, day, body in rows
                ],
            )
        ]

    def anonymise(self, learner_ids):
        db.session.execute(delete(notes).where(notes.c.learner_id.in_(learner_ids)))

    def last_activity(self):
        return select(notes.c.learner_id.label("learner_id"), notes.c.written_on.label("day"))

    def panel(self, learner):
        count = len(db.session.scalars(select(notes.c.id).where(notes.c.learner_id == learner.id)).all())
        return LearnerPanel("test_notes_panel.html", count, [("Notes", str(count))])


@pytest.fixture
def notes_app(app, db):
    """An app built by the factory with the notes owner registered beside the real ones, its table created."""
    notes_app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    notes_app.test_client_class = ExpiringClient
    notes_app.jinja_loader = ChoiceLoader(
        [
            DictLoader({"test_notes_panel.html": "<p class='notes'>{{ panel.data }} notes on file</p>"}),
            notes_app.jinja_loader,
        ]
    )
    notes_app.extensions["learner_data"].register(LearnerNotes())
    with notes_app.app_context():
        notes.create(db.engine)
        yield notes_app
        db.session.remove()
        notes.drop(db.engine)
        db.engine.dispose()


def _note(learner, body, day=date(2026, 9, 10)):
    db.session.execute(insert(notes).values(learner_id=learner.id, written_on=day, body=body))
    db.session.commit()


def _notes_of(learner_id):
    return list(db.session.scalars(select(notes.c.body).where(notes.c.learner_id == learner_id).order_by(notes.c.id)))


def test_the_metadata_check_accepts_the_notes_table_in_the_app_that_registers_its_owner_only(app, notes_app):
    assert unowned_learner_tables(notes_metadata, learner_data_owners().tables) == []
    assert unowned_learner_tables(notes_metadata, app.extensions["learner_data"].tables) == ["test_learner_notes"]


def test_a_merge_moves_the_notes_and_undo_moves_them_back(notes_app):
    kept, duplicate = factories.create_learner(), factories.create_learner()
    _note(kept, "kept's note")
    _note(duplicate, "first note"), _note(duplicate, "second note")
    event = merge_learners(kept.id, duplicate.id, acting_user_id=None)
    assert _notes_of(duplicate.id) == []
    assert _notes_of(kept.id) == ["kept's note", "first note", "second note"]
    assert len(event.details["owners"]["notes"]["moved_note_ids"]) == 2

    undo_merge(event.id, acting_user_id=None)
    assert _notes_of(kept.id) == ["kept's note"]
    assert _notes_of(duplicate.id) == ["first note", "second note"]


def test_the_subject_access_export_has_the_owners_csv_json_and_readme_line(notes_app):
    learner = factories.create_learner()
    _note(learner, "=cmd|' /C calc'!A0")
    _name, content = subject_access_export(learner.reference, acting_user=None)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        files = {name: archive.read(name).decode() for name in archive.namelist()}
    assert json.loads(files["learner.json"])["notes"] == [
        {"record": learner.reference, "written_on": "2026-09-10", "body": "=cmd|' /C calc'!A0"}
    ]
    assert "notes.csv      notes written about them" in files["README.txt"]
    assert "'=cmd" in files["notes.csv"]  # the one CSV writer neutralises formulas in owners' files too


def test_anonymising_a_learner_runs_the_owners_erasure(notes_app):
    learner = factories.create_learner()
    _note(learner, "lives with her daughter Jane")
    anonymise_learner(learner.reference, learner.reference, acting_user=None)
    assert _notes_of(learner.id) == []


def test_the_retention_limit_counts_the_owners_activity_and_erases_its_rows(notes_app):
    noted_lately = factories.create_learner(registered_on=date(2020, 1, 6))
    silent = factories.create_learner(registered_on=date(2020, 1, 6))
    _note(noted_lately, "rang to ask about a course", day=date(2026, 3, 1))
    _note(silent, "moved away", day=date(2021, 5, 4))
    found = anonymise_inactive(3, today=date(2026, 11, 1))
    assert [(reference, last) for _, reference, last in found] == [(silent.reference, date(2021, 5, 4))]
    assert _notes_of(silent.id) == [] and _notes_of(noted_lately.id) == ["rang to ask about a course"]
    assert db.session.get(Learner, noted_lately.id).anonymised_at is None


def test_the_learner_page_shows_the_owners_panel_and_summary_row(notes_app):
    coordinator = factories.create_user("coordinator")
    learner = factories.create_learner()
    _note(learner, "prefers mornings")
    client = notes_app.test_client()
    response = client.post("/login", data={"email": coordinator.email, "password": factories.DEFAULT_PASSWORD})
    assert response.status_code == 302
    page = client.get(f"/learners/{learner.reference}").get_data(as_text=True)
    assert "1 notes on file" in page
    assert '<dt class="govuk-summary-list__key">Notes</dt>' in page
    assert "Sessions attended: 0" in page  # the sessions owner's panel is still there
