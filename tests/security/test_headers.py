"""Security headers on every kind of response, and no inline code in any template.

Every route's response is also checked by test_access.py (each actor, each route); here are the
responses no route produces on its own: error pages, static downloads, failures.
"""

from pathlib import Path

import pytest

from config import ProductionConfig
from inclusion.auth.decorators import requires_role
from tests.security.support import inline_code_problems, security_header_problems, sign_in

TEMPLATES = Path(__file__).resolve().parents[2] / "inclusion" / "templates"


def test_the_policy_forbids_inline_scripts_plugins_base_tags_and_framing(client):
    response = client.get("/login")
    assert security_header_problems(response) == []
    policy = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy
    assert "object-src 'none'" in policy and "base-uri 'none'" in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [("get", "/no-such-page", 404), ("put", "/login", 405), ("get", "/", 302), ("get", "/healthz", 200)],
)
def test_error_pages_and_redirects_carry_the_security_headers(client, method, url, status):
    response = getattr(client, method)(url)
    assert response.status_code == status
    assert security_header_problems(response) == []


def test_a_forbidden_page_carries_the_security_headers(make_app, world):
    other = make_app()

    @other.get("/admins-only")
    @requires_role("admin")
    def admins_only():
        return "secret"

    client = other.test_client()
    sign_in(client, world.users["funder"])
    response = client.get("/admins-only")
    assert response.status_code == 403
    assert security_header_problems(response) == []


def test_the_too_many_attempts_page_carries_the_security_headers(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "1 per minute")
    client.post("/login", data={"email": "a@example.org", "password": "wrong password"})
    response = client.post("/login", data={"email": "a@example.org", "password": "wrong password"})
    assert response.status_code == 429
    assert security_header_problems(response) == []


def test_an_unexpected_error_shows_a_page_with_the_security_headers(make_app):
    broken = make_app(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @broken.get("/boom")
    def boom():
        raise RuntimeError("deliberate")

    boom.is_public = True
    response = broken.test_client().get("/boom")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.get_data(as_text=True)
    assert security_header_problems(response) == []


def test_static_downloads_carry_the_headers_that_matter_for_files(client):
    response = client.get("/static/build/app.css")
    assert response.status_code == 200
    assert security_header_problems(response, personal=False) == []


def test_pages_are_never_stored_by_the_browser_but_static_files_may_be(client):
    assert "no-store" in client.get("/login").headers["Cache-Control"]
    assert "no-store" not in client.get("/static/build/app.css").headers.get("Cache-Control", "")


def test_production_adds_strict_transport_security(make_app):
    production = make_app(ProductionConfig, SECRET_KEY="x" * 32)
    response = production.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_has_inline_scripts_handlers_or_styles(template):
    # Templates are checked as text too, so that one only some pages render is covered.
    assert inline_code_problems(template.read_text(encoding="utf-8")) == []


def test_the_inline_code_check_finds_each_kind_of_inline_code():
    page = (
        '<script>alert(1)</script><script src="/static/x.js"></script>'
        '<a href="JavaScript:alert(1)" onclick="x()">x</a><p style="color:red">y</p><style>p{}</style>'
    )
    assert len(inline_code_problems(page)) == 5
