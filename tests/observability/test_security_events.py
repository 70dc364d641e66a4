"""One log line per security event: failed sign-ins, lockouts, refusals and exports, by id only."""

import json

from tests import factories
from tests.observability.support import lines_of


def _events(log_lines, name: str) -> list[dict]:
    return lines_of(log_lines(), logger="inclusion.security", event=name)


def test_a_failed_sign_in_for_an_unknown_address_logs_the_reason_but_not_the_address(client, log_lines):
    client.post("/login", data={"email": "Mystery.Visitor@example.org", "password": "wrong-password-1"})
    [event] = _events(log_lines, "sign_in_failed")
    assert (event["level"], event["reason"], event["account_id"]) == ("WARNING", "unknown_account", None)
    assert event["route"] == "/login" and event["client_ip"] == "127.0.0.1"
    assert "mystery" not in json.dumps(log_lines()).lower()


def test_a_wrong_password_logs_the_accounts_id(client, log_lines):
    user = factories.create_user("champion", email="pat.example@example.org")
    client.post("/login", data={"email": user.email, "password": "not-the-password"})
    [event] = _events(log_lines, "sign_in_failed")
    assert (event["reason"], event["account_id"]) == ("wrong_password", user.id)
    assert "pat.example" not in json.dumps(log_lines())


def test_the_attempt_that_locks_an_account_logs_a_lockout(client, log_lines, app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LOCKOUT_ATTEMPTS", 2)
    user = factories.create_user("coordinator")
    for _ in range(2):
        client.post("/login", data={"email": user.email, "password": "not-the-password"})
    [event] = _events(log_lines, "account_locked")
    assert (event["account_id"], event["after"]) == (user.id, "password")
    client.post("/login", data={"email": user.email, "password": factories.DEFAULT_PASSWORD})
    assert _events(log_lines, "sign_in_failed")[-1]["reason"] == "account_locked"


def test_a_refused_page_logs_who_was_refused_and_where(client, login_as, log_lines):
    funder = login_as("funder")
    response = client.get("/learners/")
    assert response.status_code == 403
    [event] = _events(log_lines, "permission_refused")
    assert (event["user_id"], event["role"], event["route"], event["status"]) == (
        funder.id,
        "funder",
        "/learners/",
        403,
    )
    assert event["request_id"] == response.headers["X-Request-ID"]


def test_a_csv_download_logs_an_export_pointing_to_its_audit_event(client, login_as, log_lines):
    coordinator = login_as("coordinator")
    assert client.get("/reports/monthly/2026-09.csv").status_code == 200
    [event] = _events(log_lines, "export")
    assert (event["level"], event["export"], event["month"], event["user_id"]) == (
        "INFO",
        "monthly_csv",
        "2026-09",
        coordinator.id,
    )
    assert isinstance(event["audit_event_id"], int)


def test_a_subject_access_export_logs_an_export_without_the_learner(client, login_as, log_lines):
    login_as("coordinator")
    learner = factories.create_learner("Ottoline", "Brackenbury", postcode="SK4 1AA")
    response = client.get(f"/learners/{learner.reference}/export")
    assert response.status_code == 200, response.status_code
    [event] = _events(log_lines, "export")
    assert event["export"] == "subject_access"
    raw = json.dumps(log_lines())
    assert learner.reference not in raw and "Brackenbury" not in raw and "SK4 1AA" not in raw


def test_a_refused_scrape_is_a_security_event(client, log_lines):
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code == 404
    [event] = _events(log_lines, "metrics_refused")
    assert event["client_ip"] == "198.51.100.7"


def test_a_feed_call_logs_which_token_was_used_and_a_refused_one_why(client, log_lines):
    from tests.api.conftest import issue

    issued = issue()
    client.get("/api/v1/months", headers={"Authorization": f"Bearer {issued.secret}"})
    client.get("/api/v1/months", headers={"Authorization": "Bearer not-a-token-of-ours"})
    client.get("/api/v1/months")
    [used] = _events(log_lines, "token_used")
    assert (used["level"], used["scope"], used["route"]) == ("INFO", "figures:read", "/api/v1/months")
    assert used["token_id"] == issued.token.id
    assert [event["reason"] for event in _events(log_lines, "token_refused")] == ["invalid", "missing"]
    assert issued.secret not in json.dumps(log_lines())
