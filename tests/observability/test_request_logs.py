"""One log line per request: what it holds, the request id, and what it never holds."""

import io
import json
import logging
import re
import sys

import pytest
from sqlalchemy.exc import IntegrityError

from config import TestConfig
from inclusion import create_app
from inclusion.auth.decorators import public
from inclusion.extensions import db
from inclusion.observability.logs import JsonLineFormatter, TextLineFormatter, security_event
from tests import factories
from tests.observability.support import lines_of

REQUEST_FIELDS = {"time", "level", "logger", "message", "request_id", "method", "route", "endpoint", "status"}
REQUEST_FIELDS |= {"duration_ms", "user_id", "role"}
UNIQUE_NAME = "Only Once"  # named here, not in the failing code, whose lines the traceback shows


def test_a_request_logs_one_line_with_the_documented_fields(client, login_as, log_lines):
    coordinator = login_as("coordinator")
    response = client.get("/learners/")
    [line] = lines_of(log_lines(), logger="inclusion.requests", endpoint="learners.index")
    assert set(line) == REQUEST_FIELDS
    assert line["message"] == "request"
    assert line["level"] == "INFO"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["time"])
    assert (line["method"], line["route"], line["status"]) == ("GET", "/learners/", 200)
    assert (line["user_id"], line["role"]) == (coordinator.id, "coordinator")
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["request_id"] == response.headers["X-Request-ID"]


def test_the_route_is_the_url_rule_and_the_query_string_is_never_logged(client, login_as, log_lines):
    login_as("coordinator")
    learner = factories.create_learner("Wilhelmina", "Zanzibar")
    client.get(f"/learners/{learner.reference}")
    client.get("/learners/?q=Zanzibar")
    raw = "\n".join(log_lines(raw=True))
    assert '"route": "/learners/<reference>"' in raw
    assert learner.reference not in raw
    assert "Zanzibar" not in raw and "q=" not in raw


def test_an_anonymous_request_logs_no_user(client, log_lines):
    client.get("/login")
    [line] = lines_of(log_lines(), endpoint="auth.login")
    assert (line["user_id"], line["role"], line["status"]) == (None, None, 200)


def test_a_page_that_does_not_exist_logs_no_route(client, log_lines):
    client.get("/no/such/page?name=Someone")
    [line] = lines_of(log_lines(), logger="inclusion.requests")
    assert (line["route"], line["endpoint"], line["status"]) == (None, None, 404)
    assert "Someone" not in json.dumps(line)


def test_health_checks_are_logged_at_debug_only(client, log_lines, caplog):
    client.get("/healthz")
    assert not lines_of(log_lines(), endpoint="core.healthz")
    caplog.set_level(logging.DEBUG, logger="inclusion")
    client.get("/healthz")
    [line] = lines_of(log_lines(), endpoint="core.healthz")
    assert line["level"] == "DEBUG"


def test_each_request_gets_a_new_id_without_a_trusted_proxy(client, log_lines):
    first = client.get("/login", headers={"X-Request-ID": "from-the-client"})
    second = client.get("/login")
    ids = {first.headers["X-Request-ID"], second.headers["X-Request-ID"]}
    assert len(ids) == 2 and "from-the-client" not in ids
    assert all(re.fullmatch(r"[0-9a-f]{32}", request_id) for request_id in ids)


@pytest.fixture
def proxied_client(app):
    behind_proxy = create_app(
        TestConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], TRUSTED_PROXY_COUNT=1
    )
    yield behind_proxy.test_client()
    with behind_proxy.app_context():
        db.engine.dispose()


def test_the_trusted_proxys_request_id_is_kept_and_returned(proxied_client, log_lines):
    response = proxied_client.get("/login", headers={"X-Request-ID": "nginx-4f2a.9_b"})
    assert response.headers["X-Request-ID"] == "nginx-4f2a.9_b"
    [line] = lines_of(log_lines(), endpoint="auth.login")
    assert line["request_id"] == "nginx-4f2a.9_b"


@pytest.mark.parametrize("given", ["x" * 65, "two words", 'quote"d', "tab\there", "../../etc", "", "ünïcode"])
def test_a_malformed_request_id_from_the_proxy_is_replaced(proxied_client, given):
    response = proxied_client.get("/login", headers={"X-Request-ID": given})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def test_a_json_line_is_one_line_even_with_a_traceback():
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.makeLogRecord(
            {"name": "inclusion.errors", "levelno": 40, "levelname": "ERROR", "msg": "unhandled exception"}
        )
        record.exc_info = sys.exc_info()
    line = JsonLineFormatter().format(record)
    assert "\n" not in line
    parsed = json.loads(line)
    assert list(parsed)[:4] == ["time", "level", "logger", "message"]
    assert "RuntimeError: boom" in parsed["exc_info"]


def test_the_text_format_puts_the_fields_after_the_message():
    record = logging.makeLogRecord({"name": "inclusion.requests", "levelname": "INFO", "msg": "request", "status": 200})
    assert TextLineFormatter().format(record).endswith("INFO inclusion.requests request status=200")


def test_log_level_and_format_come_from_the_settings(app, capsys):
    create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://", LOG_TO_STDERR=True, LOG_LEVEL="WARNING")
    try:
        logging.getLogger("inclusion.requests").info("not shown")
        logging.getLogger("inclusion.security").warning("shown", extra={"event": "x"})
        lines = capsys.readouterr().err.splitlines()
        assert [json.loads(line)["message"] for line in lines] == ["shown"]
    finally:
        create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://")  # back to the test settings: no output


@pytest.mark.parametrize("setting", [{"LOG_LEVEL": "LOUD"}, {"LOG_FORMAT": "xml"}])
def test_a_bad_log_setting_stops_the_app_with_a_clear_message(setting):
    with pytest.raises(RuntimeError, match=next(iter(setting))):
        create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://", **setting)
    create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://")


def test_a_security_event_refuses_a_field_that_would_hold_personal_data():
    with pytest.raises(ValueError, match="email"):
        security_event("token_used", email="someone@example.org")


def test_the_stderr_handler_writes_where_stderr_is_now(app, monkeypatch):
    create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://", LOG_TO_STDERR=True)
    try:
        swapped = io.StringIO()
        monkeypatch.setattr("sys.stderr", swapped)
        logging.getLogger("inclusion.jobs").info("job started", extra={"job": "demo seed"})
        assert json.loads(swapped.getvalue())["job"] == "demo seed"
    finally:
        create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://")


@pytest.fixture
def failing_app(app):
    """An app that answers errors as production does (no exception passed up to the test), with pages that fail."""
    made = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        TESTING=False,
        PROPAGATE_EXCEPTIONS=False,
    )

    @public
    def fails(reference):
        raise RuntimeError(reference)  # a message that quotes the input

    @public
    def adds_a_partner_twice():
        factories.create_partner(UNIQUE_NAME)
        factories.create_partner(UNIQUE_NAME)

    made.add_url_rule("/broken/<reference>", "broken", fails)
    made.add_url_rule("/twice", "twice", adds_a_partner_twice)
    yield made
    with made.app_context():
        db.engine.dispose()


def test_an_unhandled_exception_is_logged_with_its_route_class_and_code_lines_only(failing_app, log_lines):
    response = failing_app.test_client().get("/broken/L-SECRET?q=Someone")
    assert response.status_code == 500
    [error] = lines_of(log_lines(), logger="inclusion.errors")
    assert (error["level"], error["route"], error["error"]) == ("ERROR", "/broken/<reference>", "RuntimeError")
    assert "in fails" in error["traceback"] and error["traceback"].endswith("builtins.RuntimeError")
    [line] = lines_of(log_lines(), logger="inclusion.requests")
    assert (line["level"], line["status"], line["request_id"]) == ("ERROR", 500, error["request_id"])
    raw = "".join(log_lines(raw=True))
    assert "L-SECRET" not in raw and "Someone" not in raw


def test_a_database_error_is_logged_without_the_values_it_refused(failing_app, log_lines):
    assert failing_app.test_client().get("/twice").status_code == 500
    [error] = lines_of(log_lines(), logger="inclusion.errors")
    assert error["error"] == "IntegrityError"
    assert UNIQUE_NAME not in "".join(log_lines(raw=True))


def test_database_errors_never_quote_the_values_sent_with_the_statement():
    factories.create_partner("Only Once")
    with pytest.raises(IntegrityError) as raised:
        factories.create_partner("Only Once")
    db.session.rollback()
    assert "SQL parameters hidden" in str(raised.value)  # hide_parameters (PostgreSQL's own detail may still quote)
