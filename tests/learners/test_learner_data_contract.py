"""The learner-data contract: every table about a learner has an owner, and learners/ does not import sessions/."""

import ast
from pathlib import Path

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table

from inclusion.extensions import db
from inclusion.learners.learner_data import (
    LearnerDataOwner,
    LearnerDataRegistry,
    learner_data_owners,
    unowned_learner_tables,
    unowned_tables_message,
)
from inclusion.sessions.learner_data import SessionRecords

PACKAGE_ROOT = Path(__file__).resolve().parents[2] / "inclusion"
# The modules of sessions/ that learners/ may import when it loads: read-only queries on
# attendance (visibility, last visits, the duplicate queue's evidence), and the half-entered
# session kept in the cookie while a champion registers a learner (it imports no package of ours).
ALLOWED_FROM_SESSIONS = {"inclusion.sessions.history", "inclusion.sessions.drafts"}


def _metadata_with(*extra_tables: str) -> MetaData:
    """A copy of the application's metadata plus throwaway tables referring to learners.id."""
    copy = MetaData()
    for table in db.metadata.tables.values():
        table.to_metadata(copy)
    for name in extra_tables:
        Table(name, copy, Column("id", Integer, primary_key=True), Column("learner_id", ForeignKey("learners.id")))
    return copy


def test_every_foreign_key_to_a_learner_belongs_to_a_registered_owner_or_to_learners_itself():
    unowned = unowned_learner_tables(db.metadata, learner_data_owners().tables)
    assert unowned == [], unowned_tables_message(unowned)


def test_the_check_names_a_throwaway_table_with_a_foreign_key_to_learners_and_says_how_to_register_it():
    metadata = _metadata_with("throwaway_notes")
    unowned = unowned_learner_tables(metadata, learner_data_owners().tables)
    assert unowned == ["throwaway_notes"]
    message = unowned_tables_message(unowned)
    assert "throwaway_notes" in message
    assert "register_learner_data" in message and "LearnerDataOwner" in message


def test_a_throwaway_table_passes_the_check_once_an_owner_claims_it():
    metadata = _metadata_with("throwaway_notes")
    assert unowned_learner_tables(metadata, {*learner_data_owners().tables, "throwaway_notes"}) == []


def test_a_table_is_caught_even_on_metadata_that_does_not_hold_the_learners_table():
    metadata = MetaData()
    Table("loans", metadata, Column("id", Integer, primary_key=True), Column("borrower_id", ForeignKey("learners.id")))
    assert unowned_learner_tables(metadata, ()) == ["loans"]


def _is_module(name: str) -> bool:
    path = PACKAGE_ROOT.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _import_time_imports(path: Path) -> set[str]:
    """The inclusion modules a file imports when it loads (imports inside functions run later)."""
    tree = ast.parse(path.read_text(), str(path))
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from inclusion.sessions import drafts` imports the module drafts; `from x import name`, x.
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if _is_module(submodule) else node.module)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return {name for name in found if name.startswith("inclusion.")}


def _modules(package: str) -> dict[str, Path]:
    return {f"inclusion.{package}.{path.stem}": path for path in (PACKAGE_ROOT / package).glob("*.py")}


def test_no_module_of_learners_imports_sessions_when_it_loads_but_the_read_only_queries():
    offending = {
        module: sorted(
            name
            for name in _import_time_imports(path)
            if name.startswith("inclusion.sessions") and name not in ALLOWED_FROM_SESSIONS
        )
        for module, path in _modules("learners").items()
    }
    assert {module: names for module, names in offending.items() if names} == {}


def test_the_modules_of_learners_and_sessions_import_each_other_without_a_cycle():
    modules = {**_modules("learners"), **_modules("sessions")}
    graph = {
        module: {name for name in _import_time_imports(path) if name in modules} - {module}
        for module, path in modules.items()
    }

    def cycle_from(start: str, path: tuple[str, ...]) -> tuple[str, ...] | None:
        for imported in graph[path[-1]]:
            if imported == start:
                return (*path, start)
            if imported not in path and (found := cycle_from(start, (*path, imported))):
                return found
        return None

    cycles = [cycle for module in sorted(graph) if (cycle := cycle_from(module, (module,)))]
    assert cycles == []


def test_the_allowed_read_only_modules_do_not_import_the_learners_modules_that_import_sessions():
    learners_importing_sessions = {
        module
        for module, path in _modules("learners").items()
        if any(name.startswith("inclusion.sessions") for name in _import_time_imports(path))
    }
    for module in ALLOWED_FROM_SESSIONS:
        path = PACKAGE_ROOT / "sessions" / f"{module.rpartition('.')[2]}.py"
        assert not _import_time_imports(path) & learners_importing_sessions, module


class _HalfOwner(LearnerDataOwner):
    name = "half"
    tables = ("half_rows",)

    def merge(self, keep_id, duplicate_id):
        return {}


def test_the_registry_refuses_an_owner_that_cannot_undo_or_export():
    with pytest.raises(TypeError, match="_HalfOwner must implement undo_merge, export"):
        LearnerDataRegistry([_HalfOwner()])


def test_the_registry_refuses_a_second_owner_of_a_table():
    class Thief(SessionRecords):
        name = "thief"

    with pytest.raises(ValueError, match="attendances"):
        LearnerDataRegistry([SessionRecords(), Thief()])
