"""SQLite backups through the online backup API: a consistent copy while the app keeps writing.

`Connection.backup` with every page in one step reads the database inside one read transaction,
so the copy is the database as of one moment; in WAL mode writers carry on meanwhile. Restoring
copies the backup into the target file the same way: under the target's write lock, all at once,
so a reader never sees half a restore.
"""

import contextlib
import sqlite3
from pathlib import Path

from inclusion.backups import BackupError

BUSY_TIMEOUT_SECONDS = 30


def _connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    uri = f"{path.resolve().as_uri()}?mode={'ro' if read_only else 'rwc'}"
    return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)


def database_path(url) -> Path:
    """The file an SQLAlchemy SQLite URL names; BackupError for an in-memory database."""
    if url.database in (None, "", ":memory:") or str(url.database).startswith("file::memory:"):
        raise BackupError("The database is in memory (DATABASE_URL=sqlite://): there is no file to back up or restore.")
    return Path(url.database)


def back_up(source: Path, destination: Path) -> None:
    """Copy the live database `source` into the new file `destination`."""
    if not source.exists():
        raise BackupError(f"The database file {source} does not exist.")
    # The source is not opened read-only: a WAL reader may need to create the -shm file.
    with contextlib.closing(_connect(source)) as reader, contextlib.closing(_connect(destination)) as writer:
        reader.backup(writer)  # pages=-1: every page in one step, inside one read transaction
        # One self-contained file: no -wal or -shm beside it to forget when copying it away.
        writer.execute("PRAGMA journal_mode=DELETE")


def check_backup(path: Path) -> None:
    """The file is a sound SQLite database holding an Inclusion schema (it has alembic_version)."""
    try:
        with contextlib.closing(_connect(path, read_only=True)) as backup:
            if backup.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is damaged (SQLite's quick_check fails): use another copy.")
            tables = {row[0] for row in backup.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} cannot be read as an SQLite database: {error}.") from error
    if "alembic_version" not in tables:
        raise BackupError(f"{path} is an SQLite database but not an Inclusion backup (it has no alembic_version).")


def table_names(path: Path) -> list[str]:
    """The tables the database file holds ([] when the file does not exist or is empty)."""
    if not path.exists() or path.stat().st_size == 0:
        return []
    with contextlib.closing(_connect(path, read_only=True)) as database:
        rows = database.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        return sorted(row[0] for row in rows)


def restore(backup: Path, target: Path) -> None:
    """Replace everything in `target` (created if missing) with the backup, in one step."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.closing(_connect(backup, read_only=True)) as reader, contextlib.closing(_connect(target)) as writer:
        reader.backup(writer)
        # As `flask db upgrade` sets it on a new file: readers carry on while one writer writes.
        writer.execute("PRAGMA journal_mode=WAL")
