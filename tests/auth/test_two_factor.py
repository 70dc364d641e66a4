"""Two-step verification: set-up by QR code, codes at sign-in, recovery codes, who must use it."""

import re
import time

import pyotp
import pytest
from sqlalchemy import select

from inclusion.auth.models import LoginSession, User
from inclusion.extensions import db
from tests import factories

PASSWORD = factories.DEFAULT_PASSWORD


@pytest.fixture
def required(app, monkeypatch):
    monkeypatch.setitem(app.config, "REQUIRE_TWO_FACTOR", True)


def _password_step(client, user, next_url=None):
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": user.email, "password": PASSWORD})


def _now_code(user_id):
    return pyotp.TOTP(db.session.get(User, user_id).totp_secret).now()


def _next_code(user_id):
    """The app's next code (accepted: clocks drift): the current one was used up setting two-step up."""
    return pyotp.TOTP(db.session.get(User, user_id).totp_secret).at(time.time() + 30)


def _enrol(client, user) -> list[str]:
    """Password, then scan (read the secret) and confirm; returns the recovery codes shown."""
    _password_step(client, user)
    client.get("/login/two-step/set-up")
    response = client.post("/login/two-step/set-up", data={"code": _now_code(user.id)})
    assert response.status_code == 200
    return re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", response.get_data(as_text=True))


def _signed_in(client) -> bool:
    return client.get("/").status_code == 200


def test_a_coordinator_is_sent_to_set_up_two_step_verification_after_the_password(client, required):
    coordinator = factories.create_user(role="coordinator")
    response = _password_step(client, coordinator)
    assert response.headers["Location"].endswith("/login/two-step")
    assert client.get("/login/two-step").headers["Location"].endswith("/login/two-step/set-up")


def test_a_correct_password_alone_does_not_sign_in_a_coordinator_when_two_step_is_required(client, required):
    _password_step(client, factories.create_user(role="coordinator"))
    assert client.get("/").status_code == 302


def test_the_set_up_page_shows_a_qr_code_as_an_image_without_any_script(client, required):
    _password_step(client, factories.create_user(role="admin"))
    page = client.get("/login/two-step/set-up").get_data(as_text=True)
    assert 'src="data:image/svg+xml;base64,' in page
    assert "<script>" not in page


def test_setting_up_with_a_right_code_signs_in_and_shows_ten_recovery_codes(client, required):
    coordinator = factories.create_user(role="coordinator")
    codes = _enrol(client, coordinator)
    assert len(set(codes)) == 10
    assert _signed_in(client)
    assert db.session.get(User, coordinator.id).totp_enabled


def test_recovery_codes_are_stored_only_as_hashes(client, required):
    coordinator = factories.create_user(role="coordinator")
    codes = _enrol(client, coordinator)
    stored = db.session.get(User, coordinator.id).recovery_codes
    assert len(stored.split()) == 10
    assert not any(code in stored or code.replace("-", "") in stored for code in codes)


def test_setting_up_with_a_wrong_code_shows_an_error_and_does_not_sign_in(client, required):
    _password_step(client, factories.create_user(role="coordinator"))
    client.get("/login/two-step/set-up")
    response = client.post("/login/two-step/set-up", data={"code": "000000x"})
    assert "That code is not right" in response.get_data(as_text=True)
    assert not _signed_in(client)


def test_a_coordinator_with_two_step_needs_a_code_at_every_sign_in(app, required):
    coordinator = factories.create_user(role="coordinator")
    _enrol(app.test_client(), coordinator)
    client = app.test_client()
    response = _password_step(client, coordinator, next_url="/account/two-step")
    assert response.headers["Location"].endswith("/login/two-step")
    response = client.post("/login/two-step", data={"code": _next_code(coordinator.id)})
    assert response.headers["Location"] == "/account/two-step"
    assert _signed_in(client)


def test_a_wrong_code_at_sign_in_shows_an_error_and_does_not_sign_in(app, required):
    coordinator = factories.create_user(role="coordinator")
    _enrol(app.test_client(), coordinator)
    client = app.test_client()
    _password_step(client, coordinator)
    response = client.post("/login/two-step", data={"code": "123 456"})
    assert response.status_code == 200
    assert "That code is not right" in response.get_data(as_text=True)
    assert not _signed_in(client)


def test_a_recovery_code_signs_in_once_only(app, required):
    coordinator = factories.create_user(role="coordinator")
    codes = _enrol(app.test_client(), coordinator)
    first = app.test_client()
    _password_step(first, coordinator)
    assert first.post("/login/two-step", data={"code": codes[0].upper()}).status_code == 302
    assert _signed_in(first)
    second = app.test_client()
    _password_step(second, coordinator)
    assert second.post("/login/two-step", data={"code": codes[0]}).status_code == 200
    assert not _signed_in(second)


def test_ten_wrong_codes_lock_the_account_even_if_the_password_is_entered_again(app, required):
    coordinator = factories.create_user(role="coordinator")
    _enrol(app.test_client(), coordinator)
    client = app.test_client()
    for attempt in range(10):
        if attempt == 5 or attempt == 0:  # starting again with the password does not reset the count
            _password_step(client, coordinator)
        client.post("/login/two-step", data={"code": "000000"})
    assert db.session.get(User, coordinator.id).locked_until is not None
    retry = app.test_client()
    response = _password_step(retry, coordinator)
    assert response.status_code == 200  # the sign-in page again: the account is locked


def test_a_half_finished_sign_in_reaches_no_page_but_the_code_page(app, required):
    coordinator = factories.create_user(role="coordinator")
    _enrol(app.test_client(), coordinator)
    client = app.test_client()
    _password_step(client, coordinator)
    for url in ("/", "/account/two-step", "/logout"):
        assert client.get(url).headers["Location"].startswith("/login")


def test_a_half_finished_sign_in_expires_after_ten_minutes(app, required):
    coordinator = factories.create_user(role="coordinator")
    _enrol(app.test_client(), coordinator)
    client = app.test_client()
    _password_step(client, coordinator)
    with client.session_transaction() as flask_session:
        marker = flask_session["pending_sign_in"]
        flask_session["pending_sign_in"] = {**marker, "started": marker["started"] - 11 * 60}
    response = client.post("/login/two-step", data={"code": _next_code(coordinator.id)})
    assert response.headers["Location"] == "/login"
    assert not _signed_in(client)
    assert db.session.scalars(select(LoginSession.ended_at)).all() != [None]


def test_a_champion_signs_in_with_a_password_alone_when_two_step_is_required_of_other_roles(client, required):
    _password_step(client, factories.create_user(role="champion"))
    assert _signed_in(client)


def test_two_step_is_not_asked_of_anyone_when_the_setting_is_off(client):
    _password_step(client, factories.create_user(role="admin"))
    assert _signed_in(client)


def test_a_champion_may_opt_in_and_is_then_asked_for_a_code(app, login_as, client):
    champion = login_as("champion")
    client.get("/account/two-step/set-up")
    response = client.post("/account/two-step/set-up", data={"code": _now_code(champion.id)})
    assert "Your recovery codes" in response.get_data(as_text=True)
    other = app.test_client()
    assert _password_step(other, champion).headers["Location"].endswith("/login/two-step")


def test_a_champion_may_turn_two_step_off_with_a_current_code(login_as, client):
    champion = login_as("champion")
    client.get("/account/two-step/set-up")
    client.post("/account/two-step/set-up", data={"code": _now_code(champion.id)})
    client.post("/account/two-step/turn-off", data={"code": _now_code(champion.id)})
    user = db.session.get(User, champion.id)
    assert (user.totp_enabled, user.totp_secret, user.recovery_codes) == (False, None, None)


def test_a_coordinator_cannot_turn_two_step_off_when_it_is_required(app, required):
    coordinator = factories.create_user(role="coordinator")
    client = app.test_client()
    _enrol(client, coordinator)
    response = client.post("/account/two-step/turn-off", data={"code": _now_code(coordinator.id)})
    assert response.headers["Location"] == "/account/two-step"
    assert db.session.get(User, coordinator.id).totp_enabled


def test_new_recovery_codes_replace_the_old_ones(app, required):
    coordinator = factories.create_user(role="coordinator")
    client = app.test_client()
    old = _enrol(client, coordinator)
    page = client.post("/account/two-step/recovery-codes", data={"code": _now_code(coordinator.id)})
    new = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", page.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    retry = app.test_client()
    _password_step(retry, coordinator)
    assert retry.post("/login/two-step", data={"code": old[1]}).status_code == 200
    assert not _signed_in(retry)


def test_the_reset_command_clears_two_step_so_it_is_set_up_again_at_the_next_sign_in(app, runner, required):
    coordinator = factories.create_user(role="coordinator")
    _enrol(app.test_client(), coordinator)
    result = runner.invoke(args=["users", "reset-two-step", coordinator.email.upper()])
    assert result.exit_code == 0, result.output
    user = db.session.get(User, coordinator.id)
    assert (user.totp_enabled, user.totp_secret, user.recovery_codes) == (False, None, None)
    client = app.test_client()
    _password_step(client, coordinator)
    assert client.get("/login/two-step").headers["Location"].endswith("/login/two-step/set-up")


def test_the_reset_command_explains_an_unknown_address(runner):
    result = runner.invoke(args=["users", "reset-two-step", "nobody@example.org"])
    assert result.exit_code == 1
    assert "Error: No user with the email address nobody@example.org" in result.output


def test_a_code_that_signed_someone_in_cannot_sign_in_a_second_browser(app, required):
    coordinator = factories.create_user(role="coordinator")
    _enrol(app.test_client(), coordinator)
    code = _next_code(coordinator.id)
    first, second = app.test_client(), app.test_client()
    _password_step(first, coordinator)
    _password_step(second, coordinator)
    assert first.post("/login/two-step", data={"code": code}).status_code == 302
    assert second.post("/login/two-step", data={"code": code}).status_code == 200
    assert not _signed_in(second)


def test_the_code_that_set_two_step_up_cannot_also_sign_in(app, required):
    coordinator = factories.create_user(role="coordinator")
    client = app.test_client()
    _password_step(client, coordinator)
    client.get("/login/two-step/set-up")
    code = _now_code(coordinator.id)
    client.post("/login/two-step/set-up", data={"code": code})
    other = app.test_client()
    _password_step(other, coordinator)
    assert other.post("/login/two-step", data={"code": code}).status_code == 200
    assert not _signed_in(other)


def test_setting_two_step_up_again_with_a_new_secret_is_not_blocked_by_codes_of_the_old_one(app, login_as, client):
    champion = login_as("champion")
    client.get("/account/two-step/set-up")
    client.post("/account/two-step/set-up", data={"code": _now_code(champion.id)})
    other = app.test_client()
    _password_step(other, champion)
    assert other.post("/login/two-step", data={"code": _next_code(champion.id)}).status_code == 302
    client.post("/account/two-step/turn-off", data={"code": _now_code(champion.id)})
    client.get("/account/two-step/set-up")
    client.post("/account/two-step/set-up", data={"code": _now_code(champion.id)})
    third = app.test_client()
    _password_step(third, champion)
    assert third.post("/login/two-step", data={"code": _next_code(champion.id)}).status_code == 302
