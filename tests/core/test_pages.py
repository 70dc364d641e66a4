"""Health check, layout, error pages and security headers."""

from tests import factories


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"


def test_an_unknown_page_is_a_404_in_the_site_layout(client, login_as):
    login_as("champion")
    response = client.get("/no-such-page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Page not found" in html
    assert "Skip to main content" in html


def test_the_header_shows_who_is_signed_in(client, login_as):
    partner = factories.create_partner("Reddish Community Hub")
    user = login_as("champion", name="Sam Champion", partner=partner)
    html = client.get("/").get_data(as_text=True)
    assert "Sam Champion" in html and "Champion" in html and "Reddish Community Hub" in html
    assert user.email not in html
    assert "Sign out" in html


def test_the_layout_has_no_gov_uk_branding(client):
    html = client.get("/login").get_data(as_text=True)
    assert "GOV.UK" not in html
    assert "govuk-logo" not in html


def test_every_response_carries_security_headers(client):
    paths = ("/login", "/healthz", "/", "/static/build/app.css", "/no-such-page")
    for response in (client.get(path) for path in paths):
        policy = response.headers["Content-Security-Policy"]
        assert "object-src 'none'" in policy and "base-uri 'none'" in policy and "frame-ancestors" in policy
        assert "unsafe-inline" not in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"]


def test_pages_are_not_cached_but_static_assets_may_be(client):
    assert client.get("/login").headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/static/build/app.css").headers.get("Cache-Control", "")


def test_production_settings_refuse_to_start_without_a_secret_key(monkeypatch):
    import pytest

    from config import ProductionConfig
    from inclusion import create_app

    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)
