"""`flask partners add` and `flask venues add`."""

import click
from flask.cli import AppGroup

from inclusion.cli_support import user_errors
from inclusion.partners import services

partners_cli = AppGroup("partners", help="Partner organisations of the alliance.")
venues_cli = AppGroup("venues", help="Venues where sessions happen.")


@partners_cli.command("add")
@click.argument("name")
@user_errors(services.PartnerError)
def add_partner(name: str) -> None:
    """Add a partner organisation called NAME."""
    partner = services.add_partner(name)
    click.echo(f"Added partner '{partner.name}'.")


@venues_cli.command("add")
@click.argument("name")
@click.option("--partner", "partner_name", required=True, help="The partner that runs the venue.")
@click.option("--ward", help="The council ward the venue is in.")
@user_errors(services.PartnerError)
def add_venue(name: str, partner_name: str, ward: str | None) -> None:
    """Add a venue called NAME, run by a partner."""
    venue = services.add_venue(name, partner_name, ward)
    click.echo(f"Added venue '{venue.name}' ({venue.partner.name}{', ' + venue.ward if venue.ward else ''}).")
