"""`flask users add`."""

import sys

import click
from flask.cli import AppGroup

from inclusion.auth import services
from inclusion.auth.roles import ALL_ROLES
from inclusion.cli_support import fail, user_errors

users_cli = AppGroup("users", help="User accounts.")


@users_cli.command("add")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--role", required=True, help=f"One of: {', '.join(ALL_ROLES)}.")
@click.option("--partner", "partner_name", help="Their partner organisation (required for champions).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@user_errors(services.AuthError)
def add_user(email: str, name: str, role: str, partner_name: str | None, password_stdin: bool) -> None:
    """Add a user who signs in with EMAIL."""
    if role not in ALL_ROLES:
        fail(f"Unknown role '{role}': choose one of {', '.join(ALL_ROLES)}")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = services.create_user(email, name, role, password=password, partner_name=partner_name)
    click.echo(f"Added {user.role} {user.email}.")
