"""The contract for a package that holds rows about a learner, and the registry of them (docs/architecture.md)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from flask import Flask, current_app
from sqlalchemy import MetaData, Select

# Merging, undo, subject access, anonymisation, retention and the learner page ask every registered
# owner about its own rows, so learners/ never lists another package's tables; a foreign key to
# learners.id on a table no owner claims fails tests/learners/test_learner_data_contract.py.
EXTENSION_KEY = "learner_data"
REQUIRED_METHODS = ("merge", "undo_merge", "export")
# learners/ itself: the learner (merged_into_id points at another learner) and the pairs dismissed
# from the duplicate queue (deleted with either learner).
LEARNERS_OWN_TABLES = frozenset({"learners", "duplicate_dismissals"})


@dataclass(frozen=True)
class ExportTable:
    """One owner's rows for a subject-access export: a CSV file in the zip and a key in learner.json."""

    key: str  # in learner.json, e.g. "attendance"
    file_name: str  # in the zip, e.g. "attendance.csv"
    description: str  # its line in the zip's README
    columns: tuple[str, ...]
    rows: list[dict[str, Any]]  # JSON-ready values (dates as ISO text); "record" names the learner's reference


@dataclass(frozen=True)
class LearnerPanel:
    """What an owner adds to the learner page: rows for the summary list and a block below it."""

    template: str  # rendered with `panel` (this object) in its context
    data: Any
    summary: list[tuple[str, str]] = field(default_factory=list)  # (label, text) rows of the summary list


@runtime_checkable
class LearnerDataOwner(Protocol):
    """A feature package's answer for its rows about a learner. Methods flush, never commit.

    Owners subclass this explicitly to inherit the defaults of the optional methods.
    """

    name: str  # unique; the key of this owner's part of a merge's audit entry
    tables: tuple[str, ...]  # the tables it owns that refer to learners.id

    def merge(self, keep_id: int, duplicate_id: int) -> dict[str, Any]:
        """Move the duplicate's rows to the learner kept; return (JSON-ready) exactly what undo needs.

        Both learners are locked (in id order) before any owner is called.
        """
        raise NotImplementedError

    def undo_merge(self, keep_id: int, duplicate_id: int, record: dict[str, Any]) -> None:
        """Put back what `merge` moved or removed, from the record it returned."""
        raise NotImplementedError

    def export(self, learner_ids: list[int], references: dict[int, str]) -> list[ExportTable]:
        """The rows about these learners (one person: a record and its merged duplicates)."""
        raise NotImplementedError

    def anonymise(self, learner_ids: list[int]) -> None:
        """What erasure (on request or at the retention limit) does to the rows: erase, delete or keep.

        Default: keep them unchanged (rows that hold no personal detail and count in the figures).
        """

    def last_activity(self) -> Select | None:
        """(learner_id, day) rows: the days a learner was active, for the retention limit; None if none."""
        return None

    def panel(self, learner) -> LearnerPanel | None:
        """The owner's block on the learner page, or None."""
        return None

    def purge_expired(self, *, dry_run: bool) -> str | None:
        """What the retention job deletes that has outlived its purpose, as a line for the operator; or None."""
        return None


class LearnerDataRegistry:
    """The owners an application was built with, in registration order (merges and exports follow it)."""

    def __init__(self, owners: Iterable[LearnerDataOwner] = ()) -> None:
        self._owners: dict[str, LearnerDataOwner] = {}
        for owner in owners:
            self.register(owner)

    def register(self, owner: LearnerDataOwner) -> None:
        if not isinstance(owner, LearnerDataOwner):
            raise TypeError(f"{owner!r} does not implement LearnerDataOwner")
        if missing := [
            name for name in REQUIRED_METHODS if getattr(type(owner), name) is getattr(LearnerDataOwner, name)
        ]:
            raise TypeError(f"{type(owner).__name__} must implement {', '.join(missing)}")
        if owner.name in self._owners:
            raise ValueError(f"A learner-data owner named {owner.name!r} is already registered")
        claimed = {table for other in self._owners.values() for table in other.tables}
        if taken := claimed & set(owner.tables):
            raise ValueError(f"Tables {sorted(taken)} already have an owner")
        self._owners[owner.name] = owner

    def __iter__(self):
        return iter(self._owners.values())

    def get(self, name: str) -> LearnerDataOwner | None:
        return self._owners.get(name)

    @property
    def tables(self) -> frozenset[str]:
        return frozenset(table for owner in self for table in owner.tables)


def register_learner_data(app: Flask, owners: Iterable[LearnerDataOwner]) -> LearnerDataRegistry:
    """Give the application its learner-data owners (create_app lists them)."""
    registry = LearnerDataRegistry(owners)
    app.extensions[EXTENSION_KEY] = registry
    return registry


def learner_data_owners() -> LearnerDataRegistry:
    """The current application's owners."""
    return current_app.extensions[EXTENSION_KEY]


def learner_panels(learner) -> list[LearnerPanel]:
    """The owners' blocks for the learner page, in registration order."""
    return [panel for owner in learner_data_owners() if (panel := owner.panel(learner)) is not None]


def unowned_learner_tables(metadata: MetaData, owned: Iterable[str]) -> list[str]:
    """Tables of `metadata` with a foreign key to learners.id that neither an owner nor learners/ claims."""
    allowed = LEARNERS_OWN_TABLES | set(owned)
    return sorted(
        table.name
        for table in metadata.tables.values()
        if table.name not in allowed and any(key.target_fullname == "learners.id" for key in table.foreign_keys)
    )


def unowned_tables_message(tables: list[str]) -> str:
    return (
        f"Tables with a foreign key to learners.id have no learner-data owner: {', '.join(tables)}. "
        "Implement LearnerDataOwner (inclusion/learners/learner_data.py) in the package that owns each, "
        "list it in register_learner_data in inclusion/__init__.py with the table in its `tables`, "
        "so that merges, undo, subject-access exports and anonymisation cover its rows "
        "(docs/architecture.md, 'Adding a learner-linked feature')."
    )
