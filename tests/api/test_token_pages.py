"""The admin's pages for feed tokens: create one and see it once, errors in a summary, confirm before revoking."""

import re
from datetime import timedelta

from sqlalchemy import select

from inclusion.api.models import ApiToken
from inclusion.api.tokens import hash_of
from inclusion.extensions import db
from inclusion.timeutil import today_in_london
from tests.api.conftest import issue


def _date_fields(day) -> dict:
    return {"valid_until": [str(day.day), str(day.month), str(day.year)]}


def test_an_admin_creates_a_token_and_sees_it_once(client, login_as):
    login_as("admin")
    day = today_in_london() + timedelta(days=90)
    response = client.post("/admin/api-tokens", data={"name": "Council Power BI", **_date_fields(day)})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    secret = re.search(r"inc_[A-Za-z0-9_-]{40,}", page).group(0)
    assert "shown only this once" in page
    stored = db.session.scalar(select(ApiToken))
    assert stored.name == "Council Power BI" and stored.token_hash == hash_of(secret)
    listing = client.get("/admin/api-tokens").get_data(as_text=True)
    assert "Council Power BI" in listing and secret not in listing
    assert client.get("/api/v1/months", headers={"Authorization": f"Bearer {secret}"}).status_code == 200


def test_mistakes_are_listed_in_an_error_summary_beside_their_fields(client, login_as):
    login_as("admin")
    past = today_in_london() - timedelta(days=1)
    page = client.post("/admin/api-tokens", data={"name": "", **_date_fields(past)}).get_data(as_text=True)
    assert "govuk-error-summary" in page
    assert "Enter a name for the token" in page
    page = client.post("/admin/api-tokens", data={"name": "BI", **_date_fields(past)}).get_data(as_text=True)
    assert "The expiry date must be today or in the future" in page
    far = today_in_london() + timedelta(days=365 * 3)
    page = client.post("/admin/api-tokens", data={"name": "BI", **_date_fields(far)}).get_data(as_text=True)
    assert "within two years" in page
    page = client.post("/admin/api-tokens", data={"name": "BI", "valid_until": ["31", "2", "2027"]}).get_data(
        as_text=True
    )
    assert "must be a real date" in page
    assert db.session.scalar(select(ApiToken)) is None


def test_revoking_asks_for_confirmation_then_the_token_stops_working(client, login_as):
    login_as("admin")
    issued = issue("Alliance data platform")
    confirm = client.get(f"/admin/api-tokens/{issued.token.id}/revoke")
    assert "Revoke the token" in confirm.get_data(as_text=True)
    assert client.get("/api/v1/months", headers={"Authorization": f"Bearer {issued.secret}"}).status_code == 200

    response = client.post(f"/admin/api-tokens/{issued.token.id}/revoke")
    assert response.status_code == 302
    assert client.get("/api/v1/months", headers={"Authorization": f"Bearer {issued.secret}"}).status_code == 401
    assert "Revoked" in client.get("/admin/api-tokens").get_data(as_text=True)


def test_only_admins_reach_the_token_pages(client, login_as):
    login_as("coordinator")
    assert client.get("/admin/api-tokens").status_code == 403


def test_an_unknown_token_is_a_404_page(client, login_as):
    login_as("admin")
    assert client.get("/admin/api-tokens/99999/revoke").status_code == 404
