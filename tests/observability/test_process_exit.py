"""A process that ran a command ends without freeing its objects one by one (observability/process_exit.py)."""

import subprocess
import sys

# The check is registered before the job, so it runs after the job's own atexit handler (last in, first out).
PROCESS = """
import atexit, gc, sys
atexit.register(lambda: print("frozen at exit" if gc.get_freeze_count() else "collected at exit"))
from inclusion.observability.jobs import logged_job
if sys.argv[1] == "job":
    logged_job("a command")(lambda: None)()
"""


def _exit_of(kind: str) -> str:
    finished = subprocess.run(  # noqa: S603  (this interpreter, a fixed script)
        [sys.executable, "-c", PROCESS, kind], capture_output=True, text=True, check=True, timeout=60
    )
    return finished.stdout.strip()


def test_a_process_that_ran_a_command_puts_its_objects_out_of_the_collectors_reach_at_exit():
    assert _exit_of("job") == "frozen at exit"


def test_a_process_that_ran_no_command_ends_as_python_ends_it():
    assert _exit_of("none") == "collected at exit"
