"""Whether the database's schema is at the migration this release ends with (Alembic's head)."""

import functools
from dataclasses import dataclass

from flask import current_app

from inclusion.extensions import db

CURRENT = "current"
BEHIND = "behind"  # older than this release: `flask db upgrade` has not been run
AHEAD = "ahead"  # a revision this release does not know: a newer release migrated it
EMPTY = "empty"  # no alembic_version: not migrated at all


@dataclass(frozen=True)
class SchemaState:
    status: str
    database: tuple[str, ...]  # the revisions recorded in alembic_version
    expected: tuple[str, ...]  # this release's heads

    @property
    def is_current(self) -> bool:
        return self.status == CURRENT


def _script_directory():
    # Alembic is imported where the scripts are read, not at start-up (docs/performance.md, "Start-up").
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())


@functools.cache
def _heads_and_revisions(directory: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """The scripts do not change while a process runs: read them once per process and directory."""
    script = _script_directory()
    revisions = frozenset(revision.revision for revision in script.walk_revisions())
    return tuple(sorted(script.get_heads())), revisions


def expected_heads() -> tuple[str, ...]:
    return _heads_and_revisions(current_app.extensions["migrate"].directory)[0]


def schema_state(connection=None) -> SchemaState:
    """Compare alembic_version with the script directory's heads (one small query)."""
    from alembic.migration import MigrationContext

    heads, known = _heads_and_revisions(current_app.extensions["migrate"].directory)
    if connection is None:
        with db.engine.connect() as own_connection:
            database = tuple(sorted(MigrationContext.configure(own_connection).get_current_heads()))
    else:
        database = tuple(sorted(MigrationContext.configure(connection).get_current_heads()))
    if database == heads:
        status = CURRENT
    elif not database:
        status = EMPTY
    elif set(database) - known:
        status = AHEAD
    else:
        status = BEHIND
    return SchemaState(status, database, heads)
