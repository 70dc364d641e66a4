"""The signed-in user's own account: details, recent sign-ins and changing the password."""

from sqlalchemy import select

from inclusion.audit.models import AuditEvent
from inclusion.auth.models import LoginSession
from inclusion.extensions import db
from tests import factories

NEW_PASSWORD = "window thistle harbour"


def test_the_account_page_needs_a_signed_in_user(client):
    response = client.get("/account")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_account_page_lists_recent_sign_ins_and_marks_this_one(app, client, login_as):
    user = login_as("champion", email="sam@example.org")
    app.test_client().post(
        "/login",
        data={"email": "sam@example.org", "password": factories.DEFAULT_PASSWORD},
        headers={
            "User-Agent": "Mozilla/5.0 (Linux; Android 14; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36"
        },
    )

    page = client.get("/account").get_data(as_text=True)

    assert "sam@example.org" in page
    assert "Chrome on Android" in page  # the browser in plain words, not its raw string
    assert page.count("This device") == 1
    assert db.session.scalar(select(db.func.count(LoginSession.id)).where(LoginSession.user_id == user.id)) == 2


def test_changing_the_password_needs_the_current_one(client, login_as):
    login_as("champion", email="sam@example.org")

    response = client.post(
        "/account/password", data={"current_password": "not my password at all", "new_password": NEW_PASSWORD}
    )

    assert response.status_code == 200
    assert "Your current password is not right" in response.get_data(as_text=True)


def test_a_weak_new_password_is_refused(client, login_as):
    login_as("champion")

    response = client.post(
        "/account/password", data={"current_password": factories.DEFAULT_PASSWORD, "new_password": "short"}
    )

    assert "Password must be 12 characters or more" in response.get_data(as_text=True)


def test_changing_the_password_keeps_this_sign_in_and_ends_the_others(app, client, login_as):
    user = login_as("champion", email="sam@example.org")
    other_device = app.test_client()
    other_device.post("/login", data={"email": "sam@example.org", "password": factories.DEFAULT_PASSWORD})

    response = client.post(
        "/account/password",
        data={"current_password": factories.DEFAULT_PASSWORD, "new_password": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert other_device.get("/account").status_code == 302
    assert db.session.scalar(
        select(AuditEvent.action).where(AuditEvent.record_id == str(user.id), AuditEvent.action == "password_changed")
    )
    client.post("/logout")
    assert client.post("/login", data={"email": "sam@example.org", "password": NEW_PASSWORD}).status_code == 302


def test_the_account_page_says_which_other_sign_ins_are_still_open_or_over(app, client, login_as):
    login_as("champion", email="sam@example.org")
    tablet, laptop = app.test_client(), app.test_client()
    for device in (tablet, laptop):
        device.post("/login", data={"email": "sam@example.org", "password": factories.DEFAULT_PASSWORD})
    laptop.post("/logout")

    page = client.get("/account").get_data(as_text=True)

    assert page.count("Still signed in") == 1
    assert page.count("Signed out") == 1


def test_signing_out_every_other_device_keeps_this_one(app, client, login_as):
    login_as("champion", email="sam@example.org")
    tablet = app.test_client()
    tablet.post("/login", data={"email": "sam@example.org", "password": factories.DEFAULT_PASSWORD})

    page = client.post("/account/sign-out-other-devices", follow_redirects=True).get_data(as_text=True)

    assert "Signed out on 1 other device." in page
    assert tablet.get("/account").status_code == 302
    assert client.get("/account").status_code == 200


def test_the_account_page_links_to_two_step_verification_so_a_champion_can_opt_in(client, login_as):
    login_as("champion")
    body = client.get("/account").get_data(as_text=True)
    assert 'href="/account/two-step"' in body and "Turn on two-step verification" in body


def test_the_account_pages_title_is_plain_text(client, login_as):
    login_as("champion")
    body = client.get("/account").get_data(as_text=True)
    title = body.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and "Your account" in title
    assert body.count('action="/account/sign-out-other-devices"') == 1
