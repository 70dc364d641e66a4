"""Page numbers, ids and searches typed into addresses and forms never give a server error."""

from datetime import datetime

import pytest

from inclusion.audit.models import AuditEvent
from inclusion.extensions import db
from tests import factories

SUPERSCRIPT_TWO = "%C2%B2"  # '²': str.isdigit() says yes, int() raises
PAST_BIGINT = "9223372036854775808"
LONG_QUERY = "a" * 60_000


def _audit_events(count: int) -> None:
    db.session.add_all(
        AuditEvent(action=f"thing_{number}", occurred_at=datetime(2026, 9, 4, 10, number % 60))
        for number in range(count)
    )
    db.session.commit()


@pytest.mark.parametrize("page", [SUPERSCRIPT_TWO, PAST_BIGINT, "-1", "1.5"])
def test_the_audit_log_reads_any_page_number_without_a_server_error(client, login_as, page):
    login_as("admin")
    _audit_events(3)
    response = client.get(f"/admin/audit?page={page}")
    assert response.status_code == 200
    assert "thing_0" in response.get_data(as_text=True).replace(" ", "_")


def test_a_page_past_the_end_of_the_audit_log_shows_its_last_page(client, login_as):
    login_as("admin")
    _audit_events(60)  # 50 a page, and the sign-in itself: two pages
    page = client.get(f"/admin/audit?page={PAST_BIGINT}").get_data(as_text=True)
    assert "page 2 of 2" in page


@pytest.mark.parametrize("url", ["/sessions/?page={page}", "/learners/?page={page}", "/learners/?q=Hug&page={page}"])
@pytest.mark.parametrize("page", [SUPERSCRIPT_TWO, PAST_BIGINT])
def test_the_lists_read_any_page_number_and_show_their_last_page_when_past_it(client, login_as, url, page):
    partner = factories.create_partner()
    learner = factories.create_learner(partner=partner, last_name="Hughes")
    factories.create_session(factories.create_venue(partner=partner), attendees=[learner])
    login_as("coordinator")
    response = client.get(url.format(page=page))
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert ("Hughes" in text) if "learners" in url else ("1 session" in text)


def test_a_huge_search_in_the_session_forms_find_box_is_cut_not_a_server_error(client, login_as):
    factories.create_learner()  # with no learner at all, no query is run
    login_as("coordinator")
    response = client.post("/sessions/new", data={"q": LONG_QUERY, "action": "find"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        f"/learners/?q={LONG_QUERY}",
        f"/sessions/find-learners?q={LONG_QUERY}",
        f"/admin/users?text={LONG_QUERY}",
    ],
)
def test_a_huge_search_anywhere_is_cut_to_the_fields_length(client, login_as, url):
    factories.create_learner()
    login_as("admin")
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code in (200, 302)


def test_a_merge_naming_records_with_odd_numbers_is_refused_not_a_server_error(client, login_as):
    login_as("coordinator")
    for data in (
        {"first_id": "1", "second_id": "2", "keep": "²"},
        {"first_id": PAST_BIGINT, "second_id": "2", "keep": PAST_BIGINT},
    ):
        response = client.post("/learners/duplicates/merge", data=data)
        assert response.status_code in (302, 400)


def test_the_dashboard_ignores_a_partner_or_venue_that_is_not_a_number(client, login_as):
    login_as("coordinator")
    assert client.get(f"/reports/?partner={SUPERSCRIPT_TWO}&venue={PAST_BIGINT}").status_code == 200


@pytest.mark.parametrize("partner_id", [PAST_BIGINT, "²"])
def test_registering_with_a_partner_number_past_any_id_asks_for_a_partner(client, login_as, partner_id):
    factories.create_partner()
    login_as("coordinator")
    response = client.post(
        "/learners/new",
        data={"first_name": "Ann", "last_name": "Lee", "lawful_basis": "public-task", "partner_id": partner_id},
    )
    assert response.status_code == 200
    assert "Choose the partner the learner is registering with" in response.get_data(as_text=True)


def test_a_two_step_code_of_superscript_digits_is_not_right_rather_than_a_server_error(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "REQUIRE_TWO_FACTOR", True)
    user = factories.create_user(role="coordinator")
    client.post("/login", data={"email": user.email, "password": factories.DEFAULT_PASSWORD})
    client.get("/login/two-step/set-up")
    response = client.post("/login/two-step/set-up", data={"code": "²²²²²²"})
    assert response.status_code == 200
    assert "That code is not right" in response.get_data(as_text=True)
