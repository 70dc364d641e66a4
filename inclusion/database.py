"""The declarative base, SQLite connection set-up and the write-transaction helper."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

from inclusion.rules import whole_number

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Set while a service writes: the next BEGIN on SQLite takes the write lock up front.
_write_intent: ContextVar[bool] = ContextVar("write_intent", default=False)


def configure_sqlite(engine: Engine, busy_timeout_ms: int, mmap_bytes: int = 0) -> None:
    """Foreign keys and a busy timeout on every connection; transactions we begin ourselves.

    pysqlite's own transaction handling begins late and never IMMEDIATE, so a transaction that
    reads and then writes fails at once with "database is locked" instead of waiting. WAL is set
    once, when the schema is created (migrations/env.py), not here on every connection.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        if mmap_bytes:
            cursor.execute(f"PRAGMA mmap_size = {int(mmap_bytes)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")


def configure_postgresql(engine: Engine) -> None:
    """Bulk inserts in multi-row statements; no JIT compilation.

    JIT costs hundreds of milliseconds a query, which short page queries never win back (a learner
    search over 100,000 rows spent 700 ms compiling and 30 ms running).
    """

    # A bulk insert (`execute(insert(Model), rows)`) as multi-row INSERTs of up to 1,000 rows, not
    # one INSERT a row: the report-key and data-version triggers run once per statement, so a
    # 10,000-row import fired them 10,000 times (70-110 s; now a few statements). psycopg2's
    # dialect does this by default; psycopg 3's leaves it to executemany.
    engine.dialect.use_insertmanyvalues_wo_returning = True

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("SET jit = off")
        cursor.close()
        dbapi_connection.commit()


@contextmanager
def write_transaction() -> Iterator[None]:
    """Run a service's changes as one transaction that commits once, or not at all.

    Any read-only transaction the request has open is ended first, so that on SQLite the
    write transaction starts with BEGIN IMMEDIATE and queues for the lock (busy timeout)
    rather than failing midway.
    """
    from inclusion.extensions import db

    session = db.session()
    if session.in_transaction():
        session.commit()
    token = _write_intent.set(True)
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        _write_intent.reset(token)


# The largest primary key a table holds (PostgreSQL's 32-bit integer). A number past it, typed into a
# URL or a form, names no record: comparing a column with it would be a database error (a 500) there.
MAX_ROW_ID = 2_147_483_647
MAX_PAGE = 100_000


def row_id(value) -> int | None:
    """A posted or queried id as a number that can name a row, or None for anything else."""
    number = whole_number(value)
    return number if number is not None and 1 <= number <= MAX_ROW_ID else None


def page_number(value) -> int:
    """A ?page= value, clamped to 1..MAX_PAGE (an OFFSET past bigint is a database error).

    Pagers then move a page past the end of their list onto its last page (paging.page_within).
    """
    number = whole_number(value)
    return min(number, MAX_PAGE) if number else 1


def schema_objects_for(dialect_name: str) -> Callable[..., bool]:
    """Alembic's `include_object` hook: leave out what the models make on other databases only.

    An index declared `.ddl_if(dialect="postgresql")` (the learners' trigram index) is made there
    alone, but Alembic's comparison does not read `ddl_if`: without this it would ask SQLite for it.
    """

    def include_object(schema_object, name, type_, reflected, compare_to) -> bool:
        condition = getattr(schema_object, "_ddl_if", None)
        if condition is None or condition.dialect is None:
            return True
        dialects = (condition.dialect,) if isinstance(condition.dialect, str) else condition.dialect
        return dialect_name in dialects

    return include_object
