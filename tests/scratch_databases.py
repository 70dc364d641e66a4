"""Databases beside the suite's own, for tests that need a second one (restore targets, old schemas).

SQLite: a file in pytest's temporary directory. PostgreSQL: a database on the same server named
after the suite's (`test_f` -> `test_f_restore`), dropped first and afterwards.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from config import TestConfig
from inclusion import create_app
from inclusion.extensions import db


def is_postgresql() -> bool:
    return (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgresql")


def _drop_and_create(admin_url, name: str, create: bool) -> None:
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            if create:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()


@contextmanager
def scratch_database_url(tmp_path, suffix: str) -> Iterator[str]:
    """The URL of a new, empty database of the suite's kind; dropped when the block ends."""
    if not is_postgresql():
        yield f"sqlite:///{tmp_path / f'{suffix}.sqlite3'}"
        return
    base = make_url(os.environ["TEST_DATABASE_URL"])
    name = f"{base.database}_{suffix}"
    _drop_and_create(base, name, create=True)
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        _drop_and_create(base, name, create=False)


@contextmanager
def app_on(url: str, **settings):
    """A second app (test settings) on another database, its context pushed for the block."""
    other = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, **settings)
    try:
        with other.app_context():
            yield other
            db.session.remove()
    finally:
        with other.app_context():
            db.engine.dispose()


@pytest.fixture
def scratch_database(tmp_path):
    """`scratch_database("restore")`: a new empty database's URL, dropped after the test."""
    opened = []

    def _open(suffix: str) -> str:
        context = scratch_database_url(tmp_path, suffix)
        opened.append(context)
        return context.__enter__()

    yield _open
    for context in reversed(opened):
        context.__exit__(None, None, None)
