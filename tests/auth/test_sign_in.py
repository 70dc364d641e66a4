"""Signing in and out: generic failures, lockout, inactive accounts, real sign-out."""

from datetime import timedelta

from sqlalchemy import select

from inclusion.auth.models import LoginSession, User
from inclusion.auth.services import SIGN_IN_FAILED
from inclusion.extensions import db
from inclusion.timeutil import utcnow
from tests import factories


def _sign_in(client, email, password=factories.DEFAULT_PASSWORD, **kwargs):
    return client.post("/login", data={"email": email, "password": password}, **kwargs)


def test_a_user_signs_in_with_their_email_in_any_case(client):
    user = factories.create_user(role="coordinator", email="chris@example.org")
    response = _sign_in(client, "  Chris@Example.ORG ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert user.name in client.get("/").get_data(as_text=True)


def test_a_wrong_password_and_an_unknown_email_get_the_same_message(client):
    factories.create_user(role="coordinator", email="chris@example.org")
    wrong_password = _sign_in(client, "chris@example.org", "not the right password").get_data(as_text=True)
    unknown_email = _sign_in(client, "nobody@example.org").get_data(as_text=True)
    assert SIGN_IN_FAILED in wrong_password
    assert SIGN_IN_FAILED in unknown_email
    assert "There is a problem" in wrong_password  # the error summary


def test_an_inactive_account_cannot_sign_in(client):
    factories.create_user(role="champion", email="gone@example.org", active=False)
    response = _sign_in(client, "gone@example.org")
    assert response.status_code == 200
    assert SIGN_IN_FAILED in response.get_data(as_text=True)


def test_ten_wrong_passwords_lock_the_account_even_with_the_right_one(client):
    user = factories.create_user(role="champion", email="sam@example.org")
    for _ in range(10):
        _sign_in(client, "sam@example.org", "wrong password here")
    assert db.session.get(User, user.id).locked_until > utcnow()
    response = _sign_in(client, "sam@example.org")
    assert response.status_code == 200
    assert SIGN_IN_FAILED in response.get_data(as_text=True)


def test_a_lock_expires(client):
    user = factories.create_user(role="champion", email="sam@example.org")
    user.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert _sign_in(client, "sam@example.org").status_code == 302


def test_sign_in_attempts_are_rate_limited(app, client):
    limit = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    statuses = [_sign_in(client, f"nobody{i}@example.org").status_code for i in range(limit + 1)]
    assert statuses[:limit] == [200] * limit
    assert statuses[-1] == 429


def test_signing_out_ends_the_session_so_a_copied_cookie_is_refused(client):
    factories.create_user(role="champion", email="sam@example.org")
    _sign_in(client, "sam@example.org")
    stolen_cookie = client.get_cookie("session").value
    assert client.post("/logout").status_code == 302
    client.set_cookie("session", stolen_cookie)
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_a_session_idle_for_thirty_minutes_ends(client):
    user = factories.create_user(role="champion", email="sam@example.org")
    _sign_in(client, "sam@example.org")
    login_session = db.session.scalar(select(LoginSession).where(LoginSession.user_id == user.id))
    login_session.last_seen_at = utcnow() - timedelta(minutes=31)
    db.session.commit()
    assert client.get("/").status_code == 302
    assert db.session.get(LoginSession, login_session.id).ended_at is not None


def test_a_session_ends_after_twelve_hours_however_busy(client):
    user = factories.create_user(role="champion", email="sam@example.org")
    _sign_in(client, "sam@example.org")
    login_session = db.session.scalar(select(LoginSession).where(LoginSession.user_id == user.id))
    login_session.created_at = utcnow() - timedelta(hours=12, minutes=1)
    db.session.commit()
    assert client.get("/").status_code == 302


def test_a_deactivated_users_open_session_ends(client):
    user = factories.create_user(role="champion", email="sam@example.org")
    _sign_in(client, "sam@example.org")
    user.active = False
    db.session.commit()
    assert client.get("/").status_code == 302


def test_sign_in_redirects_to_next_only_within_the_site(client):
    factories.create_user(role="champion", email="sam@example.org")
    response = _sign_in(client, "sam@example.org", query_string={"next": "/healthz"})
    assert response.headers["Location"] == "/healthz"


def test_sign_in_ignores_a_next_pointing_elsewhere(client):
    for target in ("//evil.example", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"):
        factories.create_user(role="champion", email="sam@example.org") if not db.session.scalar(
            select(User).where(User.email == "sam@example.org")
        ) else None
        response = _sign_in(client, "sam@example.org", query_string={"next": target})
        assert response.headers["Location"] == "/", target
        client.post("/logout")


def test_a_get_to_logout_does_not_sign_anyone_out(client, login_as):
    login_as("champion")
    assert client.get("/logout").status_code == 200
    assert client.get("/").status_code == 200


def test_the_session_cookie_is_httponly_and_samesite_lax(client):
    factories.create_user(role="champion", email="sam@example.org")
    response = _sign_in(client, "sam@example.org")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
