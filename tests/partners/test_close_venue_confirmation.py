"""Closing a venue asks first (issue 14): the list links to a page that says what closing does."""

from inclusion.extensions import db
from inclusion.partners.models import Venue
from tests import factories


def test_the_venues_list_asks_before_closing_rather_than_closing_at_once(client, login_as):
    login_as("coordinator")
    venue = factories.create_venue("Central Library")
    html = client.get("/admin/venues").get_data(as_text=True)
    assert f'href="/admin/venues/{venue.id}/close"' in html
    assert f'action="/admin/venues/{venue.id}/close"' not in html  # no one-tap close button


def test_the_confirmation_page_says_what_closing_does_and_closes_nothing(client, login_as):
    login_as("coordinator")
    venue = factories.create_venue("Central Library")
    html = client.get(f"/admin/venues/{venue.id}/close").get_data(as_text=True)
    assert "Are you sure you want to close Central Library?" in html
    assert "no longer be able to log sessions there" in html
    assert f'action="/admin/venues/{venue.id}/close"' in html and "Cancel" in html
    assert db.session.get(Venue, venue.id).closed_at is None


def test_confirming_closes_the_venue(client, login_as):
    login_as("coordinator")
    venue = factories.create_venue("Central Library")
    page = client.post(f"/admin/venues/{venue.id}/close", follow_redirects=True).get_data(as_text=True)
    assert "Central Library is closed" in page
    db.session.expire_all()
    assert db.session.get(Venue, venue.id).closed_at is not None


def test_the_confirmation_of_a_closed_venue_returns_to_the_list(client, login_as):
    login_as("coordinator")
    venue = factories.create_venue("Central Library")
    client.post(f"/admin/venues/{venue.id}/close")
    response = client.get(f"/admin/venues/{venue.id}/close")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/venues")


def test_a_champion_cannot_open_the_confirmation(client, login_as):
    login_as("champion")
    venue = factories.create_venue("Central Library")
    assert client.get(f"/admin/venues/{venue.id}/close").status_code == 403
