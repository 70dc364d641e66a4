"""Inviting a user: the e-mail through a real SMTP server, and the single-use 72-hour link."""

from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import select, update

from inclusion.auth.models import User, UserToken
from inclusion.auth.tokens import token_hash
from inclusion.extensions import db
from tests import factories
from tests.mail_server import body_of, only_link_in

NEW_PASSWORD = "lantern orchard pebble"


def _invite(client, partner, email="asha@example.org"):
    return client.post(
        "/admin/users/invite",
        data={"name": "Asha Patel", "email": email, "role": "champion", "partner_id": str(partner.id)},
    )


def _link_path(mail_server) -> str:
    link = only_link_in(mail_server.messages[-1])
    return urlsplit(link).path


def test_an_invited_champion_follows_the_emailed_link_sets_a_password_and_signs_in(app, client, login_as, mail_server):
    login_as("admin")
    partner = factories.create_partner("Stockport Libraries")

    response = _invite(client, partner)
    assert response.status_code == 302

    [message] = mail_server.messages
    assert message["To"] == "asha@example.org"
    assert "Set up your" in message["Subject"]
    link = only_link_in(message)
    assert link.startswith("http://localhost/invitation/")
    client.post("/logout")

    page = client.get(urlsplit(link).path)
    assert page.status_code == 200
    assert "Welcome, Asha Patel" in page.get_data(as_text=True)

    response = client.post(urlsplit(link).path, data={"password": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")

    response = client.post("/login", data={"email": "asha@example.org", "password": NEW_PASSWORD})
    assert response.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "Welcome, Asha Patel" in home
    assert "Stockport Libraries" in home


def test_an_invitation_link_works_only_once(client, login_as, mail_server):
    login_as("admin")
    _invite(client, factories.create_partner())
    path = _link_path(mail_server)
    client.post("/logout")

    assert client.post(path, data={"password": NEW_PASSWORD}).status_code == 302
    again = client.post(path, data={"password": "another long passphrase"})

    assert again.status_code == 410
    assert "expired or has already been used" in again.get_data(as_text=True)
    assert client.get(path).status_code == 410


def test_an_invitation_link_older_than_72_hours_is_refused(client, login_as, mail_server):
    login_as("admin")
    _invite(client, factories.create_partner())
    path = _link_path(mail_server)
    client.post("/logout")
    token = db.session.scalar(select(UserToken))
    assert token.expires_at - token.created_at == timedelta(hours=72)
    db.session.execute(update(UserToken).values(expires_at=token.created_at - timedelta(seconds=1)))
    db.session.commit()

    assert client.post(path, data={"password": NEW_PASSWORD}).status_code == 410
    assert db.session.scalar(select(User.password_hash).where(User.email == "asha@example.org")) is None


def test_a_tampered_invitation_link_is_refused(client, login_as, mail_server):
    login_as("admin")
    _invite(client, factories.create_partner())
    path = _link_path(mail_server)
    client.post("/logout")

    assert client.get(path[:-2] + ("AA" if not path.endswith("AA") else "BB")).status_code == 410


def test_a_weak_password_is_refused_and_the_link_still_works_afterwards(client, login_as, mail_server):
    login_as("admin")
    _invite(client, factories.create_partner())
    path = _link_path(mail_server)
    client.post("/logout")

    weak = client.post(path, data={"password": "short"})
    assert weak.status_code == 200
    assert "Password must be 12 characters or more" in weak.get_data(as_text=True)

    assert client.post(path, data={"password": NEW_PASSWORD}).status_code == 302


def test_only_a_sha256_of_the_invitation_token_is_stored(client, login_as, mail_server):
    login_as("admin")
    _invite(client, factories.create_partner())
    signed = _link_path(mail_server).rsplit("/", 1)[1]

    token = db.session.scalar(select(UserToken))
    assert token.purpose == "invite"
    assert len(token.token_hash) == 64
    assert token.token_hash not in signed
    assert token.token_hash != token_hash(signed)


def test_resending_an_invitation_stops_the_earlier_link_working(client, login_as, mail_server):
    login_as("admin")
    _invite(client, factories.create_partner())
    first = _link_path(mail_server)
    user = db.session.scalar(select(User).where(User.email == "asha@example.org"))

    response = client.post(f"/admin/users/{user.id}/resend-invitation")
    assert response.status_code == 302
    assert len(mail_server.messages) == 2
    second = _link_path(mail_server)
    client.post("/logout")

    assert second != first
    assert client.get(first).status_code == 410
    assert client.post(second, data={"password": NEW_PASSWORD}).status_code == 302


def test_an_invitation_cannot_be_resent_once_the_password_is_set(client, login_as, mail_server):
    login_as("admin")
    champion = factories.create_user("champion")

    response = client.post(f"/admin/users/{champion.id}/resend-invitation", follow_redirects=True)

    assert "has already set a password" in response.get_data(as_text=True)
    assert mail_server.messages == []


def test_a_deactivated_users_invitation_link_stops_working(client, login_as, mail_server):
    login_as("admin")
    _invite(client, factories.create_partner())
    path = _link_path(mail_server)
    user = db.session.scalar(select(User).where(User.email == "asha@example.org"))

    client.post(f"/admin/users/{user.id}/deactivate")
    client.post("/logout")

    assert client.get(path).status_code == 410


def test_an_invitation_that_could_not_be_sent_says_so_and_keeps_the_account(app, client, login_as, mail_server):
    login_as("admin")
    mail_server.stop()  # nothing listening any more: the send fails

    response = _invite(client, factories.create_partner())
    page = client.get(response.headers["Location"]).get_data(as_text=True)

    assert "could not be sent: the e-mail server is not answering" in page
    assert "Check the address" not in page  # the address is not what went wrong
    assert db.session.scalar(select(User).where(User.email == "asha@example.org")) is not None


def test_an_invitation_the_mail_server_refuses_the_address_of_says_to_check_the_address(client, login_as, mail_server):
    login_as("admin")
    mail_server.refuse("asha@example.org")

    response = _invite(client, factories.create_partner())
    page = client.get(response.headers["Location"]).get_data(as_text=True)

    assert "could not be sent. Check the address" in page
    assert mail_server.messages == []


def test_the_invitation_link_is_on_one_unbroken_line_of_the_raw_message(client, login_as, mail_server):
    login_as("admin")
    _invite(client, factories.create_partner())

    raw = mail_server.messages[-1].as_string()

    assert mail_server.messages[-1]["Content-Transfer-Encoding"] == "7bit"
    assert only_link_in(mail_server.messages[-1]) in raw.splitlines()


def test_an_invitation_to_someone_with_an_accented_name_arrives_intact(client, login_as, mail_server):
    login_as("admin")

    client.post("/admin/users/invite", data={"name": "Zoë Ó Briain", "email": "zoe@example.org", "role": "funder"})

    [message] = mail_server.messages
    assert "Hello Zoë Ó Briain," in body_of(message)
    assert only_link_in(message).startswith("http://localhost/invitation/")
