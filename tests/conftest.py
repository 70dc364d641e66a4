"""Test fixtures: one app and one migrated database per run, emptied after every test.

SQLite (a temporary file, so WAL and several connections behave as in production) unless
TEST_DATABASE_URL names another database, e.g. the PostgreSQL server CI runs.
"""

import os
import tempfile

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import delete, insert, select, text

from config import TestConfig
from inclusion import create_app
from inclusion.extensions import db as _db
from inclusion.extensions import limiter
from tests import factories

pytest_plugins = ["tests.mail_server"]  # the loopback SMTP server fixture, `mail_server`

REFERENCE_TABLES = (
    "skills",
    "milestones",
    "confidence_question_sets",
)  # seeded by the migrations, restored after each test


def _database_url(tmp_dir: str) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{os.path.join(tmp_dir, 'test.sqlite3')}"


def _reset_schema(app) -> None:
    """Start PostgreSQL runs from an empty schema, whatever an earlier run left behind."""
    if _db.engine.dialect.name == "postgresql":
        with _db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))


class ExpiringClient(FlaskClient):
    """A test client whose requests start afresh, as a new request in production would.

    Tests hold an app context open, which requests then share: without this, `g` (where
    Flask-Login caches the signed-in user) and the session's identity map would carry over.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            _db.session.expire_all()
            vars(g._get_current_object()).clear()
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app():
    with tempfile.TemporaryDirectory() as tmp_dir:
        app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=_database_url(tmp_dir))
        app.test_client_class = ExpiringClient
        with app.app_context():
            _reset_schema(app)
            upgrade()
            app.config["REFERENCE_ROWS"] = {
                name: [dict(row._mapping) for row in _db.session.execute(select(_db.metadata.tables[name]))]
                for name in REFERENCE_TABLES
            }
            _db.session.remove()
        yield app
        with app.app_context():
            _db.engine.dispose()


@pytest.fixture(autouse=True)
def db(app):
    """The database, emptied back to the migrated reference data after the test."""
    with app.app_context():
        yield _db
        _db.session.remove()
        _empty_database(app)
        limiter.reset()


def _empty_database(app) -> None:
    tables = list(reversed(_db.metadata.sorted_tables))
    with _db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(table.name for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(delete(table))
        for name, rows in app.config["REFERENCE_ROWS"].items():
            if rows:
                connection.execute(insert(_db.metadata.tables[name]), rows)
        if connection.dialect.name == "postgresql":
            for name in REFERENCE_TABLES:
                connection.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))")
                )


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login_as(client):
    """Sign the test client in as a new user of `role`; returns the user."""

    def _login_as(role: str, **user_fields):
        password = user_fields.pop("password", factories.DEFAULT_PASSWORD)
        user = factories.create_user(role=role, password=password, **user_fields)
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return _login_as


@pytest.fixture
def count_queries(app):
    """Count the SQL statements run inside a block: `with count_queries() as queries: ...; queries.count`."""
    from contextlib import contextmanager

    from sqlalchemy import event

    class _Counter:
        count = 0
        statements: list[str] = []

    @contextmanager
    def _count():
        counter = _Counter()
        counter.statements = []

        def _before(_conn, _cursor, statement, *_args):
            if statement.split(None, 1)[0].upper() in {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"}:
                return  # transaction control, not a query
            counter.count += 1
            counter.statements.append(statement)

        event.listen(_db.engine, "before_cursor_execute", _before)
        try:
            yield counter
        finally:
            event.remove(_db.engine, "before_cursor_execute", _before)

    return _count
