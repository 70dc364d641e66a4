"""Registering a learner: consent, the privacy notice, validation and the duplicate check."""

from datetime import date

from sqlalchemy import select

from inclusion.audit.models import AuditEvent
from inclusion.extensions import db
from inclusion.learners.models import Learner
from tests import factories


def _form(**overrides):
    data = {
        "first_name": "Doreen",
        "last_name": "Walker",
        "date_of_birth": ["14", "2", "1948"],
        "postcode": "sk1 3xe",
        "lawful_basis": "consent",
        "consent_given": "y",
        "consent_method": "verbal",
        "age_band": "unknown",
    }
    data.update(overrides)
    return data


def _learners():
    return db.session.scalars(select(Learner)).all()


def test_the_registration_page_shows_the_privacy_notice(client, login_as):
    login_as("champion")
    page = client.get("/learners/new").get_data(as_text=True)
    assert "Privacy notice (version 2026-09)" in page
    assert "Lawful basis: Consent" in page  # the setting's basis, stated: champions are not asked it


def test_a_champion_registers_a_learner_with_consent(client, login_as):
    champion = login_as("champion")
    response = client.post("/learners/new", data=_form())
    assert response.status_code == 302
    [learner] = _learners()
    assert response.headers["Location"].endswith(f"/learners/{learner.reference}")
    assert learner.postcode == "SK1 3XE"
    assert learner.search_name == "doreen walker"
    assert learner.registered_partner_id == champion.partner_id
    assert learner.consent_recorded_by_id == champion.id
    assert learner.consent_method == "verbal"
    assert learner.privacy_notice_version == "2026-09"
    assert learner.age_band == "75+"  # 78 on registration in 2026


def test_a_new_reference_uses_no_ambiguous_characters(client, login_as):
    login_as("champion")
    client.post("/learners/new", data=_form())
    [learner] = _learners()
    assert learner.reference.startswith("L-") and len(learner.reference) == 7
    assert not set(learner.reference[2:]) & set("01IOL")


def test_registration_is_audited(client, login_as):
    champion = login_as("champion")
    client.post("/learners/new", data=_form())
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "learner_registered"))
    assert event.user_id == champion.id
    assert event.after["lawful_basis"] == "consent"


def test_missing_consent_is_refused_with_the_details_kept(client, login_as):
    login_as("champion")
    response = client.post("/learners/new", data=_form(consent_given=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Confirm the learner has agreed to us keeping their details" in page
    assert 'value="Doreen"' in page
    assert _learners() == []


def test_public_task_needs_no_consent(client, login_as, app, monkeypatch):
    monkeypatch.setitem(app.config, "DEFAULT_LAWFUL_BASIS", "public-task")  # a council service's setting
    login_as("champion")
    response = client.post("/learners/new", data=_form(lawful_basis="public-task", consent_given="", consent_method=""))
    assert response.status_code == 302
    [learner] = _learners()
    assert learner.lawful_basis == "public-task"
    assert learner.consent_recorded_at is None


def test_a_malformed_postcode_is_refused(client, login_as):
    login_as("champion")
    page = client.post("/learners/new", data=_form(postcode="SK1 XXX1")).get_data(as_text=True)
    assert "Enter a real postcode, like SK1 3XE" in page
    assert 'href="#postcode"' in page
    assert _learners() == []


def test_a_missing_name_is_refused(client, login_as):
    login_as("champion")
    page = client.post("/learners/new", data=_form(first_name="  ")).get_data(as_text=True)
    assert "Enter the learner&#39;s first name" in page
    assert _learners() == []


def test_an_impossible_date_of_birth_is_refused(client, login_as):
    login_as("champion")
    page = client.post("/learners/new", data=_form(date_of_birth=["31", "2", "1950"])).get_data(as_text=True)
    assert "Date of birth must be a real date" in page
    assert _learners() == []


def test_a_date_of_birth_in_the_future_is_refused(client, login_as):
    login_as("champion")
    page = client.post("/learners/new", data=_form(date_of_birth=["1", "1", "2999"])).get_data(as_text=True)
    assert "Date of birth must be in the past" in page
    assert _learners() == []


def test_an_age_band_can_stand_in_for_a_date_of_birth(client, login_as):
    login_as("champion")
    client.post("/learners/new", data=_form(date_of_birth=["", "", ""], age_band="65-74"))
    [learner] = _learners()
    assert learner.date_of_birth is None
    assert learner.age_band == "65-74"


def test_a_coordinator_chooses_the_partner(client, login_as):
    login_as("coordinator")
    partner = factories.create_partner("Age Friendly Stockport")
    page = client.post("/learners/new", data=_form()).get_data(as_text=True)
    assert "Choose the partner the learner is registering with" in page
    client.post("/learners/new", data=_form(partner_id=str(partner.id)))
    [learner] = _learners()
    assert learner.registered_partner_id == partner.id


def test_a_funder_cannot_register_learners(client, login_as):
    login_as("funder")
    assert client.get("/learners/new").status_code == 403
    assert client.post("/learners/new", data=_form()).status_code == 403


def test_a_similar_learner_with_the_same_birthday_is_offered_before_saving(client, login_as):
    champion = login_as("champion")
    existing = factories.create_learner("John", "Smith", partner=champion.partner, date_of_birth=date(1950, 3, 12))
    page = client.post(
        "/learners/new", data=_form(first_name="Jon", last_name="Smith", date_of_birth=["12", "3", "1950"])
    ).get_data(as_text=True)
    assert "This could be someone already registered" in page
    assert existing.reference in page
    assert len(_learners()) == 1


def test_the_champion_can_confirm_a_genuinely_new_person(client, login_as):
    champion = login_as("champion")
    factories.create_learner("John", "Smith", partner=champion.partner, date_of_birth=date(1950, 3, 12))
    response = client.post(
        "/learners/new",
        data=_form(first_name="Jon", last_name="Smith", date_of_birth=["12", "3", "1950"], register_anyway="yes"),
    )
    assert response.status_code == 302
    assert len(_learners()) == 2


def test_the_champion_can_pick_the_existing_learner_instead(client, login_as):
    champion = login_as("champion")
    existing = factories.create_learner("John", "Smith", partner=champion.partner, date_of_birth=date(1950, 3, 12))
    response = client.post("/learners/new", data=_form(use_existing=existing.reference))
    assert response.headers["Location"].endswith(f"/learners/{existing.reference}")
    assert len(_learners()) == 1


def test_continuing_without_choosing_between_the_matches_asks_again(client, login_as):
    champion = login_as("champion")
    factories.create_learner("John", "Smith", partner=champion.partner, date_of_birth=date(1950, 3, 12))
    data = _form(first_name="Jon", last_name="Smith", date_of_birth=["12", "3", "1950"], choose="yes")
    page = client.post("/learners/new", data=data).get_data(as_text=True)
    assert "Choose one of the learners, or register a new learner" in page
    assert 'href="#duplicate_choice"' in page
    assert len(_learners()) == 1


def test_the_radios_confirm_a_new_person_or_pick_the_match(client, login_as):
    champion = login_as("champion")
    john = factories.create_learner("John", "Smith", partner=champion.partner, date_of_birth=date(1950, 3, 12))
    data = _form(first_name="Jon", last_name="Smith", date_of_birth=["12", "3", "1950"], choose="yes")
    picked = client.post("/learners/new", data={**data, "duplicate_choice": john.reference})
    assert picked.headers["Location"].endswith(f"/learners/{john.reference}")
    assert len(_learners()) == 1
    client.post("/learners/new", data={**data, "duplicate_choice": "new"})
    assert len(_learners()) == 2


def test_an_unknown_lawful_basis_says_what_to_do(client, login_as):
    login_as("coordinator")  # the one who chooses the basis
    partner = factories.create_partner()
    page = client.post("/learners/new", data=_form(lawful_basis="because", partner_id=str(partner.id))).get_data(
        as_text=True
    )
    assert "Choose the lawful basis for keeping this record" in page
    assert _learners() == []


def test_a_post_with_nothing_in_it_gets_messages_not_an_error(client, login_as):
    login_as("champion")
    response = client.post("/learners/new", data={})
    assert response.status_code == 200
    assert "Enter the learner&#39;s first name" in response.get_data(as_text=True)


def test_consent_needs_to_say_how_it_was_given(client, login_as):
    login_as("champion")
    page = client.post("/learners/new", data=_form(consent_method="carrier-pigeon")).get_data(as_text=True)
    assert "Choose how the learner gave their consent" in page
    assert _learners() == []
