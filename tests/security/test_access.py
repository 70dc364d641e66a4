"""Every route of the app, requested by every kind of actor, answers as its declaration says.

The routes are read from the URL map, so a new page is tested the moment it exists; a view that
declares nothing (neither @public nor @requires_role, nor listed as open to any signed-in user)
fails here until someone decides who may see it.
"""

from urllib.parse import urlsplit

import pytest

from tests.security.support import (
    ACTORS,
    PUBLIC,
    SAMPLE_ARGS,
    SIGNED_IN,
    SIGNED_IN_VIEWS,
    TOKEN,
    declared_access,
    discovered_routes,
    holds_personal_data,
    inline_code_problems,
    is_partner_scoped,
    route_app,
    security_header_problems,
    url_for_route,
)

ROUTES = discovered_routes()
ENDS_THE_SIGN_IN = {"auth.logout"}  # rightly sends a signed-in user to the sign-in page


def _request(client, route, url):
    return client.post(url, data={}) if route.method == "POST" else client.get(url)


def _allowed(access, actor: str) -> bool:
    if access in (PUBLIC, SIGNED_IN):
        return True
    role = "champion" if actor == "other_champion" else actor
    return role in access


def test_every_view_declares_who_may_reach_it(app):
    undeclared = sorted(
        f"{route.endpoint} ({route})" for route in ROUTES if declared_access(app, route.endpoint) is None
    )
    assert not undeclared, (
        "These views declare no access: mark them @public or @requires_role(...), or, if every "
        "signed-in user (funders too) may see them, add them to SIGNED_IN_VIEWS in "
        f"tests/security/support.py: {undeclared}"
    )


def test_every_route_with_parameters_has_sample_values():
    missing = sorted({r.endpoint for r in ROUTES if r.arguments and r.endpoint not in SAMPLE_ARGS})
    assert not missing, f"Add sample URL values for {missing} to SAMPLE_ARGS in tests/security/support.py"


def test_the_route_list_is_read_from_the_app():
    endpoints = {route.endpoint for route in ROUTES}
    assert {"auth.login", "core.home", "core.healthz", "core.readyz", "core.accessibility"} <= endpoints
    assert SIGNED_IN_VIEWS & set(route_app().view_functions) >= {"core.home", "auth.logout"}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_each_route_answers_each_actor_as_declared(app, world, client_as, route, actor):
    access = declared_access(app, route.endpoint)
    if access is None:
        pytest.fail(f"{route.endpoint} declares no access: see test_every_view_declares_who_may_reach_it")
    url = url_for_route(route, world)
    response = _request(client_as(actor), route, url)
    status = response.status_code
    where = f"{actor} {route.method} {url} -> {status}"

    if access == TOKEN:  # a sign-in (or none) is no credential for the feed
        assert status == 401, where
        assert response.mimetype == "application/problem+json", where
    elif actor == "anonymous" and access != PUBLIC:
        assert status == 302, where
        assert urlsplit(response.headers["Location"]).path == "/login", where
    elif not _allowed(access, actor):
        assert status == 403, where
    elif actor == "other_champion" and is_partner_scoped(route.endpoint):
        assert status in (403, 404), f"{where}: a champion must not reach another partner's record"
    else:
        assert status < 500 and status not in (401, 403), where
        if actor != "anonymous" and route.endpoint not in ENDS_THE_SIGN_IN:
            assert urlsplit(response.headers.get("Location", "")).path != "/login", f"{where}: sent to sign in"

    assert not security_header_problems(response, personal=holds_personal_data(route)), where
    if response.mimetype == "text/html":
        assert not inline_code_problems(response.get_data(as_text=True)), where


TOKEN_ROUTES = [route for route in ROUTES if declared_access(route_app(), route.endpoint) == TOKEN]


def test_the_feeds_routes_are_declared_as_token_routes():
    assert {route.rule for route in TOKEN_ROUTES} >= {"/api/v1/months", "/api/v1/figures", "/api/v1/reports"}


@pytest.mark.parametrize("route", TOKEN_ROUTES, ids=str)
def test_each_token_route_lets_in_a_request_with_a_token(app, world, route):
    response = app.test_client().get(
        url_for_route(route, world) + ("?month=2026-09" if route.rule.endswith("/figures") else ""),
        headers={"Authorization": f"Bearer {world.api_token.secret}"},
    )
    assert response.status_code == 200, f"{route} -> {response.status_code}"
    assert response.mimetype == "application/json"
    assert not security_header_problems(response, personal=False)
