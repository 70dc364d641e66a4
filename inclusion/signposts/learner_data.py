"""Signposts as learner data: merge and undo, subject access, retention, and the learner page's block."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update

from inclusion.extensions import db
from inclusion.learners.constants import HEARD_ABOUT_LABELS
from inclusion.learners.learner_data import ExportTable, LearnerDataOwner, LearnerPanel
from inclusion.signposts.models import Signpost
from inclusion.signposts.queries import SignpostRow, signposts_of

SIGNPOST_COLUMNS = ("record", "made_on", "made_at", "pointed_to", "kind", "arrived_on", "arrived_at")


@dataclass(frozen=True)
class SignpostPanel:
    reference: str
    anonymised: bool
    rows: list[SignpostRow]


class Signposts(LearnerDataOwner):
    """The signposts package's rows about a learner. A signpost holds no personal detail (no free text):
    anonymisation keeps it, counted in the figures for the anonymised learner (`anonymise` is the default).
    Arrivals are never stored (signposts/arrivals.py), so a merge or undo has only the rows to move."""

    name = "signposts"
    tables = ("signposts",)

    def merge(self, keep_id: int, duplicate_id: int) -> dict[str, Any]:
        moved = list(db.session.scalars(select(Signpost.id).where(Signpost.learner_id == duplicate_id)))
        if moved:
            db.session.execute(update(Signpost).where(Signpost.id.in_(moved)).values(learner_id=keep_id))
        return {"moved_signpost_ids": moved}

    def undo_merge(self, keep_id: int, duplicate_id: int, record: dict[str, Any]) -> None:
        moved = record.get("moved_signpost_ids", [])
        if moved:
            db.session.execute(
                update(Signpost)
                .where(Signpost.id.in_(moved), Signpost.learner_id == keep_id)
                .values(learner_id=duplicate_id)
            )

    def export(self, learner_ids: list[int], references: dict[int, str]) -> list[ExportTable]:
        rows = [
            {
                "record": references[row.learner_id],
                "made_on": row.made_on.isoformat(),
                "made_at": row.made_at,
                "pointed_to": row.target,
                "kind": row.kind,
                "arrived_on": row.arrived_on.isoformat() if row.arrived_on else None,
                "arrived_at": row.arrived_at,
            }
            for row in signposts_of(learner_ids)
        ]
        description = "where they were pointed on to (a venue, partner or outside service) and whether they arrived"
        return [ExportTable("signposts", "signposts.csv", description, SIGNPOST_COLUMNS, rows)]

    def last_activity(self):
        """Being pointed on is contact with the learner: the retention limit runs from the latest."""
        return select(Signpost.learner_id.label("learner_id"), Signpost.made_on.label("day"))

    def panel(self, learner) -> LearnerPanel:
        rows = signposts_of([learner.id])
        heard = HEARD_ABOUT_LABELS.get(learner.heard_about, "Not asked") if learner.heard_about else "Not asked"
        arrived = sum(1 for row in rows if row.arrived_on is not None)
        summary = [
            ("Heard about us from", heard),
            ("Signposts", f"{len(rows)}, {arrived} arrived" if rows else "None yet"),
        ]
        data = SignpostPanel(learner.reference, learner.anonymised_at is not None, rows)
        return LearnerPanel("signposts/_learner_panel.html", data, summary)
