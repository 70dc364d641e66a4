"""Figures shared by every worker and host through Redis (FIGURE_STORE_URI), behind each worker's own store.

Within a block that asks for it (cache.one_version(shared=True): the funder CSV from the command
line, the web download or sending, and the feed's cells), a worker that misses its own store
(inclusion/reports/cache.py) asks this one before computing, and keeps here what it computed as
the block ends: a figure one worker or command computed is there for every other until a write
reaches it.

The key is the worker store's key (the database, the versions of the months the figure reads,
the figure and its arguments), so a shared figure is exactly as fresh as a worker's own: never
older than a committed write that reaches it (cache.py's argument holds across processes, since
the versions in the key are read before the figure is computed). Two more things go into the
key, because they outlive a process here: the release (a digest of the package's source files:
hosts running two releases during a deploy never read each other's figures) and the settings
figures read (FIGURE_SETTINGS; hosts sharing a store must share them). Entries expire as the
worker's own do (cache.py passes its MAX_AGE_SECONDS).

Values are stored as JSON: numbers, text, Decimals (tagged), lists and dicts with text keys.
Anything else stays in the worker's own store only. A Redis that does not answer within
TIMEOUT_SECONDS is left alone for PAUSE_SECONDS, with one warning in the log: figures are then
computed as they are without a shared store, never refused.
"""

import hashlib
import json
import logging
import threading
import time
from decimal import Decimal
from pathlib import Path

from flask import current_app

log = logging.getLogger(__name__)

KEY_PREFIX = "inclusion:figure:"
TIMEOUT_SECONDS = 0.2
PAUSE_SECONDS = 30.0
# The settings a figure's value depends on, beside the data (the follow-up window, the loan period...).
FIGURE_SETTINGS = (
    "FOLLOW_UP_DAYS",
    "FOLLOW_UP_ATTEMPTS",
    "LOAN_DAYS",
    "DATA_GIFT_MONTHS",
    "MILESTONE_TARGET",
    "SUPPRESSION_THRESHOLD",
    "FUNDER_CSV_VERSION",
)
_DECIMAL_TAG = "$decimal"
PACKAGE = Path(__file__).resolve().parents[1]

_clients: dict = {}
_paused_until = 0.0
_release: bytes | None = None
_guard = threading.Lock()


def enabled() -> bool:
    return bool(current_app.config.get("FIGURE_STORE_URI")) and time.monotonic() >= _paused_until


def get(key) -> tuple[bool, object]:
    """(True, the value) if another worker or command stored the figure under `key`; else (False, None)."""
    client = _client()
    if client is None:
        return False, None
    try:
        stored = client.get(_redis_key(key))
    except Exception as error:  # noqa: BLE001  (any failure of the store: compute as without it)
        _pause(error)
        return False, None
    if stored is None:
        return False, None
    try:
        return True, json.loads(stored, object_hook=_untag)
    except ValueError:  # not what put_many writes (another program's key?): computed as a miss
        return False, None


def put_many(entries: list[tuple], *, seconds: int) -> None:
    """Keep each (key, value) for every worker for `seconds`, in one round trip; values JSON cannot give
    back exactly are left out."""
    client = _client()
    kept = [(key, value) for key, value in entries if _shareable(value)]
    if client is None or not kept:
        return
    pipeline = client.pipeline(transaction=False)
    for key, value in kept:
        pipeline.set(_redis_key(key), json.dumps(value, default=_tag, separators=(",", ":")), ex=seconds)
    try:
        pipeline.execute()
    except Exception as error:  # noqa: BLE001
        _pause(error)


def _client():
    if not enabled():
        return None
    uri = current_app.config["FIGURE_STORE_URI"]
    with _guard:
        client = _clients.get(uri)
        if client is None:
            import redis  # only a host with a shared store configured pays for importing the client

            client = redis.Redis.from_url(uri, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS)
            _clients[uri] = client
    return client


def _pause(error: Exception) -> None:
    global _paused_until
    with _guard:
        already = time.monotonic() < _paused_until
        _paused_until = time.monotonic() + PAUSE_SECONDS
    if not already:
        log.warning(
            "shared figure store unavailable: figures are computed by each worker for a while",
            extra={"error": type(error).__name__, "retry_after_s": PAUSE_SECONDS},
        )


def _redis_key(key) -> str:
    digest = hashlib.blake2b(digest_size=20)
    digest.update(_release_digest())
    digest.update(repr(tuple(current_app.config.get(name) for name in FIGURE_SETTINGS)).encode())
    digest.update(repr(key).encode())
    return KEY_PREFIX + digest.hexdigest()


def _release_digest() -> bytes:
    """A digest of every source file of the package, read once per process (about 5 ms)."""
    global _release
    if _release is None:
        digest = hashlib.blake2b(digest_size=16)
        for path in sorted(PACKAGE.rglob("*.py")):
            digest.update(path.relative_to(PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
        _release = digest.digest()
    return _release


def _shareable(value) -> bool:
    """True if JSON gives `value` back exactly (a tuple would come back a list, a number key as text)."""
    if value is None or isinstance(value, bool | int | str | Decimal):
        return True
    if isinstance(value, float):
        return value == value and value not in (float("inf"), float("-inf"))
    if isinstance(value, list):
        return all(_shareable(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(name, str) and name != _DECIMAL_TAG and _shareable(item) for name, item in value.items())
    return False


def _tag(value):
    if isinstance(value, Decimal):
        return {_DECIMAL_TAG: str(value)}
    raise TypeError(f"not stored: {type(value).__name__}")


def _untag(mapping: dict):
    if len(mapping) == 1 and _DECIMAL_TAG in mapping:
        return Decimal(mapping[_DECIMAL_TAG])
    return mapping
