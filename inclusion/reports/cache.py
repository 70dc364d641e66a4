"""Figures remembered between requests, keyed on the database's data version: never stale.

Every figure is a function of the data in the database and of its arguments. A `data_version`
row changes, by database trigger, in the same transaction as any write to the tables the figures
read (inclusion/reports/figure_tables.py; the triggers: inclusion/reports/triggers.py). On
PostgreSQL each writer sets a row no concurrent writer holds (so writers never queue on one row),
and the version is all the rows' values together: a figure stored under version v is the right
figure for as long as the version stays v; once any write commits, one row has changed, every
host reads the new version and computes afresh. The version is read before the figure is
computed, and a later snapshot sees every transaction an earlier one saw, so a write that lands
in between can only make the stored figure newer than its key, never older
(tests/reports/test_data_version_concurrency.py).

Each worker keeps its own small store (nothing another worker needs lives here: a worker that
misses computes the figure itself). Without any data_version row (a database not migrated this
far, or a test database emptied of it) nothing is cached. Each write sets a new random version,
not the old one plus one, so a database rebuilt or restored in place does not reuse a version
that a running worker holds figures for; restarting the app after a restore is still wise.
"""

import functools
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from copy import copy

from flask import current_app
from sqlalchemy import select

from inclusion.extensions import db
from inclusion.observability.prometheus import count_figure_cache
from inclusion.reports.models import DataVersion

MAX_ENTRIES = 4096
# Belt and braces: an entry is dropped after this long even if the version has not moved.
MAX_AGE_SECONDS = 15 * 60

_store: OrderedDict = OrderedDict()
_guard = threading.Lock()
# Every cached figure, so a test can run each and check that the tables it reads invalidate it
# (tests/reports/test_figure_tables.py; the tables: inclusion/reports/figure_tables.py).
FIGURES: list = []


def data_version() -> tuple[int, ...] | None:
    """Every data_version row's version, in id order (None without any row)."""
    versions = tuple(db.session.scalars(select(DataVersion.version).order_by(DataVersion.id)))
    return versions or None


# The version a read-only block (a dashboard, a report) pinned, boxed: (None,) pins "no version".
_pinned: ContextVar[tuple | None] = ContextVar("pinned_data_version", default=None)


@contextmanager
def one_version() -> Iterator[None]:
    """Read the data version once for a block that computes many figures and writes nothing.

    Each figure in the block is stored under the version read as the block began, which is read
    before any of them is computed: the argument above holds as it does for one figure (a write
    committed meanwhile can only make a stored figure newer than its key). It saves a query per
    figure (about 90 on the dashboard). Nothing in the block may write: a write's own new version
    would not be seen, and figures computed after it would be stored under the version before it.
    """
    token = _pinned.set((data_version(),))
    try:
        yield
    finally:
        _pinned.reset(token)


def _current_version() -> tuple[int, ...] | None:
    pinned = _pinned.get()
    return pinned[0] if pinned is not None else data_version()


def clear() -> None:
    with _guard:
        _store.clear()


def cached_figure(function):
    """Remember a figure, `function(period, by=..., partner_id=..., venue_id=...)`, under the data version.

    Registered in FIGURES, so the test of the invalidating tables runs it.
    """
    wrapper = remembered(function)
    FIGURES.append(wrapper)
    return wrapper


def remembered(function):
    """Remember `function(*args, **kwargs)` (hashable arguments) under the current data version.

    For what is built only from registered figures (the feed's cells of a month), so it reads no
    table they do not; a figure of its own uses `cached_figure`.
    """

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if not current_app.config.get("REPORT_FIGURE_CACHE", True):
            return function(*args, **kwargs)
        version = _current_version()
        if version is None:
            return function(*args, **kwargs)
        key = (str(db.engine.url), version, function.__qualname__, args, tuple(sorted(kwargs.items())))
        now = time.monotonic()
        with _guard:
            hit = _store.get(key)
            if hit is not None and now - hit[0] < MAX_AGE_SECONDS:
                _store.move_to_end(key)
                count_figure_cache(hit=True)
                return copy(hit[1])  # dicts are copied: a caller may change its own
        count_figure_cache(hit=False)
        value = function(*args, **kwargs)
        with _guard:
            _store[key] = (now, copy(value))
            while len(_store) > MAX_ENTRIES:
                _store.popitem(last=False)
        return value

    wrapper.uncached = function
    return wrapper
