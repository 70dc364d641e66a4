"""`flask api-tokens ...`: issue, list and revoke feed tokens from the command line (the same services)."""

from datetime import date, timedelta

import click
from flask.cli import AppGroup

from inclusion.api import tokens
from inclusion.cli_support import fail, user_errors
from inclusion.timeutil import today_in_london, utcnow

api_tokens_cli = AppGroup("api-tokens", help="Tokens of the open data feed (/api/v1).")


@api_tokens_cli.command("create")
@click.argument("name")
@click.option("--until", "until", help="Last day it works, YYYY-MM-DD (default: 90 days from today).")
@user_errors(tokens.TokenError)
def create(name: str, until: str | None) -> None:
    """Issue a token called NAME with the scope figures:read; prints it once (only its hash is kept)."""
    try:
        valid_until = date.fromisoformat(until) if until else today_in_london() + timedelta(days=90)
    except ValueError:
        fail(f"--until must be a date as YYYY-MM-DD, not '{until}'")
    issued = tokens.issue_token(name, valid_until, acting_user_id=None)
    click.echo(
        f"Token '{issued.token.name}' (works until the end of {valid_until:%-d %B %Y}), shown only now:", err=True
    )
    click.echo(issued.secret)


@api_tokens_cli.command("list")
def list_tokens() -> None:
    """Every token: id, status, expiry and name (never the token itself, which is not kept)."""
    now = utcnow()
    for token in tokens.list_tokens():
        click.echo(f"{token.id}\t{token.status(now)}\t{token.expires_at:%Y-%m-%d %H:%M} UTC\t{token.name}")


@api_tokens_cli.command("revoke")
@click.argument("token_id", type=int)
def revoke(token_id: int) -> None:
    """Revoke the token with id TOKEN_ID: every host refuses it from the next call."""
    try:
        token = tokens.revoke_token(token_id, acting_user_id=None)
    except LookupError:
        fail(f"There is no token with id {token_id} (see `flask api-tokens list`)")
    click.echo(f"Revoked token '{token.name}'.")
