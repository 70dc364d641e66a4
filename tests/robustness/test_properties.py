"""Random and hostile input never breaks the sign-in form or the learner field helpers.

Each either succeeds or gives a clear, documented error (a form message, or ValueError with a
message fit to show); nothing else escapes.
"""

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from inclusion.learners.constants import AGE_BANDS
from inclusion.learners.fields import age_band_for, normalise_postcode, search_key
from tests import factories

FIXTURES_OK = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
HOSTILE_TEXT = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b@example.org",
            "' OR '1'='1",
            "<script>alert(1)</script>",
            "%",
            "_",
            "\\",
            "ｅｍａｉｌ@ｅｘａｍｐｌｅ.ｏｒｇ",
            "İ",
            "ß",
            "\u202e",
            "\r\n",
            "x" * 5000,
        ]
    ),
)


@pytest.fixture
def roomy_rate_limit(app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "100000 per minute")


@FIXTURES_OK
@given(email=HOSTILE_TEXT, password=HOSTILE_TEXT)
def test_the_sign_in_form_answers_any_input_with_a_page_or_a_redirect(client, roomy_rate_limit, email, password):
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 200  # nobody has these credentials: the form again, with a message
    assert "There is a problem" in response.get_data(as_text=True)


@FIXTURES_OK
@given(password=HOSTILE_TEXT)
def test_a_real_users_email_with_any_password_is_refused_cleanly(app, client, roomy_rate_limit, password):
    user = _one_user(app)
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 200


def _one_user(app):
    from sqlalchemy import select

    from inclusion.auth.models import User
    from inclusion.extensions import db

    return db.session.scalar(select(User).limit(1)) or factories.create_user("funder")


POSTCODE_SHAPE = re.compile(r"^[A-Z][A-Z0-9]{1,3} [0-9][A-Z]{2}$")


@given(st.one_of(st.none(), HOSTILE_TEXT))
@example("sk1 3xe")
@example("  SK4\t9ZZ ")
def test_normalising_a_postcode_gives_a_postcode_none_or_a_clear_value_error(value):
    try:
        result = normalise_postcode(value)
    except ValueError as error:
        assert str(error) == "Enter a real postcode, like SK1 3XE"
        return
    assert result is None or POSTCODE_SHAPE.match(result), result
    assert normalise_postcode(result) == result


@given(
    outward=st.from_regex(r"\A[A-PR-UWYZ][A-HK-Y]?[0-9][0-9]?\Z"),
    inward=st.from_regex(r"\A[0-9][ABD-HJLNP-UW-Z]{2}\Z"),
    spaces=st.text(alphabet=" \t", max_size=3),
    lower=st.booleans(),
)
def test_any_real_postcode_shape_is_accepted_however_it_is_spaced_or_cased(outward, inward, spaces, lower):
    typed = outward + spaces + inward
    assert normalise_postcode(typed.lower() if lower else typed) == f"{outward} {inward}"


@given(st.one_of(st.none(), st.dates()), st.dates())
def test_every_date_of_birth_falls_in_one_of_the_age_bands(date_of_birth, on):
    assert age_band_for(date_of_birth, on) in AGE_BANDS


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_the_age_band_changes_on_the_eighteenth_birthday_not_before(date_of_birth):
    try:
        birthday = date_of_birth.replace(year=date_of_birth.year + 18)
    except ValueError:  # born on 29 February: the birthday is 1 March in a common year
        birthday = date(date_of_birth.year + 18, 3, 1)
    assert age_band_for(date_of_birth, birthday) == "18-24"
    assert age_band_for(date_of_birth, date.fromordinal(birthday.toordinal() - 1)) == "under-18"


@given(st.lists(st.one_of(st.none(), HOSTILE_TEXT), max_size=4))
@example(["Zoë", " O’Connor "])
def test_a_search_key_is_trimmed_single_spaced_and_stable(parts):
    key = search_key(*parts)
    assert key == key.strip() and "  " not in key
    assert search_key(key) == key


def test_a_search_key_ignores_case_accents_and_curly_apostrophes():
    assert search_key("ZOË", "O’Connor") == search_key("zoe", "o'connor") == "zoe o'connor"


@pytest.mark.parametrize("field", ["email", "password"])
def test_a_control_character_in_a_form_field_is_a_form_error_not_a_server_error(client, field):
    data = {"email": "someone@example.org", "password": "a long enough password", field: "abc\x00def"}
    response = client.post("/login", data=data)
    assert response.status_code == 200
    assert "Remove the invisible control characters from this answer" in response.get_data(as_text=True)


@FIXTURES_OK
@given(target=st.one_of(st.text(max_size=200), st.from_regex(r"\A/[ -~]{0,40}\Z")))
def test_any_next_address_after_sign_in_leads_to_a_page_of_this_site(app, roomy_rate_limit, target):
    from urllib.parse import urlsplit

    user = _one_user(app)
    response = app.test_client().post(
        "/login",
        query_string={"next": target},
        data={"email": user.email, "password": factories.DEFAULT_PASSWORD},
    )
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.netloc == "" and location.scheme == "" and location.path.startswith("/")
    assert not location.path.startswith("//")
