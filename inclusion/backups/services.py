"""Making a backup of the app's database and restoring one: what `flask db backup` and `restore` call.

A backup is written to a temporary name beside the destination and renamed into place once
complete, so a backup interrupted half way never looks like a good one. A restore checks the file
(its kind, that it is readable, that it holds an Inclusion schema) before touching the database.
"""

import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from inclusion.audit.services import record_event
from inclusion.backups import BackupError, postgresql, sqlite
from inclusion.backups.formats import KIND_NAMES, POSTGRESQL, SQLITE, SUFFIXES, backup_kind, database_kind
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.locks import advisory_lock
from inclusion.schema_version import schema_state

# Held for the length of a backup: two hosts' timers firing together make one backup, not two.
BACKUP_LOCK = "db-backup"
NAME_PREFIX = "inclusion-"


@dataclass(frozen=True)
class BackupResult:
    path: Path | None  # None: another host (or process) was making a backup, so this one made none
    size: int = 0
    removed: tuple[Path, ...] = ()  # older backups pruned by `keep`


def default_backup_name(now: datetime | None = None) -> str:
    """inclusion-20261201T023000Z.dump (PostgreSQL) or .sqlite3: sorts by time, one per second."""
    kind = database_kind(db.engine.dialect.name)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"{NAME_PREFIX}{stamp}{SUFFIXES[kind]}"


def make_backup(out: Path, *, keep: int | None = None) -> BackupResult:
    """Write a consistent copy of the database to `out` (which must not exist yet).

    With `keep`, afterwards delete all but the newest `keep` backups named like ours
    (inclusion-*.dump or .sqlite3) in the same directory.
    """
    kind = database_kind(db.engine.dialect.name)
    if keep is not None and keep < 1:
        raise BackupError("--keep must be 1 or more.")
    if out.exists():
        raise BackupError(f"{out} already exists: choose a new file name (backups are never overwritten).")
    if not out.parent.is_dir():
        raise BackupError(f"The directory {out.parent} does not exist.")
    with advisory_lock(BACKUP_LOCK) as held:
        if not held:
            return BackupResult(None)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
        os.close(descriptor)
        partial = Path(temporary)
        try:
            if kind == SQLITE:
                partial.unlink()  # the backup API creates the file itself
                sqlite.back_up(sqlite.database_path(db.engine.url), partial)
            else:
                postgresql.back_up(db.engine.url, partial)
            os.chmod(partial, 0o600)  # residents' personal data: readable by the service's user only
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)
    removed = _prune(out.parent, SUFFIXES[kind], keep) if keep else ()
    size = out.stat().st_size
    with write_transaction():  # every learner's record has just been copied out: say so in the audit log
        record_event("database_backed_up", user_id=None, details={"file": str(out), "bytes": size})
    return BackupResult(out, size, removed)


def _prune(directory: Path, suffix: str, keep: int) -> tuple[Path, ...]:
    ours = sorted(directory.glob(f"{NAME_PREFIX}*{suffix}"), key=lambda path: (path.stat().st_mtime, path.name))
    old = ours[:-keep]
    for path in old:
        path.unlink(missing_ok=True)
    return tuple(old)


def check_restorable(backup: Path) -> str:
    """The backup's kind, once it is known to fit the configured database; BackupError otherwise."""
    kind = backup_kind(backup)
    target = database_kind(db.engine.dialect.name)
    if kind != target:
        raise BackupError(
            f"{backup} is {KIND_NAMES[kind]} backup but DATABASE_URL names {KIND_NAMES[target]} database: "
            f"restore it into {KIND_NAMES[kind]} database."
        )
    (sqlite if kind == SQLITE else postgresql).check_backup(backup)
    return kind


def existing_tables() -> list[str]:
    """The tables the configured database already holds ([] for an empty database)."""
    if db.engine.dialect.name == "sqlite":
        return sqlite.table_names(sqlite.database_path(db.engine.url))
    return postgresql.existing_objects(db.engine)


def restore_backup(backup: Path, *, replace: bool = False) -> None:
    """Load `backup` into the configured database, which must be empty unless `replace`."""
    kind = check_restorable(backup)
    if not replace and (tables := existing_tables()):
        raise BackupError(
            f"The database is not empty: it holds {len(tables)} tables or other objects "
            f"({', '.join(tables[:3])}, ...). "
            "Restore into a new empty database, or give --replace to overwrite everything in this one."
        )
    db.session.remove()
    db.engine.dispose()  # no pooled connection may outlive the old contents
    if kind == SQLITE:
        sqlite.restore(backup, sqlite.database_path(db.engine.url))
    else:
        postgresql.restore(db.engine.url, backup, replace=replace)
    db.engine.dispose()
    if schema_state().is_current:  # (an older schema's audit table may differ: `flask db upgrade` first)
        with write_transaction():  # in the restored database: its audit log says where it came from
            record_event("database_restored", user_id=None, details={"file": str(backup), "replaced": replace})


__all__ = ["BackupError", "BackupResult", "POSTGRESQL", "SQLITE", "make_backup", "restore_backup"]
