"""The users page: list and filters, inviting, changing role or partner, deactivating."""

import re

import pytest
from sqlalchemy import func, select

from inclusion.admin import user_services
from inclusion.audit.models import AuditEvent
from inclusion.auth.models import LoginSession, User
from inclusion.extensions import db
from tests import factories


@pytest.mark.parametrize("role", ["champion", "coordinator", "funder"])
def test_only_admins_reach_the_users_pages(client, login_as, role):
    login_as(role)
    someone = factories.create_user("coordinator")

    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/users/invite").status_code == 403
    assert client.post(f"/admin/users/{someone.id}/deactivate").status_code == 403
    assert db.session.get(User, someone.id).active


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/admin/users")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_list_shows_role_partner_last_sign_in_and_status(client, login_as):
    login_as("admin", name="Ada Admin")
    partner = factories.create_partner("Age UK Stockport")
    factories.create_user("champion", name="Chris Champion", partner=partner)
    factories.create_user("funder", name="Fran Funder", active=False)

    page = client.get("/admin/users").get_data(as_text=True)

    assert "Chris Champion" in page
    assert "Age UK Stockport" in page
    assert "Deactivated" in page
    assert "Never" in page  # Chris has never signed in
    assert "3 users" in page


def test_the_list_filters_by_role_partner_status_and_text(client, login_as):
    login_as("admin", name="Ada Admin")
    partner = factories.create_partner("Age UK Stockport")
    factories.create_user("champion", name="Chris Champion", partner=partner)
    factories.create_user("champion", name="Carol Other")
    factories.create_user("funder", name="Fran Funder", active=False)

    def names(query):
        page = client.get(f"/admin/users?{query}").get_data(as_text=True)
        listed = re.findall(r'/admin/users/\d+">([^<]+)</a>', page)  # the table's rows, not the header
        return [n for n in ("Ada Admin", "Chris Champion", "Carol Other", "Fran Funder") if n in listed]

    assert names("role=champion") == ["Chris Champion", "Carol Other"]
    assert names(f"partner_id={partner.id}") == ["Chris Champion"]
    assert names("status=inactive") == ["Fran Funder"]
    assert names("text=carol") == ["Carol Other"]
    assert names("role=nonsense&status=nonsense") == [
        "Ada Admin",
        "Chris Champion",
        "Carol Other",
        "Fran Funder",
    ]


def test_inviting_an_address_already_in_use_is_refused_whatever_its_case(client, login_as, mail_server):
    login_as("admin")
    factories.create_user("coordinator", email="kim@example.org")

    response = client.post(
        "/admin/users/invite",
        data={"name": "Kim Again", "email": "KIM@example.org", "role": "coordinator", "partner_id": ""},
    )

    assert response.status_code == 200
    assert "There is already a user with the email address kim@example.org" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id))) == 2
    assert mail_server.messages == []


def test_inviting_with_an_unknown_role_is_refused(client, login_as, mail_server):
    login_as("admin")

    response = client.post(
        "/admin/users/invite",
        data={"name": "Pat", "email": "pat@example.org", "role": "superuser", "partner_id": ""},
    )

    assert "Choose one of the roles listed" in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "pat@example.org")) is None


def test_a_champion_cannot_be_invited_without_a_partner(client, login_as, mail_server):
    login_as("admin")

    response = client.post(
        "/admin/users/invite",
        data={"name": "Pat", "email": "pat@example.org", "role": "champion", "partner_id": ""},
    )

    assert "A champion must belong to a partner" in response.get_data(as_text=True)
    assert mail_server.messages == []


def test_an_invitation_needs_a_name_and_a_real_looking_address(client, login_as, mail_server):
    login_as("admin")

    page = client.post(
        "/admin/users/invite", data={"name": " ", "email": "not-an-address", "role": "coordinator"}
    ).get_data(as_text=True)

    assert "Enter the person&#39;s name" in page
    assert "Enter an email address in the correct format" in page


def test_an_invitation_is_audited_without_any_password(client, login_as, mail_server):
    admin = login_as("admin")
    partner = factories.create_partner("Stockport Libraries")

    client.post(
        "/admin/users/invite",
        data={
            "name": "Asha Patel",
            "email": "asha@example.org",
            "role": "champion",
            "partner_id": str(partner.id),
        },
    )

    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user_invited"))
    assert event.user_id == admin.id
    assert event.after == {
        "name": "Asha Patel",
        "email": "asha@example.org",
        "role": "champion",
        "partner": "Stockport Libraries",
        "active": True,
    }
    assert db.session.scalar(select(User.password_hash).where(User.email == "asha@example.org")) is None


def test_changing_role_and_partner_is_saved_and_audited(client, login_as):
    admin = login_as("admin")
    old, new = factories.create_partner("Old Partner"), factories.create_partner("New Partner")
    champion = factories.create_user("champion", name="Chris", partner=old)

    response = client.post(
        f"/admin/users/{champion.id}",
        data={"name": "Chris", "role": "coordinator", "partner_id": str(new.id)},
    )

    assert response.status_code == 302
    changed = db.session.get(User, champion.id)
    assert (changed.role, changed.partner_id) == ("coordinator", new.id)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user_updated"))
    assert event.user_id == admin.id
    assert event.before == {"role": "champion", "partner": "Old Partner"}
    assert event.after == {"role": "coordinator", "partner": "New Partner"}


def test_a_champion_cannot_be_left_without_a_partner(client, login_as):
    login_as("admin")
    champion = factories.create_user("champion", name="Chris")

    response = client.post(f"/admin/users/{champion.id}", data={"name": "Chris", "role": "champion", "partner_id": ""})

    assert "A champion must belong to a partner" in response.get_data(as_text=True)
    assert db.session.get(User, champion.id).partner_id is not None


def test_an_admin_cannot_remove_their_own_admin_role(client, login_as):
    admin = login_as("admin", name="Ada")

    response = client.post(f"/admin/users/{admin.id}", data={"name": "Ada", "role": "funder", "partner_id": ""})

    assert "You cannot change your own role" in response.get_data(as_text=True)
    assert db.session.get(User, admin.id).role == "admin"


def test_deactivating_a_user_ends_their_live_session_at_once(app, client, login_as):
    login_as("admin")
    champion = factories.create_user("champion", email="chris@example.org")
    champion_browser = app.test_client()
    champion_browser.post("/login", data={"email": "chris@example.org", "password": factories.DEFAULT_PASSWORD})
    assert champion_browser.get("/").status_code == 200

    response = client.post(f"/admin/users/{champion.id}/deactivate")

    assert response.status_code == 302
    assert "/login" in champion_browser.get("/").headers["Location"]
    assert (
        db.session.scalar(
            select(func.count(LoginSession.id)).where(
                LoginSession.user_id == champion.id, LoginSession.ended_at.is_(None)
            )
        )
        == 0
    )
    again = champion_browser.post("/login", data={"email": "chris@example.org", "password": factories.DEFAULT_PASSWORD})
    assert again.status_code == 200  # a deactivated user cannot sign back in


def test_deactivation_and_reactivation_are_audited_and_reactivation_allows_sign_in(app, client, login_as):
    admin = login_as("admin")
    champion = factories.create_user("champion", email="chris@example.org")

    client.post(f"/admin/users/{champion.id}/deactivate")
    client.post(f"/admin/users/{champion.id}/reactivate")

    actions = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.user_id == admin.id, AuditEvent.record_id == str(champion.id))
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["user_deactivated", "user_reactivated"]
    response = app.test_client().post(
        "/login", data={"email": "chris@example.org", "password": factories.DEFAULT_PASSWORD}
    )
    assert response.status_code == 302


def test_an_admin_cannot_deactivate_themselves(client, login_as):
    admin = login_as("admin")

    page = client.post(f"/admin/users/{admin.id}/deactivate", follow_redirects=True).get_data(as_text=True)

    assert "You cannot deactivate your own account" in page
    assert db.session.get(User, admin.id).active


def test_an_unknown_user_is_not_found(client, login_as):
    login_as("admin")

    assert client.get("/admin/users/999999").status_code == 404
    assert client.post("/admin/users/999999/deactivate").status_code == 404


def test_inviting_the_address_of_a_deactivated_account_suggests_reactivating_it(client, login_as, mail_server):
    login_as("admin")
    factories.create_user("coordinator", email="kim@example.org", name="Kim Lee", active=False)

    response = client.post(
        "/admin/users/invite", data={"name": "Kim", "email": "kim@example.org", "role": "coordinator"}
    )

    assert "belongs to a deactivated account (Kim Lee): reactivate it instead" in response.get_data(as_text=True)
    assert mail_server.messages == []


def test_the_user_services_refuse_an_acting_user_who_is_not_an_admin():
    coordinator = factories.create_user("coordinator")
    champion = factories.create_user("champion")

    with pytest.raises(PermissionError):
        user_services.deactivate_user(champion.id, acting_user_id=coordinator.id)
    assert db.session.get(User, champion.id).active
