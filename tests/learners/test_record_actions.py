"""The learner page links coordinators to subject access and anonymisation, and nobody else."""

from tests import factories


def test_a_coordinator_sees_the_data_rights_links_on_a_learner_page(client, login_as):
    learner = factories.create_learner()
    login_as("coordinator")
    html = client.get(f"/learners/{learner.reference}").get_data(as_text=True)
    assert f"/learners/{learner.reference}/export" in html
    assert f"/learners/{learner.reference}/anonymise" in html


def test_a_champion_does_not_see_the_data_rights_links(client, login_as):
    partner = factories.create_partner()
    learner = factories.create_learner(partner=partner)
    login_as("champion", partner=partner)
    response = client.get(f"/learners/{learner.reference}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "/export" not in html and "/anonymise" not in html
