"""Page-level defects of the walk-through (issue 14): favicon, back links in a landmark, labels, limits."""

import re
from datetime import date

from tests import factories


def test_every_page_names_the_alliances_own_icon_and_favicon_ico_finds_it(client, login_as):
    html = client.get("/login").get_data(as_text=True)
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
    assert icon
    assert client.get(icon.group(1)).status_code == 200
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert client.get(response.headers["Location"]).status_code == 200


def test_a_back_link_sits_inside_a_landmark(client, login_as):
    login_as("coordinator")
    venue = factories.create_venue("Central Library")
    html = client.get(f"/admin/venues/{venue.id}/edit").get_data(as_text=True)
    assert re.search(
        r'<nav class="app-back-nav" aria-label="Back"><a href="/admin/venues" class="govuk-back-link">', html
    )


def test_a_page_without_a_back_link_has_no_empty_landmark(client, login_as):
    login_as("coordinator")
    assert "app-back-nav" not in client.get("/admin/venues").get_data(as_text=True)


def test_a_group_session_is_called_a_group_session_once(client, login_as):
    partner = factories.create_partner()
    login_as("coordinator")
    learner = factories.create_learner(partner=partner)
    session = factories.create_session(
        factories.create_venue(partner=partner), date(2026, 11, 3), session_type="group", attendees=[learner]
    )
    html = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert "Group session" in html and "Group session session" not in html
    learner_page = client.get(f"/learners/{learner.reference}").get_data(as_text=True)
    assert ">Group</td>" in learner_page and ">group</td>" not in learner_page


def test_the_admin_add_forms_post_to_the_page_so_focus_goes_to_the_error_summary(client, login_as):
    login_as("admin")
    for page in ("/admin/venues", "/admin/partners", "/admin/skills", "/admin/milestones"):
        html = client.get(page).get_data(as_text=True)
        assert '#add" novalidate' not in html, page
    html = client.post("/admin/venues", data={"name": ""}).get_data(as_text=True)
    assert 'class="govuk-error-summary"' in html


def test_text_boxes_carry_the_rules_length_limits(client, login_as):
    from inclusion.learners import rules as learner_rules

    login_as("champion", partner=factories.create_partner())
    html = client.get("/learners/new").get_data(as_text=True)
    for name, limit in (
        ("first_name", learner_rules.NAME_MAX_LENGTH),
        ("last_name", learner_rules.NAME_MAX_LENGTH),
        ("email", learner_rules.EMAIL_MAX_LENGTH),
        ("phone", learner_rules.PHONE_MAX_LENGTH),
        ("postcode", learner_rules.POSTCODE_MAX_LENGTH),
    ):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        assert f'maxlength="{limit}"' in tag, tag


def test_every_text_box_on_the_main_forms_has_a_maxlength(client, login_as):
    partner = factories.create_partner()
    factories.create_venue(partner=partner)
    login_as("admin")
    for page in ("/learners/new", "/sessions/new", "/admin/venues", "/admin/skills", "/admin/milestones"):
        html = client.get(page).get_data(as_text=True)
        boxes = re.findall(r'<input[^>]*class="govuk-input[^"]*"[^>]*>', html)
        assert boxes, page
        for box in boxes:
            if "govuk-date-input__input" in box:  # day, month and year: GOV.UK's boxes sized to 2 and 4
                continue
            assert "maxlength=" in box, f"{page}: {box}"


def test_session_notes_get_a_character_count_at_the_rules_limit(client, login_as):
    from inclusion.sessions.rules import NOTES_MAX_LENGTH

    partner = factories.create_partner()
    factories.create_venue(partner=partner)
    login_as("champion", partner=partner)
    html = client.get("/sessions/new").get_data(as_text=True)
    assert 'data-module="govuk-character-count"' in html
    assert f'data-maxlength="{NOTES_MAX_LENGTH}"' in html


def _summary(html: str) -> list[str]:
    listed = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)
    return re.findall(r'<a href="#[^"]+">([^<]+)</a>', listed.group(1)) if listed else []


def test_a_future_date_of_birth_is_reported_with_the_other_errors_in_one_round(client, login_as):
    login_as("champion", partner=factories.create_partner())
    data = {"first_name": "Ann", "last_name": "", "date_of_birth": ["1", "1", "2099"], "lawful_basis": "consent"}
    errors = _summary(client.post("/learners/new", data=data).get_data(as_text=True))
    assert "Enter the learner&#39;s last name" in errors
    assert "Date of birth must be in the past" in errors
    assert "Confirm the learner has agreed to us keeping their details" in errors


def test_a_future_session_date_is_reported_with_the_other_errors_in_one_round(client, login_as):
    partner = factories.create_partner()
    venue = factories.create_venue(partner=partner)
    login_as("champion", partner=partner)
    data = {"session_date": ["1", "1", "2099"], "venue_id": str(venue.id), "duration_minutes": "", "session_type": ""}
    errors = _summary(client.post("/sessions/new", data=data).get_data(as_text=True))
    assert "The date of the session must be today or in the past" in errors
    assert "Enter how long the session lasted" in errors
    assert "Choose the type of session" in errors
