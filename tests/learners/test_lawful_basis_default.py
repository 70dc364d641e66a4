"""A champion is not asked the lawful basis: it is the setting's; only coordinators change it (issue 14)."""

from datetime import date

from inclusion.extensions import db
from inclusion.learners.models import Learner
from tests import factories

REGISTRATION = {
    "first_name": "Ann",
    "last_name": "Walker",
    "date_of_birth": ["2", "3", "1950"],
    "consent_given": "y",
    "consent_method": "verbal",
}


def test_a_champion_sees_the_default_basis_stated_not_asked(client, login_as, app, monkeypatch):
    monkeypatch.setitem(app.config, "DEFAULT_LAWFUL_BASIS", "public-task")
    login_as("champion", partner=factories.create_partner())
    html = client.get("/learners/new").get_data(as_text=True)
    assert 'name="lawful_basis"' not in html
    assert "Lawful basis: Public task: a council service delivering its public duties." in html
    assert "Only a coordinator can change it" in html


def test_a_champions_posted_basis_is_ignored_for_the_setting(client, login_as, app, monkeypatch):
    monkeypatch.setitem(app.config, "DEFAULT_LAWFUL_BASIS", "consent")
    login_as("champion", partner=factories.create_partner())
    response = client.post("/learners/new", data={**REGISTRATION, "lawful_basis": "legitimate-interests"})
    assert response.status_code == 302
    learner = db.session.query(Learner).filter_by(last_name="Walker").one()
    assert learner.lawful_basis == "consent"
    assert learner.consent_recorded_at is not None


def test_a_champion_editing_a_learner_keeps_its_basis(client, login_as):
    partner = factories.create_partner()
    learner = factories.create_learner("Ann", "Walker", partner=partner, date_of_birth=date(1950, 3, 2))
    learner.lawful_basis = "public-task"
    db.session.commit()
    login_as("champion", partner=partner)
    data = {**REGISTRATION, "first_name": "Annie", "lawful_basis": "consent"}
    assert client.post(f"/learners/{learner.reference}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert (learner.first_name, learner.lawful_basis) == ("Annie", "public-task")


def test_a_coordinator_chooses_the_basis(client, login_as):
    partner = factories.create_partner()
    login_as("coordinator")
    html = client.get("/learners/new").get_data(as_text=True)
    assert 'name="lawful_basis"' in html
    data = {**REGISTRATION, "lawful_basis": "public-task", "partner_id": str(partner.id)}
    assert client.post("/learners/new", data=data).status_code == 302
    assert db.session.query(Learner).filter_by(last_name="Walker").one().lawful_basis == "public-task"
