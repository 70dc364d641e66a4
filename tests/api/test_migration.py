"""The feed's tokens table comes and goes with its migration (5e8b1f4c2a70)."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from inclusion.extensions import db

REVISION = "5e8b1f4c2a70"


def test_the_api_tokens_migration_can_be_undone_and_done_again():
    db.session.remove()
    downgrade(revision=f"{REVISION}-1")
    assert "api_tokens" not in inspect(db.engine).get_table_names()
    upgrade()
    columns = {column["name"] for column in inspect(db.engine).get_columns("api_tokens")}
    assert {"name", "token_hash", "scope", "expires_at", "revoked_at", "last_used_at"} <= columns
    assert "secret" not in columns and "token" not in columns
