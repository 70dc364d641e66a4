"""Finding learners: name (partial, accent- and case-insensitive), reference, date of birth; paginated."""

from datetime import date

from inclusion.learners.search import search_learners
from tests import factories


def _names(page):
    return [f"{row.first_name} {row.last_name}" for row in page.rows]


def test_a_partial_name_finds_the_learner_whatever_the_accents_and_case(client, login_as):
    champion = login_as("champion")
    factories.create_learner("Zoë", "Nowak", partner=champion.partner)
    factories.create_learner("Peter", "Hall", partner=champion.partner)
    page = client.get("/learners/?q=ZOE+now").get_data(as_text=True)
    assert "Zoë Nowak" in page
    assert "Peter Hall" not in page


def test_a_surname_prefix_finds_the_learner():
    champion = factories.create_user("champion")
    factories.create_learner("Margaret", "Hughes", partner=champion.partner)
    assert _names(search_learners(champion, "hug")) == ["Margaret Hughes"]


def test_any_part_of_the_name_in_any_order_matches():
    champion = factories.create_user("champion")
    factories.create_learner("Margaret", "Hughes", partner=champion.partner)
    factories.create_learner("Peter", "Hall", partner=champion.partner)
    assert _names(search_learners(champion, "ghes gar")) == ["Margaret Hughes"]


def test_a_reference_finds_the_learner_with_or_without_the_prefix():
    champion = factories.create_user("champion")
    factories.create_learner("Margaret", "Hughes", reference="L-7K3QF", partner=champion.partner)
    assert _names(search_learners(champion, "l-7k3qf")) == ["Margaret Hughes"]
    assert _names(search_learners(champion, "7K3QF")) == ["Margaret Hughes"]


def test_a_date_of_birth_finds_the_learner():
    champion = factories.create_user("champion")
    factories.create_learner("Margaret", "Hughes", partner=champion.partner, date_of_birth=date(1951, 3, 27))
    factories.create_learner("Peter", "Hall", partner=champion.partner, date_of_birth=date(1951, 3, 28))
    assert _names(search_learners(champion, "27/03/1951")) == ["Margaret Hughes"]
    assert _names(search_learners(champion, "1951-03-27")) == ["Margaret Hughes"]


def test_wildcard_characters_are_taken_literally():
    champion = factories.create_user("champion")
    factories.create_learner("Margaret", "Hughes", partner=champion.partner)
    assert _names(search_learners(champion, "%")) == []


def test_results_are_paginated(client, login_as):
    champion = login_as("champion")
    for number in range(30):
        factories.create_learner("Ann", f"Walker{number:02d}", partner=champion.partner)
    first = client.get("/learners/?q=ann").get_data(as_text=True)
    assert "30 learners found" in first
    assert "Page 1 of 2" in first
    assert first.count("Ann Walker") == 25
    second = client.get("/learners/?q=ann&page=2").get_data(as_text=True)
    assert second.count("Ann Walker") == 5


def test_learners_recently_at_the_champions_venues_come_first():
    champion = factories.create_user("champion")
    venue = factories.create_venue(partner=champion.partner)
    factories.create_learner("Aaron", "Able", partner=champion.partner)
    older = factories.create_learner("Brenda", "Bell", partner=champion.partner)
    recent = factories.create_learner("Cyril", "Cole", partner=champion.partner)
    factories.create_session(venue, date(2026, 8, 1), attendees=[older])
    factories.create_session(venue, date(2026, 9, 1), attendees=[recent])
    assert _names(search_learners(champion, "")) == ["Cyril Cole", "Brenda Bell", "Aaron Able"]


def test_merged_duplicates_are_not_listed():
    champion = factories.create_user("champion")
    survivor = factories.create_learner("Ann", "Walker", partner=champion.partner)
    factories.create_learner("Ann", "Walker", partner=champion.partner, merged_into_id=survivor.id)
    assert len(search_learners(champion, "ann walker").rows) == 1


def test_the_learners_list_takes_the_same_number_of_queries_for_3_or_30_rows(client, login_as, count_queries):
    champion = login_as("champion")
    venue = factories.create_venue(partner=champion.partner)
    learners = [factories.create_learner("Ann", f"Walker{n}", partner=champion.partner) for n in range(3)]
    factories.create_session(venue, attendees=learners)
    with count_queries() as few:
        assert client.get("/learners/").status_code == 200
    more = [factories.create_learner("Ann", f"Walker{n}", partner=champion.partner) for n in range(3, 30)]
    factories.create_session(venue, date(2026, 9, 5), attendees=more)
    with count_queries() as many:
        page = client.get("/learners/").get_data(as_text=True)
    assert page.count("Ann Walker") == 25
    assert many.count == few.count
