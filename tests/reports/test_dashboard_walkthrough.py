"""The dashboard defects of the walk-through (issue 14): bad filters say so, the milestone is the alliance's."""

from datetime import date

import pytest

from inclusion.reports import views as reports_views
from tests.reports.samples import build_samples


@pytest.fixture
def samples():
    return build_samples()


@pytest.fixture
def first_of_december(monkeypatch):
    monkeypatch.setattr(reports_views, "today_in_london", lambda: date(2026, 12, 1))


def test_a_venue_not_in_the_chosen_partner_is_an_error_not_silently_dropped(client, login_as, samples):
    login_as("coordinator")
    venue = samples["central"]  # a Stockport Libraries venue
    html = client.get(f"/reports/?month=2026-09&partner={samples['age_friendly'].id}&venue={venue.id}").get_data(
        as_text=True
    )
    assert "Error: Dashboard" in html
    assert f"{venue.name} is not one of Age Friendly Stockport&#39;s venues" in html
    assert "Correct the filters above to see the figures" in html
    assert "Adults helped" not in html


def test_a_month_that_does_not_exist_says_what_is_wrong_with_it(client, login_as, samples, first_of_december):
    login_as("coordinator")
    html = client.get("/reports/?month=2099-13").get_data(as_text=True)
    assert "Choose a period from the list. &#39;2099-13&#39; is not a month" in html
    assert "Adults helped" not in html  # not the current month's figures under a box saying 2099-13
    assert "Dashboard: December 2026" not in html


def test_a_future_month_says_it_is_in_the_future(client, login_as, samples, first_of_december):
    login_as("coordinator")
    html = client.get("/reports/?month=2027-03").get_data(as_text=True)
    assert "2027-03 is in the future" in html


def test_progress_and_projection_are_shown_for_the_whole_alliance(client, login_as, samples, first_of_december):
    login_as("coordinator")
    html = client.get("/reports/?month=2026-10").get_data(as_text=True)
    assert "Progress to 5,000 adults" in html
    assert "adults helped up to 31 October 2026" in html
    assert "Projected date" in html or "would be reached" in html


def test_progress_and_projection_are_not_shown_for_a_single_partner(client, login_as, samples, first_of_december):
    login_as("coordinator")
    html = client.get(f"/reports/?month=2026-10&partner={samples['libraries'].id}").get_data(as_text=True)
    assert "Progress to 5,000 adults" not in html
    assert "would be reached" not in html and "Projected date" not in html
    assert "shown for the whole alliance" in html


def test_a_champion_sees_no_alliance_projection_against_their_partner(client, login_as, samples, first_of_december):
    login_as("champion", partner=samples["libraries"])
    html = client.get("/reports/?month=2026-10").get_data(as_text=True)
    assert "Progress to 5,000 adults" not in html


def test_a_month_not_over_says_so_far_not_up_to_its_last_day(client, login_as, samples, first_of_december):
    login_as("coordinator")
    html = client.get("/reports/?month=2026-12").get_data(as_text=True)
    assert "adults helped so far" in html
    assert "up to 31 December 2026" not in html
    assert "these are the figures so far" in html
