"""Forgotten password: the same answer for any address, a single-use time-limited link, rate limits."""

from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import select, update

from inclusion.audit.models import AuditEvent
from inclusion.auth.models import LoginSession, UserToken
from inclusion.extensions import db
from tests import factories
from tests.mail_server import only_link_in

NEW_PASSWORD = "copper kettle meadow"


def _ask_for_reset(client, email):
    response = client.post("/forgotten-password", data={"email": email})
    response.close()  # as a server does once it has sent the page: the e-mail goes then
    return response


def _reset_path(mail_server) -> str:
    return urlsplit(only_link_in(mail_server.messages[-1])).path


def test_the_sign_in_page_links_to_the_forgotten_password_page(client):
    page = client.get("/login").get_data(as_text=True)

    assert 'href="/forgotten-password"' in page


def test_a_known_address_is_emailed_a_reset_link(client, mail_server):
    factories.create_user("coordinator", email="kim@example.org")

    response = _ask_for_reset(client, "Kim@Example.org ")

    assert response.status_code == 200
    [message] = mail_server.messages
    assert message["To"] == "kim@example.org"
    assert message["Subject"] == "Reset your password"
    assert only_link_in(message).startswith("http://localhost/reset-password/")
    assert db.session.scalar(select(UserToken.purpose)) == "reset"


def test_an_unknown_address_gets_the_same_page_and_no_email(client, mail_server):
    factories.create_user("coordinator", email="kim@example.org")
    known = _ask_for_reset(client, "kim@example.org").get_data(as_text=True)

    unknown = _ask_for_reset(client, "nobody@example.org").get_data(as_text=True)

    assert unknown.replace("nobody@example.org", "ADDRESS") == known.replace("kim@example.org", "ADDRESS")
    assert len(mail_server.messages) == 1


def test_a_deactivated_account_is_sent_no_reset_link(client, mail_server):
    factories.create_user("champion", email="gone@example.org", active=False)

    response = _ask_for_reset(client, "gone@example.org")

    assert response.status_code == 200
    assert mail_server.messages == []


def test_the_reset_link_sets_a_new_password_that_signs_in_and_the_old_one_stops_working(client, mail_server):
    factories.create_user("champion", email="sam@example.org")
    _ask_for_reset(client, "sam@example.org")

    response = client.post(_reset_path(mail_server), data={"password": NEW_PASSWORD})

    assert response.status_code == 302
    old = client.post("/login", data={"email": "sam@example.org", "password": factories.DEFAULT_PASSWORD})
    assert old.status_code == 200
    assert client.post("/login", data={"email": "sam@example.org", "password": NEW_PASSWORD}).status_code == 302


def test_the_reset_link_works_only_once(client, mail_server):
    factories.create_user("champion", email="sam@example.org")
    _ask_for_reset(client, "sam@example.org")
    path = _reset_path(mail_server)
    client.post(path, data={"password": NEW_PASSWORD})

    again = client.post(path, data={"password": "a different long phrase"})

    assert again.status_code == 410
    assert client.post("/login", data={"email": "sam@example.org", "password": NEW_PASSWORD}).status_code == 302


def test_a_reset_link_is_refused_after_it_expires(client, mail_server):
    user = factories.create_user("champion", email="sam@example.org")
    _ask_for_reset(client, "sam@example.org")
    token = db.session.scalar(select(UserToken))
    assert token.expires_at - token.created_at == timedelta(minutes=60)
    db.session.execute(update(UserToken).values(expires_at=token.created_at))
    db.session.commit()

    response = client.post(_reset_path(mail_server), data={"password": NEW_PASSWORD})

    assert response.status_code == 410
    assert "Ask for a new link" in response.get_data(as_text=True)
    assert db.session.get(type(user), user.id).password_hash == factories.password_hash_for(factories.DEFAULT_PASSWORD)


def test_asking_again_makes_the_earlier_reset_link_stop_working(client, mail_server):
    factories.create_user("champion", email="sam@example.org")
    _ask_for_reset(client, "sam@example.org")
    first = _reset_path(mail_server)
    _ask_for_reset(client, "sam@example.org")

    assert client.get(first).status_code == 410
    assert client.get(_reset_path(mail_server)).status_code == 200


def test_using_the_reset_link_ends_the_accounts_other_sign_ins(app, client, login_as, mail_server):
    user = login_as("champion", email="sam@example.org")
    other_device = app.test_client()
    _ask_for_reset(other_device, "sam@example.org")

    other_device.post(_reset_path(mail_server), data={"password": NEW_PASSWORD})

    assert client.get("/account").status_code == 302  # the first device is signed out
    open_sessions = db.session.scalars(
        select(LoginSession).where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
    ).all()
    assert open_sessions == []


def test_a_weak_new_password_is_refused_without_using_the_link(client, mail_server):
    factories.create_user("champion", email="sam@example.org")
    _ask_for_reset(client, "sam@example.org")
    path = _reset_path(mail_server)

    weak = client.post(path, data={"password": "password1234"})

    assert "too common" in weak.get_data(as_text=True)
    assert client.get(path).status_code == 200


def test_the_reset_is_audited(client, mail_server):
    user = factories.create_user("champion", email="sam@example.org")
    _ask_for_reset(client, "sam@example.org")
    client.post(_reset_path(mail_server), data={"password": NEW_PASSWORD})

    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.record_id == str(user.id))).all()

    assert actions == ["password_reset_requested", "password_reset"]


def test_asking_about_one_address_too_often_is_refused(client, mail_server):
    factories.create_user("champion", email="sam@example.org")
    statuses = [_ask_for_reset(client, "sam@example.org").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    assert len(mail_server.messages) == 3


def test_one_computer_asking_too_often_is_refused(client, mail_server):
    statuses = [_ask_for_reset(client, f"person{n}@example.org").status_code for n in range(11)]

    assert statuses == [200] * 10 + [429]


def test_an_empty_address_is_an_error_on_the_form(client, mail_server):
    response = _ask_for_reset(client, "  ")

    assert response.status_code == 200
    assert "Enter your email address" in response.get_data(as_text=True)
    assert mail_server.messages == []


def test_the_reset_email_is_sent_only_after_the_page_has_gone_so_timing_reveals_nothing(client, mail_server):
    factories.create_user("champion", email="sam@example.org")

    response = client.post("/forgotten-password", data={"email": "sam@example.org"})
    assert response.status_code == 200
    assert mail_server.messages == []

    response.close()
    assert len(mail_server.messages) == 1


def test_a_mail_server_that_is_down_does_not_change_the_page(client, mail_server):
    factories.create_user("champion", email="sam@example.org")
    mail_server.stop()

    response = _ask_for_reset(client, "sam@example.org")

    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)
