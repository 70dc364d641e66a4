"""The app is built with the cyclic garbage collector held off, and what it built frozen.

Building the app imports about 900 modules and makes the models, forms, URL rules and the feed's
OpenAPI document: several hundred thousand objects that live as long as the process, and next to
no garbage. Collections, triggered by allocations alone, ran about 340 times in a fresh
`flask reports monthly`, nearly all of them while the app was built, found almost nothing, and
cost about 115 ms of its second (docs/performance.md, "CLI start-up, third pass"). Holding
them off and then re-enabling them is not enough: the first collections afterwards walk every
object made meanwhile. So the objects alive when the app is built are moved to the collector's
permanent generation (`gc.freeze()`, the pattern Python's documentation gives for a server's
start-up), and collections resume as before for everything made later: every request's and
job's garbage is collected as it always was.

What is given up: a reference cycle among the objects alive at that moment is never freed (at
start-up these are modules, classes and the app itself, which live until the process ends), and
in a test run, which builds a few dozen apps, each stays in memory.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def long_lived_objects_built() -> Iterator[None]:
    """No collection while the block runs; everything alive at its end frozen, collections then as before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
