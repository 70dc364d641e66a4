"""Neither a reset link nor the change-password form can be used to take over someone else's account."""

from inclusion.auth import tokens
from inclusion.auth.models import LoginSession, User
from inclusion.auth.passwords import verify_password
from inclusion.database import write_transaction
from inclusion.extensions import db
from tests import factories
from tests.security.support import sign_in

NEW = "a brand new long passphrase"


def _link(user, purpose=tokens.RESET) -> str:
    with write_transaction():
        return tokens.issue_token(db.session.get(User, user.id), purpose)


def _password_is(user, password) -> bool:
    db.session.expire_all()
    return verify_password(db.session.get(User, user.id).password_hash, password)


def test_a_reset_link_for_one_user_sets_only_that_users_password_whatever_the_form_claims(db, client):
    alice, bob = factories.create_user("champion"), factories.create_user("coordinator")
    response = client.post(
        f"/reset-password/{_link(alice)}", data={"username": bob.email, "email": bob.email, "password": NEW}
    )
    assert response.status_code == 302
    assert _password_is(alice, NEW)
    assert not _password_is(bob, NEW) and _password_is(bob, factories.DEFAULT_PASSWORD)


def test_a_reset_link_is_used_once_and_cannot_reset_again(db, client):
    alice = factories.create_user("champion")
    link = _link(alice)
    assert client.post(f"/reset-password/{link}", data={"password": NEW}).status_code == 302
    again = client.post(f"/reset-password/{link}", data={"password": "another long passphrase"})
    assert again.status_code == 410
    assert _password_is(alice, NEW)


def test_a_reset_link_cannot_be_used_as_an_invitation_nor_an_invitation_as_a_reset(db, client):
    alice = factories.create_user("champion")
    assert client.post(f"/invitation/{_link(alice)}", data={"password": NEW}).status_code == 410
    assert client.post(f"/reset-password/{_link(alice, tokens.INVITE)}", data={"password": NEW}).status_code == 410
    assert _password_is(alice, factories.DEFAULT_PASSWORD)


def test_a_link_with_its_signature_altered_is_refused(db, client):
    alice = factories.create_user("champion")
    link = _link(alice)
    tampered = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    assert client.post(f"/reset-password/{tampered}", data={"password": NEW}).status_code == 410
    assert _password_is(alice, factories.DEFAULT_PASSWORD)


def test_changing_the_password_changes_only_the_signed_in_users_whatever_the_form_claims(db, client):
    alice, bob = factories.create_user("champion"), factories.create_user("admin")
    sign_in(client, alice)
    response = client.post(
        "/account/password",
        data={"username": bob.email, "current_password": factories.DEFAULT_PASSWORD, "new_password": NEW},
    )
    assert response.status_code == 302
    assert _password_is(alice, NEW) and _password_is(bob, factories.DEFAULT_PASSWORD)


def test_changing_the_password_needs_the_current_one_and_then_ends_the_other_sign_ins(db, app, client):
    alice = factories.create_user("champion")
    this_one = sign_in(client, alice)
    elsewhere = app.test_client()
    sign_in(elsewhere, alice)
    refused = client.post("/account/password", data={"current_password": "not my password!", "new_password": NEW})
    assert refused.status_code == 200 and _password_is(alice, factories.DEFAULT_PASSWORD)
    assert elsewhere.get("/account").status_code == 200
    client.post("/account/password", data={"current_password": factories.DEFAULT_PASSWORD, "new_password": NEW})
    assert _password_is(alice, NEW)
    assert client.get("/account").status_code == 200  # this sign-in carries on
    assert elsewhere.get("/account").status_code == 302  # the other one has ended
    open_sessions = db.session.scalars(
        db.select(LoginSession.id).where(LoginSession.user_id == alice.id, LoginSession.ended_at.is_(None))
    ).all()
    assert open_sessions == [this_one]
