"""`flask users reset-two-step`: for someone who lost both their phone and their recovery codes."""

import click

from inclusion.auth import services, two_factor
from inclusion.auth.cli import users_cli
from inclusion.cli_support import fail


@users_cli.command("reset-two-step")
@click.argument("email")
def reset_two_step(email: str) -> None:
    """Clear EMAIL's two-step verification; they set it up again when they next sign in."""
    user = services.find_user_by_email(email)
    if user is None:
        fail(f"No user with the email address {email}")
    two_factor.reset(user.id)
    click.echo(f"Two-step verification reset for {user.email}: they set it up again when they next sign in.")
