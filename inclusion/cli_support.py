"""Shared behaviour of the command line: user mistakes exit 1 with a message, never a traceback."""

from collections.abc import Callable
from functools import wraps

import click


def fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(1)


def user_errors(*error_types: type[Exception]) -> Callable:
    """Turn the given exception types into an error message on stderr and exit status 1."""

    def decorator(command: Callable) -> Callable:
        @wraps(command)
        def wrapped(*args, **kwargs):
            try:
                return command(*args, **kwargs)
            except error_types as error:
                fail(str(error))

        return wrapped

    return decorator
