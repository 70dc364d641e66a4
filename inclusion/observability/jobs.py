"""A log line when each command-line job starts and one when it ends, with its outcome and time taken.

The scheduled jobs (`flask reports send-monthly`, `flask learners anonymise-inactive`, backups...)
run from timers with nobody watching: these lines, and the `inclusion_jobs_total` metric, are how
an operator knows they ran. Arguments are never logged (they may hold e-mail addresses or names).
"""

import logging
import secrets
import time
from collections.abc import Callable
from functools import wraps

import click

from inclusion.observability import prometheus
from inclusion.observability.process_exit import free_nothing_at_exit

job_logger = logging.getLogger("inclusion.jobs")


def logged_job(name: str) -> Callable:
    """Wrap a command's function: start and end lines, outcome `succeeded`, `failed` (exit status not 0)
    or `error` (an exception), and the jobs metric."""

    def decorator(function: Callable) -> Callable:
        if getattr(function, "logged_job", None):
            return function

        @wraps(function)
        def wrapped(*args, **kwargs):
            free_nothing_at_exit()  # a command's process ends when the command does
            job_id = secrets.token_hex(8)
            job_logger.info("job started", extra={"job": name, "job_id": job_id})
            started = time.perf_counter()
            outcome, exit_code, error = "succeeded", 0, None
            try:
                return function(*args, **kwargs)
            except SystemExit as stop:
                exit_code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
                outcome = "succeeded" if exit_code == 0 else "failed"
                raise
            except click.exceptions.Exit as stop:
                exit_code = stop.exit_code
                outcome = "succeeded" if exit_code == 0 else "failed"
                raise
            except click.ClickException as stop:
                outcome, exit_code = "failed", stop.exit_code
                raise
            except BaseException as exception:
                outcome, exit_code, error = "error", 1, type(exception).__name__
                raise
            finally:
                prometheus.count_job(name, outcome)
                level = logging.INFO if outcome == "succeeded" else logging.ERROR
                fields = {"job": name, "job_id": job_id, "outcome": outcome, "exit_code": exit_code}
                fields["duration_ms"] = round((time.perf_counter() - started) * 1000, 1)
                if error:
                    fields["error"] = error  # the class only: a message may quote the input
                job_logger.log(level, "job finished", extra=fields)

        wrapped.logged_job = name
        return wrapped

    return decorator


def log_commands(command: click.Command, prefix: str = "") -> None:
    """Wrap `command` (every command of it, if a group) in `logged_job`, named by its path: `reports monthly`."""
    path = f"{prefix} {command.name}".strip()
    if isinstance(command, click.Group):
        for subcommand in command.commands.values():
            log_commands(subcommand, path)
    elif command.callback is not None:
        command.callback = logged_job(path)(command.callback)
