"""Every error under /api/ is a problem-details document, never an HTML page."""

import pytest

from inclusion.extensions import limiter


def _is_problem(response, status: int) -> None:
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.json
    assert body["status"] == status and body["type"] and body["title"] and body["detail"]


def test_an_unknown_address_under_api_is_a_404_problem(client):
    _is_problem(client.get("/api/v1/nothing-here"), 404)
    _is_problem(client.get("/api/v2/figures"), 404)


def test_a_write_method_is_a_405_problem_with_allow(client, feed_token):
    response = client.post("/api/v1/figures", headers={"Authorization": f"Bearer {feed_token}"})
    _is_problem(response, 405)
    assert "GET" in response.headers["Allow"]


def test_pages_outside_the_api_keep_their_html_errors(client):
    response = client.get("/no-such-page")
    assert response.status_code in (302, 404)
    assert response.mimetype != "application/problem+json"


@pytest.fixture
def low_limit(app):
    app.config["API_RATE_LIMIT"] = "3 per minute"
    yield
    app.config["API_RATE_LIMIT"] = "120 per minute"
    limiter.reset()


def test_each_token_has_its_own_rate_limit_and_going_over_it_is_a_429_problem(low_limit, client, feed):
    from tests.api.conftest import issue

    assert [feed("/months").status_code for _ in range(3)] == [200, 200, 200]
    response = feed("/months")
    _is_problem(response, 429)
    assert response.headers.get("Retry-After")
    other = issue("Another council").secret
    assert client.get("/api/v1/months", headers={"Authorization": f"Bearer {other}"}).status_code == 200


def test_calls_without_a_valid_token_do_not_use_up_a_tokens_allowance(low_limit, client, feed):
    for _ in range(5):
        assert client.get("/api/v1/months").status_code == 401
    assert feed("/months").status_code == 200


def test_an_unexpected_failure_is_a_500_problem_not_a_page(make_second_host):
    host = make_second_host(PROPAGATE_EXCEPTIONS=False)

    def _failing():
        raise RuntimeError("the database went away")

    _failing.is_public = True
    host.add_url_rule("/api/v1/failing", "failing", _failing)
    response = host.test_client().get("/api/v1/failing")
    _is_problem(response, 500)
    assert "went away" not in response.get_data(as_text=True)


def test_with_csrf_protection_on_a_post_to_the_feed_is_still_a_405_or_404_problem(make_second_host, feed_token):
    client = make_second_host(WTF_CSRF_ENABLED=True).test_client()
    headers = {"Authorization": f"Bearer {feed_token}"}
    _is_problem(client.post("/api/v1/figures?month=2026-10", headers=headers), 405)
    _is_problem(client.post("/api/v1/nothing-here", headers=headers), 404)
