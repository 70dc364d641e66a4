"""What the database holds of the triggers and functions that inclusion/reports/triggers.py renders.

`drift(connection)` compares the two by name and by definition: SQLite keeps each trigger's
CREATE statement as written; PostgreSQL keeps each function's body as written and each trigger
in its own normalised form, so the expected trigger is normalised the same way, by creating it
under another name inside a savepoint that is rolled back.
"""

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection

from inclusion.reports.triggers import DbObject, definitions


@dataclass(frozen=True)
class Drift:
    """A trigger or function that is missing, or whose definition differs from the rules."""

    kind: str
    name: str
    table: str | None
    problem: str  # "missing" or "differs"

    def __str__(self) -> str:
        on = f" on {self.table}" if self.table else ""
        return f"{self.kind} {self.name}{on} {self.problem}"


def sqlite_triggers(connection: Connection) -> dict[str, str]:
    rows = connection.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    return dict(rows.all())


def postgresql_functions(connection: Connection) -> dict[str, str]:
    rows = connection.execute(
        text(
            "SELECT p.proname, p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema() AND p.prorettype = 'trigger'::regtype"
        )
    )
    return dict(rows.all())


def postgresql_triggers(connection: Connection) -> dict[str, str]:
    rows = connection.execute(
        text(
            "SELECT t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND NOT t.tgisinternal"
        )
    )
    return dict(rows.all())


def _function_body(item: DbObject) -> str:
    return item.create.split("$$")[1]


def _normalised_trigger(connection: Connection, item: DbObject) -> str | None:
    """The expected trigger as PostgreSQL writes it back, or None if it cannot be created."""
    probe = f"{item.name}__expected"
    savepoint = connection.begin_nested()
    try:
        connection.execute(text(item.create.replace(f"CREATE TRIGGER {item.name} ", f"CREATE TRIGGER {probe} ", 1)))
        definition = connection.execute(
            text("SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = :name"), {"name": probe}
        ).scalar_one()
        return definition.replace(f"CREATE TRIGGER {probe} ", f"CREATE TRIGGER {item.name} ", 1)
    except Exception:  # noqa: BLE001  (its function is missing: reported as that function's drift)
        return None
    finally:
        savepoint.rollback()


def drift(connection: Connection) -> list[Drift]:
    """Every expected trigger or function that is missing or differs, in creation order."""
    dialect = connection.dialect.name
    expected = definitions(dialect)
    found: list[Drift] = []
    if dialect == "postgresql":
        functions, triggers = postgresql_functions(connection), postgresql_triggers(connection)
    else:
        functions, triggers = {}, sqlite_triggers(connection)
    for item in expected:
        if item.kind == "function":
            installed, wanted = functions.get(item.name), _function_body(item)
        elif dialect == "postgresql":
            installed = triggers.get(item.name)
            wanted = _normalised_trigger(connection, item) if installed is not None else None
        else:
            installed, wanted = triggers.get(item.name), item.create
        if installed is None:
            found.append(Drift(item.kind, item.name, item.table, "missing"))
        elif installed != wanted:
            found.append(Drift(item.kind, item.name, item.table, "differs"))
    return found


def reinstall(connection: Connection, names: set[str]) -> None:
    """Drop and create again, from the rules, the named triggers and functions (and their triggers)."""
    dialect = connection.dialect.name
    expected = definitions(dialect)
    # A function is dropped with its triggers gone first, and created before them.
    functions = {item.name for item in expected if item.kind == "function" and item.name in names}
    chosen = [item for item in expected if item.name in names or (item.kind == "trigger" and _calls(item, functions))]
    for item in sorted(chosen, key=lambda item: item.kind != "trigger"):
        connection.execute(text(item.drop(dialect)))
    for item in chosen:
        connection.execute(text(item.create))


def _calls(item: DbObject, functions: set[str]) -> bool:
    return any(f"EXECUTE FUNCTION {name}()" in item.create for name in functions)
