"""Feed tokens: only their hash is kept; revoked, expired or missing tokens are refused with 401."""

from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import select, update

from inclusion.api import tokens
from inclusion.api.models import ApiToken
from inclusion.audit.models import AuditEvent
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.timeutil import today_in_london, utcnow
from tests import factories
from tests.api.conftest import issue
from tests.security.support import sign_in


def _months(client, secret):
    return client.get("/api/v1/months", headers={"Authorization": f"Bearer {secret}"})


def test_the_database_keeps_only_the_tokens_sha256(feed_token):
    stored = db.session.scalar(select(ApiToken))
    assert feed_token.startswith("inc_") and len(feed_token) > 40
    assert stored.token_hash == tokens.hash_of(feed_token)
    assert feed_token not in {value for value in vars(stored).values() if isinstance(value, str)}


def test_a_valid_token_is_let_in_and_its_use_is_noted(feed):
    assert feed("/months").status_code == 200
    assert db.session.scalar(select(ApiToken.last_used_at)) is not None


def test_a_call_without_a_token_gets_a_401_problem(client):
    response = client.get("/api/v1/months")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json["status"] == 401 and response.json["title"] == "Unauthorized"


def test_a_wrong_token_gets_401(client, feed_token):
    assert _months(client, feed_token[:-2] + "xx").status_code == 401
    assert _months(client, "not-even-our-format").status_code == 401


def test_a_revoked_token_is_refused_at_once_on_another_host(app, client, feed_token, make_second_host):
    second_host = make_second_host().test_client()
    assert _months(second_host, feed_token).status_code == 200

    tokens.revoke_token(db.session.scalar(select(ApiToken.id)), acting_user_id=None)

    assert _months(second_host, feed_token).status_code == 401
    assert _months(client, feed_token).status_code == 401


def test_an_expired_token_is_refused(client, feed_token):
    with write_transaction():
        db.session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert _months(client, feed_token).status_code == 401


def test_a_token_works_until_the_end_of_its_last_day_in_london():
    issued = issue(days=0)
    assert issued.token.expires_at == tokens.end_of_day(today_in_london())
    assert issued.token.is_usable(issued.token.expires_at - timedelta(seconds=1))
    assert not issued.token.is_usable(issued.token.expires_at)


def test_a_signed_in_browser_session_is_not_a_credential_for_the_feed(app):
    browser = app.test_client()
    sign_in(browser, factories.create_user("admin"))
    assert browser.get("/reports/").status_code == 200
    response = browser.get("/api/v1/months")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_a_feed_token_does_not_sign_in_to_the_pages(client, feed_token):
    response = client.get("/reports/", headers={"Authorization": f"Bearer {feed_token}"})
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"


def test_each_call_is_audited_with_the_tokens_name_the_route_and_the_month(feed):
    feed("/figures?month=2026-10")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "api_called"))
    assert event.details["token"] == "Council Power BI"
    assert event.details["route"] == "/api/v1/figures"
    assert event.details["month"] == "2026-10" and event.details["version"] == 2
    assert event.user_id is None and event.record_type == "api_token"


def test_issuing_and_revoking_are_audited():
    issued = issue()
    tokens.revoke_token(issued.token.id, acting_user_id=None)
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"api_token_created", "api_token_revoked"} <= actions


def test_two_tokens_may_not_share_a_name():
    issue("Council BI")
    try:
        issue("council bi")
    except tokens.TokenError as error:
        assert "already a token called" in str(error)
    else:
        raise AssertionError("a second token with the same name was issued")
