"""`flask demo seed` (a small realistic alliance) and `flask demo generate` (bulk data for benchmarks)."""

from datetime import date

import click
from flask.cli import AppGroup

from inclusion.cli_support import fail

demo_cli = AppGroup("demo", help="Demonstration data.")


@demo_cli.command("seed")
@click.option("--if-empty", is_flag=True, help="Do nothing if the database already has users.")
def seed(if_empty: bool) -> None:
    """Create a Stockport-like alliance with one demo account per role, and two years of its story."""
    from inclusion.core.demo_data import seed_demo

    seed_demo(if_empty=if_empty, story=True)


def _whole_number(value: str, option: str) -> int:
    # Parsed here rather than by click, so a bad value exits 1 with our message like every other mistake.
    try:
        return int(value.replace(",", "").replace("_", ""))
    except ValueError:
        fail(f"{option} must be a whole number, not '{value}'")


@demo_cli.command("generate")
@click.option("--learners", "learners", default="50000", show_default=True, help="Learners to add.")
@click.option("--sessions", "sessions", default="25000", show_default=True, help="Sessions to add.")
@click.option("--seed", "seed", default="1", show_default=True, help="Random seed: the same seed, the same data.")
@click.option("--until", "until", default=None, help="Last session date, YYYY-MM-DD (default: today).")
@click.option("--years", "years", default="3", show_default=True, help="Years of sessions up to --until.")
@click.option("--devices", "devices", default="0", show_default=True, help="Devices to add to the venues' stock.")
@click.option(
    "--loans", "loans", default="0", show_default=True, help="Loans of those devices (about; and gifts, SIMs)."
)
@click.option("--regular-sessions", "regular_sessions", default="0", show_default=True, help="Repeating slots to add.")
def generate(  # noqa: PLR0913 (one parameter an option)
    learners: str,
    sessions: str,
    seed: str,
    until: str | None,
    years: str,
    devices: str,
    loans: str,
    regular_sessions: str,
) -> None:
    """Add bulk synthetic learners, sessions, attendances, skills, outcomes, devices and slots (10 visits a learner)."""
    from inclusion.core.generate import GenerateError
    from inclusion.core.generate import generate as run

    counts = {
        option: _whole_number(value, option)
        for option, value in (
            ("--learners", learners),
            ("--sessions", sessions),
            ("--seed", seed),
            ("--years", years),
            ("--devices", devices),
            ("--loans", loans),
            ("--regular-sessions", regular_sessions),
        )
    }
    last_day = None
    if until:
        try:
            last_day = date.fromisoformat(until)
        except ValueError:
            fail(f"--until must be a date like 2026-10-31, not '{until}'")
    try:
        result = run(
            counts["--learners"],
            counts["--sessions"],
            seed=counts["--seed"],
            until=last_day,
            years=counts["--years"],
            devices=counts["--devices"],
            loans=counts["--loans"],
            regular_sessions=counts["--regular-sessions"],
        )
    except GenerateError as error:
        fail(str(error))
    click.echo(
        f"Added {result.learners:,} learners, {result.sessions:,} sessions, {result.attendances:,} "
        f"attendances, {result.achievements:,} skill achievements, {result.confidence_checks:,} confidence "
        f"checks, {result.follow_ups:,} follow-ups and {result.signposts:,} signposts in {result.seconds:.1f} s."
    )
