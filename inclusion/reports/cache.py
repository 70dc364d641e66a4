"""Figures remembered between requests, keyed on the database's data version: never stale.

Every figure is a function of the data in the database and of its arguments. Database triggers
change the data version in the same transaction as any write to the tables the figures read
(inclusion/reports/figure_tables.py; the triggers: inclusion/reports/triggers_data_version.py),
however the write is made. They record how far back the write reaches, too: a new version in
`data_version_months` under the first of the month of the earliest day whose figures it can change
(inclusion/reports/reach.py). A figure of a period is stored under the versions of every month up
to the period's last day: it is the right figure for as long as those stay as they are, and a
write that reaches one of them (a session logged in the period, or before it; a learner's age
changed, which reaches all of history) makes every host compute it afresh. A session logged today
leaves last month's figures, and the trends' earlier months, stored. On PostgreSQL each writer
sets rows no concurrent writer holds (so writers never queue on them). The versions are read
before the figure is computed, and a later snapshot sees every transaction an earlier one saw, so
a write that lands in between can only make the stored figure newer than its key, never older
(tests/reports/test_data_version_concurrency.py).

Each worker keeps its own small store. With FIGURE_STORE_URI set, the funder CSV's figures are
also kept in a store every worker, command and host shares (inclusion/reports/shared_store.py,
Redis; see one_version): a worker that misses its own asks that one before computing.

Without any data_version row (a database not migrated this far, or a test database emptied of
it) nothing is cached. Each write sets a new random version, not the old one plus one, so a
database rebuilt or restored in place does not reuse a version that a running worker holds
figures for; restarting the app after a restore is still wise.
"""

import functools
import hashlib
import threading
import time
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from copy import copy
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import Date, cast, null, select, union_all

from inclusion.extensions import db
from inclusion.observability.prometheus import count_figure_cache
from inclusion.reports import shared_store
from inclusion.reports.models import DataVersion, DataVersionMonth

MAX_ENTRIES = 4096
# Belt and braces: an entry is dropped after this long even if the version has not moved.
MAX_AGE_SECONDS = 15 * 60

_store: OrderedDict = OrderedDict()
_guard = threading.Lock()
# Every cached figure, so a test can run each and check that the tables it reads invalidate it
# (tests/reports/test_figure_tables.py; the tables: inclusion/reports/figure_tables.py).
FIGURES: list = []


def data_version() -> tuple[int, ...] | None:
    """Every data_version row's version, in id order (None without any row): changes with any write."""
    versions = tuple(db.session.scalars(select(DataVersion.version).order_by(DataVersion.id)))
    return versions or None


@dataclass(frozen=True)
class Versions:
    """The data version as read once: `any_write` (data_version's rows) and the months' rows."""

    any_write: tuple[int, ...]
    months: tuple[tuple[date, int, int], ...]  # (first of the month, slot, version), in month order
    _up_to: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def up_to(self, last_day: date) -> bytes:
        """A digest of the versions of every month up to `last_day`: what a figure of a period ending then reads."""
        found = self._up_to.get(last_day)
        if found is None:
            rows = self.months[: bisect_right([row[0] for row in self.months], last_day)]
            # No write recorded as reaching these months (a database written before the months
            # were recorded, or an empty one): keyed on every write, as before they were, so two
            # databases at one address never share a key.
            if not rows:
                rows = ("no month's version", self.any_write)
            found = hashlib.blake2b(repr(rows).encode(), digest_size=16).digest()
            self._up_to[last_day] = found
        return found


def read_versions() -> Versions | None:
    """Both tables' rows in one query (None without any data_version row: then nothing is cached)."""
    any_write = select(cast(null(), Date), DataVersion.id, DataVersion.version)
    months = select(DataVersionMonth.month, DataVersionMonth.slot, DataVersionMonth.version)
    rows = db.session.execute(union_all(any_write, months)).all()
    writes = tuple(version for month, _slot, version in sorted(rows, key=_by_slot) if month is None)
    if not writes:
        return None
    return Versions(writes, tuple(sorted(tuple(row) for row in rows if row[0] is not None)))


def _by_slot(row) -> int:
    return row[1]


@dataclass
class _Block:
    """A read-only block's versions (None: "no version"), and whether it shares figures (FIGURE_STORE_URI)."""

    versions: Versions | None
    shared: bool
    computed: list = field(default_factory=list)  # (key, value) to keep in the shared store at the end


_pinned: ContextVar[_Block | None] = ContextVar("pinned_data_version", default=None)


@contextmanager
def one_version(*, shared: bool = False) -> Iterator[None]:
    """Read the data version once for a block that computes many figures and writes nothing.

    Each figure in the block is stored under the versions read as the block began, which are read
    before any of them is computed: the argument above holds as it does for one figure (a write
    committed meanwhile can only make a stored figure newer than its key). It saves two queries per
    figure (about 90 figures on the dashboard). Nothing in the block may write: a write's own new
    version would not be seen, and figures computed after it would be stored under the version before it.

    `shared`: the block also reads and keeps figures in the store every worker and host shares
    (when FIGURE_STORE_URI is set), keeping what it computed in one round trip as it ends. The
    funder CSV asks for it (a command run by cron is a process with an empty store of its own); a
    dashboard does not: a round trip to Redis for each of its 90 figures would cost more after a
    write than it saves.
    """
    block = _Block(read_versions(), shared and shared_store.enabled())
    token = _pinned.set(block)
    try:
        yield
        if block.computed:
            shared_store.put_many(block.computed, seconds=MAX_AGE_SECONDS)
    finally:
        _pinned.reset(token)


def _current_versions() -> Versions | None:
    pinned = _pinned.get()
    return pinned.versions if pinned is not None else read_versions()


def _sharing() -> _Block | None:
    pinned = _pinned.get()
    return pinned if pinned is not None and pinned.shared else None


def clear() -> None:
    with _guard:
        _store.clear()


def _enabled() -> bool:
    return current_app.config.get("REPORT_FIGURE_CACHE", True)


def _lookup(key):
    now = time.monotonic()
    with _guard:
        hit = _store.get(key)
        if hit is not None and now - hit[0] < MAX_AGE_SECONDS:
            _store.move_to_end(key)
            count_figure_cache(hit=True)
            return True, copy(hit[1])  # dicts are copied: a caller may change its own
    found, value = shared_store.get(key) if _sharing() else (False, None)  # another process's
    if found:
        _keep_here(key, value)
    count_figure_cache(hit=found)
    return found, value


def _keep(key, value) -> None:
    _keep_here(key, value)
    if block := _sharing():
        block.computed.append((key, copy(value)))  # as computed: the caller may change its own before the block ends


def _keep_here(key, value) -> None:
    with _guard:
        _store[key] = (time.monotonic(), copy(value))
        while len(_store) > MAX_ENTRIES:
            _store.popitem(last=False)


def cached_figure(function):
    """Remember a figure, `function(period, by=..., partner_id=..., venue_id=...)`, under the versions of
    the months up to the period's last day.

    Registered in FIGURES, so the test of the invalidating tables runs it.
    """

    @functools.wraps(function)
    def wrapper(period, **kwargs):
        versions = _current_versions() if _enabled() else None
        if versions is None:
            return function(period, **kwargs)
        key = (
            str(db.engine.url),
            versions.up_to(period.end),
            function.__qualname__,
            period,
            tuple(sorted(kwargs.items())),
        )
        found, value = _lookup(key)
        if not found:
            value = function(period, **kwargs)
            _keep(key, value)
        return value

    wrapper.uncached = function
    FIGURES.append(wrapper)
    return wrapper


def each_month(name: str, months: list, compute: Callable[[list], dict[str, int]], **scope) -> dict[str, int]:
    """A trend, {month key: figure} for the calendar months `months` (Periods), each month remembered
    under its own months' versions: after a write, only the months it reaches are computed, all in
    one call of `compute(those months)`. Months with no rows are left out, as in a breakdown.
    """
    versions = _current_versions() if _enabled() else None
    if versions is None:
        return compute(months)
    url, scoped = str(db.engine.url), tuple(sorted(scope.items()))
    keys = {month.key: (url, versions.up_to(month.end), f"{name} by month", month.key, scoped) for month in months}
    values, missing = {}, []
    for month in months:
        found, value = _lookup(keys[month.key])
        if found:
            values[month.key] = value
        else:
            missing.append(month)
    if missing:
        computed = compute(missing)
        for month in missing:
            values[month.key] = computed.get(month.key, 0)
            _keep(keys[month.key], values[month.key])
    return {month.key: values[month.key] for month in months if values[month.key]}


def remembered(function):
    """Remember `function(*args, **kwargs)` (hashable arguments) under the data version of any write.

    For what is built only from registered figures (the feed's cells of a month), so it reads no
    table they do not; a figure of its own uses `cached_figure`.
    """

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        versions = _current_versions() if _enabled() else None
        if versions is None:
            return function(*args, **kwargs)
        key = (str(db.engine.url), versions.any_write, function.__qualname__, args, tuple(sorted(kwargs.items())))
        found, value = _lookup(key)
        if not found:
            value = function(*args, **kwargs)
            _keep(key, value)
        return value

    wrapper.uncached = function
    return wrapper
