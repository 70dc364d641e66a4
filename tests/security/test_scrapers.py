"""Views for machines (the Prometheus scrape): open only to allowed addresses or a token, whoever asks.

The route x actor probe (test_access.py) reaches them from the loopback address, which the settings
allow; here every actor asks from an address that is not allowed, and gets 404 with the usual headers.
"""

import pytest

from tests.security.support import (
    ACTORS,
    PUBLIC,
    REFUSED_ADDRESS,
    SCRAPER_VIEWS,
    declared_access,
    discovered_routes,
    route_app,
    security_header_problems,
    url_for_route,
)

SCRAPER_ROUTES = [route for route in discovered_routes() if route.endpoint in SCRAPER_VIEWS]


def test_the_views_guarded_for_scrapers_are_exactly_the_declared_ones():
    guarded = {name for name, view in route_app().view_functions.items() if getattr(view, "scrapers_only", False)}
    assert guarded == SCRAPER_VIEWS
    assert {route.endpoint for route in SCRAPER_ROUTES} == SCRAPER_VIEWS


def test_scraper_views_need_no_sign_in(app):
    assert all(declared_access(app, endpoint) == PUBLIC for endpoint in SCRAPER_VIEWS)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("route", SCRAPER_ROUTES, ids=str)
def test_no_actor_reaches_a_scraper_view_from_a_refused_address(world, client_as, route, actor):
    client = client_as(actor)
    client.environ_base["REMOTE_ADDR"] = REFUSED_ADDRESS
    response = client.get(url_for_route(route, world))
    assert response.status_code == 404, f"{actor} {route}"
    assert not security_header_problems(response), f"{actor} {route}"
    assert b"inclusion_http_requests_total" not in response.data
