"""Uploaded spreadsheets as learner data: personal details held, for at most a day, until an import is confirmed."""

from typing import Any

from inclusion.imports.uploads import count_expired_uploads, forget_pending_uploads, purge_expired_uploads
from inclusion.learners.learner_data import ExportTable, LearnerDataOwner


class UploadedSpreadsheets(LearnerDataOwner):
    """`import_uploads` rows are not linked to a learner (a row may describe someone not yet registered).

    So merges have nothing to move and subject access nothing to list (an upload lives 24 hours at
    most, then the imported learner's record is what is held); erasure deletes every pending
    upload, since any may hold the erased details; retention deletes the expired ones.
    """

    name = "imports"
    tables: tuple[str, ...] = ()

    def merge(self, keep_id: int, duplicate_id: int) -> dict[str, Any]:
        return {}

    def undo_merge(self, keep_id: int, duplicate_id: int, record: dict[str, Any]) -> None:
        return None

    def export(self, learner_ids: list[int], references: dict[int, str]) -> list[ExportTable]:
        return []

    def anonymise(self, learner_ids: list[int]) -> None:
        forget_pending_uploads()

    def purge_expired(self, *, dry_run: bool) -> str | None:
        count = count_expired_uploads() if dry_run else purge_expired_uploads()
        return f"{'Would delete' if dry_run else 'Deleted'} {count} expired uploaded spreadsheets."
