"""The set-up commands: success, and a clear message with exit status 1 for bad input."""

from sqlalchemy import func, select

from inclusion.auth.models import User
from inclusion.extensions import db
from inclusion.learners.models import Learner
from inclusion.partners.models import Partner, Venue
from inclusion.sessions.models import Attendance
from tests import factories


def test_partners_add_creates_a_partner(runner):
    result = runner.invoke(args=["partners", "add", "Stockport Libraries"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Partner.name)) == "Stockport Libraries"


def test_partners_add_refuses_a_name_already_taken_in_any_case(runner):
    factories.create_partner("Stockport Libraries")
    result = runner.invoke(args=["partners", "add", "STOCKPORT libraries"])
    assert result.exit_code == 1
    assert "already a partner called" in result.stderr
    assert db.session.scalar(select(func.count(Partner.id))) == 1


def test_venues_add_creates_a_venue_with_its_ward(runner):
    factories.create_partner("Stockport Libraries")
    result = runner.invoke(
        args=[
            "venues",
            "add",
            "Central Library",
            "--partner",
            "stockport libraries",
            "--ward",
            "Brinnington and Central",
        ]
    )
    assert result.exit_code == 0, result.output
    venue = db.session.scalar(select(Venue))
    assert (venue.name, venue.partner.name, venue.ward) == (
        "Central Library",
        "Stockport Libraries",
        "Brinnington and Central",
    )


def test_venues_add_with_an_unknown_partner_exits_1(runner):
    result = runner.invoke(args=["venues", "add", "Central Library", "--partner", "Nobody"])
    assert result.exit_code == 1
    assert "No partner called 'Nobody'" in result.stderr
    assert "Traceback" not in result.output


def test_users_add_reads_the_password_from_stdin(runner, client):
    factories.create_partner("Stockport Libraries")
    result = runner.invoke(
        args=[
            "users",
            "add",
            "Sam@Example.org",
            "--name",
            "Sam",
            "--role",
            "champion",
            "--partner",
            "Stockport Libraries",
            "--password-stdin",
        ],
        input="a long enough passphrase\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert (user.email, user.role, user.partner.name) == ("sam@example.org", "champion", "Stockport Libraries")
    response = client.post("/login", data={"email": "sam@example.org", "password": "a long enough passphrase"})
    assert response.status_code == 302


def test_users_add_with_an_unknown_role_exits_1_with_a_clear_message(runner):
    result = runner.invoke(
        args=["users", "add", "x@example.org", "--name", "X", "--role", "wizard", "--password-stdin"],
        input="a long enough passphrase\n",
    )
    assert result.exit_code == 1
    assert "Unknown role 'wizard'" in result.stderr
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_users_add_refuses_a_short_password(runner):
    result = runner.invoke(
        args=["users", "add", "x@example.org", "--name", "X", "--role", "admin", "--password-stdin"], input="short\n"
    )
    assert result.exit_code == 1
    assert "12 characters or more" in result.stderr


def test_users_add_refuses_a_champion_without_a_partner(runner):
    result = runner.invoke(
        args=["users", "add", "x@example.org", "--name", "X", "--role", "champion", "--password-stdin"],
        input="a long enough passphrase\n",
    )
    assert result.exit_code == 1
    assert "must belong to a partner" in result.stderr


def test_users_add_refuses_an_email_already_registered(runner):
    factories.create_user(role="admin", email="x@example.org")
    result = runner.invoke(
        args=["users", "add", "X@example.org", "--name", "X", "--role", "admin", "--password-stdin"],
        input="a long enough passphrase\n",
    )
    assert result.exit_code == 1
    assert "already a user" in result.stderr


def test_demo_seed_creates_an_alliance_with_one_account_per_role(runner):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    roles = set(db.session.scalars(select(User.role)))
    assert roles == {"admin", "coordinator", "champion", "funder"}
    assert "champion-demo-password" in result.output
    assert 8 <= db.session.scalar(select(func.count(Venue.id))) <= 10
    assert db.session.scalar(select(func.count(Learner.id))) > 3000  # the small alliance and its story
    assert db.session.scalar(select(func.count(Attendance.id))) > 10000


def test_demo_seed_refuses_a_database_with_users_unless_asked_to_skip(runner):
    factories.create_user(role="admin")
    assert runner.invoke(args=["demo", "seed"]).exit_code == 1
    result = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert result.exit_code == 0
    assert "nothing added" in result.output


def test_a_partner_name_with_accented_capitals_cannot_be_added_twice(runner):
    # SQLite's lower() folds only ASCII: the database must lower both sides, or the check misses
    # the duplicate and the unique constraint fails with a traceback.
    assert runner.invoke(args=["partners", "add", "ÉCOLE Ùnion"]).exit_code == 0
    result = runner.invoke(args=["partners", "add", "ÉCOLE Ùnion"])
    assert result.exit_code == 1
    assert "already a partner called" in result.stderr
