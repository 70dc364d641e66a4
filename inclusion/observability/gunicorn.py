"""Hooks for deploy/gunicorn.conf.py when metrics run in multiprocess mode (PROMETHEUS_MULTIPROC_DIR).

    from inclusion.observability.gunicorn import child_exit, on_starting  # noqa: F401

Gunicorn calls `on_starting` once in the master before any worker starts, and `child_exit` in
the master when a worker ends.
"""

import os
import shutil

from inclusion.observability.prometheus import multiprocess_dir


def on_starting(server) -> None:
    """Empty the metrics directory: counts left by an earlier run of the app would be added in."""
    directory = multiprocess_dir()
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory, exist_ok=True)


def child_exit(server, worker) -> None:
    """Drop the ended worker's live gauges (its counters stay in the totals, as they should)."""
    if multiprocess_dir():
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
