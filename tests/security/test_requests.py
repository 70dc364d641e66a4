"""Forged and oversized requests: CSRF on every POST route, and a cap on the size of any body."""

import re

import pytest

from tests.security.support import PUBLIC, SIGNED_IN, declared_access, post_routes, url_for_route

POSTS = post_routes()
MAX_BYTES = 10_000


def _actor_for(app, route) -> str:
    """An actor the route lets in, so that the request reaches the CSRF check as a real one would."""
    access = declared_access(app, route.endpoint)
    if access == PUBLIC:
        return "anonymous"
    if access == SIGNED_IN:
        return "champion"
    return "champion" if "champion" in access else access[0]


@pytest.fixture
def csrf_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True, MAX_CONTENT_LENGTH=MAX_BYTES)


def _token_from(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


@pytest.mark.parametrize("route", POSTS, ids=str)
def test_a_post_without_a_csrf_token_is_refused(app, csrf_app, world, client_as, route):
    client = client_as(_actor_for(app, route), on_app=csrf_app)
    response = client.post(url_for_route(route, world), data={"anything": "x"})
    assert response.status_code == 400
    assert "The form had expired" in response.get_data(as_text=True)


@pytest.mark.parametrize("route", POSTS, ids=str)
def test_a_post_with_a_wrong_csrf_token_is_refused(app, csrf_app, world, client_as, route):
    client = client_as(_actor_for(app, route), on_app=csrf_app)
    response = client.post(url_for_route(route, world), data={"csrf_token": "IjEyMyI.forged.token"})
    assert response.status_code == 400


def test_a_csrf_token_from_another_browser_session_is_refused(csrf_app, world):
    stranger = csrf_app.test_client()
    token = _token_from(stranger.get("/login").get_data(as_text=True))
    victim = csrf_app.test_client()
    victim.get("/login")
    response = victim.post("/login", data={"csrf_token": token, "email": "a@example.org", "password": "x" * 12})
    assert response.status_code == 400


def test_a_post_with_the_right_csrf_token_is_accepted(csrf_app, world):
    client = csrf_app.test_client()
    token = _token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login",
        data={"csrf_token": token, "email": world.users["funder"].email, "password": "correct horse battery"},
    )
    assert response.status_code == 302


@pytest.mark.parametrize("route", POSTS, ids=str)
def test_an_oversized_body_is_refused_with_413(app, csrf_app, world, client_as, route):
    client = client_as(_actor_for(app, route), on_app=csrf_app)
    response = client.post(url_for_route(route, world), data={"field": "x" * (MAX_BYTES + 1)})
    assert response.status_code == 413
    assert "That file is too large" in response.get_data(as_text=True)


def test_an_oversized_file_upload_is_refused_with_413(csrf_app, client_as):
    import io

    client = client_as("coordinator", on_app=csrf_app)
    response = client.post(
        "/login",
        data={"file": (io.BytesIO(b"x" * (MAX_BYTES * 2)), "big.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
