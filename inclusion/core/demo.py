"""`flask demo seed`: a small realistic alliance to try the app with."""

import click
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demonstration data.")


@demo_cli.command("seed")
@click.option("--if-empty", is_flag=True, help="Do nothing if the database already has users.")
def seed(if_empty: bool) -> None:
    """Create a Stockport-like alliance with one demo account per role."""
    from inclusion.core.demo_data import seed_demo

    seed_demo(if_empty=if_empty)
