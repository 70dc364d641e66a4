"""Numbers too big to name a row, typed into URLs and forms, are treated as naming nothing."""

from inclusion.database import MAX_ROW_ID, page_number, row_id
from tests import factories

HUGE = "99999999999999999999"


def test_only_a_whole_number_a_table_can_hold_is_a_row_id():
    assert row_id("42") == 42 and row_id(str(MAX_ROW_ID)) == MAX_ROW_ID
    assert [row_id(v) for v in (HUGE, str(MAX_ROW_ID + 1), "0", "-1", "1e3", "٣", "", None, " ")] == [None] * 9


def test_a_page_number_is_clamped_to_a_sensible_range():
    assert [page_number(v) for v in ("3", HUGE, "0", "-2", "x", None)] == [3, 100_000, 1, 1, 1, 1]


def test_huge_numbers_in_the_session_list_filters_and_form_are_harmless(client, login_as):
    partner = factories.create_partner()
    venue = factories.create_venue(partner=partner)
    login_as("coordinator")
    for url in (
        f"/sessions/?venue={HUGE}",
        f"/sessions/?champion={HUGE}",
        f"/sessions/?page={HUGE}",
        f"/learners/?q=a&page={HUGE}",
        f"/sessions/recent-learners?venue={HUGE}&exclude={HUGE}",
    ):
        assert client.get(url).status_code == 200, url
    response = client.post(
        "/sessions/new",
        data={"venue_id": HUGE, "attendee": HUGE, "add": HUGE, "duration_minutes": "60", "action": "save"},
    )
    assert response.status_code == 200
    response = client.post("/admin/venues", data={"name": "Somewhere new", "partner_id": HUGE})
    assert response.status_code in (200, 403)
    assert venue.id


def test_a_nul_character_in_the_user_search_is_refused_not_a_server_error(client, login_as):
    login_as("admin")
    assert client.get("/admin/users?text=ab%00cd").status_code == 200


def test_a_nul_character_in_the_learner_search_is_harmless(client, login_as):
    login_as("coordinator")
    assert client.get("/learners/?q=ab%00cd").status_code == 200
