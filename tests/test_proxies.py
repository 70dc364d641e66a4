"""Behind a load balancer the client's address comes from X-Forwarded-For, and only when trusted."""

from flask import request

from config import TestConfig
from inclusion import create_app


def _seen_address(trusted_proxies: int) -> str:
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://", TRUSTED_PROXY_COUNT=trusted_proxies)
    app.add_url_rule("/address", "address", lambda: request.remote_addr)
    app.view_functions["address"].is_public = True
    response = app.test_client().get(
        "/address", headers={"X-Forwarded-For": "203.0.113.9"}, environ_base={"REMOTE_ADDR": "10.0.0.2"}
    )
    return response.get_data(as_text=True)


def test_behind_one_trusted_proxy_the_client_address_is_the_forwarded_one():
    assert _seen_address(1) == "203.0.113.9"


def test_without_trusted_proxies_a_forwarded_address_is_ignored():
    assert _seen_address(0) == "10.0.0.2"
