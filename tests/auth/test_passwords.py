"""Password rules: at least 12 characters, at most 128, not a common password, no composition rules."""

import pytest

from inclusion.auth import services
from inclusion.auth.passwords import hash_password, password_problem, verify_password


def test_a_password_of_eleven_characters_is_too_short():
    assert password_problem("a" * 5 + " bcdef") == "Password must be 12 characters or more"


def test_a_password_of_twelve_characters_is_long_enough():
    assert password_problem("kettle apple") is None


def test_a_password_of_128_characters_is_accepted():
    assert password_problem("x" * 128) is None


def test_a_password_of_129_characters_is_too_long():
    assert password_problem("x" * 129) == "Password must be 128 characters or fewer"


@pytest.mark.parametrize("common", ["password1234", "PASSWORD1234", "qwertyuiop12"])
def test_a_common_password_is_refused_whatever_its_case(common):
    problem = password_problem(common)
    assert problem is not None and "too common" in problem


@pytest.mark.parametrize("phrase", ["lower case words only", "NOUPPERORDIGITSNEEDED", "🙂 emoji are fine here"])
def test_no_composition_rules_are_imposed(phrase):
    assert password_problem(phrase) is None


def test_creating_a_user_with_a_short_password_is_refused_with_the_rule(db):
    with pytest.raises(services.AuthError, match="12 characters or more"):
        services.create_user("short@example.org", "Short Password", "funder", password="too short")


def test_a_hashed_password_verifies_and_a_wrong_one_does_not():
    stored = hash_password("four random words here")
    assert verify_password(stored, "four random words here")
    assert not verify_password(stored, "four random words there")
