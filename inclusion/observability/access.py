"""Who may scrape /metrics: a client at one of METRICS_ALLOWED_IPS, or one that shows METRICS_TOKEN.

The address is the real client's: ProxyFix (TRUSTED_PROXY_COUNT) has already replaced the
proxy's address with the one it forwarded. A request that carries forwarding headers when no
proxy is trusted came through a proxy we were not told about (or says it did): its address is
the proxy's, not the client's, so it is never allowed by address.
"""

import hmac
import ipaddress
from collections.abc import Callable
from functools import wraps

from flask import Flask, abort, current_app, request

from inclusion.observability.logs import security_event

FORWARDING_HEADERS = ("X-Forwarded-For", "X-Real-IP", "Forwarded")
MIN_TOKEN_LENGTH = 16
_NETWORKS = "METRICS_ALLOWED_NETWORKS"


def check_metrics_settings(app: Flask) -> None:
    """Parse METRICS_ALLOWED_IPS once, at start-up, so a typo stops the app rather than opening it."""
    networks = []
    for entry in app.config["METRICS_ALLOWED_IPS"]:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise RuntimeError(f"METRICS_ALLOWED_IPS: '{entry}' is not an IP address or network") from None
    app.config[_NETWORKS] = tuple(networks)
    token = app.config.get("METRICS_TOKEN")
    if token and len(token) < MIN_TOKEN_LENGTH:
        raise RuntimeError(f"METRICS_TOKEN must be at least {MIN_TOKEN_LENGTH} characters (use a long random one)")


def _allowed_address() -> bool:
    if not current_app.config.get("TRUSTED_PROXY_COUNT") and any(h in request.headers for h in FORWARDING_HEADERS):
        return False
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    if getattr(address, "ipv4_mapped", None):
        address = address.ipv4_mapped
    return any(address in network for network in current_app.config[_NETWORKS])


def _shows_token() -> bool:
    token = current_app.config.get("METRICS_TOKEN")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def may_scrape() -> bool:
    return _allowed_address() or _shows_token()


def scrapers_only(view: Callable) -> Callable:
    """Answer 404 (as if there were no such page) to anyone but an allowed address or the token's holder."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not may_scrape():
            security_event("metrics_refused")
            abort(404)
        return view(*args, **kwargs)

    wrapped.scrapers_only = True
    return wrapped
