"""advisory_lock: one holder at a time across connections and processes, on SQLite and PostgreSQL."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from inclusion.locks import advisory_lock, lock_key

ROOT = Path(__file__).resolve().parents[1]


def _in_thread(app, name, **options):
    """Try the lock from another thread (another connection, as another host would).

    Returns the thread and a dict that gets "held" and "waited" (seconds)."""
    outcome = {}

    def attempt():
        with app.app_context():
            started = time.monotonic()
            with advisory_lock(name, **options) as held:
                outcome["held"], outcome["waited"] = held, time.monotonic() - started

    thread = threading.Thread(target=attempt)
    thread.start()
    return thread, outcome


def test_the_first_caller_holds_the_lock(app):
    with advisory_lock("send-monthly:2026-10") as held:
        assert held is True


def test_a_second_caller_does_not_get_a_lock_that_is_held(app):
    with advisory_lock("send-monthly:2026-10") as held:
        thread, outcome = _in_thread(app, "send-monthly:2026-10")
        thread.join(10)

    assert held is True
    assert outcome["held"] is False


def test_the_lock_can_be_taken_again_once_released(app):
    with advisory_lock("send-monthly:2026-10"):
        pass

    thread, outcome = _in_thread(app, "send-monthly:2026-10")
    thread.join(10)

    assert outcome["held"] is True


def test_locks_with_different_names_do_not_exclude_each_other(app):
    with advisory_lock("send-monthly:2026-10"):
        thread, outcome = _in_thread(app, "send-monthly:2026-11")
        thread.join(10)

    assert outcome["held"] is True


def test_a_waiting_caller_gets_the_lock_when_the_holder_lets_go(app):
    with advisory_lock("send-monthly:2026-10"):
        thread, outcome = _in_thread(app, "send-monthly:2026-10", wait=True, timeout=10)
        time.sleep(0.5)
    thread.join(10)

    assert outcome["held"] is True
    assert outcome["waited"] >= 0.4


def test_a_waiting_caller_gives_up_after_its_timeout(app):
    with advisory_lock("send-monthly:2026-10"):
        thread, outcome = _in_thread(app, "send-monthly:2026-10", wait=True, timeout=0.3)
        thread.join(10)

    assert outcome["held"] is False


def test_the_lock_is_released_when_the_block_raises(app):
    try:
        with advisory_lock("send-monthly:2026-10"):
            raise RuntimeError("sending failed")
    except RuntimeError:
        pass

    with advisory_lock("send-monthly:2026-10") as held:
        assert held is True


def test_a_name_always_maps_to_the_same_64_bit_key():
    assert lock_key("send-monthly:2026-10") == lock_key("send-monthly:2026-10")
    assert lock_key("send-monthly:2026-10") != lock_key("send-monthly:2026-11")
    assert -(2**63) <= lock_key("send-monthly:2026-10") < 2**63


_HOLDER = """
import sys, time
from inclusion import create_app
from inclusion.locks import advisory_lock
with create_app().app_context():
    print("ready", flush=True)
    sys.stdin.readline()  # both processes try the lock only once both are up
    with advisory_lock("send-monthly:2026-10") as held:
        print("held" if held else "busy", flush=True)
        time.sleep(1)
"""


def test_of_two_processes_started_together_exactly_one_holds_the_lock(app):
    env = {
        **os.environ,
        "INCLUSION_ENV": "development",
        "INCLUSION_ALLOW_DEV_SETTINGS": "1",  # the test database, not the instance folder's
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
    }
    command = [sys.executable, "-c", _HOLDER]
    processes = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    for process in processes:
        assert process.stdout.readline().strip() == "ready"
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    outputs = sorted(process.communicate(timeout=60)[0].strip() for process in processes)

    assert outputs == ["busy", "held"]
