"""A lock shared by every process and host using the database: one `send-monthly` at a time.

PostgreSQL: a session-level advisory lock (pg_try_advisory_lock / pg_advisory_lock) on a 64-bit
hash of the name, held on a connection of its own for the length of the `with` block. It is not
tied to the caller's transactions, so the work inside may commit as often as it likes; if the
process dies, the connection closes and PostgreSQL releases the lock.

SQLite: the database is one file on one machine, so an exclusive flock on a file beside it
serialises every process that uses it. (Holding BEGIN IMMEDIATE on a separate connection would
also serialise them, but it would block the lock holder's own writes until the busy timeout.)
An in-memory SQLite database lives in one process, so a process-local lock is enough there.
"""

import fcntl
import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from sqlalchemy import text

from inclusion.extensions import db

_local_locks: dict[str, threading.Lock] = {}
_local_guard = threading.Lock()


def lock_key(name: str) -> int:
    """A stable signed 64-bit number for `name` (PostgreSQL advisory locks take a bigint)."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big", signed=True)


@contextmanager
def advisory_lock(name: str, *, wait: bool = False, timeout: float | None = None) -> Iterator[bool]:
    """Hold the lock called `name` for the block; yields True if held, False if another holder has it.

    With wait=False (the default) it does not wait: a second host finds False and should do
    nothing. With wait=True it waits (up to `timeout` seconds, if given) and yields False only
    when the timeout passes.
    """
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with _postgresql_lock(engine, lock_key(name), wait, timeout) as held:
            yield held
    elif engine.url.database in (None, "", ":memory:"):
        with _process_lock(name, wait, timeout) as held:
            yield held
    else:
        with _file_lock(Path(engine.url.database), name, wait, timeout) as held:
            yield held


@contextmanager
def _postgresql_lock(engine, key: int, wait: bool, timeout: float | None) -> Iterator[bool]:
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        if wait and timeout is not None:
            connection.execute(
                text("SELECT set_config('lock_timeout', :ms, false)"), {"ms": f"{int(timeout * 1000)}ms"}
            )
        if wait:
            try:
                connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
                held = True
            except Exception as error:  # lock_timeout: 55P03 lock_not_available
                if getattr(getattr(error, "orig", None), "sqlstate", None) != "55P03":
                    raise
                held = False
        else:
            held = bool(connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}))
        try:
            yield held
        finally:
            if held:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            connection.execute(text("RESET lock_timeout"))


@contextmanager
def _file_lock(database: Path, name: str, wait: bool, timeout: float | None) -> Iterator[bool]:
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]
    path = database.with_name(f"{database.name}.lock-{digest}")
    with open(path, "a+b") as handle:
        held = _poll(lambda: _try_flock(handle), wait, timeout)
        try:
            yield held
        finally:
            if held:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _try_flock(handle) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextmanager
def _process_lock(name: str, wait: bool, timeout: float | None) -> Iterator[bool]:
    with _local_guard:
        lock = _local_locks.setdefault(f"{current_app.import_name}:{name}", threading.Lock())
    held = lock.acquire(blocking=wait, timeout=-1 if timeout is None or not wait else timeout)
    try:
        yield held
    finally:
        if held:
            lock.release()


def _poll(attempt, wait: bool, timeout: float | None) -> bool:
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        if attempt():
            return True
        if not wait or (deadline is not None and time.monotonic() >= deadline):
            return False
        time.sleep(0.05)
