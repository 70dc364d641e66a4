"""`flask reports trigger-revision`: a migration holding the triggers and backfill the rules render now.

After a rule in inclusion/reports/keys.py changes (or a figure reads a new table), the test suite
reports the database's triggers as drift; this writes the revision that makes every database
follow: it replaces the triggers of the latest earlier snapshot (or of the first migrations) with
the ones rendered now, and brings every stored key into line. The revision imports no
application code (the rules may change again later): it holds the SQL, for both dialects.
"""

from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

from alembic import command
from flask import current_app

from inclusion.reports import backfill
from inclusion.reports.triggers import definitions

DIALECTS = ("sqlite", "postgresql")
BODY = '''
# ruff: noqa: E501  (generated SQL, one statement a line)

from alembic import op

# revision identifiers, used by Alembic.
revision = "{revision}"
down_revision = "{down_revision}"
branch_labels = None
depends_on = None

# (kind, name, table, CREATE statement), functions before the triggers that call them.
# fmt: off
TRIGGERS = {triggers}
BACKFILL = {backfill}
# fmt: on


def _earlier():
    """The latest earlier revision holding a snapshot (None: the first migrations made the triggers)."""
    script = op.get_context().script
    for earlier in script.iterate_revisions(down_revision, "base"):
        if hasattr(earlier.module, "TRIGGERS"):
            return earlier.module
    return None


def _drop(kind, name, table, dialect):
    if kind == "function":
        op.execute(f"DROP FUNCTION IF EXISTS {{name}}()")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {{name}}" + (f" ON {{table}}" if dialect == "postgresql" else ""))


def _replace(old, new, statements):
    dialect = op.get_context().dialect.name
    for kind, name, table, _create in reversed(old[dialect]):
        _drop(kind, name, table, dialect)
    for _kind, _name, _table, create in new[dialect]:
        op.execute(create)
    for statement in statements[dialect]:
        op.execute(statement)


def upgrade():
    earlier = _earlier()
    _replace(earlier.TRIGGERS if earlier else TRIGGERS, TRIGGERS, BACKFILL)


def downgrade():
    earlier = _earlier()
    if earlier is not None:
        _replace(TRIGGERS, earlier.TRIGGERS, earlier.BACKFILL)
    # Before the first snapshot the triggers were those the first migrations made, the same SQL.
'''


def _literal(by_dialect: dict[str, list]) -> str:
    lines = ["{"]
    for dialect, items in by_dialect.items():
        lines.append(f"    {dialect!r}: [")
        lines += [f"        {item!r}," for item in items]
        lines.append("    ],")
    lines.append("}")
    return "\n".join(lines)


def render(revision: str, down_revision: str) -> str:
    triggers = {d: [(i.kind, i.name, i.table, i.create) for i in definitions(d)] for d in DIALECTS}
    statements = {d: [" ".join(sql.split()) for sql in backfill.compiled(d)] for d in DIALECTS}
    return BODY.format(
        revision=revision,
        down_revision=down_revision,
        triggers=_literal(triggers),
        backfill=_literal(statements),
    )


def write_revision(message: str) -> Path:
    """Write the revision file after the current head; returns its path."""
    config = current_app.extensions["migrate"].migrate.get_config()
    script = command.revision(config, message=message, rev_id=uuid4().hex[:12])
    path = Path(script.path)
    docstring = (
        f'"""{message}\n\n'
        "The report-key and data-version triggers, and the backfill that brings stored keys into line,\n"
        "as `flask reports trigger-revision` rendered them from the rules (inclusion/reports/keys.py)\n"
        "and the tables the figures read: a snapshot, for both dialects (docs/report-keys.md).\n"
        "Upgrading replaces the triggers of the latest earlier snapshot; downgrading puts them back.\n\n"
        f"Revision ID: {script.revision}\nRevises: {script.down_revision}\n"
        f"Create Date: {datetime.now(UTC):%Y-%m-%d %H:%M:%S}\n\n"
        '"""\n'
    )
    path.write_text(docstring + render(script.revision, script.down_revision))
    return path
