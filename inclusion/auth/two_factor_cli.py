"""`flask users reset-two-step`: for someone who lost both their phone and their recovery codes."""

import click
from flask.cli import with_appcontext

from inclusion.auth import services, two_factor
from inclusion.cli_support import fail


# Joins `flask users` in create_app (inclusion/__init__.py).
@click.command("reset-two-step")
@with_appcontext
@click.argument("email")
def reset_two_step(email: str) -> None:
    """Clear EMAIL's two-step verification; they set it up again when they next sign in."""
    user = services.find_user_by_email(email)
    if user is None:
        fail(f"No user with the email address {email}")
    two_factor.reset(user.id)
    click.echo(f"Two-step verification reset for {user.email}: they set it up again when they next sign in.")
