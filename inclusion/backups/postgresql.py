"""PostgreSQL backups with pg_dump's custom format; restored through pg_restore into one transaction.

pg_dump reads the whole database inside one repeatable-read snapshot, so the dump is the
database as of one moment while the app keeps writing. The connection is given to the client
tools as a libpq connection string without the password, which travels in PGPASSWORD, so it
never shows in the process list.
"""

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from inclusion.backups import BackupError

# The app's tables, triggers and functions all live in this schema (migrations use the default).
SCHEMA = "public"
_ALEMBIC_IN_TOC = re.compile(r"\bTABLE (DATA )?\S+ alembic_version\b")


def connection_string(url) -> tuple[str, dict[str, str]]:
    """A libpq connection string for the SQLAlchemy URL (no password), and the environment to run with."""
    from psycopg import ProgrammingError
    from psycopg.conninfo import make_conninfo

    parameters = {"host": url.host, "port": url.port, "user": url.username, "dbname": url.database}
    for key, value in url.query.items():  # sslmode, sslrootcert, options, ...
        if key != "password":
            parameters[key] = value if isinstance(value, str) else value[-1]
    try:
        conninfo = make_conninfo(**{key: str(value) for key, value in parameters.items() if value is not None})
    except ProgrammingError as error:
        raise BackupError(f"DATABASE_URL cannot be given to pg_dump: {error}") from error
    environment = {**os.environ}
    if url.password:
        environment["PGPASSWORD"] = url.password
    return conninfo, environment


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed: install PostgreSQL's client tools (apt install postgresql-client)."
        )
    return path


def _run(command: list[str], environment: dict[str, str], what: str, **options) -> subprocess.CompletedProcess:
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False, **options)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip() or f'exit status {result.returncode}'}")
    return result


def back_up(url, destination: Path) -> None:
    """pg_dump the database into `destination` (custom format: compressed, restorable table by table)."""
    conninfo, environment = connection_string(url)
    command = [_tool("pg_dump"), "--format=custom", "--no-password", f"--file={destination}", f"--dbname={conninfo}"]
    _run(command, environment, "pg_dump")


def check_backup(path: Path) -> None:
    """The file is a readable custom-format dump of an Inclusion database (it has alembic_version)."""
    listing = subprocess.run([_tool("pg_restore"), "--list", str(path)], capture_output=True, text=True, check=False)  # noqa: S603
    if listing.returncode != 0:
        raise BackupError(f"{path} cannot be read by pg_restore: {listing.stderr.strip()}")
    if not _ALEMBIC_IN_TOC.search(listing.stdout):
        raise BackupError(f"{path} is a PostgreSQL dump but not of an Inclusion database (it has no alembic_version).")


def restore(url, backup: Path, *, replace: bool) -> None:
    """Load the dump into the database in one transaction: all of it, or (on any error) nothing.

    pg_restore writes the dump as SQL (owners and grants left out: the restoring user owns every
    object) into psql, inside a BEGIN that is committed only once pg_restore has finished
    cleanly; psql stops at the first error, and a transaction never committed is rolled back.
    With `replace`, the same transaction first drops the schema and everything in it.
    """
    conninfo, environment = connection_string(url)
    restore_command = [_tool("pg_restore"), "--no-owner", "--no-acl", "--file=-", str(backup)]
    psql_command = [_tool("psql"), "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--no-password"]
    psql_command += [f"--dbname={conninfo}", "--output=/dev/null"]
    prelude = "BEGIN;\nSET LOCAL client_min_messages = warning;\n" + (
        f"DROP SCHEMA {SCHEMA} CASCADE;\nCREATE SCHEMA {SCHEMA};\n" if replace else ""
    )
    with tempfile.TemporaryFile("w+") as restore_errors, tempfile.TemporaryFile("w+") as psql_errors:
        psql = subprocess.Popen(psql_command, env=environment, stdin=subprocess.PIPE, stderr=psql_errors, text=True)  # noqa: S603
        reader = None
        try:
            psql.stdin.write(prelude)
            psql.stdin.flush()
            reader = subprocess.Popen(restore_command, env=environment, stdout=psql.stdin, stderr=restore_errors)  # noqa: S603
            if reader.wait() == 0:
                psql.stdin.write("COMMIT;\n")  # only now: the whole dump has reached psql
            psql.stdin.close()
        except BrokenPipeError:
            pass  # psql stopped at an error: it rolled back, and says why on its stderr
        finally:
            if reader is not None:
                reader.wait()
            psql.wait()
        if reader is None or reader.returncode != 0 or psql.returncode != 0:
            restore_errors.seek(0)
            psql_errors.seek(0)
            detail = (restore_errors.read() + psql_errors.read()).strip()
            raise BackupError(f"The restore failed and nothing was changed: {detail or 'pg_restore or psql failed'}")


def existing_objects(engine) -> list[str]:
    """The tables, views, sequences and functions in the schema ([] for an empty database)."""
    from sqlalchemy import text

    query = text(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = :schema AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
        "UNION SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = :schema "
        "ORDER BY 1"
    )
    with engine.connect() as connection:
        return list(connection.scalars(query, {"schema": SCHEMA}))
