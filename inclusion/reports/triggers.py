"""The triggers (and PostgreSQL functions) that keep the report keys and the data version, generated.

Rendered from the rules in inclusion/reports/keys.py and from the tables the figures read
(inclusion/reports/figure_tables.py), for each dialect. A migration never imports this module
(the code may change after it): it holds a snapshot of `definitions(dialect)`, written by
`flask reports trigger-revision`, and the test suite and `flask reports check` compare what the
database has with what this module renders now (docs/report-keys.md).

Both dialects apply the same rules; they differ in how they find the rows to recompute, because
their triggers differ: PostgreSQL has statement triggers over transition tables (a COPY of
500,000 rows recomputes once) and row locks (so two writers of the same learner take turns; the data version is kept in
as many rows as there are writers at once, so unrelated writers never wait), SQLite row triggers only
and one writer at a time.
"""

# ruff: noqa: S608  (SQL is built from this package's own constant table and column names, never input)

from dataclasses import dataclass


@dataclass(frozen=True)
class DbObject:
    """A trigger or a (PostgreSQL) trigger function, with the statement that creates it."""

    kind: str  # "trigger" or "function"
    name: str
    table: str | None  # a trigger's table
    create: str

    def drop(self, dialect: str) -> str:
        if self.kind == "function":
            return f"DROP FUNCTION IF EXISTS {self.name}()"
        on = f" ON {self.table}" if dialect == "postgresql" else ""
        return f"DROP TRIGGER IF EXISTS {self.name}{on}"


def definitions(dialect: str) -> list[DbObject]:
    """Every trigger and function the design needs, in creation order (functions before their triggers)."""
    if dialect == "postgresql":
        from inclusion.reports import triggers_postgresql as rendered
    else:
        from inclusion.reports import triggers_sqlite as rendered
    return (
        rendered.report_keys()
        + rendered.first_attendances()
        + rendered.first_rows()
        + rendered.levels()
        + data_version(dialect)
    )


def trigger(name: str, table: str, create: str) -> DbObject:
    return DbObject("trigger", name, table, create)


def function(name: str, body: str, *, declare: str = "") -> DbObject:
    head = f"DECLARE {declare} " if declare else ""
    return DbObject(
        "function",
        name,
        None,
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ {head}BEGIN {body} END $$",
    )


# A new random 64-bit version on each write, not version + 1: a database rebuilt (or restored) in
# place then never reuses a version a running worker has cached figures under for other data.
RANDOM = {"postgresql": "floor(random() * 9223372036854775807)::bigint", "sqlite": "random()"}


def data_version(dialect: str) -> list[DbObject]:
    from inclusion.reports import triggers_data_version

    return triggers_data_version.data_version(dialect)


if __name__ == "__main__":
    for dialect in ("sqlite", "postgresql"):
        for item in definitions(dialect):
            print(f"-- {dialect} {item.kind} {item.name}\n{item.create};\n")
