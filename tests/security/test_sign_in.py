"""Sign-in attacks: cookie theft and replay, guessing, open redirects, idle sessions."""

from datetime import timedelta
from urllib.parse import quote, urlsplit

import pytest
from sqlalchemy import select, update

from config import ProductionConfig
from inclusion.auth.models import LoginSession, User
from inclusion.extensions import db
from inclusion.timeutil import utcnow
from tests import factories

PASSWORD = factories.DEFAULT_PASSWORD


def _session_cookie_header(response) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


def _sign_in(client, user, url="/login"):
    return client.post(url, data={"email": user.email, "password": PASSWORD})


def test_the_session_cookie_is_http_only_and_same_site_lax(client):
    cookie = _session_cookie_header(_sign_in(client, factories.create_user("funder")))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_the_session_cookie_is_secure_under_the_production_config(make_app):
    production = make_app(ProductionConfig, SECRET_KEY="x" * 32, WTF_CSRF_ENABLED=False)
    user = factories.create_user("champion")
    response = _sign_in(production.test_client(), user)
    assert response.status_code == 302
    cookie = _session_cookie_header(response)
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_session_cookie_replayed_after_sign_out_is_refused(app):
    user = factories.create_user("coordinator")
    client = app.test_client()
    _sign_in(client, user)
    stolen = client.get_cookie("session").value
    client.post("/logout")
    attacker = app.test_client()
    attacker.set_cookie("session", stolen)
    response = attacker.get("/")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"


def test_a_sign_in_idle_for_longer_than_the_limit_is_ended(app, client):
    _sign_in(client, factories.create_user("admin"))
    idle = utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    db.session.execute(update(LoginSession).values(last_seen_at=idle))
    db.session.commit()
    response = client.get("/")
    assert urlsplit(response.headers["Location"]).path == "/login"
    assert db.session.scalar(select(LoginSession.ended_at)) is not None


def test_a_sign_in_in_use_within_the_idle_limit_continues(app, client):
    _sign_in(client, factories.create_user("admin"))
    recent = utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] - 1)
    db.session.execute(update(LoginSession).values(last_seen_at=recent))
    db.session.commit()
    assert client.get("/").status_code == 200


def test_a_deactivated_users_open_sign_in_stops_working(client):
    user = factories.create_user("champion")
    _sign_in(client, user)
    db.session.execute(update(User).where(User.id == user.id).values(active=False))
    db.session.commit()
    assert client.get("/").status_code == 302


def test_sign_in_attempts_beyond_the_rate_limit_get_429(app, client):
    limit = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    statuses = [
        client.post("/login", data={"email": f"nobody{n}@example.org", "password": "wrong password"}).status_code
        for n in range(limit + 1)
    ]
    assert statuses[:limit] == [200] * limit
    assert statuses[limit] == 429


def test_ten_wrong_passwords_lock_the_account_even_against_the_right_one(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    user = factories.create_user("champion")
    for _ in range(app.config["LOGIN_LOCKOUT_ATTEMPTS"]):
        client.post("/login", data={"email": user.email, "password": "not the password"})
    response = _sign_in(client, user)
    assert response.status_code == 200
    assert "Email address or password not recognised" in response.get_data(as_text=True)
    assert db.session.get(User, user.id).locked_until > utcnow()


def test_a_locked_account_can_sign_in_after_the_lockout(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1000 per minute")
    user = factories.create_user("champion")
    for _ in range(app.config["LOGIN_LOCKOUT_ATTEMPTS"]):
        client.post("/login", data={"email": user.email, "password": "not the password"})
    db.session.execute(update(User).values(locked_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert _sign_in(client, user).status_code == 302


def test_an_unknown_address_and_a_wrong_password_get_the_same_message(client):
    user = factories.create_user("champion")
    unknown = client.post("/login", data={"email": "nobody@example.org", "password": PASSWORD})
    wrong = client.post("/login", data={"email": user.email, "password": "not the password"})
    assert unknown.get_data(as_text=True).replace("nobody@example.org", user.email) == wrong.get_data(as_text=True)


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:evil.example",
        "///evil.example",
        "/%2F%2Fevil.example",
        " //evil.example",
        "https:/evil.example",
        "/\r\nLocation: https://evil.example",
        "/\x00//evil.example",
        "/\t/evil.example",
    ],
)
def test_next_cannot_send_a_signed_in_user_to_another_site(client, target):
    response = _sign_in(client, factories.create_user("funder"), url="/login?next=" + quote(target, safe=""))
    location = urlsplit(response.headers["Location"])
    assert response.status_code == 302
    assert location.netloc in ("", "localhost") and location.scheme in ("", "http")
    assert not location.path.startswith("//") and "evil.example" not in location.netloc


def test_next_may_send_a_signed_in_user_to_a_page_of_this_site(client):
    response = _sign_in(client, factories.create_user("funder"), url="/login?next=%2Faccessibility")
    assert response.headers["Location"] == "/accessibility"


def test_signing_out_needs_a_post_so_a_link_on_another_site_cannot_do_it(client):
    _sign_in(client, factories.create_user("funder"))
    assert client.get("/logout").status_code == 200
    assert client.get("/reports/").status_code == 200  # still signed in (a funder's home is the dashboard)
