"""The directory of outside services: coordinators and admins add, change, retire and bring back entries."""

import pytest
from sqlalchemy import select

from inclusion.audit.models import AuditEvent
from inclusion.extensions import db
from inclusion.signposts.models import SignpostService
from tests import factories


def _services() -> list[tuple]:
    rows = db.session.execute(
        select(SignpostService.name, SignpostService.web_address, SignpostService.area, SignpostService.retired_at)
    )
    return [tuple(row) for row in rows]


def test_a_coordinator_adds_a_service_and_its_web_address_gets_https(client, login_as):
    login_as("coordinator")
    assert client.get("/signposts/services").status_code == 200
    data = {"name": "Citizens Advice Stockport", "web_address": "citizensadvice.org.uk/stockport", "area": "Stockport"}
    response = client.post("/signposts/services", data=data)
    assert response.status_code == 302
    assert _services() == [("Citizens Advice Stockport", "https://citizensadvice.org.uk/stockport", "Stockport", None)]
    assert db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc()).limit(1)) == (
        "signpost_service_added"
    )
    page = client.get("/signposts/services").text
    assert "Citizens Advice Stockport" in page and 'maxlength="120"' in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": ""}, "Enter the service&#39;s name"),
        ({"name": "Shelter", "web_address": "not a web address"}, "Enter a web address like"),
        ({"name": "Shelter", "web_address": "javascript:alert(1)"}, "Enter a web address like"),
        ({"name": "Shelter", "web_address": "https://[shelter.org.uk"}, "Enter a web address like"),
        ({"name": "citizens advice"}, "The directory already has a service called citizens advice"),
    ],
)
def test_a_service_that_cannot_be_saved_is_refused_with_a_message(client, login_as, data, message):
    factories.create_service("Citizens Advice")
    login_as("coordinator")
    response = client.post("/signposts/services", data=data)
    assert response.status_code == 200
    assert message in response.text and "govuk-error-summary" in response.text
    assert len(_services()) == 1


def test_a_service_is_changed_then_retired_then_brought_back(client, login_as):
    service = factories.create_service("Age UK Advice Line", web_address=None)
    login_as("admin")
    assert client.get(f"/signposts/services/{service.id}/edit").status_code == 200
    data = {"name": "Age UK Advice", "web_address": "https://www.ageuk.org.uk", "area": "England"}
    assert client.post(f"/signposts/services/{service.id}/edit", data=data).status_code == 302
    assert client.post(f"/signposts/services/{service.id}/retire").status_code == 302
    [(name, web, area, retired)] = _services()
    assert (name, web, area, retired is not None) == ("Age UK Advice", "https://www.ageuk.org.uk", "England", True)
    assert client.post(f"/signposts/services/{service.id}/retire").status_code == 302
    assert _services()[0][3] is None


def test_a_retired_service_is_not_offered_for_new_signposts(client, login_as):
    factories.create_service("Open Helpline")
    retired = factories.create_service("Closed Helpline")
    partner = factories.create_partner()
    factories.create_venue("Central Library", partner)
    login_as("coordinator")
    client.post(f"/signposts/services/{retired.id}/retire")
    learner = factories.create_learner(partner=partner)
    page = client.get(f"/signposts/learners/{learner.reference}/new").text
    assert "Outside service: Open Helpline" in page and "Outside service: Closed Helpline" not in page


def test_champions_and_funders_cannot_keep_the_directory(client, login_as):
    service = factories.create_service()
    login_as("champion", partner=factories.create_partner())
    assert client.get("/signposts/services").status_code == 403
    assert client.post(f"/signposts/services/{service.id}/retire").status_code == 403
