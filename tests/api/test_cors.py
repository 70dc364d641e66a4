"""CORS: closed by default; API_CORS_ORIGINS opens the feed (only the feed) to the origins it names."""

ALLOWED = "https://dashboards.council.example"


def test_without_the_setting_no_origin_is_allowed(client, feed_token):
    response = client.get("/api/v1/months", headers={"Origin": ALLOWED, "Authorization": f"Bearer {feed_token}"})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers


def test_a_named_origin_is_allowed_and_its_preflight_answered(make_second_host, feed_token):
    client = make_second_host(API_CORS_ORIGINS=[ALLOWED]).test_client()
    preflight = client.options(
        "/api/v1/figures?month=2026-10",
        headers={
            "Origin": ALLOWED,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "Authorization",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "authorization" in preflight.headers["Access-Control-Allow-Headers"].lower()
    assert "Access-Control-Allow-Credentials" not in preflight.headers

    response = client.get("/api/v1/months", headers={"Origin": ALLOWED, "Authorization": f"Bearer {feed_token}"})
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]


def test_another_origin_and_the_pages_get_no_cors_headers(make_second_host):
    client = make_second_host(API_CORS_ORIGINS=[ALLOWED]).test_client()
    response = client.get("/api/v1/months", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Origin" not in client.get("/login", headers={"Origin": ALLOWED}).headers
