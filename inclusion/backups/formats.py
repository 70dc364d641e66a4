"""Which kind of backup a file is, told from its first bytes (never from its name)."""

from pathlib import Path

from inclusion.backups import BackupError

SQLITE = "sqlite"
POSTGRESQL = "postgresql"

_MAGIC = {
    b"SQLite format 3\x00": SQLITE,  # an SQLite database file (the online backup API's output)
    b"PGDMP": POSTGRESQL,  # pg_dump's custom format
}
KIND_NAMES = {SQLITE: "an SQLite", POSTGRESQL: "a PostgreSQL"}
SUFFIXES = {SQLITE: ".sqlite3", POSTGRESQL: ".dump"}


def backup_kind(path: Path) -> str:
    """SQLITE or POSTGRESQL; BackupError for a missing, unreadable or foreign file."""
    if not path.exists():
        raise BackupError(f"{path} does not exist.")
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    try:
        with open(path, "rb") as file:
            start = file.read(16)
    except OSError as error:
        raise BackupError(f"{path} cannot be read: {error.strerror}.") from error
    for magic, kind in _MAGIC.items():
        if start.startswith(magic):
            return kind
    if start.lstrip().startswith(b"--"):
        raise BackupError(
            f"{path} looks like a plain SQL dump. `flask db restore` takes the files `flask db backup` makes "
            "(pg_dump --format=custom for PostgreSQL); load a plain dump with psql instead."
        )
    raise BackupError(
        f"{path} is not a backup made by `flask db backup` "
        "(neither a PostgreSQL custom-format dump nor an SQLite database file)."
    )


def database_kind(dialect_name: str) -> str:
    if dialect_name == "sqlite":
        return SQLITE
    if dialect_name == "postgresql":
        return POSTGRESQL
    raise BackupError(f"Backups of {dialect_name} databases are not supported (only SQLite and PostgreSQL).")
