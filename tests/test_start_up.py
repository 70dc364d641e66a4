"""The app is built without the garbage collector running, and its long-lived objects frozen."""

import gc
import weakref

from config import TestConfig
from inclusion import create_app


class _Node:
    """An object that can be put in a reference cycle and watched through a weak reference."""

    partner: "_Node"


def _collections_during(action) -> int:
    started = []

    def count(phase, _info):
        if phase == "start":
            started.append(phase)

    gc.callbacks.append(count)
    try:
        action()
    finally:
        gc.callbacks.remove(count)
    return len(started)


def _build():
    create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://")


def test_building_the_app_runs_no_collection():
    # Building allocates tens of thousands of objects: collections every 700 would run dozens of times.
    gc.collect()  # the count of allocations since the last collection starts from nothing
    assert _collections_during(_build) == 0


def test_the_collector_is_left_as_it_was_and_what_was_built_is_frozen():
    gc.unfreeze()
    _build()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 10_000  # the app's objects: out of every later collection's way

    gc.disable()
    try:
        _build()
        assert not gc.isenabled()  # a caller that had turned collections off keeps them off
    finally:
        gc.enable()


def test_garbage_made_after_the_app_is_built_is_still_collected():
    _build()
    first, second = _Node(), _Node()
    first.partner, second.partner = second, first
    watched = weakref.ref(first)
    del first, second

    gc.collect()

    assert watched() is None
