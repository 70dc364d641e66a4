"""Who sees which learners: enforced in the services, so every page and search obeys it."""

import pytest

from inclusion.learners.access import AccessDenied
from inclusion.learners.search import search_learners
from inclusion.learners.services import get_learner
from tests import factories


def _alliance():
    """Two partners: Ann registered with the first; Bob with the second but attended the first's venue."""
    first, second = factories.create_partner("Libraries"), factories.create_partner("Age Friendly")
    ann = factories.create_learner("Ann", "Walker", partner=first)
    bob = factories.create_learner("Bob", "Hall", partner=second)
    cat = factories.create_learner("Cat", "Wood", partner=second)
    factories.create_session(factories.create_venue("Central Library", partner=first), attendees=[bob])
    return first, second, ann, bob, cat


def _references(user):
    return sorted(row.reference for row in search_learners(user, "").rows)


def test_a_champion_sees_learners_registered_with_or_attending_their_partner():
    first, _second, ann, bob, cat = _alliance()
    champion = factories.create_user("champion", partner=first)
    assert _references(champion) == sorted([ann.reference, bob.reference])
    with pytest.raises(AccessDenied):
        get_learner(champion, cat.reference)


def test_the_other_partners_champion_sees_only_their_own():
    _first, second, _ann, bob, cat = _alliance()
    champion = factories.create_user("champion", partner=second)
    assert _references(champion) == sorted([bob.reference, cat.reference])


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_coordinators_and_admins_see_every_learner(role):
    _first, _second, ann, bob, cat = _alliance()
    user = factories.create_user(role)
    assert _references(user) == sorted([ann.reference, bob.reference, cat.reference])
    assert get_learner(user, cat.reference) == cat


def test_a_funder_sees_no_learner_even_through_the_service():
    _first, _second, ann, _bob, _cat = _alliance()
    funder = factories.create_user("funder")
    with pytest.raises(AccessDenied):
        search_learners(funder, "")
    with pytest.raises(AccessDenied):
        get_learner(funder, ann.reference)


def test_a_champion_gets_403_for_a_learner_they_may_not_see(client, login_as):
    _first, second, ann, _bob, _cat = _alliance()
    login_as("champion", partner=second)
    assert client.get(f"/learners/{ann.reference}").status_code == 403
    assert client.get(f"/learners/{ann.reference}/edit").status_code == 403
    assert client.post(f"/learners/{ann.reference}/edit", data={"first_name": "X"}).status_code == 403


def test_a_champion_does_not_find_a_learner_they_may_not_see(client, login_as):
    _first, second, ann, _bob, _cat = _alliance()
    login_as("champion", partner=second)
    assert "Ann Walker" not in client.get("/learners/?q=ann").get_data(as_text=True)


def test_a_funder_gets_403_on_every_learner_page(client, login_as):
    _first, _second, ann, _bob, _cat = _alliance()
    login_as("funder")
    for url in (
        "/learners/",
        "/learners/new",
        f"/learners/{ann.reference}",
        f"/learners/{ann.reference}/edit",
    ):
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/learners/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_an_unknown_reference_is_not_found(client, login_as):
    login_as("coordinator")
    assert client.get("/learners/L-ZZZZZ").status_code == 404
